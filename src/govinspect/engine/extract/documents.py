"""Word-processing documents: docx and odt (zip + streamed XML), legacy doc/wps (OLE Word
binary, piece table), RTF, and HTML/MHT files that Word or a CMS saved under a .doc/.xls name.

Each function yields lines of text; table rows come out labelled with their header cells
(see ``tabular.RowLabeller``).
"""

from __future__ import annotations

import email
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

import olefile
from lxml import etree

from govinspect.engine.extract.tabular import RowLabeller
from govinspect.engine.extract.textfile import decode_text
from govinspect.errors import DecodingError

# --- docx / odt ------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


class _XmlDialect:
    def __init__(
        self, paragraphs: tuple[str, ...], table: str, row: str, cell: str, para_text: Callable[[etree._Element], str]
    ) -> None:
        self.paragraphs = paragraphs
        self.table = table
        self.row = row
        self.cell = cell
        self.para_text = para_text


def _docx_para_text(el: etree._Element) -> str:
    parts: list[str] = []
    for node in el.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if node.tag == _W + "t":
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _W + "tab" else " ")
    return "".join(parts)


def _odt_para_text(el: etree._Element) -> str:
    return "".join(el.itertext())


DOCX = _XmlDialect((_W + "p",), _W + "tbl", _W + "tr", _W + "tc", _docx_para_text)
ODT = _XmlDialect(
    (_TEXT + "p", _TEXT + "h"), _TABLE + "table", _TABLE + "table-row", _TABLE + "table-cell", _odt_para_text
)


def xml_lines(stream: IO[bytes], dialect: _XmlDialect) -> Iterator[str]:
    """Stream one document part: paragraphs outside tables, then labelled table rows."""
    cell: list[str] | None = None
    row: list[str] | None = None
    labeller: RowLabeller | None = None
    stack: list[tuple[RowLabeller | None, list[str] | None, list[str] | None]] = []
    parser = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True, recover=False
    )
    try:
        for event, el in parser:
            tag = el.tag
            if event == "start":
                if tag == dialect.table:
                    stack.append((labeller, row, cell))
                    labeller, row, cell = RowLabeller(), None, None
                elif tag == dialect.row:
                    row = []
                elif tag == dialect.cell:
                    cell = []
                continue
            if tag in dialect.paragraphs:
                # A paragraph nested in another (odt text boxes) is read with its parent.
                if any(a.tag in dialect.paragraphs for a in el.iterancestors()):
                    continue
                text = dialect.para_text(el)
                if cell is not None:
                    cell.append(text.strip())
                elif text.strip():
                    yield text
                el.clear(keep_tail=True)
            elif tag == dialect.cell and row is not None:
                row.append(" ".join(t for t in (cell or []) if t))
                cell = None
            elif tag == dialect.row and labeller is not None:
                line = labeller.line(row or [])
                if line:
                    yield line
                row = None
            elif tag == dialect.table:
                labeller, row, cell = stack.pop() if stack else (None, None, None)
                el.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        raise DecodingError(f"文档 XML 损坏: {exc}") from None


