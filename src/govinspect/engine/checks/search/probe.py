"""The search survey shared by the search checks: find the site's search form during the
crawl, remember recently published titles, and at the end run a few polite queries.

Queries (at most ``max_queries``, default 11): one nonsense query as a baseline (what a
result page shows when nothing matches: navigation, footer, the echoed query), the 4 most
recent titles (W-D8 samples 4; up to 2 more published the same day as the 4th), up to 2
older titles when none of the recent ones is found
(to tell a stale index from a broken search), then the pinyin of a found title's first
four characters and the same characters with one changed (a typo). A title query is "found"
when the title (or its first 12 characters) occurs on the result page more often than on the
baseline page; a pinyin or typo query when the intended four characters do.
"""

from __future__ import annotations

import asyncio
import heapq
import html as htmllib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from govinspect.engine.columns.classify import classify
from govinspect.engine.columns.listpage import listing_of
from govinspect.engine.page.dates import normalize
from govinspect.errors import FetchError
from govinspect.findings import normalize_url

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

    from govinspect.engine.checks.base import CheckContext
    from govinspect.engine.page.model import Page

log = logging.getLogger(__name__)
CACHE_KEY = "search.survey"
SAMPLE_TITLES = 4
MAX_TIES = 2
KEEP_TITLES = 60
BASELINE_QUERY = "zqxjkv无此信息"
_SEARCH_HINT = re.compile(r"search|sousuo|jsearch|query|/so/|/s\b|/ss\b|was5|searchword|检索|搜索", re.I)
_TEXT_TYPES = ("text", "search", "")
# a few frequent characters and a homophone, for a realistic one-character typo
_HOMOPHONES = {
    "部": "布",
    "署": "暑",
    "作": "做",
    "建": "健",
    "设": "社",
    "会": "汇",
    "议": "义",
    "管": "官",
    "理": "里",
    "服": "福",
    "务": "物",
    "政": "正",
    "府": "付",
    "公": "工",
    "开": "凯",
    "通": "同",
    "知": "之",
    "办": "半",
    "法": "发",
    "施": "师",
    "意": "义",
    "见": "建",
    "关": "观",
    "于": "与",
    "发": "法",
    "展": "战",
    "区": "曲",
}


@dataclass(frozen=True, slots=True)
class SearchForm:
    action: str
    method: str
    field: str
    hidden: tuple[tuple[str, str], ...]
    encoding: str

    def query_url(self, query: str) -> str:
        params = [*self.hidden, (self.field, query)]
        try:
            encoded = urlencode(params, encoding=self.encoding or "utf-8")
        except (LookupError, UnicodeEncodeError):
            encoded = urlencode(params)
        parts = urlsplit(self.action)
        joined = "&".join(x for x in (parts.query, encoded) if x)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, ""))


@dataclass(slots=True)
class QueryResult:
    query: str
    ok: bool  # the endpoint answered (HTTP < 400)
    found: bool
    status: int | None = None
    error: str = ""
    same_as_baseline: bool = False  # the result page reads exactly like the nothing-found page


@dataclass(slots=True)
class SearchOutcome:
    form: SearchForm | None = None
    working: bool = False
    titles: list[QueryResult] = field(default_factory=list)
    pinyin: QueryResult | None = None
    typo: QueryResult | None = None
    queries: int = 0
    judgeable: bool = True  # False: results are built by script or the query is ignored


def _search_form(node: LexborNode, base: str, encoding: str) -> SearchForm | None:
    inputs = node.css("input, textarea, select")
    if any((i.attributes.get("type") or "").lower() == "password" for i in inputs):
        return None
    text_fields = [
        i
        for i in inputs
        if i.tag == "input" and (i.attributes.get("type") or "").lower() in _TEXT_TYPES and i.attributes.get("name")
    ]
    if not text_fields:
        return None
    attrs = node.attributes
    hint = " ".join(str(attrs.get(k) or "") for k in ("action", "class", "id", "name")) + node.text(separator=" ")
    hint += " ".join(str(i.attributes.get(k) or "") for i in inputs for k in ("value", "placeholder", "name"))
    if not _SEARCH_HINT.search(hint):
        return None
    hidden = tuple(
        (str(i.attributes.get("name")), str(i.attributes.get("value") or ""))
        for i in inputs
        if (i.attributes.get("type") or "").lower() == "hidden" and i.attributes.get("name")
    )
    raw_action = (attrs.get("action") or "").strip()
    # no action: the query URL is built by script and the endpoint is unknown (action "")
    action = "" if not raw_action or raw_action.lower().startswith("javascript:") else urljoin(base, raw_action)
    return SearchForm(
        action=action.split("#", 1)[0],
        method=(attrs.get("method") or "get").lower(),
        field=str(text_fields[0].attributes.get("name")),
        hidden=hidden,
        encoding=str(attrs.get("accept-charset") or encoding or "utf-8").split()[0].split(",")[0],
    )


def _strip_query(text: str, query: str) -> str:
    return normalize(htmllib.unescape(text)).replace(" ", "").replace(query.replace(" ", ""), "")


def occurrences(page_text: str, needle: str) -> int:
    return normalize(htmllib.unescape(page_text)).replace(" ", "").count(needle.replace(" ", ""))


def title_needle(title: str) -> str:
    return title if len(title) <= 12 else title[:12]


def typo_of(keyword: str) -> str:
    """The keyword with one character changed (a homophone when we know one)."""
    for i in range(len(keyword) - 1, 0, -1):
        if keyword[i] in _HOMOPHONES:
            return keyword[:i] + _HOMOPHONES[keyword[i]] + keyword[i + 1 :]
    i = min(2, len(keyword) - 1)
    return keyword[:i] + ("某" if keyword[i] != "某" else "甲") + keyword[i + 1 :]


