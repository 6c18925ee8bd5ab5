#!/bin/sh
# Runs every fuzz target for $1 seconds each (default 520), one at a time, on
# binaries already built with `RUSTC_BOOTSTRAP=1 cargo fuzz build`.
cd "$(dirname "$0")"
T=${1:-520}
shift 2>/dev/null
TARGETS=${*:-frontmatter entry person site_yaml markdown slug serve_path filters site}
mkdir -p logs artifacts
for t in $TARGETS; do
  mkdir -p "corpus/$t" "artifacts/$t"
  echo "== $t start $(date +%T)"
  target/x86_64-unknown-linux-gnu/release/"$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
    -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 -max_len=8192 >"logs/$t.log" 2>&1
  echo "== $t exit $? $(date +%T)"
done
