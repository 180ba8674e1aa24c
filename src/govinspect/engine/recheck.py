"""Re-inspecting one finding: fetch the URLs the finding is about, run its one check on them.

The rectification loop asks "is this problem still there?". A whole-site crawl answers it but
costs thousands of requests; most checks can decide from a handful of pages. ``plan_for``
names them per check family (a pure function of the finding), ``recheck_finding`` fetches
them through the crawl's ``Fetcher`` (same politeness, robots.txt, redirects, retries and
encoding detection) and runs the check through the same pipeline as an inspection
(``run.inspect_with``), so findings come out with the same fingerprints.

Families (``scope`` "urls" unless said):
- a page's own content (typos, sensitive words, personal data, meta tags, policy elements,
  guides, hidden links): the page;
- ``links.broken``: the page, whose links are cut to the one target; the check then asks the
  target (and the host's not-found page, to tell a soft 404);
- ``update.column_stale`` / ``column_blank``: the column's list page, named as the finding
  names it (no other candidate column is read);
- ``update.homepage_stale``: the home page, plus the pages it links to when it is a
  navigation-only home page (the check judges those then);
- ``availability.unreachable``, ``identity.missing``, ``search.missing``,
  ``interaction.no_channel``: the home page (identity also the sampled pages its finding
  names; the checks themselves fetch footer includes, channels, search queries);
- ``policy.interpretation_unlinked``: the interpretation and its document;
- ``interaction.unanswered`` / ``perfunctory``: the message's detail page;
- ``crawl.error``: the target that did not answer, referred from the finding's page.

Honest fallbacks to the bounded site crawl (``scope`` "site"), recorded with the reason:
- checks that judge across the site: a leader's misspelt name (learnt from the whole site),
  a reply repeated across many messages, search queries built from the site's latest titles
  (``search.title_not_found``, ``no_pinyin``, ``no_typo_tolerance``), crawl traps, and any
  check this module does not know;
- ``escalate`` plans (``search.missing``, ``interaction.no_channel``): the home page decides
  when the problem is gone; when it is still there, the site is crawled, because a search
  form or a channel anywhere on the site counts;
- a message read from a list row (no detail page to fetch) is rechecked on the site.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.config import EngineConfig
from govinspect.engine.crawl.crawler import FOLLOW_TAGS, MEDIA_EXTENSIONS, CrawlStats
from govinspect.engine.crawl.normalize import crawl_url, host_of, url_key
from govinspect.engine.fetch.transport import Fetcher
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import extension
from govinspect.engine.target import SiteTarget
from govinspect.errors import FetchError
from govinspect.findings import Finding, normalize_url

Scope = Literal["urls", "site"]

PAGE_CHECKS = frozenset(
    {
        "text.typo",
        "security.sensitive",
        "security.hidden_link",
        "privacy.leak",
        "meta.missing_tags",
        "policy.missing_elements",
        "service.guide_incomplete",
    }
)
HOME_CHECKS = frozenset({"availability.unreachable", "identity.missing", "update.homepage_stale"})
ESCALATE_CHECKS = frozenset({"search.missing", "interaction.no_channel"})
SITE_CHECKS = {
    "search.title_not_found": "搜索抽查的标题取自全站最新发布的信息，需重新检查全站",
    "search.no_pinyin": "拼音搜索的查询词取自全站已发布信息的标题，需重新检查全站",
    "search.no_typo_tolerance": "错字搜索的查询词取自全站已发布信息的标题，需重新检查全站",
    "crawl.trap": "爬虫陷阱只能在全站抓取中发现",
}
NO_CHECK = frozenset({"crawl.error", "crawl.trap"})  # pipeline notices, not checks
HOME_LINKS_CAP = 60  # pages a navigation-only home page is judged by (depth 1)


@dataclass(frozen=True, slots=True)
class Visit:
    url: str
    depth: int = 1
    referrer: str | None = None
    is_homepage: bool = False


@dataclass(frozen=True)
class RecheckPlan:
    check_id: str
    scope: Scope
    visits: tuple[Visit, ...] = ()
    reason: str = ""  # why the site: shown to the user
    only_targets: frozenset[str] | None = None  # links.broken: the page's links cut to these
    columns: tuple[tuple[str, str], ...] = ()  # (url, name) of the columns to judge
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # check options merged in
    expand_navigation_home: bool = False  # a home page without dated items: visit its links too
    escalate: bool = False  # still present on the URLs: confirm on the whole site
    verify_message: str | None = None  # the message URL must read as a detail page, else the site

    @property
    def urls(self) -> list[str]:
        return [v.url for v in self.visits]


@dataclass
class RecheckResult:
    check_id: str
    scope: Scope
    findings: list[Finding]
    pages: int  # pages answered (any status)
    requests: int  # HTTP exchanges, robots.txt and redirects included
    fetched: list[str]  # "METHOD url" of each exchange, in order
    visited: list[str]  # the URLs rechecked (the plan's, or the home page for a site crawl)
    reason: str = ""
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)


# --- planning ---------------------------------------------------------------------------


def plan_for(
    site: SiteTarget,
    check_id: str,
    url: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    evidence: str = "",
) -> RecheckPlan:
    """The pages that decide whether the finding (check, url, target, detail) is still there."""
    detail = detail or {}
    home = site.home_url
    home_visit = Visit(home, 0, None, True)

    def page(u: str) -> Visit:
        return home_visit if normalize_url(u) == normalize_url(home) else Visit(u, 1, home)

    if check_id in PAGE_CHECKS:
        return RecheckPlan(check_id, "urls", (page(url),))
    if check_id == "text.severe_error":
        if detail.get("kind") == "leader_name":
            return _site(check_id, "领导姓名的正确写法取自全站（领导信息页面与多次出现的写法），需重新检查全站")
        return RecheckPlan(check_id, "urls", (page(url),))
    if check_id == "links.broken":
        if not target:
            return _site(check_id, "问题未记录链接目标")
        return RecheckPlan(check_id, "urls", (page(url),), only_targets=frozenset({_link_key(target)}))
    if check_id in ("update.column_stale", "update.column_blank"):
        name = str(detail.get("column") or "")
        if not name:
            return _site(check_id, "问题未记录栏目名称")
        # the survey reads its own option (column_stale's) for both checks: no other column is read
        return RecheckPlan(
            check_id,
            "urls",
            (page(url),),
            columns=((normalize_url(url), name),),
            options={"update.column_stale": {"max_extra_fetches": 0}},
        )
    if check_id == "update.homepage_stale":
        return RecheckPlan(
            check_id,
            "urls",
            (home_visit,),
            expand_navigation_home=True,
            options={"update.column_stale": {"max_extra_fetches": 0}},  # the survey reads no column
        )
    if check_id == "identity.missing":
        visits = [home_visit]
        if detail.get("where") == "pages":
            visits += [Visit(u, 1, home) for u in detail.get("pages") or [] if isinstance(u, str)]
        elif detail.get("where") == "page" and normalize_url(url) != normalize_url(home):
            visits.append(Visit(url, 1, home))
        sampled = len(visits) - 1
        options = {"identity.missing": {"sample_pages": sampled}} if sampled else {}
        return RecheckPlan(check_id, "urls", tuple(visits), options=options)
    if check_id in HOME_CHECKS:
        return RecheckPlan(check_id, "urls", (home_visit,))
    if check_id in ESCALATE_CHECKS:
        return RecheckPlan(check_id, "urls", (home_visit,), escalate=True)
    if check_id == "policy.interpretation_unlinked":
        document = detail.get("document")
        if not isinstance(document, str) or not document:
            return _site(check_id, "问题未记录被解读的政策文件")
        return RecheckPlan(check_id, "urls", (page(url), page(document)))
    if check_id == "interaction.unanswered":
        return RecheckPlan(check_id, "urls", (Visit(url, 2, home),), verify_message=normalize_url(url))
    if check_id == "interaction.perfunctory":
        if detail.get("reason") == "repeated":
            return _site(check_id, "“多条留言答复雷同”需统计全站留言，需重新检查全站")
        return RecheckPlan(check_id, "urls", (Visit(url, 2, home),), verify_message=normalize_url(url))
    if check_id == "crawl.error":
        if not target:
            return _site(check_id, "问题未记录无法访问的地址")
        return RecheckPlan(check_id, "urls", (Visit(target, 1, url),))
    if check_id in SITE_CHECKS:
        return _site(check_id, SITE_CHECKS[check_id])
    return _site(check_id, "该检查项需要全站信息，需重新检查全站")


def _site(check_id: str, reason: str) -> RecheckPlan:
    return RecheckPlan(check_id, "site", reason=reason)


def _link_key(url: str) -> str:
    return crawl_url(url) or url


# --- running ----------------------------------------------------------------------------


class RecordingFetcher(Fetcher):
    """The crawl's fetcher, noting each HTTP exchange (what a recheck shows and counts)."""

    def __init__(self, config: EngineConfig) -> None:
        super().__init__(config)
        self.log: list[str] = []

    async def _one(self, url: str, method: str, max_bytes: int | None, attempt: int) -> Any:
        self.log.append(f"{method} {url}")
        return await super()._one(url, method, max_bytes, attempt)