def docx_lines(zf: zipfile.ZipFile) -> Iterator[str]:
    names = zf.namelist()
    extra = sorted(n for n in names if re.match(r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml$", n))
    parts = ["word/document.xml", *extra]
    if "word/document.xml" not in names:
        raise DecodingError("docx 缺少 word/document.xml，文件损坏")
    for part in parts:
        with zf.open(part) as stream:
            yield from xml_lines(stream, DOCX)


def odt_lines(zf: zipfile.ZipFile) -> Iterator[str]:
    try:
        stream = zf.open("content.xml")
    except KeyError:
        raise DecodingError("odt 缺少 content.xml，文件损坏") from None
    with stream:
        yield from xml_lines(stream, ODT)


# --- legacy Word binary (doc, WPS .wps saved in the Word 97 format) ---------------------

_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
_F_OBFUSCATED = 0x8000
_FIELD_CODE_RE = re.compile("\x13[^\x13\x14\x15]*\x14|\x13[^\x13\x14\x15]*\x15")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f]")
_WORD_CHARS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x07": "\t", "\x1e": "-", "\x1f": ""})


def ole_kind(ole: olefile.OleFileIO) -> str:
    if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
        return "ooxml_encrypted"
    if ole.exists("WordDocument"):
        return "doc"
    if ole.exists("Workbook") or ole.exists("Book"):
        return "xls"
    return "unknown"


def open_ole(data: bytes) -> olefile.OleFileIO:
    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise DecodingError(f"OLE 复合文档损坏: {exc}") from None


def word_binary_text(ole: olefile.OleFileIO) -> str:
    """The text of a Word 97–2003 document, read through its piece table ([MS-DOC] 2.9.38 Clx)."""
    try:
        word = ole.openstream("WordDocument").read()
    except (OSError, ValueError) as exc:
        raise DecodingError(f"doc 文件损坏（WordDocument 流不可读）: {exc}") from None
    if len(word) < 0x200 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise DecodingError("doc 文件损坏或不是 Word 97 以后的格式")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & (_F_ENCRYPTED | _F_OBFUSCATED):
        raise DecodingError("doc 文件已加密（有密码），无法读取")
    table_name = "1Table" if flags & _F_WHICH_TABLE else "0Table"
    try:
        table = ole.openstream(table_name).read()
        fc_clx, lcb_clx = _clx_location(word)
    except (OSError, ValueError, struct.error) as exc:
        raise DecodingError(f"doc 文件损坏（{table_name} 流）: {exc}") from None
    if lcb_clx == 0 or fc_clx + lcb_clx > len(table):
        raise DecodingError("doc 文件损坏（找不到文本片段表）")
    pieces = _pieces(table[fc_clx : fc_clx + lcb_clx])
    out: list[str] = []
    for cp_start, cp_end, fc, compressed in pieces:
        n = cp_end - cp_start
        if n <= 0:
            continue
        if compressed:
            raw = word[fc // 2 : fc // 2 + n]
            out.append(raw.decode("cp1252", errors="replace"))
        else:
            raw = word[fc : fc + 2 * n]
            out.append(raw.decode("utf-16-le", errors="replace"))
    text = _FIELD_CODE_RE.sub("", "".join(out))
    text = _FIELD_CODE_RE.sub("", text)  # nested fields, one level more
    text = text.translate(_WORD_CHARS).replace("\x13", "").replace("\x14", "").replace("\x15", "")
    return _CONTROL_RE.sub("", text)


def _clx_location(word: bytes) -> tuple[int, int]:
    offset = 32
    csw = struct.unpack_from("<H", word, offset)[0]
    offset += 2 + 2 * csw
    cslw = struct.unpack_from("<H", word, offset)[0]
    offset += 2 + 4 * cslw
    cb_rg_fc_lcb = struct.unpack_from("<H", word, offset)[0]
    offset += 2
    if cb_rg_fc_lcb < 34:
        raise ValueError("FIB too short for fcClx")
    return struct.unpack_from("<II", word, offset + 33 * 8)


def _pieces(clx: bytes) -> list[tuple[int, int, int, bool]]:
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
        (cb,) = struct.unpack_from("<h", clx, pos + 1)
        pos += 3 + max(cb, 0)
    if pos >= len(clx) or clx[pos] != 0x02:
        raise DecodingError("doc 文件损坏（片段表格式错误）")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    count = (len(plc) - 4) // 12
    if count <= 0:
        return []
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces = []
    for i in range(count):
        fc_raw = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * i + 2)[0]
        compressed = bool(fc_raw & 0x40000000)
        pieces.append((cps[i], cps[i + 1], fc_raw & 0x3FFFFFFF, compressed))
    return pieces


# --- RTF --------------------------------------------------------------------------------

_RTF_TOKEN_RE = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_RTF_SKIP = {
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"object",
    b"themedata",
    b"datastore",
    b"latentstyles",
    b"listtable",
    b"listoverridetable",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"filetbl",
    b"revtbl",
    b"mmathPr",
    b"fldinst",
    b"bkmkstart",
    b"bkmkend",
}
_RTF_BREAKS = {b"par": "\n", b"line": "\n", b"row": "\n", b"tab": "\t", b"cell": "\t", b"page": "\n", b"sect": "\n"}


def rtf_text(data: bytes) -> str:
    """Text of an RTF file: \\'hh bytes decoded with the document's code page, \\uN as Unicode."""
    codepage = "cp1252"
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    if m:
        codepage = {"936": "gb18030", "950": "big5", "65001": "utf-8"}.get(m[1].decode(), f"cp{m[1].decode()}")
    out: list[str] = []
    pending = bytearray()
    skip_depth: int | None = None
    depth = 0
    uc = 1
    skip_chars = 0
    group_starts = True

    def flush() -> None:
        if pending:
            out.append(pending.decode(codepage, errors="replace"))
            pending.clear()

    for word, arg, hexbyte, symbol, brace, text in _RTF_TOKEN_RE.findall(data):
        if brace:
            flush()
            if brace == b"{":
                depth += 1
                group_starts = True
            else:
                if skip_depth is not None and depth <= skip_depth:
                    skip_depth = None
                depth -= 1
            continue
        first = group_starts
        group_starts = False
        if skip_depth is not None:
            continue
        if symbol == b"*" and first:
            skip_depth = depth
            continue
        if word:
            if word in _RTF_SKIP and first:
                skip_depth = depth
            elif word == b"uc" and arg:
                uc = int(arg)
            elif word == b"u" and arg:
                flush()
                out.append(chr(int(arg) % 65536))
                skip_chars = uc
            elif word in _RTF_BREAKS:
                flush()
                out.append(_RTF_BREAKS[word])
            continue
        if hexbyte:
            if skip_chars:
                skip_chars -= 1
            else:
                pending.extend(bytes.fromhex(hexbyte.decode()))
            continue
        if symbol:
            if symbol in (b"\\", b"{", b"}") and not skip_chars:
                flush()
                out.append(symbol.decode())
            continue
        if text:
            flush()
            chunk = text.decode(codepage, errors="replace")
            if skip_chars:
                dropped = min(skip_chars, len(chunk))
                chunk = chunk[dropped:]
                skip_chars -= dropped
            out.append(chunk)
    flush()
    return "".join(out)


# --- HTML / MHT saved as .doc or .xls ---------------------------------------------------


def html_lines(data: bytes) -> Iterator[str]:
    """Visible text of an HTML file (or the HTML parts of an MHT archive), tables labelled."""
    from selectolax.lexbor import LexborHTMLParser

    for html in _html_documents(data):
        tree = LexborHTMLParser(html)
        for table in tree.css("table"):
            if len(table.css("table")) > 1:
                continue  # layout table holding other tables: its inner tables are read instead
            labeller = RowLabeller()
            for tr in table.css("tr"):
                line = labeller.line(td.text(separator=" ", strip=True) for td in tr.css("td, th"))
                if line:
                    yield line
            table.decompose()
        for node in tree.css("script, style"):
            node.decompose()
        root = tree.body or tree.root
        if root is not None:
            yield from (line for line in root.text(separator="\n").splitlines() if line.strip())


def _html_documents(data: bytes) -> Iterator[str]:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"mime-version") or b"multipart/related" in head:
        message = email.message_from_bytes(data)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True) or b""
                charset = part.get_content_charset()
                yield _decode_html(payload, charset)
        return
    yield _decode_html(data, None)


def _decode_html(data: bytes, charset: str | None) -> str:
    if charset is None:
        m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
        charset = m[1].decode("ascii").lower() if m else None
    if charset in ("gb2312", "gbk", "gb18030", "x-gbk"):
        charset = "gb18030"
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)
