"""Parse a response once into the immutable ``Page`` every check reads.

selectolax (lexbor, an HTML5 parser) was chosen over lxml by measurement on a 32 KB
government list page (benchmarks/crawl_parse_compare.py): tree building 0.41 ms vs 0.59 ms,
a full Python walk 0.87 ms vs 0.80 ms; lexbor also repairs malformed markup the way a
browser does, which matters for "visible" text and hidden links.

One iterative walk (no recursion: hostile pages nest thousands deep) yields:
- text blocks: the text each block-level element holds directly (nested blocks are their
  own blocks), with a CSS-like path and a region guessed from tags, ids and classes;
- links of a/area/img/script/link/iframe/frame/embed/source/form, absolute, fragment
  dropped, with anchor text, context (the text of their block) and attributes;
- links in Hanweb ``<script type="text/xml">`` datastore ``<record><![CDATA[…]]>`` blocks,
  tagged ``datastore``, whose text also becomes blocks (the browser renders them).
Attachments (by extension or content type) are not parsed: ``kind="attachment"``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.engine.page.encoding import decode
from govinspect.engine.page.model import Form, Link, Page, PageKind, TextBlock

ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "et", "wps", "zip", "csv", "txt", "rar", "7z", "ppt", "pptx", "ofd"}
)
_ATTACHMENT_TYPES = (
    "application/pdf",
    "application/msword",
    "application/vnd.ms-",
    "application/vnd.openxmlformats",
    "application/zip",
    "application/x-zip",
    "application/x-rar",
    "application/x-7z",
    "application/kswps",
    "application/wps",
    "application/vnd.wps",
    "application/x-et",
    "application/ofd",
    "text/csv",
    "text/plain",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")

BLOCK_TAGS = frozenset(
    {
        *("html", "head", "body", "div", "p", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody"),
        *("tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"),
        *("header", "footer", "nav", "main", "aside", "form", "fieldset", "legend", "blockquote", "pre"),
        *("address", "figure", "figcaption", "center", "hr", "details", "summary", "dialog", "menu", "marquee"),
    }
)
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "title", "meta", "link", "object", "svg", "math", "iframe", "frame"}
)
_LINK_ATTR = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "frame": "src",
    "embed": "src",
    "source": "src",
    "form": "action",
}
_IGNORED_SCHEMES = ("javascript:", "data:", "about:", "vbscript:", "blob:")

_FOOTER_RE = re.compile(r"foot|bottom|copyright|banquan|dibu", re.I)
_NAV_RE = re.compile(r"(?:^|[-_\s])(?:nav|menu|daohang|dh)|navbar|topnav|mainnav", re.I)
_HEADER_RE = re.compile(r"(?:^|[-_\s])(?:header|head|top|banner|logo|toubu)(?:$|[-_\s\d])", re.I)
_ASIDE_RE = re.compile(r"(?:^|[-_\s])(?:aside|sidebar|side|right|left)(?:$|[-_\s\d])", re.I)
_MAIN_RE = re.compile(r"(?:^|[-_\s])(?:main|content|article|zw|zoom|detail|con)(?:$|[-_\s\d])", re.I)
_TAG_REGION = {
    "header": "header",
    "nav": "nav",
    "footer": "footer",
    "main": "main",
    "article": "main",
    "aside": "aside",
}

_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|"
    r"(?:left|top|text-indent)\s*:\s*-\d{3,}|(?<![-\w])(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$)",
    re.I,
)
_DATASTORE_RE = re.compile(r"<record[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_CONTEXT_WIDTH = 40
_HEAD = "\x00head"  # walked for its links, holds no visible text


def fold(text: str) -> str:
    """Collapse all whitespace (incl. nbsp and the ideographic space) to single spaces."""
    return " ".join(text.split())


def block_hash(text: str, urls: Iterable[str] = ()) -> str:
    """8-byte hash of a block: its text without whitespace, plus the links it holds (so two
    "点击下载" blocks pointing at different files are different blocks). Query parameters
    that carry a URL (a footer's 找错 link ``…jiucuo.html?url=<this page>``) are left out, so
    a footer stays the same block on every page."""
    h = hashlib.blake2b("".join(text.split()).encode("utf-8"), digest_size=8)
    for u in urls:
        if "?" in u and ("://" in u.split("?", 1)[1] or "%3A%2F%2F" in u.upper()):
            base, _, query = u.partition("?")
            kept = [p for p in query.split("&") if not _CARRIES_URL_RE.search(p)]
            u = base + "?" + "&".join(kept)
        h.update(b"\x00" + u.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_CARRIES_URL_RE = re.compile(r"=(?:https?:|https?%3A|%2F|/)", re.I)


def absolute(base: str, raw: str) -> str | None:
    """The absolute, fragment-free URL of a link as written, or None for non-links."""
    value = raw.strip() if raw else ""
    if not value or value[0] == "#":
        return None
    if "\\" in value:
        value = value.replace("\\", "/")
    if value[:11].lower().startswith(_IGNORED_SCHEMES):
        return None
    value = value.split("#", 1)[0]
    # fast paths (most links): already absolute, or root-relative without dot segments
    if value.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        rest = value.split("//", 1)[1]
        if not rest or rest[0] in "/?":
            return None
        if "/." not in value and not _has_space_or_ctl(value) and value[:5].islower():
            slash, question = rest.find("/"), rest.find("?")
            if slash >= 0 and (question < 0 or slash < question):
                return value
            host, q, query = rest.partition("?")
            return value.split("//", 1)[0] + "//" + host + "/" + (q + query)
    if value[0] == "/" and value[1:2] != "/" and "/." not in value and not _has_space_or_ctl(value):
        origin = _origin(base)
        if origin:
            return origin + value
    try:
        joined = urljoin(base, value)
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or ("/" if parts.netloc else ""), parts.query, ""))


_CTL_RE = re.compile(r"[\x00-\x20\x7f]")


def _has_space_or_ctl(value: str) -> bool:
    return _CTL_RE.search(value) is not None


def _origin(base: str) -> str:
    if base.startswith(("http://", "https://")):
        head, _, rest = base.partition("//")
        host = rest.split("/", 1)[0].split("?", 1)[0]
        return f"{head}//{host}" if host else ""
    return ""


def extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<!--"))


def page_kind(url: str, content_type: str, body: bytes = b"", headers: dict[str, str] | None = None) -> PageKind:
    """html, attachment or other, from the content type, the extension and a sniff of the body."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    ext = extension(url)
    disposition = (headers or {}).get("content-disposition", "").lower()
    if ctype in _HTML_TYPES and (ext not in ATTACHMENT_EXTENSIONS or looks_like_html(body)):
        return "html"
    if ext in ATTACHMENT_EXTENSIONS or ctype.startswith(_ATTACHMENT_TYPES) or "attachment" in disposition:
        return "attachment"
    if ctype in ("", "application/octet-stream", "text/xml", "application/xml") and looks_like_html(body):
        return "html"
    if not ctype and not ext:
        return "html" if looks_like_html(body) else "other"
    return "other"


class _Frame:
    """A block-level element being walked."""

    __slots__ = ("hidden", "links", "node", "order", "parent", "parts", "path", "region")

    def __init__(self, node: Any, path: str, region: str, order: int, parent: _Frame | None, hidden: str) -> None:
        self.node = node
        self.path = path
        self.region = region
        self.order = order
        self.parent = parent
        self.hidden = hidden
        self.parts: list[str] = []
        self.links: list[dict[str, Any]] = []


def _label(node: LexborNode, attrs: dict[str, str | None]) -> str:
    label = node.tag or ""
    ident = attrs.get("id")
    if ident:
        label += "#" + ident.strip().split()[0] if ident.strip() else ""
    cls = attrs.get("class")
    if cls and cls.split():
        label += "." + cls.split()[0]
    return label


def _region(tag: str, attrs: dict[str, str | None]) -> str | None:
    if tag in _TAG_REGION:
        return _TAG_REGION[tag]
    words = " ".join(v for v in (attrs.get("id"), attrs.get("class")) if v)
    if not words:
        return None
    if _FOOTER_RE.search(words):
        return "footer"
    if _NAV_RE.search(words):
        return "nav"
    if _HEADER_RE.search(words):
        return "header"
    if _MAIN_RE.search(words):
        return "main"
    if _ASIDE_RE.search(words):
        return "aside"
    return None


def _hidden(tag: str, attrs: dict[str, str | None]) -> str:
    if "hidden" in attrs and tag != "input":
        return f"hidden attribute on {tag}"
    style = attrs.get("style")
    if style:
        m = _HIDDEN_STYLE_RE.search(style)
        if m:
            return f"{fold(m.group(0))} on {tag}"
    return ""


def _context(text: str, anchor: str) -> str:
    if len(text) <= 2 * _CONTEXT_WIDTH + len(anchor):
        return text
    at = text.find(anchor) if anchor else -1
    if at < 0:
        return text[: 2 * _CONTEXT_WIDTH]
    lo = max(0, at - _CONTEXT_WIDTH)
    return text[lo : at + len(anchor) + _CONTEXT_WIDTH]


class _Walker:
    def __init__(self, base: str) -> None:
        self.base = base
        self.blocks: list[tuple[int, TextBlock, Any, bool]] = []  # order, block, node, outermost footer
        self.links: list[Link] = []
        self.datastores: list[tuple[str, _Frame]] = []
        self.order = 0

    def walk(self, root: LexborNode, path: str, region: str, link_tag: str | None = None, hidden: str = "") -> None:
        top = _Frame(root, path, region, self._next(), None, hidden)
        # stack entries: a node to enter, a frame to close, or the end of an anchor
        stack: list[Any] = []
        child = root.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
        frame = top
        anchors: list[tuple[dict[str, Any], list[str]]] = []  # open <a>: (link, parts) for anchor text
        while stack:
            item = stack.pop()
            if isinstance(item, _Frame):
                self._close(item)
                frame = item.parent or top
                continue
            if isinstance(item, tuple):  # end of an inline link element
                anchors.pop()
                continue
            tag = item.tag
            if tag == "-text":
                text = item.text_content
                if text:
                    if not frame.hidden:
                        frame.parts.append(text)
                    for _, parts in anchors:
                        parts.append(text)
                continue
            if tag is None or tag.startswith(("-", "!")):
                continue
            attrs = item.attributes
            hid = frame.hidden or (_HEAD if tag == "head" else _hidden(tag, attrs))
            link = (
                self._link(item, tag, attrs, link_tag, "" if hid == _HEAD else hid)
                if tag in _LINK_ATTR or tag == "img"
                else None
            )
            if tag == "script":
                if (attrs.get("type") or "").lower() == "text/xml":
                    self.datastores.append((item.text(deep=True) or "", frame))
                if link is not None:
                    frame.links.append(link)
                continue
            if tag in SKIP_TAGS:
                if link is not None:
                    frame.links.append(link)
                continue
            if tag == "br":
                frame.parts.append("\n")
                continue
            if tag in BLOCK_TAGS:
                region_here = _region(tag, attrs) or frame.region
                path = frame.path + ">" + _label(item, attrs) if frame.path else _label(item, attrs)
                new = _Frame(item, path, region_here, self._next(), frame, hid)
                stack.append(new)
                frame = new
            elif hid and not frame.hidden:
                # an inline hidden element: walk it inside a transparent hidden frame
                new = _Frame(item, frame.path, frame.region, self._next(), frame, hid)
                new.parts = frame.parts  # shares the parent's text (and adds none: hidden)
                stack.append(new)
                frame = new
            if link is not None:
                frame.links.append(link)
                if tag in ("a", "area"):
                    parts: list[str] = []
                    anchors.append((link, parts))
                    link["_parts"] = parts
                    stack.append(("end-anchor",))
                elif tag == "img" and anchors and not anchors[-1][0].get("_img_text"):
                    anchors[-1][0]["_img_text"] = link["text"]
            child = item.last_child
            while child is not None:
                stack.append(child)
                child = child.prev
        self._close(top)

    def _next(self) -> int:
        self.order += 1
        return self.order

    def _link(self, node: LexborNode, tag: str, attrs: dict[str, str | None], override: str | None, hidden: str):
        name = _LINK_ATTR.get(tag)
        raw = attrs.get(name) if name else None
        if raw is None:
            return None
        url = absolute(self.base, raw)
        if url is None:
            return None
        text = ""
        if tag in ("img", "area", "iframe", "frame", "embed"):
            text = fold(attrs.get("alt") or attrs.get("title") or "")
        return {
            "url": url,
            "tag": override or tag,
            "text": text,
            "raw": raw,
            "attrs": tuple((k, v or "") for k, v in attrs.items()),
            "hidden": hidden,
            "title": attrs.get("title") or "",
        }

    def _close(self, frame: _Frame) -> None:
        if frame.hidden and frame.parent is not None and frame.parent.parts is frame.parts:
            # transparent inline hidden frame: its links belong to the parent block
            frame.parent.links.extend(frame.links)
            return
        text = fold("".join(frame.parts)) if not frame.hidden else ""
        links = frame.links
        outer_footer = frame.region == "footer" and (frame.parent is None or frame.parent.region != "footer")
        if outer_footer and not text:
            self.blocks.append((frame.order, None, frame.node, True))  # type: ignore[arg-type]
        if not text and frame.parent is not None and not frame.hidden:
            frame.parent.links.extend(links)  # judged with the enclosing block
            return
        bhash = block_hash(text, (ln["url"] for ln in links)) if (text or links) else ""
        if text:
            block = TextBlock(text=text, path=frame.path, block_hash=bhash, region=frame.region)  # type: ignore[arg-type]
            self.blocks.append((frame.order, block, frame.node, outer_footer))
        for ln in links:
            anchor = ln.pop("_parts", None)
            img_text = ln.pop("_img_text", "")
            link_text = ln["text"]
            if anchor is not None:
                link_text = fold("".join(anchor)) or img_text or fold(ln["title"])
            self.links.append(
                Link(
                    url=ln["url"],
                    tag=ln["tag"],
                    text=link_text,
                    context=_context(text, link_text),
                    raw=ln["raw"],
                    attrs=ln["attrs"],
                    block_hash=bhash,
                    hidden_by=ln["hidden"],
                )
            )


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        name = attrs.get("name") or attrs.get("property") or attrs.get("http-equiv") or attrs.get("itemprop")
        if name and name.strip():
            key = name.strip().lower()
            if key not in out:
                out[key] = (attrs.get("content") or "").strip()
        elif attrs.get("charset"):
            out.setdefault("charset", (attrs.get("charset") or "").strip())
    return out


def _tables(tree: LexborHTMLParser) -> tuple[tuple[tuple[str, ...], ...], ...]:
    tables = []
    for table in tree.css("table"):
        rows = []
        for tr in table.css("tr"):
            cells = tuple(fold(c.text(deep=True, separator=" ")) for c in tr.css("td, th"))
            if cells:
                rows.append(cells)
        if rows:
            tables.append(tuple(rows))
    return tuple(tables)


def _forms(tree: LexborHTMLParser, base: str) -> tuple[Form, ...]:
    forms = []
    for form in tree.css("form"):
        attrs = form.attributes
        action = absolute(base, attrs.get("action") or "") or base.split("#", 1)[0]
        inputs = []
        labels = []
        for field in form.css("input, select, textarea, button"):
            fa = field.attributes
            kind = (fa.get("type") or ("text" if field.tag == "input" else field.tag) or "").lower()
            inputs.append(((fa.get("name") or "").strip(), kind))
            if field.tag == "button":
                labels.append(fold(field.text(deep=True)))
            elif kind in ("submit", "button", "reset") and fa.get("value"):
                labels.append(fold(fa.get("value") or ""))
            elif fa.get("placeholder"):
                labels.append(fold(fa.get("placeholder") or ""))
        for label in form.css("label"):
            labels.append(fold(label.text(deep=True)))
        method = (attrs.get("method") or "get").strip().lower() or "get"
        forms.append(Form(action=action, method=method, inputs=tuple(inputs), text=" ".join(x for x in labels if x)))
    return tuple(forms)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    if node is not None:
        href = absolute(url, node.attributes.get("href") or "")
        if href:
            return href
    return url


def parse_html(url: str, html: str, **kw: Any) -> Page:
    """Build a Page from decoded HTML (tests and callers that already hold text)."""
    headers = {k.lower(): v for k, v in (kw.pop("headers", None) or {}).items()}
    body = kw.pop("body", None)
    encoding = kw.pop("encoding", "utf-8")
    content_type = kw.pop("content_type", headers.get("content-type", "text/html"))
    return _build(
        url,
        html,
        body=body if body is not None else html.encode("utf-8", "surrogatepass"),
        headers=headers,
        encoding=encoding,
        content_type=content_type,
        **kw,
    )


def parse_page(
    url: str,
    body: bytes,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    requested_url: str | None = None,
    depth: int = 0,
    referrer: str | None = None,
    is_homepage: bool = False,
    fetched_at: datetime | None = None,
    redirects: tuple[str, ...] = (),
) -> Page:
    """Build a Page from a response. HTML is decoded and parsed; attachments and other
    content keep their bytes only."""
    hdrs = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = hdrs.get("content-type", "")
    kind = page_kind(url, content_type, body, hdrs)
    common = {
        "status": status,
        "requested_url": requested_url or url,
        "depth": depth,
        "referrer": referrer,
        "is_homepage": is_homepage,
        "fetched_at": fetched_at,
        "redirects": tuple(redirects),
    }
    if kind != "html":
        return Page(url=url, headers=hdrs, kind=kind, content_type=content_type, body=body, **common)  # type: ignore[arg-type]
    decoded = decode(body, content_type)
    extra = {"encoding_source": decoded.source}
    if decoded.errors:
        extra["decoding_errors"] = decoded.errors
    return _build(
        url,
        decoded.text,
        body=body,
        headers=hdrs,
        encoding=decoded.encoding,
        content_type=content_type,
        extra=extra,
        **common,
    )


def _build(
    url: str,
    html: str,
    *,
    body: bytes,
    headers: dict[str, str],
    encoding: str | None,
    content_type: str,
    status: int = 200,
    requested_url: str | None = None,
    depth: int = 0,
    referrer: str | None = None,
    is_homepage: bool = False,
    fetched_at: datetime | None = None,
    redirects: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> Page:
    tree = LexborHTMLParser(html)
    base = _base_url(tree, url)
    walker = _Walker(base)
    root = tree.root
    if root is not None:
        walker.walk(root, "", "unknown")
    for xml, frame in walker.datastores:
        records = _DATASTORE_RE.findall(xml)
        if records:
            frag = LexborHTMLParser("<div>" + "</div><div>".join(records) + "</div>")
            if frag.body is not None:
                walker.walk(frag.body, frame.path + ">datastore", frame.region, link_tag="datastore")
    walker.blocks.sort(key=lambda item: item[0])
    blocks = tuple(b for _, b, _, _ in walker.blocks if b is not None)
    footer_nodes = [node for _, _, node, outer in walker.blocks if outer]
    footer_blocks = [b.text for b in blocks if b.region == "footer"]
    if footer_blocks:
        footer_text = "\n".join(footer_blocks)
        footer_html = "\n".join(_dedupe_html(footer_nodes))
    else:
        footer_text, footer_html = _footer_fallback(blocks, tree)
    title_node = tree.css_first("title")
    title = fold(title_node.text(deep=True)) if title_node is not None else ""
    page = Page(
        url=url,
        requested_url=requested_url or url,
        status=status,
        headers=headers,
        kind="html",
        content_type=content_type,
        encoding=encoding,
        body=body,
        html=html,
        title=title,
        links=tuple(walker.links),
        text_blocks=blocks,
        meta=_meta(tree),
        tables=_tables(tree),
        forms=_forms(tree, base),
        footer_text=footer_text,
        footer_html=footer_html,
        depth=depth,
        referrer=referrer,
        is_homepage=is_homepage,
        fetched_at=fetched_at,
        redirects=tuple(redirects),
        extra=dict(extra or {}),
    )
    page.__dict__["dom"] = tree  # cached_property: checks needing the DOM reuse this parse
    return page


def _dedupe_html(nodes: list[Any]) -> list[str]:
    seen: set[int] = set()
    out = []
    for node in nodes:
        key = node.mem_id
        if key not in seen:
            seen.add(key)
            out.append(node.html or "")
    return out


def _footer_fallback(blocks: tuple[TextBlock, ...], tree: LexborHTMLParser) -> tuple[str, str]:
    """No element says "footer": take the last blocks of the page (up to ~600 characters)."""
    tail: list[str] = []
    size = 0
    for block in reversed(blocks):
        if size + len(block.text) > 600 and tail:
            break
        tail.append(block.text)
        size += len(block.text)
        if len(tail) >= 6:
            break
    html = ""
    body = tree.body
    if body is not None:
        last = body.last_child
        while last is not None and not last.is_element_node:
            last = last.prev
        if last is not None:
            html = last.html or ""
            if len(html) > 20_000:
                html = ""
    return "\n".join(reversed(tail)), html