class UrlCrawler:
    """The crawler's interface over a fixed list of visits (no link discovery), in order, with
    the crawl's manners: the site's crawl-delay, robots.txt for every page but the home page."""

    def __init__(
        self,
        site: SiteTarget,
        config: EngineConfig,
        fetcher: Fetcher,
        visits: Iterable[Visit],
        *,
        on_page: Callable[[Page], Any],
        on_error: Callable[[str, str | None, FetchError], None],
        on_trap: Any = None,
        page_filter: Callable[[Page], Page] | None = None,
        expand: Callable[[Page], list[Visit]] | None = None,
    ) -> None:
        self.site = site
        self.config = config
        self.fetcher = fetcher
        self.visits = list(visits)
        self.on_page = on_page
        self.on_error = on_error
        self.page_filter = page_filter
        self.expand = expand
        self.stats = CrawlStats()
        self.pending = {url_key(v.url) for v in self.visits}
        self.visited: list[str] = []
        self.home = crawl_url(site.home_url) or site.home_url

    def will_fetch(self, url: str) -> bool:
        return url_key(url) in self.pending

    async def run(self) -> CrawlStats:
        start = time.monotonic()
        queue = list(self.visits)
        seen: set[int] = set()
        try:
            async with asyncio.timeout(self.config.limits.site_deadline):
                while queue:
                    visit = queue.pop(0)
                    key = url_key(visit.url)
                    if key in seen:
                        continue
                    seen.add(key)
                    try:
                        page = await self._visit(visit)
                    finally:
                        self.pending.discard(key)
                    if page is not None and self.expand is not None:
                        more = [v for v in self.expand(page) if url_key(v.url) not in seen]
                        self.pending.update(url_key(v.url) for v in more)
                        queue.extend(more)
        except TimeoutError:
            self.stats.stopped = "deadline"
        self.stats.accepted = self.stats.seen = len(seen)
        self.stats.elapsed = time.monotonic() - start
        return self.stats

    async def _visit(self, visit: Visit) -> Page | None:
        url = crawl_url(visit.url) or visit.url
        is_home = visit.is_homepage or url == self.home
        if is_home:
            delay = await self.fetcher.robots.crawl_delay(self.home)
            if delay > self.config.limits.per_host_delay:
                for host in self.site.hosts:
                    self.fetcher.politeness.set_delay(host, delay)
        elif not await self.fetcher.robots.allowed(url):
            self.stats.robots_skipped += 1
            return None
        self.visited.append(url)
        try:
            page = await self.fetcher.fetch(url, depth=visit.depth, referrer=visit.referrer, is_homepage=is_home)
        except FetchError as exc:
            self.stats.fetch_errors += 1
            self.on_error(url, visit.referrer, exc)
            return None
        self.stats.pages += 1
        if page.kind == "attachment":
            self.stats.attachments += 1
        if self.page_filter is not None:
            page = self.page_filter(page)
        await self.on_page(page)
        return page


