"""Ingestion adapters: one interface, several sources (no Django here).

Platforms give no common API, so posts arrive as RSS/Atom feeds (what feed bridges make of
WeChat, Weibo, Douyin… accounts), JSON Lines or CSV exports, or an account's public list page.
Every adapter turns bytes into a stream of ``PostRecord`` / ``AccountInfo`` / ``RowError``:
a malformed item becomes a ``RowError`` naming its row and field, and everything valid around
it is still yielded (nothing valid is lost because a neighbour is broken).

Import schema (JSON Lines: one object a line; CSV: one post a row, same names as headers,
Chinese headers accepted, ``comments`` as a JSON array):

| field | required | meaning |
| --- | --- | --- |
| ``platform`` | with ``account_id`` | wechat, weibo, douyin, … (the register's platform codes) |
| ``account_id`` | one of these two | the register's 账号ID或地址 (an id or the account URL) |
| ``account_name`` | | the account's name, used when no id is given |
| ``post_id`` | yes | the platform's id of the post (unique per account) |
| ``published_at`` | yes | ISO 8601, ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY年M月D日`` or a Unix time; naive = Beijing time |
| ``title``, ``text``, ``url`` | title or text | the post |
| ``comment_count``, ``reply_count`` | | counts shown by the platform |
| ``comments`` | | ``[{"text", "time", "replied", "reply_text"}]`` |

A JSON Lines object with ``"type": "account"`` carries what the source says about the account
itself: ``auto_reply`` and ``messages_enabled`` (true/false).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Protocol
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from govinspect.findings import mask

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
FORMATS = ("rss", "jsonl", "csv", "html")


@dataclass(frozen=True, slots=True)
class CommentRecord:
    text: str
    time: datetime | None = None
    replied: bool = False
    reply_text: str = ""


@dataclass(frozen=True, slots=True)
class PostRecord:
    account: str  # "platform:account_id", an account URL or id, or an account name
    post_id: str
    published_at: datetime  # timezone-aware
    title: str = ""
    text: str = ""
    url: str = ""
    comment_count: int | None = None
    reply_count: int | None = None
    comments: tuple[CommentRecord, ...] | None = None  # None: the source gave no comments
    row: int = 0
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    account: str
    auto_reply: bool | None = None
    messages_enabled: bool | None = None
    row: int = 0


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None  # line (JSONL, CSV, XML) or item number; None: the whole source
    field: str
    message: str
    raw: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", mask(self.raw[:300]))


Record = PostRecord | AccountInfo | RowError


class Adapter(Protocol):
    format: ClassVar[str]

    def parse(self, data: bytes, source: str, account: str = "") -> Iterator[Record]:
        """Records of ``data`` read from ``source``; ``account`` names the account when the source does not."""
        ...


# --- shared helpers ------------------------------------------------------------------------

_CN_DATE = re.compile(
    r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def parse_time(value: Any) -> datetime:
    """A timezone-aware datetime from the formats sources use; ValueError otherwise."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError("empty time")
    if isinstance(value, int | float):
        stamp = float(value) / (1000 if value > 1e11 else 1)
        return datetime.fromtimestamp(stamp, tz=BEIJING)
    text = str(value).strip()
    if text.isdigit():
        return parse_time(int(text))
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            m = _CN_DATE.search(text)
            if m:
                y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
                dt = datetime(y, mo, d, h, mi, s)
    if dt is None:
        raise ValueError(f"unreadable time {text[:40]!r}")
    return dt if dt.tzinfo else dt.replace(tzinfo=BEIJING)


