#!/usr/bin/env python3
"""Parse every feed of a built site with feedparser, as a reader's app would.

usage: check_feeds.py PUBLIC_DIR BASE_URL

Embedded in laurel for `laurel check --strict` (run as `python3 -c`), and
runnable by hand on any public/ folder. Every rss.xml must parse with
bozo == 0 (and every atom.xml beside it), name its channel and link under BASE_URL, and every item must have
a title, an absolute link under BASE_URL, a parseable date and a unique GUID.

Prints one JSON object: {"feeds": N, "problems": [[FEED, PROBLEM], ...]},
FEED relative to PUBLIC_DIR; exits 1 when there are problems.
"""
import json
import pathlib
import sys

import feedparser


def check(path: pathlib.Path, base: str) -> list[str]:
    problems = []
    d = feedparser.parse(path.read_bytes())
    if d.bozo:
        problems.append(f"not well-formed: {d.bozo_exception}")
    if not d.feed.get("title"):
        problems.append("the channel has no title")
    if not d.feed.get("link", "").startswith(base):
        problems.append(f"the channel link {d.feed.get('link')!r} is not under {base}")
    guids = set()
    for i, e in enumerate(d.entries):
        where = f"item {i + 1}"
        if not e.get("title"):
            problems.append(f"{where} has no title")
        link = e.get("link")
        if not link:
            problems.append(f"{where} has no link")
        elif not link.startswith(base):
            problems.append(f"{where} links to {link!r}, not under {base}")
        if not e.get("published"):
            problems.append(f"{where} has no date")
        elif not e.get("published_parsed"):
            problems.append(f"{where} has a date feedparser cannot read: {e.get('published')!r}")
        gid = e.get("id")
        if not gid:
            problems.append(f"{where} has no guid")
        elif gid in guids:
            problems.append(f"{where} repeats the guid {gid}")
        guids.add(gid)
    return problems


def main() -> int:
    public = pathlib.Path(sys.argv[1])
    base = sys.argv[2]
    feeds = sorted([*public.rglob("rss.xml"), *public.rglob("atom.xml")])
    problems = []
    for f in feeds:
        rel = f.relative_to(public).as_posix()
        problems.extend([rel, p] for p in check(f, base))
    if not feeds:
        problems.append(["rss.xml", "no feed found"])
    json.dump({"feeds": len(feeds), "problems": problems}, sys.stdout, ensure_ascii=False)
    print()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