def _only_links(targets: frozenset[str]) -> Callable[[Page], Page]:
    def cut(page: Page) -> Page:
        return replace(page, links=tuple(link for link in page.links if _link_key(link.url) in targets))

    return cut


def _navigation_links(site: SiteTarget, as_of: date) -> Callable[[Page], list[Visit]]:
    """A home page without dated items of its own is judged by the pages it links to."""
    from govinspect.engine.checks.update.survey import summarize

    def expand(page: Page) -> list[Visit]:
        if not page.is_homepage or page.kind != "html" or not 200 <= page.status < 300:
            return []
        summary, _ = summarize(page, as_of)
        if summary.dated_items:
            return []
        out: dict[int, Visit] = {}
        for link in page.links:
            url = crawl_url(link.url)
            if link.tag not in FOLLOW_TAGS or url is None or host_of(url) not in site.hosts:
                continue
            if extension(url) in MEDIA_EXTENSIONS or url_key(url) in out:
                continue
            out[url_key(url)] = Visit(url, 1, page.url)
            if len(out) >= HOME_LINKS_CAP:
                break
        return list(out.values())

    return expand


def _seed_columns(columns: tuple[tuple[str, str], ...]) -> Callable[[CheckContext], None]:
    def prepare(ctx: CheckContext) -> None:
        from govinspect.engine.checks.update.survey import ColumnSurvey
        from govinspect.engine.columns.discover import Candidate

        survey = ColumnSurvey.of(ctx)
        for url, name in columns:
            survey.names[url] = Candidate(name, url, "recheck")
        observe = survey.observe

        def observing(page: Page) -> None:
            observe(page)
            asked, final = normalize_url(page.requested_url), normalize_url(page.url)
            if asked != final and asked in survey.names and final in survey.pages:
                survey.pages.setdefault(asked, survey.pages[final])  # a column page that now redirects

        survey.observe = observing  # type: ignore[method-assign]

    return prepare


