"""Read a list page (列表页): its items with dates, the latest date, pagination, and
whether it is blank (空白栏目).

Works on the HTML of common government CMSs: ``<ul><li><a>标题</a><span>2025-12-15</span>``,
tables of rows, TRS ``createPageHTML(n, i, "index", "html")`` pagination (``index_1.html``),
and Hanweb (大汉) ``<script type="text/xml"><datastore>`` lists whose ``<record>`` CDATA
holds the items. Navigation, header, footer and "related links" areas are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.engine.columns.classify import Rules, rules
from govinspect.engine.page.dates import iter_dates, normalize, url_date, url_month

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

ITEM_CONTAINERS = frozenset({"li", "tr", "dd", "dt", "p", "h3", "h4"})  # td: its row holds the date
SKIP_TAGS = frozenset({"header", "nav", "footer", "script", "style", "noscript", "select", "option"})
# class/id tokens of regions that are not the page's own list
_SKIP_ATTR = re.compile(
    r"(?:^|[\s_\-])(nav|navbar|menu|header|head|footer|foot|bottom|topbar|banner|crumbs?|breadcrumb|position|"
    r"location|dqwz|share|related|xgxx|xglj|xgwz|friend|yqlj|links?|sitemap|copyright)(?:$|[\s_\-\d])",
    re.I,
)
_PAGE_URL = re.compile(r"(?:index|list|default)_(\d+)\.s?html?$|[?&](?:page|pageNo|pageIndex|p|pn|curpage)=(\d+)", re.I)
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w\-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]"
)
_TOTAL_RE = re.compile(r"(?:totalRecord|totalrecord|recordCount|totalCount)\s*[=:]\s*['\"]?(\d+)")
_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXT_TEXTS = ("下一页", "下页", "后一页", "next", "Next", ">")
_BREADCRUMB_LABELS = ("当前位置", "您的位置", "你的位置", "所在位置", "您现在的位置", "位置")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|/|＞)\s*")


@dataclass(frozen=True, slots=True)
class ListItem:
    title: str
    url: str
    date: date | None
    has_year: bool = True
    context: str = ""  # the item's row text (status words such as 已回复 live here)


@dataclass(slots=True)
class ListPage:
    url: str
    items: list[ListItem] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)  # further pages of the same list
    total_records: int | None = None  # as the CMS declares it
    blank_marker: bool = False  # "暂无信息" and the like
    main_text_chars: int = 0  # visible text outside nav/header/footer
    column_name: str = ""  # ColumnName meta or breadcrumb
    datastore: bool = False

    @property
    def dated_items(self) -> list[ListItem]:
        return [i for i in self.items if i.date is not None]

    @property
    def latest(self) -> date | None:
        dates = [i.date for i in self.items if i.date is not None]
        return max(dates) if dates else None

    @property
    def is_list(self) -> bool:
        """Looks like a list of dated items (or an empty list that says so)."""
        return len(self.dated_items) >= 2 or self.datastore or (self.blank_marker and not self.items)

    @property
    def is_blank(self) -> bool:
        return not self.dated_items and (self.blank_marker or (self.datastore and not self.items))


def _skipped(node: LexborNode) -> bool:
    if node.tag in SKIP_TAGS:
        return True
    attrs = node.attributes
    for name in ("class", "id", "role"):
        value = attrs.get(name) or ""
        if value and (_SKIP_ATTR.search(value) or value == "navigation"):
            return True
    return False


def _in_skipped_region(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "-document"):
        if _skipped(parent):
            return True
        parent = parent.parent
    return False


def _container(anchor: LexborNode) -> LexborNode:
    node = anchor.parent
    steps = 0
    while node is not None and steps < 4:
        if node.tag in ITEM_CONTAINERS:
            # a layout row holding a whole menu is not one item: its dates belong to others
            if len(node.css("a[href]")) > 3 or len(node.text(strip=True)) > 300:
                return anchor.parent or anchor
            return node
        if node.tag in ("div", "span") and len(node.text(strip=True)) <= 200 and len(node.css("a[href]")) == 1:
            return node
        node = node.parent
        steps += 1
    return anchor.parent or anchor


def _text(node: LexborNode) -> str:
    return " ".join(normalize(node.text(separator=" ")).split())


def _item_date(container: LexborNode, anchor_text: str, as_of: date) -> tuple[date | None, bool]:
    text = _text(container)
    own = text.replace(anchor_text, " ", 1) if anchor_text else text
    for source in (own, text):
        for found in iter_dates(source, as_of):
            if found.value <= as_of or found.has_year:
                return found.value, found.has_year
    return None, True


def _year_from_url(when: date, url: str) -> date:
    """A month-day resolved against as_of, corrected by the year its URL names, if any."""
    named = url_date(url)
    if named is not None and (named.month, named.day) == (when.month, when.day):
        return named
    month = url_month(url)
    if month is not None and month[1] == when.month and month[0] != when.year:
        try:
            return when.replace(year=month[0])
        except ValueError:
            return when
    return when


def _items(root: LexborNode, base_url: str, as_of: date, rule_set: Rules, in_record: bool = False) -> list[ListItem]:
    out: list[ListItem] = []
    groups: list[int] = []  # the list (ul, table …) each item belongs to
    seen: set[str] = set()
    for anchor in root.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        if not in_record and _in_skipped_region(anchor):
            continue
        title = " ".join(normalize(anchor.attributes.get("title") or anchor.text(separator=" ")).split())
        if len(title) < 4 or title in rule_set.ignore_names or title in rule_set.more_names:
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if url in seen or _PAGE_URL.search(urlsplit(url).path + ("?" + urlsplit(url).query)):
            continue
        seen.add(url)
        anchor_text = " ".join(normalize(anchor.text(separator=" ")).split())
        container = _container(anchor)
        when, has_year = _item_date(container, anchor_text, as_of)
        if when is not None and not has_year:
            fixed = _year_from_url(when, url)
            has_year = fixed != when or url_date(url) is not None or url_month(url) is not None
            when = fixed
        out.append(ListItem(title=title, url=url, date=when, has_year=has_year, context=_text(container)[:200]))
        groups.append(container.parent.mem_id if container.parent is not None else 0)
    # year wraps are judged within one list: a home page's blocks each restart the order
    by_group: dict[int, list[int]] = {}
    for n, group in enumerate(groups):
        by_group.setdefault(group, []).append(n)
    for members in by_group.values():
        for n, item in zip(members, _year_wraps([out[n] for n in members]), strict=True):
            out[n] = item
    return out


def _year_wraps(items: list[ListItem]) -> list[ListItem]:
    """In a list sorted newest first, a year-less date that jumps *up* inside a descending
    run belongs to the year before ([01-05] then [11-28] across New Year). The first two
    items are never moved (pinned 置顶 items sit there out of order)."""
    out = list(items)
    dated = [n for n, i in enumerate(out) if i.date is not None]
    for k in range(2, len(dated)):
        cur, prev, prev2 = out[dated[k]], out[dated[k - 1]], out[dated[k - 2]]
        assert cur.date is not None and prev.date is not None and prev2.date is not None
        if cur.has_year or cur.date <= prev.date or prev.date > prev2.date:
            continue
        try:
            moved = cur.date.replace(year=cur.date.year - 1)
        except ValueError:  # 02-29
            moved = cur.date.replace(year=cur.date.year - 1, day=28)
        if moved <= prev.date:
            out[dated[k]] = ListItem(cur.title, cur.url, moved, cur.has_year, cur.context)
    return out


def _pagination(tree: LexborHTMLParser, html: str, url: str) -> list[str]:
    pages: list[str] = []
    trs = _TRS_PAGER.search(html)
    if trs:
        count, current, stem, ext = int(trs[1]), int(trs[2]), trs[3], trs[4]
        if current + 1 < count:
            pages.append(urljoin(url, f"{stem}_{current + 1}.{ext}"))
    for anchor in tree.css("a[href]"):
        text = anchor.text(strip=True)
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        target = urljoin(url, href).split("#", 1)[0]
        if target == url:
            continue
        if text in _NEXT_TEXTS and target not in pages:
            pages.append(target)
    return pages


def _column_name(tree: LexborHTMLParser, meta_column: str | None) -> str:
    if meta_column:
        return meta_column.strip()
    for node in tree.css("div, p, span, td"):
        own = node.text(deep=True, separator=" ", strip=True)
        if len(own) > 120 or not any(own.startswith(label) for label in _BREADCRUMB_LABELS):
            continue
        parts = [p for p in _CRUMB_SPLIT.split(own.split("：", 1)[-1].split(":", 1)[-1]) if p.strip()]
        if len(parts) >= 2:
            return parts[-1].strip()
    return ""


def read_list_page(
    url: str,
    html: str,
    as_of: date,
    *,
    meta_column: str | None = None,
    rule_set: Rules | None = None,
    tree: LexborHTMLParser | None = None,
) -> ListPage:
    """Items, latest date, pagination and blankness of the page at ``url`` (``tree``: an
    already parsed DOM of ``html``, e.g. ``Page.dom``, to avoid parsing twice)."""
    rule_set = rule_set or rules()
    tree = tree if tree is not None else LexborHTMLParser(html)
    page = ListPage(url=url)
    records = []
    for script in tree.css("script"):
        if (script.attributes.get("type") or "").lower() == "text/xml":
            body = script.text() or ""
            records.extend(_RECORD_RE.findall(body))
            total = _TOTAL_RE.search(body)
            if total:
                page.total_records = int(total[1])
            page.datastore = True
    if records:
        fragment = LexborHTMLParser("<div>" + "".join(records) + "</div>")
        page.items = _items(fragment.body or fragment.root, url, as_of, rule_set, in_record=True)
    body = tree.body
    if body is not None:
        seen = {i.url for i in page.items}
        page.items.extend(i for i in _items(body, url, as_of, rule_set) if i.url not in seen)
    if page.total_records is None:
        total = _TOTAL_RE.search(html)
        page.total_records = int(total[1]) if total else None
    page.next_pages = _pagination(tree, html, url)
    main_text = _main_text(tree)
    page.main_text_chars = len(main_text)
    page.blank_marker = any(marker in main_text for marker in rule_set.blank_markers)
    page.column_name = _column_name(tree, meta_column)
    return page


def _main_text(tree: LexborHTMLParser) -> str:
    body = tree.body
    if body is None:
        return ""
    parts: list[str] = []

    def walk(node: LexborNode) -> None:
        child = node.child
        while child is not None:
            if child.tag == "-text":
                text = (child.text_content or "").strip()
                if text:
                    parts.append(text)
            elif not _skipped(child):
                walk(child)
            child = child.next

    walk(body)
    return normalize(" ".join(parts))


_LAST_KEY = "columns.last_listing"


def listing_of(page: Page, as_of: date, cache: dict[str, Any] | None = None) -> ListPage:
    """``read_list_page`` of a parsed page, remembered for the page being observed so the
    several site checks that read it during one ``observe`` round parse it once."""
    if cache is not None:
        last = cache.get(_LAST_KEY)
        if last is not None and last[0] is page and last[1] == as_of:
            return last[2]
    listing = read_list_page(page.url, page.html, as_of, meta_column=page.meta_value("columnname"), tree=page.dom)
    if cache is not None:
        cache[_LAST_KEY] = (page, as_of, listing)
    return listing
