"""Tell a file's real format from its first bytes, its name and its content type.

Government sites publish files whose extension lies: ``.doc`` that are RTF or HTML saved by
Word, ``.xls`` that are HTML tables, ``.et``/``.wps`` (WPS Office) that are OLE or OOXML
inside. Magic bytes win over the name; the name only separates formats the bytes cannot
(csv from txt) and picks OOXML flavours when the zip lacks the usual parts.
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal
from urllib.parse import unquote, urlsplit

Format = Literal[
    "xlsx",
    "xls",
    "ods",
    "docx",
    "odt",
    "doc",
    "ooxml_encrypted",
    "ole",
    "pdf",
    "rtf",
    "html",
    "csv",
    "text",
    "zip",
    "image",
    "unknown",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")

_BY_EXTENSION: dict[str, Format] = {
    "csv": "csv",
    "txt": "text",
    "text": "text",
    "log": "text",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "xls": "xls",
    "et": "xls",
    "ett": "xls",
    "ods": "ods",
    "docx": "docx",
    "docm": "docx",
    "doc": "doc",
    "wps": "doc",
    "wpt": "doc",
    "dot": "doc",
    "odt": "odt",
    "pdf": "pdf",
    "rtf": "rtf",
    "htm": "html",
    "html": "html",
    "zip": "zip",
}


def extension(name: str) -> str:
    path = unquote(urlsplit(name).path if "://" in name else name)
    tail = path.rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1].lower() if "." in tail else ""


def sniff(data: bytes, name: str = "", content_type: str = "") -> Format:
    head = data[:8]
    ext = extension(name)
    if head == OLE_MAGIC:
        return "ole"  # the streams decide: Workbook -> xls, WordDocument -> doc (see ole_kind)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, ext)
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:  # some servers prepend junk
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{\\rtf"):
        return "rtf"
    if start.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table", b"mime-version")) or b"<html" in start[:512]:
        return "html"
    if ext == "csv" or "csv" in content_type:
        return "csv"
    if ext in ("txt", "text", "log") or content_type.startswith("text/plain"):
        return "text"
    if ext not in _BY_EXTENSION and data and b"\x00" not in data[:4096]:
        return "text"  # an unknown extension with text-looking bytes
    return "unknown"


def _zip_kind(data: bytes, ext: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:2000])
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return _BY_EXTENSION.get(ext, "zip") if ext in ("xlsx", "docx", "ods", "odt") else "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if mimetype.endswith(b"spreadsheet"):
        return "ods"
    if mimetype.endswith(b"text"):
        return "odt"
    return "zip"
