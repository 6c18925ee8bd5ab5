#!/usr/bin/env bash
# The test command: the Rust test suite, then the real-client checks on the
# sample site (feedparser), which need only python3 and `pip install feedparser`.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --locked "$@"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release --locked -- --root . build --output "$out/public"
if python3 -c 'import feedparser' 2>/dev/null; then
  python3 tests/feeds/check_feeds.py "$out/public" https://example.org/column/
else
  echo "feedparser not installed: skipping the feedparser check (pip install feedparser)" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