def _int_or_none(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number")
    number = int(float(value)) if isinstance(value, int | float | str) else None
    if number is None or number < 0:
        raise ValueError(f"{name} must be a non-negative number, not {value!r}")
    return number


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "是", "有", "已回复", "已设置"}:
        return True
    if text in {"0", "false", "no", "n", "否", "无", "未回复", "未设置"}:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def _comments(value: Any) -> tuple[CommentRecord, ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, list):
        raise ValueError("comments must be a list")
    out = []
    for c in value:
        if isinstance(c, str):
            out.append(CommentRecord(c))
            continue
        if not isinstance(c, dict):
            raise ValueError("each comment must be an object or a string")
        when = parse_time(c["time"]) if c.get("time") else None
        reply = str(c.get("reply_text") or "")
        replied = _bool(c.get("replied"))
        out.append(CommentRecord(str(c.get("text") or ""), when, bool(reply) if replied is None else replied, reply))
    return tuple(out)


def decode(data: bytes, declared: str | None = None) -> tuple[str, RowError | None]:
    """Text of ``data``: BOM, then the declared encoding, then UTF-8, then GB18030. A declared
    encoding that does not fit the bytes is reported (the text is still read)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace").lstrip("\ufeff"), None
    tried = []
    for enc in (declared, "utf-8", "gb18030"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if declared and enc != declared:
            return text, RowError(None, "encoding", f"声明编码 {declared} 与内容不符，已按 {enc} 读取")
        return text, None
    text = data.decode("utf-8", errors="replace")
    return text, RowError(None, "encoding", "内容不是 UTF-8 或 GB18030 编码，无法识别的字符已替换")


def _account_ref(platform: str, account_id: str, name: str) -> str:
    if account_id:
        return f"{platform}:{account_id}" if platform else account_id
    return f"{platform}:name:{name}" if platform else f"name:{name}"


# --- JSON Lines and CSV --------------------------------------------------------------------

_ALIASES = {
    "平台": "platform",
    "账号ID": "account_id",
    "账号id": "account_id",
    "账号地址": "account_id",
    "账号名称": "account_name",
    "账号": "account_name",
    "发布ID": "post_id",
    "发布id": "post_id",
    "发布时间": "published_at",
    "标题": "title",
    "正文": "text",
    "内容": "text",
    "链接": "url",
    "评论数": "comment_count",
    "回复数": "reply_count",
    "评论": "comments",
    "自动回复": "auto_reply",
    "留言功能": "messages_enabled",
}


def record_from_mapping(obj: dict[str, Any], row: int, account: str = "") -> Record:
    """One post (or account) record from a JSON object or CSV row, or the row's error."""
    obj = {_ALIASES.get(k, k): v for k, v in obj.items() if k is not None}
    raw_text = json.dumps(obj, ensure_ascii=False, default=str)
    platform = str(obj.get("platform") or "").strip().lower()
    account_id = str(obj.get("account_id") or "").strip()
    name = str(obj.get("account_name") or "").strip()
    ref = _account_ref(platform, account_id, name) if (account_id or name) else account
    if not ref:
        return RowError(row, "account_id", "缺少账号（account_id 或 account_name）", raw_text)
    try:
        if obj.get("type") == "account":
            return AccountInfo(ref, _bool(obj.get("auto_reply")), _bool(obj.get("messages_enabled")), row)
        post_id = str(obj.get("post_id") or "").strip()
        if not post_id:
            return RowError(row, "post_id", "缺少发布ID（post_id）", raw_text)
        if obj.get("published_at") in (None, ""):
            return RowError(row, "published_at", "缺少发布时间（published_at）", raw_text)
        published = parse_time(obj["published_at"])
        title, text = str(obj.get("title") or ""), str(obj.get("text") or "")
        if not title.strip() and not text.strip():
            return RowError(row, "text", "标题和正文均为空", raw_text)
        known = {"type", "platform", "account_id", "account_name", "post_id", "published_at", "title", "text", "url"}
        known |= {"comment_count", "reply_count", "comments"}
        return PostRecord(
            account=ref,
            post_id=post_id,
            published_at=published,
            title=title.strip(),
            text=text,
            url=str(obj.get("url") or "").strip(),
            comment_count=_int_or_none(obj.get("comment_count"), "comment_count"),
            reply_count=_int_or_none(obj.get("reply_count"), "reply_count"),
            comments=_comments(obj.get("comments")),
            row=row,
            raw={k: v for k, v in obj.items() if k not in known},
        )
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as exc:
        return RowError(row, _field_of(exc), str(exc), raw_text)


