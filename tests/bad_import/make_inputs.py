#!/usr/bin/env python3
"""Writes the input files of the import cases in this folder (tests/editors.rs runs
`jiangtang import` on each case's files and compares what it prints with expected.txt).

    python3 tests/bad_import/make_inputs.py

Compound files (legacy .doc and .wps, password-protected .docx) are written as their
first sector with the stream names the importer tells them by; the small .docx files
with the standard library's zipfile; the picture in BMP with python-docx and Pillow.
"""

import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CFB = bytes.fromhex("D0CF11E0A1B11AE1")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write(case, name, data):
    folder = os.path.join(HERE, case)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def compound(*streams):
    names = b"".join(s.encode("utf-16-le") + b"\0\0" for s in ("Root Entry",) + streams)
    return CFB + bytes(504) + names.ljust(512, b"\0")


def docx(paragraphs, extra=None):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", f'<w:document {W}><w:body>{body}</w:body></w:document>')
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return out.getvalue()


def bmp_picture():
    from docx import Document
    from docx.shared import Inches
    from PIL import Image

    pic = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(pic, "BMP")
    pic.seek(0)
    doc = Document()
    doc.core_properties.author = "王晓红"
    doc.add_heading("老照片", level=1)
    doc.add_paragraph("扫描的老照片：")
    shape = doc.add_picture(pic, width=Inches(1))
    shape._inline.docPr.set("descr", "建站初期的办公楼")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main():
    write("legacy-doc", "讲话稿.doc", compound("WordDocument", "1Table", "SummaryInformation"))
    write("wps-file", "材料.wps", compound("WpsContent", "SummaryInformation"))
    write("password-protected", "加密.docx", compound("EncryptionInfo", "EncryptedPackage"))
    write("not-a-zip", "报告.docx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", "<workbook/>")
    write("excel-file", "统计表.docx", xlsx.getvalue())
    whole = docx(["第一段正文。"] * 40)
    write("truncated", "下载中断.docx", whole[: len(whole) // 2])
    write("no-text", "空白.docx", docx(["", "　　", ""]))
    write("to-outside-content", "案例.docx", docx(["案例", "正文。"]))
    title = {"word/styles.xml": f'<w:styles {W}><w:style w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>'}
    # A document titled 案例, whose page would be content/cases/an-li.md, which exists.
    titled = io.BytesIO()
    with zipfile.ZipFile(titled, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr(
            "word/document.xml",
            f'<w:document {W}><w:body><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>案例</w:t></w:r></w:p><w:p><w:r><w:t>正文。</w:t></w:r></w:p></w:body></w:document>',
        )
        z.writestr("word/styles.xml", title["word/styles.xml"])
    write("target-exists", "测试案例.docx", titled.getvalue())
    write("lesson-without-course", "第三课.docx", docx(["正文。"]))
    write("image-format-kept-as-link", "老照片.docx", bmp_picture())


if __name__ == "__main__":
    main()
