#!/usr/bin/env bash
# The test command: the Rust test suite, then the real clients on real sites.
#
# 1. cargo test (unit tests and the integration binary; its vnu and
#    feedparser tests skip themselves when those are not installed).
# 2. `laurel check --strict` on the sample site (this repository) and on a
#    generated 200-entry site: internal links, every page through the Nu HTML
#    checker (vnu), every feed through feedparser.
# 3. Node's test runner in tests/browser/: live reload, screenshots and
#    layout checks in headless Chromium, Lighthouse scores.
#
# On a machine with only Rust, steps 2 and 3 do what they can and say what is
# missing; under CI=true anything missing is a failure. Needs for everything:
# python3 with feedparser (`pip install feedparser`), Java 17, node, Debian's
# chromium and fonts-noto-cjk, `cd tests/browser && npm ci`, and the shared
# bench generator beside the clone ($LAUREL_SHARED, default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."

missing() {
  echo "skipped: $1" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "error: CI=true, so nothing may be skipped" >&2
    exit 1
  fi
}

cargo test --locked "$@"

cargo build --quiet --release --locked
bin=$PWD/target/release/laurel
export LAUREL_NOW=2026-01-01T00:00:00+08:00
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The sites the real clients judge.
sites=(.)
shared=${LAUREL_SHARED:-$(cd .. && pwd)/shared}
export LAUREL_SHARED=$shared
if [ -f "$shared/bench/gen_corpus.py" ] && command -v python3 >/dev/null; then
  python3 "$shared/bench/gen_corpus.py" --entries 200 --people 30 --out "$work/generated-200"
  sites+=("$work/generated-200")
else
  missing "no generated 200-entry site: needs python3 and $shared/bench/gen_corpus.py (set LAUREL_SHARED)"
fi

# Links, HTML and feeds: the command users run. It exits 2 when vnu or
# feedparser is missing (after the link check passed), 1 on any problem.
jar=tests/browser/node_modules/vnu-jar/build/dist/vnu.jar
if [ -z "${LAUREL_VNU_JAR:-}" ] && [ -f "$jar" ]; then
  export LAUREL_VNU_JAR=$PWD/$jar
fi
for site in "${sites[@]}"; do
  echo "laurel check --strict: ${site/#$work\//}"
  code=0
  "$bin" --root "$site" check --strict || code=$?
  case $code in
    0) ;;
    2) missing "a validator for laurel check --strict (see above; cd tests/browser && npm ci installs vnu)" ;;
    *) exit "$code" ;;
  esac
done

# A real browser: live reload, layout and screenshots (target/screenshots/),
# Lighthouse (target/lighthouse/). One test file at a time: Lighthouse's
# performance score suffers when other tests share the two cores.
if command -v node >/dev/null && [ -x /usr/bin/chromium ] && [ -d tests/browser/node_modules ]; then
  LAUREL_BIN=$bin CHROME_PATH=/usr/bin/chromium node --test --test-concurrency=1 tests/browser/
else
  missing "the browser tests: need node, /usr/bin/chromium (apt-get install chromium fonts-noto-cjk) and tests/browser/node_modules (cd tests/browser && npm ci)"
fi