def _field_of(exc: Exception) -> str:
    text = str(exc)
    for name in ("comment_count", "reply_count", "comments", "auto_reply"):
        if name in text:
            return name
    return "published_at" if "time" in text else ""


class JsonLinesAdapter:
    format: ClassVar[str] = "jsonl"

    def parse(self, data: bytes, source: str, account: str = "") -> Iterator[Record]:
        text, problem = decode(data, "utf-8")
        if problem:
            yield problem
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RowError(lineno, "", f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）", line)
                continue
            if not isinstance(obj, dict):
                yield RowError(lineno, "", "每行应为一个 JSON 对象", line)
                continue
            yield record_from_mapping(obj, lineno, account)


class CsvAdapter:
    format: ClassVar[str] = "csv"

    def parse(self, data: bytes, source: str, account: str = "") -> Iterator[Record]:
        text, problem = decode(data, "utf-8")
        if problem:
            yield problem
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            for row in reader:
                lineno = reader.line_num
                if None in row:
                    yield RowError(lineno, "", "列数多于表头", json.dumps(row[None], ensure_ascii=False))
                    row.pop(None)
                if not any((v or "").strip() for v in row.values()):
                    continue
                yield record_from_mapping(row, lineno, account)
        except csv.Error as exc:
            yield RowError(reader.line_num, "", f"CSV 格式错误：{exc}")


# --- RSS and Atom --------------------------------------------------------------------------

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)[\"'][^>]*\?>")
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_SLASH_COMMENTS = "{http://purl.org/rss/1.0/modules/slash/}comments"
# Our own optional feed extension (the sandbox and bridges we control write it).
_BRIDGE_SUFFIX = re.compile(
    r"(的(新浪)?微博|的抖音|的快手|的头条|的B站(空间|动态)?|\s*[-–—|]\s*(微信公众号|公众号|微博|抖音|今日头条))$"
)
NM_NS = "https://govinspect.example/ns/newmedia"
_NM = "{" + NM_NS + "}"


def _xml_parser() -> etree.XMLParser:
    # recover: keep every item before and after a break; no entities, no network (XXE, bombs)
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


def _strip_html(fragment: str) -> str:
    if not fragment or "<" not in fragment:
        return fragment.strip()
    try:
        node = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", "", fragment).strip()
    return re.sub(r"[ \t]+", " ", node.text_content()).strip()


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


