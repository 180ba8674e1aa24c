"""The column survey shared by the update checks of one site.

During the crawl ``observe`` keeps, per page, a small summary (latest item date, item
count, list/blank flags) and the candidate columns its links propose. At the end
``result()`` (run once, whichever update check asks first) decides which candidates are
columns, reads the few column pages the crawl did not reach (through ``ctx.fetch``,
bounded by the option ``max_extra_fetches``), and returns the columns and the home-page
verdict. Dates are judged against ``ctx.as_of`` only.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from govinspect.engine.columns.classify import ColumnType, classify
from govinspect.engine.columns.discover import Candidate, candidates
from govinspect.engine.columns.listpage import ListPage, listing_of
from govinspect.errors import FetchError
from govinspect.findings import normalize_url
from govinspect.indicators import catalogue

if TYPE_CHECKING:
    from govinspect.engine.checks.base import CheckContext
    from govinspect.engine.page.model import Page

log = logging.getLogger(__name__)
CACHE_KEY = "update.survey"
MAX_CANDIDATES = 400
MAX_PAGES = 20_000


@dataclass(frozen=True, slots=True)
class PageSummary:
    url: str
    depth: int
    latest: date | None
    dated_items: int
    items: int
    is_list: bool
    is_blank: bool
    is_article: bool
    column_name: str


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    url: str
    type: ColumnType
    latest: date | None
    items: int
    blank: bool

    @property
    def window_days(self) -> int | None:
        return self.type.window_days()

    def stale(self, as_of: date) -> bool:
        window = self.window_days
        if window is None or self.blank:
            return False
        return self.latest is None or self.latest < as_of - timedelta(days=window)


@dataclass(slots=True)
class SurveyResult:
    columns: list[Column] = field(default_factory=list)
    home_url: str = ""
    home_latest: date | None = None
    home_judged_by: str = "home"  # "home" or "second_level" (navigation-only home page)
    home_seen: bool = False


def summarize(page: Page, as_of: date, cache: dict[str, Any] | None = None) -> tuple[PageSummary, ListPage]:
    listing = listing_of(page, as_of, cache)
    is_article = bool(page.meta_value("articletitle") or page.meta_value("pubdate"))
    summary = PageSummary(
        url=normalize_url(page.url),
        depth=page.depth,
        latest=_latest(listing, as_of),
        dated_items=len(listing.dated_items),
        items=len(listing.items),
        is_list=listing.is_list and not is_article,
        is_blank=listing.is_blank and not is_article,
        is_article=is_article,
        column_name=listing.column_name,
    )
    return summary, listing


def _latest(listing: ListPage, as_of: date) -> date | None:
    dates = [i.date for i in listing.items if i.date is not None and i.date <= as_of]
    return max(dates) if dates else None


class ColumnSurvey:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.home = normalize_url(ctx.site.home_url)
        self.pages: dict[str, PageSummary] = {}
        self.names: dict[str, Candidate] = {}  # url -> first candidate naming it
        self.from_home: set[str] = set()  # urls linked from the home page
        self._result: SurveyResult | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def of(cls, ctx: CheckContext) -> ColumnSurvey:
        return ctx.per_site(CACHE_KEY, cls)

    def observe(self, page: Page) -> None:
        if page.kind != "html" or page.status >= 400 or not page.html:
            return
        url = normalize_url(page.url)
        if url in self.pages or len(self.pages) >= MAX_PAGES:
            return
        summary, _ = summarize(page, self.ctx.as_of, self.ctx.cache)
        self.pages[url] = summary
        is_home = url == self.home or page.is_homepage or normalize_url(page.requested_url) == self.home
        if is_home:
            self.pages[self.home] = summary  # a home page reached through a redirect (/ → /index.html)
        if is_home or summary.is_list or page.depth <= 1:
            self._collect(page, is_home)

    def _collect(self, page: Page, is_home: bool) -> None:
        for cand in candidates(page.dom, page.url, self.ctx.site.hosts):
            url = normalize_url(cand.url)
            if is_home:
                self.from_home.add(url)
            known = self.names.get(url)
            if (known is None and len(self.names) < MAX_CANDIDATES) or (
                known is not None and not known.name and cand.name
            ):
                self.names[url] = Candidate(cand.name, url, cand.source)

    async def result(self) -> SurveyResult:
        async with self._lock:
            if self._result is None:
                self._result = await self._finish()
            return self._result

    async def _fetch_summary(self, url: str) -> PageSummary | None:
        if self.ctx.fetch is None:
            return None
        try:
            page = await self.ctx.fetch(url)
        except FetchError as exc:
            log.info("column page %s not read: %s", url, exc)
            return None
        if page.kind != "html" or page.status >= 400:
            return None
        summary, _ = summarize(page, self.ctx.as_of)
        self.pages[url] = summary
        return summary

    async def _finish(self) -> SurveyResult:
        budget = int(self.ctx.options("update.column_stale").get("max_extra_fetches", 20))
        columns: list[Column] = []
        seen: set[str] = set()
        for url, cand in self.names.items():
            if url == self.home or url in seen:
                continue
            summary = self.pages.get(url)
            if summary is None and budget > 0:
                budget -= 1
                summary = await self._fetch_summary(url)
            if summary is None or not (summary.is_list or summary.is_blank):
                continue
            name = cand.name or summary.column_name
            if not name:
                continue
            seen.add(url)
            columns.append(
                Column(
                    name=name,
                    url=url,
                    type=classify(name),
                    latest=summary.latest,
                    items=summary.items,
                    blank=summary.is_blank,
                )
            )
        return SurveyResult(columns=columns, home_url=self.ctx.site.home_url, **self._home_verdict())

    def _home_verdict(self) -> dict[str, object]:
        home = self.pages.get(self.home)
        if home is None:
            return {"home_seen": False}
        if home.dated_items:
            return {"home_seen": True, "home_latest": home.latest, "home_judged_by": "home"}
        # a navigation-only home page: judged by its second-level pages
        second = [s.latest for u, s in self.pages.items() if u in self.from_home and s.latest is not None]
        return {"home_seen": True, "home_latest": max(second) if second else None, "home_judged_by": "second_level"}


def home_window_days() -> int:
    return catalogue()["W-V3"].days("window_days")
