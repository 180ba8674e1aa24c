"""Attachment files of the sandbox: xlsx, xls, docx, doc and pdf.

Each writer takes a title and table rows (first row = header) and returns the file's bytes.
The formats are real: xlsx by xlsxwriter, xls (BIFF8) by xlwt, docx by python-docx, pdf by
reportlab with its built-in CID font STSong-Light (no font file needed).

``.doc``: writing a real Word 97 binary (OLE compound file with a WordDocument stream) needs
a library that does not exist for Python. Many government CMSs publish RTF files saved under a
``.doc`` name, and Word opens them; the sandbox does the same: a ``.doc`` is RTF (it starts with
``{\\rtf1``), text in \\uN escapes. A text extractor must sniff the content, not trust the suffix.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

Rows = Sequence[Sequence[str]]

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
}
KINDS: tuple[str, ...] = tuple(CONTENT_TYPES)

_FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def write_xlsx(title: str, rows: Rows) -> bytes:
    import datetime

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    # fixed creation time: same seed, same bytes
    wb.set_properties({"title": title, "created": datetime.datetime(*_FIXED_TIME)})
    ws = wb.add_worksheet("Sheet1")
    ws.write(0, 0, title)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()


def write_xls(title: str, rows: Rows) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, title)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write(r, c, str(value))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_docx(title: str, rows: Rows) -> bytes:
    import datetime

    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    doc.core_properties.created = datetime.datetime(*_FIXED_TIME)
    doc.core_properties.modified = datetime.datetime(*_FIXED_TIME)
    doc.core_properties.last_printed = datetime.datetime(*_FIXED_TIME)
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(title, level=1)
    if rows:
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip entries with the wall clock; re-zip with a fixed time (same seed, same bytes)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _rtf_text(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def write_doc(title: str, rows: Rows) -> bytes:
    """RTF content under a .doc name (see the module docstring)."""
    lines = [r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}", r"\f0\fs28 "]
    lines.append(_rtf_text(title) + r"\par\fs21 ")
    for row in rows:
        lines.append(_rtf_text("\t".join(str(v) for v in row)) + r"\par ")
    lines.append("}")
    return "\n".join(lines).encode("ascii")


_PDF_FONT = "STSong-Light"


def write_pdf(title: str, rows: Rows) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    buf = io.BytesIO()
    # invariant=1: no timestamps or random ids, so the same input gives the same bytes
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    height = A4[1]
    y = height - 72
    c.setFont(_PDF_FONT, 16)
    c.drawString(72, y, title)
    c.setFont(_PDF_FONT, 10)
    for row in rows:
        y -= 18
        if y < 72:
            c.showPage()
            c.setFont(_PDF_FONT, 10)
            y = height - 72
        c.drawString(72, y, "    ".join(str(v) for v in row))
    c.save()
    return buf.getvalue()


WRITERS: dict[str, Callable[[str, Rows], bytes]] = {
    "xlsx": write_xlsx,
    "xls": write_xls,
    "docx": write_docx,
    "doc": write_doc,
    "pdf": write_pdf,
}


def write_attachment(kind: str, title: str, rows: Rows) -> bytes:
    try:
        return WRITERS[kind](title, rows)
    except KeyError:
        raise ValueError(f"unknown attachment kind {kind!r}") from None
