#!/usr/bin/env python3
"""Makes the pictures and the short recording of the sample site (content/), small
enough to keep in the repository: generated shapes and gradients, no photographs.
Needs Pillow (pip install Pillow) and ffmpeg (apt-get install ffmpeg).

    python3 scripts/sample-media.py
"""

import os
import subprocess

from PIL import Image, ImageDraw

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "content")


def poster(path, size, top, bottom, shapes):
    """A cover picture: a vertical gradient from `top` to `bottom` with soft shapes."""
    w, h = size
    img = Image.new("RGB", size)
    px = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(h - 1, 1)
        px.line([0, y, w, y], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    for kind, box, colour in shapes:
        getattr(px, kind)([int(v * s) for v, s in zip(box, (w, h, w, h))], fill=colour)
    img.save(path, "JPEG", quality=80, optimize=True, progressive=True)


def diagram(path):
    """A flow chart of the 'six actions' style: boxes and arrows, as a PNG graphic."""
    img = Image.new("RGB", (960, 300), (250, 248, 244))
    d = ImageDraw.Draw(img)
    colours = [(178, 34, 34), (196, 120, 30), (40, 110, 160), (60, 130, 80)]
    for i, c in enumerate(colours):
        x = 40 + i * 230
        d.rounded_rectangle([x, 90, x + 180, 210], radius=16, fill=c)
        if i < len(colours) - 1:
            d.polygon([(x + 190, 140), (x + 220, 150), (x + 190, 160)], fill=(90, 90, 90))
    img.save(path, "PNG", optimize=True)


def recording(path, vtt):
    """Four seconds of test pattern with a tone, H.264 + AAC in MP4, and its subtitles."""
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=320x180:rate=12",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
         "-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "34",
         "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart", "-shortest", path],
        check=True,
    )
    with open(vtt, "w", encoding="utf-8") as f:
        f.write("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n各位同志，大家好。\n\n"
                "00:00:02.000 --> 00:00:04.000\n今天交流冬春森林防火工作。\n")


def main():
    red, gold, blue, green = (150, 20, 20), (230, 180, 90), (30, 80, 140), (50, 120, 70)
    poster(os.path.join(ROOT, "courses/xiang-cun-zhen-xing-shi-wu/cover.jpg"), (960, 540),
           (120, 170, 90), (240, 230, 190),
           [("ellipse", (0.62, 0.12, 0.82, 0.47), gold), ("rectangle", (0, 0.72, 1, 1), green)])
    poster(os.path.join(ROOT, "courses/dang-xing-jiao-yu-yu-zuo-feng-jian-she/cover.jpg"),
           (960, 540), red, (220, 90, 60),
           [("ellipse", (0.4, 0.25, 0.6, 0.6), gold)])
    poster(os.path.join(ROOT, "cases/da-hong-shan-xiang-cun-lv-you.jpg"), (1200, 800),
           (110, 160, 210), (230, 240, 250),
           [("polygon", (0, 0.85, 0.35, 0.35, 0.7, 0.85), green),
            ("polygon", (0.4, 0.85, 0.7, 0.45, 1, 0.85), (70, 140, 90))])
    poster(os.path.join(ROOT, "cases/zeng-du-qu-wang-ge-hua-zhi-li.jpg"), (960, 540),
           blue, (200, 215, 235),
           [("rectangle", (0.1, 0.3, 0.3, 0.9), gold), ("rectangle", (0.4, 0.2, 0.6, 0.9), gold),
            ("rectangle", (0.7, 0.4, 0.9, 0.9), gold)])
    diagram(os.path.join(ROOT, "cases/wang-ge-hua-liu-cheng.png"))
    recording(os.path.join(ROOT, "lectures/2026-12-01-dong-chun-sen-lin-fang-huo.mp4"),
              os.path.join(ROOT, "lectures/2026-12-01-dong-chun-sen-lin-fang-huo.vtt"))


if __name__ == "__main__":
    main()