class FeedAdapter:
    """RSS 2.0 and Atom 1.0 (as made by feed bridges). The channel's link names the account
    (or its title, or ``account`` when given); optional ``nm:`` elements carry counts and comments."""

    format: ClassVar[str] = "rss"

    def parse(self, data: bytes, source: str, account: str = "") -> Iterator[Record]:
        m = _XML_DECL.match(data)
        text, problem = decode(data, m.group(1).decode().lower() if m else "utf-8")
        if problem:
            yield problem
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1).encode("utf-8")
        parser = _xml_parser()
        try:
            root = etree.fromstring(body, parser)
        except etree.XMLSyntaxError as exc:
            yield RowError(None, "", f"XML 无法解析：{exc}")
            return
        for err in parser.error_log:
            yield RowError(err.line, "xml", f"XML 错误（已尽量恢复）：{err.message}")
        if root is None:
            yield RowError(None, "", "XML 为空或无法恢复")
            return
        if root.tag == f"{_ATOM}feed":
            yield from self._atom(root, account)
        else:
            yield from self._rss(root, account)

    def _channel_account(self, link: str, title: str, platform: str, account: str) -> str:
        """The channel's account reference: the link, then the title as a name (bridges title a
        feed "某某发布的微博" or "某某发布 - 微信公众号"), as alternatives separated by newlines."""
        if account:
            return account
        refs = [f"{platform}:{link}" if platform else link] if link else []
        name = _BRIDGE_SUFFIX.sub("", title).strip()
        for candidate in dict.fromkeys(n for n in (title.strip(), name) if n):
            refs.append(_account_ref(platform, "", candidate))
        return "\n".join(refs)

    def _rss(self, root: etree._Element, account: str) -> Iterator[Record]:
        channel = root.find("channel")
        if channel is None:
            yield RowError(None, "channel", "不是 RSS 2.0 或 Atom 源（缺少 channel/feed）")
            return
        platform = _text(channel.find(f"{_NM}platform"))
        ref = self._channel_account(_text(channel.find("link")), _text(channel.find("title")), platform, account)
        yield from self._account_info(channel, ref)
        for n, item in enumerate(channel.iter("item"), start=1):
            row = item.sourceline or n
            if not ref:
                yield RowError(row, "channel", "源未指明账号（缺少 channel/link 与 title）")
                return
            guid = _text(item.find("guid"))
            link = _text(item.find("link"))
            when = _text(item.find("pubDate")) or _text(item.find("{http://purl.org/dc/elements/1.1/}date"))
            content = _text(item.find(_CONTENT)) or _text(item.find("description"))
            yield self._post(item, ref, row, guid or link, when, _text(item.find("title")), content, link)

    def _atom(self, root: etree._Element, account: str) -> Iterator[Record]:
        link_el = next((e for e in root.findall(f"{_ATOM}link") if e.get("rel", "alternate") == "alternate"), None)
        link = link_el.get("href", "").strip() if link_el is not None else ""
        platform = _text(root.find(f"{_NM}platform"))
        ref = self._channel_account(link, _text(root.find(f"{_ATOM}title")), platform, account)
        yield from self._account_info(root, ref)
        for n, entry in enumerate(root.iter(f"{_ATOM}entry"), start=1):
            row = entry.sourceline or n
            if not ref:
                yield RowError(row, "feed", "源未指明账号（缺少 feed/link 与 title）")
                return
            e_link = next((e.get("href", "") for e in entry.findall(f"{_ATOM}link")), "").strip()
            when = _text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated"))
            content = _text(entry.find(f"{_ATOM}content")) or _text(entry.find(f"{_ATOM}summary"))
            guid = _text(entry.find(f"{_ATOM}id")) or e_link
            yield self._post(entry, ref, row, guid, when, _text(entry.find(f"{_ATOM}title")), content, e_link)

    @staticmethod
    def _account_info(channel: etree._Element, ref: str) -> Iterator[Record]:
        auto, messages = channel.find(f"{_NM}auto_reply"), channel.find(f"{_NM}messages_enabled")
        if ref and (auto is not None or messages is not None):
            try:
                yield AccountInfo(
                    ref,
                    _bool(_text(auto)) if auto is not None else None,
                    _bool(_text(messages)) if messages is not None else None,
                    channel.sourceline or 0,
                )
            except ValueError as exc:
                yield RowError(channel.sourceline, "auto_reply", str(exc))

    @staticmethod
    def _post(
        item: etree._Element, ref: str, row: int, guid: str, when: str, title: str, content: str, link: str
    ) -> Record:
        raw = etree.tostring(item, encoding="unicode")[:300]
        if not guid:
            return RowError(row, "guid", "条目缺少 guid/id 与 link，无法去重", raw)
        if not when:
            return RowError(row, "pubDate", "条目缺少发布时间", raw)
        try:
            published = parse_time(when)
            comments_el = item.find(f"{_NM}comments")
            comments = None
            if comments_el is not None:
                comments = tuple(
                    CommentRecord(
                        _text(c.find(f"{_NM}text")),
                        parse_time(_text(c.find(f"{_NM}time"))) if _text(c.find(f"{_NM}time")) else None,
                        bool(_text(c.find(f"{_NM}reply"))),
                        _text(c.find(f"{_NM}reply")),
                    )
                    for c in comments_el.findall(f"{_NM}comment")
                )
            count = _text(item.find(f"{_NM}comment_count")) or _text(item.find(_SLASH_COMMENTS))
            text = _strip_html(content)
            if not title and not text:
                return RowError(row, "title", "条目标题和正文均为空", raw)
            return PostRecord(
                account=ref,
                post_id=guid,
                published_at=published,
                title=title,
                text=text,
                url=link,
                comment_count=_int_or_none(count, "comment_count"),
                reply_count=_int_or_none(_text(item.find(f"{_NM}reply_count")), "reply_count"),
                comments=comments,
                row=row,
            )
        except ValueError as exc:
            name = _field_of(exc)
            return RowError(row, "pubDate" if name in ("", "published_at") else name, str(exc), raw)


