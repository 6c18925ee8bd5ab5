#!/usr/bin/env bash
# The test command: the Rust test suite, then the real-client checks: the feeds
# of the sample site in feedparser (python3 and `pip install feedparser`), and
# live reload in a real headless Chromium (node, Debian's chromium and
# `cd tests/browser && npm install`). Under CI=true a missing tool is a failure.
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

# Live reload in a real browser: Node's test runner drives Chromium against
# the release binary built just above.
if command -v node >/dev/null && [ -x /usr/bin/chromium ] && [ -d tests/browser/node_modules ]; then
  LAUREL_BIN=target/release/laurel node --test tests/browser/
else
  echo "node, /usr/bin/chromium or tests/browser/node_modules missing: skipping the browser test (apt-get install chromium; cd tests/browser && npm install)" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
