#!/usr/bin/env python3
"""Build time of one very large entry, by kind and size: every phase must be
linear in the entry's size (issue 12, item 3).

    scripts/bench_big_entry.py [--laurel target/release/laurel] [--sizes 100,400,1000]

For each kind (links, footnotes, reference definitions, plain Chinese text)
and size (KB of Markdown) it writes a one-entry site to a temporary folder,
builds it (best of --runs, each into an empty output folder, --timeout
seconds at most) and prints a table; the last column is seconds per MB at the
largest size over seconds per MB at the smallest (about 1 when linear).
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time

SITE = "title: 大条目\nbase_url: https://example.org/column/\nlanguage: zh-CN\n"
PERSON = "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\n"


def body(kind, size):
    """About `size` bytes of Markdown of one kind."""
    parts, n, i = [], 0, 0
    while n < size:
        if kind == "links":
            s = f"见[第{i}篇报道](https://example.org/news/{i}/)与[吴洋](/people/wu-yang/)。\n"
        elif kind == "footnotes":
            s = f"第{i}条记录[^n{i}]。\n\n[^n{i}]: 注释{i}，来源于当日的采访。\n\n"
        elif kind == "refdefs":
            s = f"参见[报道{i}][r{i}]。\n\n[r{i}]: https://example.org/r/{i} \"标题{i}\"\n\n"
        else:
            s = f"第{i}天，医疗队的队员们在病区里忙碌，护士长叮嘱大家注意防护。\n\n"
        parts.append(s)
        n += len(s.encode())
        i += 1
    return "".join(parts)


def build_seconds(laurel, kind, size, runs, timeout):
    root = tempfile.mkdtemp(prefix=f"laurel-big-{kind}-")
    try:
        os.makedirs(f"{root}/content/diary")
        os.makedirs(f"{root}/content/people")
        with open(f"{root}/site.yaml", "w") as f:
            f.write(SITE)
        with open(f"{root}/content/people/wu-yang.yaml", "w") as f:
            f.write(PERSON)
        with open(f"{root}/content/diary/2020-02-10-big.md", "w") as f:
            f.write("---\ntitle: 大条目\ndate: 2020-02-10 21:30\nauthor: wu-yang\n---\n")
            f.write(body(kind, size))
        best = None
        for _ in range(runs):
            shutil.rmtree(f"{root}/public", ignore_errors=True)
            start = time.monotonic()
            try:
                subprocess.run([laurel, "--root", root, "build"], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=timeout)
            except subprocess.TimeoutExpired:
                return None
            t = time.monotonic() - start
            best = t if best is None else min(best, t)
        return best
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laurel", default="target/release/laurel")
    ap.add_argument("--sizes", default="100,400,1000", help="KB, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    sizes = [int(s) * 1000 for s in a.sizes.split(",")]
    print("| kind | " + " | ".join(f"{s // 1000} KB" for s in sizes) + " | growth |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for kind in ["links", "footnotes", "refdefs", "text"]:
        cells, per_mb = [], []
        for s in sizes:
            t = build_seconds(a.laurel, kind, s, a.runs, a.timeout)
            cells.append(f"> {a.timeout:.0f} s" if t is None else f"{t:.2f} s")
            per_mb.append(None if t is None else t / (s / 1e6))
        growth = (f"{per_mb[-1] / per_mb[0]:.2f}×"
                  if per_mb[0] and per_mb[-1] else "–")
        print(f"| {kind} | " + " | ".join(cells) + f" | {growth} |", flush=True)


if __name__ == "__main__":
    main()