def pinyin_of(keyword: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(keyword))


def keyword_of(title: str) -> str:
    """The first four characters of the title's first run of four or more CJK characters."""
    run = re.search(r"[\u4e00-\u9fff]{4,}", title)
    return run[0][:4] if run else ""


class SearchSurvey:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.home = normalize_url(ctx.site.home_url)
        self.form: SearchForm | None = None
        self.form_on_home = False
        self.titles: list[tuple[date, str]] = []  # heap of (date, title), newest kept
        self.title_set: set[str] = set()
        self.seen: set[str] = set()
        self._outcome: SearchOutcome | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def of(cls, ctx: CheckContext) -> SearchSurvey:
        return ctx.per_site(CACHE_KEY, cls)

    def observe(self, page: Page) -> None:
        url = normalize_url(page.url)
        if url in self.seen or page.kind != "html" or page.status >= 400:
            return
        self.seen.add(url)
        if page.is_homepage or normalize_url(page.requested_url) == self.home:
            self.seen.add(self.home)
            url = self.home
        if self.form is None or (url == self.home and not self.form_on_home):
            for node in page.dom.css("form"):
                form = _search_form(node, page.url, page.encoding or "utf-8")
                if form is not None and (form.action or self.form is None):
                    self.form, self.form_on_home = form, url == self.home
                    break
        name = page.meta_value("columnname") or ""
        if name and classify(name).name == "interaction":
            return
        listing = listing_of(page, self.ctx.as_of, self.ctx.cache)
        if not listing.is_list:
            return
        for item in listing.dated_items:
            title = item.title.strip()
            if len(title) < 6 or title.endswith(("...", "…")) or title in self.title_set or item.date is None:
                continue
            if item.date > self.ctx.as_of:
                continue
            self.title_set.add(title)
            entry = (item.date, title)
            if len(self.titles) < KEEP_TITLES:
                heapq.heappush(self.titles, entry)
            elif entry > self.titles[0]:
                self.title_set.discard(heapq.heapreplace(self.titles, entry)[1])

    async def outcome(self) -> SearchOutcome:
        async with self._lock:
            if self._outcome is None:
                self._outcome = await self._run()
            return self._outcome

    async def _query(self, form: SearchForm, query: str, needle: str, baseline: str, out: SearchOutcome) -> QueryResult:
        assert self.ctx.fetch is not None
        out.queries += 1
        try:
            page = await self.ctx.fetch(form.query_url(query))
        except FetchError as exc:
            return QueryResult(query, ok=False, found=False, error=type(exc).__name__)
        if page.status >= 400 or page.kind != "html":
            return QueryResult(query, ok=False, found=False, status=page.status)
        # a result page echoes the query ("搜索：…") as often as the baseline page echoed its own
        echoes = occurrences(baseline, BASELINE_QUERY) * query.replace(" ", "").count(needle.replace(" ", ""))
        found = occurrences(page.text, needle) - echoes > occurrences(baseline, needle)
        same = _strip_query(page.text, query) == _strip_query(baseline, BASELINE_QUERY)
        return QueryResult(query, ok=True, found=found, status=page.status, same_as_baseline=same)

    async def _run(self) -> SearchOutcome:
        out = SearchOutcome(form=self.form)
        if self.form is not None and not self.form.action:
            out.judgeable = False
            return out
        if self.form is None or self.ctx.fetch is None:
            return out
        limit = int(self.ctx.options("search.missing").get("max_queries", 11))
        try:
            base_page = await self.ctx.fetch(self.form.query_url(BASELINE_QUERY))
        except FetchError as exc:
            log.info("search endpoint %s fails: %s", self.form.action, exc)
            return out
        out.queries += 1
        if base_page.status >= 400 or base_page.kind != "html":
            return out
        out.working = True
        baseline = base_page.text
        by_date = sorted(self.titles, reverse=True)
        ordered = [t for _, t in by_date]
        # the newest 4; titles published the same day as the 4th are as "newest" as it (ties
        # are broken nowhere we can see), so they join the sample, at most MAX_TIES of them
        cut = SAMPLE_TITLES
        while (
            cut < len(by_date) and cut < SAMPLE_TITLES + MAX_TIES and by_date[cut][0] == by_date[SAMPLE_TITLES - 1][0]
        ):
            cut += 1
        recent, older = ordered[:cut], ordered[cut:][-2:]
        for title in recent:
            if out.queries >= limit:
                break
            out.titles.append(await self._query(self.form, title, title_needle(title), baseline, out))
        found = [r.query for r in out.titles if r.found]
        if not found:
            for title in older:
                if out.queries >= limit - 2:
                    break
                result = await self._query(self.form, title, title_needle(title), baseline, out)
                if result.found:
                    found.append(title)
                    break
        if out.titles and not any(r.ok for r in out.titles):
            out.working = False
            return out
        if out.titles and all(r.same_as_baseline for r in out.titles) and not found:
            # every answer reads like the nothing-found page: results come by script (AJAX) or
            # the parameter is ignored; better no verdict than four wrong ones
            out.judgeable = False
            return out
        if found and out.queries + 2 <= limit:
            title = found[0]
            keyword = keyword_of(title)
            if len(keyword) >= 2:
                out.pinyin = await self._query(self.form, pinyin_of(keyword), keyword, baseline, out)
                out.typo = await self._query(self.form, typo_of(keyword), keyword, baseline, out)
        return out
