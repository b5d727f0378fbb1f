"""Reads every JPEG, PNG and WebP file under a folder with Pillow (a real parser, not a
byte search) and prints, as JSON, each file's size and the metadata it still carries:
EXIF (GPS, camera, serial numbers), XMP, IPTC, PNG text chunks. A colour profile is
allowed. Exit 3 when Pillow is missing.

    python3 check_images.py DIR
"""

import json
import os
import sys

try:
    from PIL import Image, IptcImagePlugin
except ImportError:
    sys.exit(3)


def metadata(path):
    found = []
    with Image.open(path) as im:
        if len(im.getexif()) > 0:
            found.append("exif")
        info = im.info
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "photoshop"):
            if info.get(key):
                found.append(key)
        if im.format == "JPEG":
            # Every APP segment other than JFIF (APP0) and the colour profile (APP2).
            for marker, payload in getattr(im, "applist", []):
                if marker not in ("APP0", "APP2") or (
                    marker == "APP2" and not payload.startswith(b"ICC_PROFILE")
                ):
                    found.append(marker)
            if IptcImagePlugin.getiptcinfo(im):
                found.append("iptc")
        if im.format == "PNG":
            found.extend("text:" + k for k in getattr(im, "text", {}))
        return {"size": im.size, "format": im.format, "metadata": found}


def main():
    out = {}
    for folder, _, files in os.walk(sys.argv[1]):
        for name in files:
            if name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
                path = os.path.join(folder, name)
                out[os.path.relpath(path, sys.argv[1])] = metadata(path)
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main()
