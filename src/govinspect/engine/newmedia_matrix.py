"""新媒体矩阵 pages: recognise a site's list of its new-media accounts and read the accounts.

Government sites list the organizer's (and their subordinates') accounts on a page called
新媒体矩阵, 政务新媒体, 政务微博微信 or similar: tables (平台 | 账号名称 | 链接), lists
(``新浪微博：成都发布``) or cards (QR image, platform, name). What the inspection needs of each
entry is the platform (the register's codes: wechat, weibo, douyin …), the account's name and,
when the page gives one, its id or address — a link to the platform (``weibo.com/u/…``) or a
labelled id (``微信号：gh_…``). The runner compares them with the register (``newmedia.unfiled``).

A page is a matrix page when a matrix word is in its title, its ColumnName/ColumnType meta, its
breadcrumb or a heading, *and* the main area (header, navigation and footer excluded) holds at
least one short entry naming a platform and an account. A news article mentioning 微博 or even
政务新媒体 is not one: its paragraphs are prose, not entries.

Precision first: an entry must show a platform (label, platform host or QR image text) and a
name or an id; prose (a sentence, a long block) is never an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

MATRIX_WORDS: tuple[str, ...] = (
    "新媒体矩阵",
    "政务新媒体",
    "新媒体平台",
    "新媒体账号",
    "政务微博微信",
    "政务微信微博",
    "两微一端",
)

# what pages write -> the register's platform code; matched whole (a label), longest first
PLATFORM_LABELS: dict[str, str] = {
    "微信公众号": "wechat",
    "微信公众平台": "wechat",
    "政务微信": "wechat",
    "官方微信": "wechat",
    "微信服务号": "wechat",
    "微信订阅号": "wechat",
    "公众号": "wechat",
    "微信": "wechat",
    "微信视频号": "channels",
    "视频号": "channels",
    "新浪微博": "weibo",
    "政务微博": "weibo",
    "官方微博": "weibo",
    "微博": "weibo",
    "抖音号": "douyin",
    "政务抖音": "douyin",
    "抖音": "douyin",
    "今日头条": "toutiao",
    "头条号": "toutiao",
    "头条": "toutiao",
    "快手号": "kuaishou",
    "快手": "kuaishou",
    "哔哩哔哩": "bilibili",
    "b站": "bilibili",
    "bilibili": "bilibili",
    "小红书": "xiaohongshu",
    "移动客户端": "app",
    "手机客户端": "app",
    "政务客户端": "app",
    "客户端": "app",
    "政务app": "app",
    "移动app": "app",
    "app": "app",
    "其他": "other",
    "其他平台": "other",
    "其它": "other",
}
_LABELS_LONGEST = sorted(PLATFORM_LABELS, key=len, reverse=True)

# host suffix -> platform: a link there is the account's public page
PLATFORM_HOSTS: dict[str, str] = {
    "weibo.com": "weibo",
    "weibo.cn": "weibo",
    "douyin.com": "douyin",
    "iesdouyin.com": "douyin",
    "toutiao.com": "toutiao",
    "kuaishou.com": "kuaishou",
    "bilibili.com": "bilibili",
    "xiaohongshu.com": "xiaohongshu",
    "channels.weixin.qq.com": "channels",
    "mp.weixin.qq.com": "wechat",
}

_PLATFORM_KEYS = ("平台", "平台名称", "平台类型", "账号类型", "类型", "渠道", "媒体类型")
_NAME_KEYS = ("账号名称", "名称", "昵称", "账号昵称", "公众号名称", "微博名称", "名字")
_ID_KEYS = (
    "微信号",
    "原始id",
    "账号id",
    "id",
    "抖音号",
    "快手号",
    "视频号id",
    "头条号id",
    "包名",
    "应用包名",
    "链接",
    "地址",
    "网址",
    "主页",
)
_BOILERPLATE = re.compile(
    r"^(扫码关注|扫一扫|扫描二维码|二维码|点击关注|关注|点击进入|点击访问|访问主页|进入主页|主页|访问|进入|查看|详情|更多|下载)[:：]?$"
)
_KV = re.compile(r"^([^:：]{1,8})[:：]\s*(.*)$")
_ID_LIKE = re.compile(r"^[A-Za-z0-9_.\-:/?=&%#~+@]+$")
_ALT_SUFFIX = re.compile(r"(的)?(二维码|微信二维码|公众号二维码|扫码关注|图标|logo)$", re.IGNORECASE)
_HEADING = re.compile(r"<h[1-3][^>]*>(.*?)</h[1-3]>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_CANDIDATES = frozenset({"li", "tr", "td", "div", "dd", "dl", "p", "section", "article", "span"})
_OUTSIDE = re.compile(
    r"(^|[\s_-])(foot|footer|bottom|nav|navbar|menu|header|head|top|topbar|banner|copyright)([\s_-]|$)"
)
_CONTAINERS = frozenset({"body", "html", "table", "tbody", "thead", "ul", "ol"})  # an entry never grows into
_MAX_ITEM_TEXT = 150
_MAX_NAME = 40
_MAX_GROW_TEXT = 200
MEMO_KEY = ("newmedia_matrix.read",)


@dataclass(frozen=True, slots=True)
class MatrixListing:
    """One account a matrix page lists."""

    platform: str
    name: str
    platform_id: str = ""  # its address or id when the page shows one


@dataclass(frozen=True, slots=True)
class MatrixPage:
    url: str
    listings: tuple[MatrixListing, ...]
    declared: bool = True  # the title, column meta or breadcrumb says so (not only a heading, as a
    # sidebar block 政务新媒体 repeated on every page would)


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def label_platform(text: str) -> str | None:
    """The platform a label names when the text is just that label (``新浪微博``, ``微信公众号：``)."""
    return PLATFORM_LABELS.get(_fold(text).rstrip(":："))


def host_platform(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    for suffix, platform in PLATFORM_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return None


def _contains_platform(text: str) -> str | None:
    folded = _fold(text)
    for label in _LABELS_LONGEST:
        if len(label) >= 2 and label.isascii() is False and label in folded:
            return PLATFORM_LABELS[label]
    return None


def _matrix_word(text: str | None) -> bool:
    return bool(text) and any(w in text for w in MATRIX_WORDS)  # type: ignore[operator]


def declares_matrix(page: Page) -> bool:
    """A matrix word in the title, the column meta or the breadcrumb."""
    from govinspect.engine.policydoc import breadcrumb

    if any(_matrix_word(v) for v in (page.title, page.meta_value("ColumnName"), page.meta_value("ColumnType"))):
        return True
    return _matrix_word(breadcrumb(page))


def looks_like_matrix(page: Page) -> bool:
    """The cheap gate: a matrix word in the title, the column meta, the breadcrumb or a heading."""
    if page.kind != "html" or not 200 <= page.status < 300:
        return False
    if not _matrix_word(page.html):  # title, meta, breadcrumb and headings all come from the HTML
        return False
    if declares_matrix(page):
        return True
    return any(_matrix_word(_TAGS.sub("", h)) for h in _HEADING.findall(page.html))


# --- entries ------------------------------------------------------------------------------------


def _outside_main(el: Any) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag in ("header", "footer", "nav"):
            return True
        names = " ".join(filter(None, (node.get("class"), node.get("id")))).lower()
        if names and _OUTSIDE.search(names):
            return True
    return False


def _pieces(el: Any) -> list[str]:
    """The element's text pieces; a table row's cells as ``header：cell`` under a header row."""
    if el.tag == "tr":
        header = _table_header(el)
        if header:
            cells = [c.text_content().strip() for c in el if c.tag in ("td", "th")]
            return [
                f"{header[i]}：{cell}" if i < len(header) and header[i] and not _KV.match(cell) else cell
                for i, cell in enumerate(cells)
                if cell
            ]
    out = []
    for text in el.itertext():
        text = text.strip()
        if text:
            out.append(text)
    return out


def _table_header(row: Any) -> list[str]:
    """The header cells of the row's table (its first row, when that row names 平台 or 名称)."""
    table = next((t for t in row.iterancestors("table")), None)
    if table is None:
        return []
    first = next(table.iter("tr"), None)
    if first is None or first is row:
        return []
    header = [_fold(c.text_content()) for c in first if c.tag in ("td", "th")]
    keys = (*_PLATFORM_KEYS, *_NAME_KEYS, "账号")
    return header if any(h in keys for h in header) else []


