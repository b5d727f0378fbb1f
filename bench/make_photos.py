#!/usr/bin/env python3
"""Writes COUNT deterministic 12-megapixel test photos (4000×3000 JPEG) for the media
benchmark: smooth light, a few shapes and fine texture, so that their bytes and decoding
cost are like a phone's (2–4 MB each), not like a flat test pattern's. Needs Pillow.

    python3 bench/make_photos.py --count 200 --out DIR [--seed 42]

Files are DIR/photo-000.jpg … ; the same seed gives the same bytes.
"""

import argparse
import os
import random
import sys

try:
    from PIL import Image, ImageDraw
except ImportError:
    sys.exit("make_photos.py needs Pillow: python3 -m pip install --user Pillow")

WIDTH, HEIGHT = 4000, 3000


def photo(rng):
    # Fine texture: random pixels at an eighth of the size, enlarged smoothly.
    w, h = WIDTH // 8, HEIGHT // 8
    texture = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3)).resize((WIDTH, HEIGHT), Image.BICUBIC)
    light = Image.linear_gradient("L").rotate(rng.randrange(360)).resize((WIDTH, HEIGHT))
    tint = tuple(rng.randrange(60, 200) for _ in range(3))
    img = Image.composite(Image.new("RGB", (WIDTH, HEIGHT), tint), Image.new("RGB", (WIDTH, HEIGHT), (20, 30, 40)), light)
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(100, 600)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    return Image.blend(img, texture, 0.25)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.count):
        rng = random.Random("%d-%d" % (args.seed, i))
        photo(rng).save(os.path.join(args.out, "photo-%03d.jpg" % i), "JPEG", quality=90)
    print("%d photos of %d×%d in %s" % (args.count, WIDTH, HEIGHT, args.out))


if __name__ == "__main__":
    main()