def _config_for(plan: RecheckPlan, config: EngineConfig) -> EngineConfig:
    enabled = frozenset() if plan.check_id in NO_CHECK else frozenset({plan.check_id})
    options = {k: dict(v) for k, v in config.check_options.items()}
    for check, extra in plan.options.items():
        options[check] = {**options.get(check, {}), **extra}
    return replace(config, enabled_checks=enabled, disabled_checks=frozenset(), check_options=options)


async def recheck_urls(
    site: SiteTarget,
    plan: RecheckPlan,
    config: EngineConfig,
    as_of: date,
    *,
    warc_dir: str | None = None,
) -> RecheckResult:
    """Fetch the plan's URLs and run its check on them (``scope`` "urls" plans only)."""
    from govinspect.engine.run import inspect_with

    if plan.scope != "urls":
        raise ValueError("recheck_urls runs a plan of URLs; use recheck_site for the site")
    one = _config_for(plan, config)
    start = time.monotonic()
    fetcher = RecordingFetcher(one)
    crawler: UrlCrawler | None = None

    def factory(**callbacks: Any) -> UrlCrawler:
        nonlocal crawler
        crawler = UrlCrawler(
            site,
            one,
            fetcher,
            plan.visits,
            page_filter=_only_links(plan.only_targets) if plan.only_targets is not None else None,
            expand=_navigation_links(site, as_of) if plan.expand_navigation_home else None,
            **callbacks,
        )
        return crawler

    prepare = _seed_columns(plan.columns) if plan.columns else None
    verify: dict[str, bool] = {}
    if plan.verify_message is not None:
        prepare = _watch_message(plan.verify_message, verify)
    try:
        result = await inspect_with(site, one, as_of, factory, fetcher=fetcher, prepare=prepare, warc_dir=warc_dir)
    finally:
        await fetcher.close()
    assert crawler is not None
    findings = [f for f in result.findings if f.check == plan.check_id]
    out = RecheckResult(
        plan.check_id,
        "urls",
        findings,
        pages=result.pages,
        requests=fetcher.requests,
        fetched=list(fetcher.log),
        visited=list(crawler.visited),
        elapsed=round(time.monotonic() - start, 3),
        errors=list(result.errors),
    )
    if plan.verify_message is not None and not verify.get("detail"):
        out.reason = "留言详情页无法读取（或留言只见于列表），需重新检查全站"
    return out


