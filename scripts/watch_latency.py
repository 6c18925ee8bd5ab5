#!/usr/bin/env python3
"""Measure live-edit latency of `laurel watch` on a site.

usage: watch_latency.py LAUREL_BIN SITE_DIR [EDITS]

Starts `laurel watch`, then edits one entry's title EDITS times (default 20).
For each edit it records the time from the write (the save) until laurel
prints its rebuild line, which it prints after the last file is written.
Prints every sample and the median. Not a test: numbers depend on the machine.
"""
import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time
import queue


def main() -> int:
    binary, site = sys.argv[1], pathlib.Path(sys.argv[2])
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    entries = sorted((site / "content" / "diary").rglob("*.md"))
    target = entries[len(entries) // 2]
    original = target.read_text(encoding="utf-8")
    # English messages: the lines are matched below ("changed ...").
    env = dict(os.environ, LAUREL_LANG="en")
    proc = subprocess.Popen([binary, "--root", str(site), "watch"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
    lines: "queue.Queue[tuple[float, str]]" = queue.Queue()

    def reader():
        for line in proc.stdout:
            lines.put((time.perf_counter(), line.rstrip("\n")))

    threading.Thread(target=reader, daemon=True).start()
    try:
        t, first = lines.get(timeout=600)
        print(f"first build: {first}")
        samples = []
        for i in range(edits):
            time.sleep(0.3)
            # Lines of earlier rebuilds (e.g. a late event from restoring the
            # file after a previous run) must not be taken for this edit's.
            while not lines.empty():
                lines.get_nowait()
            text = original.replace("title:", f"title: 第{i}次修改", 1)
            start = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            while True:
                t, line = lines.get(timeout=60)
                if line.startswith("changed "):
                    break
            ms = (t - start) * 1000
            samples.append(ms)
            print(f"edit {i + 1}: {ms:.1f} ms  ({line})")
        print(f"median save-to-last-write: {statistics.median(samples):.1f} ms over {edits} edits")
    finally:
        target.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
