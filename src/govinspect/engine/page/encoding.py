"""Turning a response body into text: BOM, then the Content-Type charset, then the
document's own ``<meta charset>``/``http-equiv``, then detection.

Chinese government sites declare ``gb2312`` while writing characters only GBK or GB18030
have, declare ``utf-8`` in the header while the page is GBK, or declare nothing. So a
declaration is *tried*, strictly, and only kept when the bytes agree with it; GB2312 and
GBK are always decoded as GB18030 (their superset). A body cut at the size cap may end in
half a character: a failure in the last few bytes does not disqualify an encoding.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# declared name -> the codec we decode it with
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "big5-hkscs": "big5hkscs",
}

# Declarations servers send by default, without knowing the page: only trusted when the
# bytes are plain ASCII or fit nothing better.
_WEAK = {"windows-1252"}

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_RE = re.compile(rb"<meta[^>]+>", re.I)
_PRESCAN_BYTES = 4096
_TAIL_SLACK = 4  # a multi-byte character cut by the size cap


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # codec actually used
    source: str  # bom | header | meta | detected | fallback
    errors: int = 0  # replacement characters introduced


def canonical(name: str | None) -> str | None:
    """The codec for a declared charset name, or None when Python does not know it."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name if key not in ("gb18030", "windows-1252") else key
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET_RE.search(content_type.encode("latin-1", "replace"))
    return m.group(1).decode("ascii", "replace") if m else None


def meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` in the first 4 KB declares (HTML prescan, simplified)."""
    head = body[:_PRESCAN_BYTES]
    for m in _META_RE.finditer(head):
        cm = _CHARSET_RE.search(m.group(0))
        if cm:
            return cm.group(1).decode("ascii", "replace")
    return None


def _strict(body: bytes, codec: str) -> str | None:
    """Decode strictly; tolerate only a character cut at the very end."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - _TAIL_SLACK:
            try:
                return body[: exc.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _is_ascii(body: bytes) -> bool:
    return body.isascii()


def _detect(body: bytes) -> Decoded | None:
    for codec in ("utf-8", "gb18030"):
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, "detected")
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a dependency
        return None
    best = from_bytes(body[:200_000]).best()
    if best is None:
        return None
    codec = canonical(best.encoding) or best.encoding
    text = body.decode(codec, errors="replace")
    return Decoded(text, codec, "detected", text.count("\ufffd"))


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML (or text) body. Never raises: the last resort replaces bad bytes."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(codec, errors="replace")
            return Decoded(text, codec, "bom", text.count("\ufffd"))
    if _is_ascii(body):
        return Decoded(body.decode("ascii"), "ascii", "detected")
    weak: str | None = None
    for source, declared in (("header", header_charset(content_type)), ("meta", meta_charset(body))):
        codec = canonical(declared)
        if codec is None:
            continue
        if codec in _WEAK:
            weak = weak or codec
            continue
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, source)
    found = _detect(body)
    if found is not None:
        return found
    codec = weak or "utf-8"
    text = body.decode(codec, errors="replace")
    return Decoded(text, codec, "fallback", text.count("\ufffd"))