def _watch_message(url: str, verify: dict[str, bool]) -> Callable[[CheckContext], None]:
    """Note whether the message URL reads as a message detail page (else the recheck proves nothing)."""

    def prepare(ctx: CheckContext) -> None:
        from govinspect.engine.checks.interaction.messages import MessageSurvey

        survey = MessageSurvey.of(ctx)
        observe = survey.observe

        def watching(page: Page) -> None:
            observe(page)
            message = survey.messages.get(url)
            if message is not None and message.from_detail:
                verify["detail"] = True

        survey.observe = watching  # type: ignore[method-assign]

    return prepare


async def recheck_site(
    site: SiteTarget, check_id: str, config: EngineConfig, as_of: date, reason: str = ""
) -> RecheckResult:
    """The bounded site crawl with the one check (the fallback)."""
    from govinspect.engine.run import FETCHER_KEY, inspect_site

    one = _config_for(RecheckPlan(check_id, "site"), config)
    start = time.monotonic()
    fetcher = RecordingFetcher(one)
    try:
        result = await inspect_site(site, one, as_of, shared={FETCHER_KEY: fetcher})
    finally:
        await fetcher.close()
    return RecheckResult(
        check_id,
        "site",
        [f for f in result.findings if f.check == check_id],
        pages=result.pages,
        requests=fetcher.requests,
        fetched=list(fetcher.log),
        visited=[site.home_url],
        reason=reason,
        elapsed=round(time.monotonic() - start, 3),
        errors=list(result.errors)[:20],
    )


async def recheck_finding(
    site: SiteTarget,
    check_id: str,
    url: str,
    config: EngineConfig,
    as_of: date,
    *,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    evidence: str = "",
    fingerprint: str | None = None,
) -> RecheckResult:
    """Plan, recheck the URLs, fall back to the site where the plan says the URLs cannot decide."""
    plan = plan_for(site, check_id, url, target, detail, evidence)
    if plan.scope == "site":
        return await recheck_site(site, check_id, config, as_of, plan.reason)
    result = await recheck_urls(site, plan, config, as_of)
    if result.reason:  # the URLs could not decide (a message without its detail page)
        return await _escalated(site, check_id, config, as_of, result, result.reason)
    if plan.escalate:
        still = [f for f in result.findings if fingerprint is None or f.fingerprint == fingerprint]
        if still:
            why = "首页仍未发现，已检查全站（其他页面上的入口同样有效）"
            return await _escalated(site, check_id, config, as_of, result, why)
    return result


async def _escalated(
    site: SiteTarget, check_id: str, config: EngineConfig, as_of: date, first: RecheckResult, reason: str
) -> RecheckResult:
    whole = await recheck_site(site, check_id, config, as_of, reason)
    whole.requests += first.requests
    whole.fetched = first.fetched + whole.fetched
    whole.elapsed = round(whole.elapsed + first.elapsed, 3)
    return whole