def _alts(el: Any) -> list[str]:
    return [a.strip() for img in el.iter("img") for a in (img.get("alt"), img.get("title")) if a and a.strip()]


def _links(el: Any, base: str) -> list[tuple[str, str]]:
    out = []
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        out.append((urljoin(base, href), a.text_content().strip()))
    return out


@dataclass
class _Signature:
    platform: str | None = None
    name: str = ""
    platform_id: str = ""


def _key_value(piece: str) -> tuple[str, str] | None:
    m = _KV.match(piece)
    if not m:
        return None
    return _fold(m.group(1)), m.group(2).strip()


def _name_ok(name: str) -> bool:
    return 2 <= len(name) <= _MAX_NAME and "。" not in name and not _BOILERPLATE.match(name)


def _signature(el: Any, base: str, own_host: str) -> _Signature | None:
    pieces = _pieces(el)
    text = "".join(pieces)
    if len(text) > _MAX_ITEM_TEXT or "。" in text:
        return None
    sig = _Signature()
    names: list[str] = []
    loose: list[str] = []
    for piece in pieces:
        kv = _key_value(piece)
        if kv is not None:
            key, value = kv
            if key in _PLATFORM_KEYS:
                sig.platform = sig.platform or label_platform(value)
                continue
            platform = label_platform(key)
            if platform is not None:  # 新浪微博：成都发布, 抖音号：…
                sig.platform = sig.platform or platform
                if value and _ID_LIKE.match(value):
                    sig.platform_id = sig.platform_id or value
                elif value:
                    names.append(value)
                continue
            if key in _NAME_KEYS:
                names.append(value)
                continue
            if key in _ID_KEYS or key.endswith("id"):
                sig.platform_id = sig.platform_id or (value if _ID_LIKE.match(value) else "")
                continue
            if key == "账号" and value:
                if _ID_LIKE.match(value):
                    sig.platform_id = sig.platform_id or value
                else:
                    names.append(value)
                continue
            continue  # 主办单位：…, 联系电话：… name no account
        platform = label_platform(piece)
        if platform is not None:
            sig.platform = sig.platform or platform
            continue
        loose.append(piece)
    anchors: list[str] = []
    account_link = ""
    for href, anchor in _links(el, base):
        platform = host_platform(href)
        host = (urlsplit(href).hostname or "").lower()
        if platform is not None:
            sig.platform = sig.platform or platform
            account_link = account_link or href
            if anchor and not _ID_LIKE.match(anchor) and label_platform(anchor) is None:
                anchors.append(anchor)
        elif host and host != own_host and urlsplit(href).scheme in ("http", "https") and not account_link:
            account_link = href  # an address outside the site: the account's page (其他, 客户端)
    if not sig.platform_id and account_link and urlsplit(account_link).path.strip("/"):
        sig.platform_id = account_link
    alts = _alts(el)
    if sig.platform is None:
        for alt in alts:
            sig.platform = _contains_platform(alt)
            if sig.platform:
                break
    if sig.platform is None:
        return None
    names += anchors
    for piece in loose:
        if _ID_LIKE.match(piece) or _BOILERPLATE.match(piece):
            continue
        names.append(piece)
    for alt in alts:
        names.append(_alt_name(alt))
    sig.name = next((n for n in names if _name_ok(n)), "")
    if not sig.name and not sig.platform_id:
        return None
    return sig


