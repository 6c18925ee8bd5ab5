#!/usr/bin/env python3
"""Parse every feed of a built site with feedparser, as a reader's app would.

usage: check_feeds.py PUBLIC_DIR BASE_URL

Fails (exit 1) unless every rss.xml parses with bozo == 0 and every item has a
title, an absolute link under BASE_URL, a parseable date and a unique GUID.
Prints one line per feed and a closing 'N passed, N failed' line.
"""
import pathlib
import sys

import feedparser


def check(path: pathlib.Path, base: str) -> list[str]:
    problems = []
    d = feedparser.parse(path.read_bytes())
    if d.bozo:
        problems.append(f"bozo: {d.bozo_exception!r}")
    if not d.feed.get("title"):
        problems.append("channel has no title")
    if not d.feed.get("link", "").startswith(base):
        problems.append(f"channel link {d.feed.get('link')!r} not under {base}")
    guids = set()
    for i, e in enumerate(d.entries):
        where = f"item {i + 1}"
        if not e.get("title"):
            problems.append(f"{where}: no title")
        if not e.get("link", "").startswith(base):
            problems.append(f"{where}: link {e.get('link')!r} not under {base}")
        if not e.get("published_parsed"):
            problems.append(f"{where}: no parseable date ({e.get('published')!r})")
        gid = e.get("id")
        if not gid:
            problems.append(f"{where}: no guid")
        elif gid in guids:
            problems.append(f"{where}: duplicate guid {gid}")
        guids.add(gid)
    return problems


def main() -> int:
    public = pathlib.Path(sys.argv[1])
    base = sys.argv[2]
    feeds = sorted(public.rglob("rss.xml"))
    if not feeds:
        print("no feeds found", file=sys.stderr)
        return 1
    passed = failed = 0
    for f in feeds:
        problems = check(f, base)
        rel = f.relative_to(public)
        if problems:
            failed += 1
            for p in problems:
                print(f"FAIL {rel}: {p}")
        else:
            passed += 1
    print(f"feedparser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
