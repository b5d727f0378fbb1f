"""Writes a test photo the way a phone does: EXIF with a GPS position, a camera name
and an orientation tag, at a given pixel size. Used by the media tests (no photo is
kept in the repo).

    python3 make_photo.py OUT.jpg WIDTH HEIGHT [ORIENTATION]
"""

import sys

from PIL import Image, ImageDraw


def main():
    out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    orientation = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    # Smooth gradients and a few soft shapes: what a photo's bytes are like (a sharp
    # pattern would make every JPEG several times larger than a real photo's).
    img = Image.linear_gradient("L").resize((width, height))
    img = Image.merge("RGB", (img, img.transpose(Image.Transpose.FLIP_LEFT_RIGHT), img.rotate(90).resize((width, height))))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x, y, r = width * (i + 1) // 8, height * ((i * 37) % 7 + 1) // 9, min(width, height) // 10
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(200, 150 + i * 15, 60))
    # A mark in the top-left corner of the stored pixels tells which way is up.
    draw.rectangle([0, 0, width // 8, height // 8], fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0xA431] = "SN-0042"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (31.0, 41.0, 24.0)
    gps[3] = "E"
    gps[4] = (113.0, 22.0, 48.0)
    img.save(out, "JPEG", quality=92, exif=exif.tobytes())


if __name__ == "__main__":
    main()