def _alt_name(alt: str) -> str:
    """``成都发布微信公众号二维码`` -> ``成都发布``."""
    text = _ALT_SUFFIX.sub("", alt.strip())
    for label in _LABELS_LONGEST:
        if len(label) >= 2 and text.lower().endswith(label):
            text = text[: -len(label)]
            break
    for label in _LABELS_LONGEST:
        if len(label) >= 2 and text.lower().startswith(label):
            text = text[len(label) :].lstrip("：: ")
            break
    return text.strip("「」“”\"'《》 ")


def read_listings(page: Page) -> list[MatrixListing]:
    """The entries of a page's main area (no recognition gate: see ``read_once``)."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page.html)
    except (ValueError, TypeError, lxml.etree.ParserError):  # type: ignore[attr-defined]
        return []
    own_host = (urlsplit(page.url).hostname or "").lower()
    alive = list(root.iter())  # lxml proxies live as long as referenced: keeps id() stable below
    qualified: list[Any] = []
    for el in (n for n in alive if n.tag in _CANDIDATES):
        if _signature(el, page.url, own_host) is not None and not _outside_main(el):
            qualified.append(el)
    above: set[int] = set()
    for el in qualified:
        for node in el.iterancestors():
            above.add(id(node))
    innermost = [el for el in qualified if id(el) not in above]
    claimed: dict[int, int] = {}
    for k, el in enumerate(innermost):
        for node in el.iterancestors():
            claimed[id(node)] = -1 if id(node) in claimed else k
    out: list[MatrixListing] = []
    seen: set[tuple[str, str, str]] = set()
    for el in innermost:
        grown = el
        for node in el.iterancestors():  # a card: the largest block holding this entry only
            if claimed.get(id(node)) == -1 or node.tag in _CONTAINERS:
                break
            if len("".join(_pieces(node))) > _MAX_GROW_TEXT or _signature(node, page.url, own_host) is None:
                break
            grown = node
        sig = _signature(grown, page.url, own_host) or _signature(el, page.url, own_host)
        if sig is None or sig.platform is None:
            continue
        key = (sig.platform, sig.name, sig.platform_id)
        if key not in seen:
            seen.add(key)
            out.append(MatrixListing(sig.platform, sig.name, sig.platform_id))
    return out


def read(page: Page) -> MatrixPage | None:
    """The page as a 新媒体矩阵 page, or None when it is not one."""
    if not looks_like_matrix(page):
        return None
    listings = read_listings(page)
    if not listings:
        return None
    return MatrixPage(page.url, tuple(listings), declares_matrix(page))  # only for the few matrix pages


def read_once(page: Page) -> MatrixPage | None:
    """``read`` once per page, whoever asks (kept on the page, like policydoc.recognise_once)."""
    if MEMO_KEY not in page.extra:
        page.extra[MEMO_KEY] = read(page)
    return page.extra[MEMO_KEY]
