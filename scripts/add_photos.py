#!/usr/bin/env python3
"""Give every person of a generated site a placeholder portrait.

    scripts/add_photos.py /tmp/s10k            # 600x750 PNGs, one per person

Writes static/images/people/<id>.png (a soft two-colour gradient with a
darker band, different per person) and adds `photo: /images/people/<id>.png`
to each content/people/<id>.yaml that has no photo yet. Used to measure
builds with images (BENCHMARKS.md). Only the standard library is used.
"""

import argparse
import hashlib
import os
import struct
import zlib


def png(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def portrait(seed, width=600, height=750):
    """A vertical two-colour gradient in six shaded columns: cheap to make,
    and not trivially compressible (like a photo, unlike a flat colour)."""
    h = hashlib.sha256(seed.encode()).digest()
    top, bottom = h[0:3], h[3:6]
    blocks = 6
    edges = [width * k // blocks for k in range(blocks + 1)]
    rows = []
    for y in range(height):
        t = y / (height - 1)
        band = 0.7 if height * 0.55 < y < height * 0.8 else 1.0
        row = b""
        for k in range(blocks):
            s = (0.8 + 0.04 * k + 0.01 * (y % 7)) * band
            px = bytes(int((top[c] * (1 - t) + bottom[c] * t) * s) & 0xFF for c in range(3))
            row += px * (edges[k + 1] - edges[k])
        rows.append(row)
    return png(width, height, rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site")
    ap.add_argument("--width", type=int, default=600)
    ap.add_argument("--height", type=int, default=750)
    args = ap.parse_args()
    people = os.path.join(args.site, "content", "people")
    out = os.path.join(args.site, "static", "images", "people")
    os.makedirs(out, exist_ok=True)
    n = 0
    for name in sorted(os.listdir(people)):
        if not name.endswith(".yaml"):
            continue
        pid = name[: -len(".yaml")]
        path = os.path.join(people, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if any(line.startswith("photo:") for line in text.splitlines()):
            continue
        with open(os.path.join(out, pid + ".png"), "wb") as f:
            f.write(portrait(pid, args.width, args.height))
        if not text.endswith("\n"):
            text += "\n"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "photo: /images/people/%s.png\n" % pid)
        n += 1
    print("added %d placeholder photos" % n)


if __name__ == "__main__":
    main()
