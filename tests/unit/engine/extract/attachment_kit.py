"""Attachment fixtures made at test time: xlsx (xlsxwriter), docx (python-docx), pdf
(reportlab), zip (with GBK member names), and a minimal Word 97 .doc.

No library writes .doc files, so the test makes one: a compound file (version 3, 512-byte
sectors, no mini stream) holding a WordDocument stream with a FIB and the text as one
UTF-16 piece, and a 1Table stream with the piece table ([MS-CFB], [MS-DOC])."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import xlsxwriter

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_TEXT_AT = 0x800


def word97(text: str, *, encrypted: bool = False) -> bytes:
    body = text.replace("\n", "\r").encode("utf-16-le")
    cp_count = len(body) // 2
    fib = bytearray(_TEXT_AT)
    flags = 0x0200 | (0x0100 if encrypted else 0)  # fWhichTblStm: the table is 1Table
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)
    offset = 32
    struct.pack_into("<H", fib, offset, 14)  # csw
    offset += 2 + 28
    struct.pack_into("<H", fib, offset, 22)  # cslw
    struct.pack_into("<I", fib, offset + 2 + 12, cp_count)  # ccpText
    offset += 2 + 88
    struct.pack_into("<H", fib, offset, 93)  # cbRgFcLcb (Word 97)
    offset += 2
    plc = struct.pack("<II", 0, cp_count) + struct.pack("<HIH", 0, _TEXT_AT, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, offset + 33 * 8, 0, len(clx))  # fcClx, lcbClx
    word = bytes(fib) + body
    return compound_file({"WordDocument": _pad(word), "1Table": _pad(clx)})


def _pad(data: bytes) -> bytes:
    size = max(4096, -(-len(data) // 512) * 512)  # at least the mini-stream cutoff
    return data + b"\x00" * (size - len(data))


def compound_file(streams: dict[str, bytes]) -> bytes:
    data_sectors = sum(len(c) // 512 for c in streams.values())
    fat_count = 1
    while fat_count * 128 < fat_count + 1 + data_sectors:
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat = [_FAT] * fat_count + [_END]  # the FAT sectors, then the directory sector
    starts = []
    data = b""
    for content in streams.values():
        first = len(fat)
        count = len(content) // 512
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(_END)
        starts.append(first)
        data += content
    fat.extend([_FREE] * (128 * fat_count - len(fat)))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, fat_count, fat_count, 0, 4096, _END, 0, _END)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, *range(fat_count), *([_FREE] * (109 - fat_count)))
    names = list(streams)
    entries = [_entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _FREE
        entries.append(_entry(name, 2, right=right, start=starts[i], size=len(streams[name])))
    empty = _entry("", 0)
    directory = b"".join(entries) + empty * (4 - len(entries))
    return bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + directory + data


def _entry(name: str, kind: int, *, child: int = _FREE, right: int = _FREE, start: int = _END, size: int = 0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    out = bytearray(128)
    out[0 : len(encoded)] = encoded
    struct.pack_into("<HBB", out, 64, len(encoded), kind, 1)
    struct.pack_into("<III", out, 68, _FREE, right, child)
    struct.pack_into("<IQ", out, 116, start if kind else 0, size)
    return bytes(out)


def make_xlsx(rows: list[list[object]], sheet: str = "名单") -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows):
        worksheet.write_row(r, 0, row)
    workbook.close()
    return out.getvalue()


def make_docx(paragraphs: str | list[str], table: list[list[str]]) -> bytes:
    document = docx.Document()
    for paragraph in [paragraphs] if isinstance(paragraphs, str) else paragraphs:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: list[str], encrypt: str | None = None) -> bytes:
    """One PDF page per string; lines of a string are drawn one under the other."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=encrypt)
    for page in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(page.split("\n")):
            pdf.drawString(50, 800 - 20 * i, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_zip(members: dict[str, bytes], utf8_names: bool = True) -> bytes:
    out = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members.items()):
            if utf8_names or name.isascii():
                zf.writestr(name, data)
            else:  # as Chinese Windows tools write them: GBK bytes, no UTF-8 flag
                raw = name.encode("gbk")
                placeholder = f"{i:0{len(raw)}d}".encode()
                placeholders[placeholder] = raw
                zf.writestr(placeholder.decode(), data)
    data = out.getvalue()
    for placeholder, raw in placeholders.items():  # zipfile would write UTF-8: patch the bytes
        data = data.replace(placeholder, raw)
    return data


def set_encrypted_flag(data: bytes, member: str) -> bytes:
    """Mark a member as encrypted in its local header and its central-directory entry."""
    out = bytearray(data)
    name = member.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        pos = out.find(signature)
        while pos != -1:
            if out[pos + name_at : pos + name_at + len(name)] == name:
                out[pos + flag_at] |= 0x1
            pos = out.find(signature, pos + 4)
    return bytes(out)