# --- an account's public list page -------------------------------------------------------------

_DATE_IN_TEXT = re.compile(r"\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")


class HtmlListAdapter:
    """A simple list page (an account's page on a government site or a platform's web view):
    each list entry (``li``, ``article``, table row or ``div.item``) with a link and a date is a post;
    the link's address is the post id. ``account`` is required (a page seldom names its account)."""

    format: ClassVar[str] = "html"

    def parse(self, data: bytes, source: str, account: str = "") -> Iterator[Record]:
        m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
        text, problem = decode(data, m.group(1).decode().lower() if m else "utf-8")
        if problem:
            yield problem
        if not account:
            yield RowError(None, "account", "网页列表须指定账号（--account 平台:账号ID）")
            return
        try:
            doc = lxml_html.document_fromstring(text or "<html></html>")
        except (etree.ParserError, ValueError) as exc:
            yield RowError(None, "", f"网页无法解析：{exc}")
            return
        seen: set[str] = set()
        for n, entry in enumerate(doc.xpath("//li | //article | //tr | //div[contains(@class,'item')]"), start=1):
            if entry.xpath(".//li | .//article | .//tr"):
                continue  # a container; its entries are read one by one
            links = [a for a in entry.xpath(".//a[@href]") if a.text_content().strip()]
            if not links:
                continue
            entry_text = re.sub(r"\s+", " ", entry.text_content()).strip()
            found = _DATE_IN_TEXT.search(entry_text)
            href = urljoin(source, links[0].get("href").strip())
            row = entry.sourceline or n
            if found is None:
                yield RowError(row, "published_at", "列表条目没有日期", entry_text)
                continue
            if href in seen:
                continue
            seen.add(href)
            title = links[0].text_content().strip()
            rest = entry_text.replace(found.group(0), "").replace(title, "", 1).strip(" -|")
            try:
                when = parse_time(found.group(0))
            except ValueError as exc:
                yield RowError(row, "published_at", str(exc), entry_text)
                continue
            yield PostRecord(account, href, when, title=title, text=rest, url=href, row=row)


ADAPTERS: dict[str, Adapter] = {
    "rss": FeedAdapter(),
    "jsonl": JsonLinesAdapter(),
    "csv": CsvAdapter(),
    "html": HtmlListAdapter(),
}


def guess_format(name: str, data: bytes) -> str:
    lower = name.lower().split("?")[0]
    for ext, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".csv", "csv"),
        (".xml", "rss"),
        (".rss", "rss"),
        (".atom", "rss"),
        (".html", "html"),
        (".htm", "html"),
    ):
        if lower.endswith(ext):
            return fmt
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return "rss"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "csv"


def parse(data: bytes, source: str, fmt: str | None = None, account: str = "") -> Iterator[Record]:
    fmt = fmt or guess_format(source, data)
    try:
        adapter = ADAPTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})") from None
    return adapter.parse(data, source, account)
