"""The inspection pipeline: fetch → parse → page checks (as pages arrive) → site checks
(at the end) → findings.

``inspect_site`` crawls one site and runs every enabled check on it; ``inspect_sites``
runs many sites concurrently over one fetcher (one connection pool, one politeness table,
one link cache) and yields each ``SiteResult`` as it completes.

Page checks may be synchronous (``check_page`` returns an iterable) or asynchronous
(``check_page`` returns an awaitable of an iterable — links.broken awaits its link checks).
Checks see pages answered 2xx; a check sets ``wants_error_pages = True`` to see 4xx/5xx
answers too (links.broken caches them as link results).
A page stays in memory until its checks have run, then the response is written to the
site's WARC file if a finding points at it, and the page is dropped; at most
``PAGES_IN_FLIGHT`` pages wait for their checks (the crawl waits beyond that).
A check that raises becomes a logged ``CheckError`` counted in ``stats["check_errors"]``.

Optional hooks a page check may define (duck-typed, used by links.broken): ``on_crawled(page)``
(sync, as the crawl delivers a page, before any check runs on it), ``on_fetch_error(url, exc)``
(the crawl got no answer), and ``async finish()`` (after the crawl, like a site check).
The site's crawler is in ``ctx.cache["engine.crawl"]`` (``will_fetch(url)``).

``inspect_with`` runs the same pipeline over another page source than the site crawl (the
rectification recheck visits a list of URLs, ``engine.recheck``): a factory builds an object
with the crawler's ``run()``, ``will_fetch(url)`` and ``stats``, fed the pipeline's callbacks.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from govinspect.engine.checks.base import Check, CheckContext, PageCheck, SiteCheck
from govinspect.engine.checks.registry import enabled_checks
from govinspect.engine.config import EngineConfig
from govinspect.engine.crawl.crawler import Crawler
from govinspect.engine.crawl.traps import Trap
from govinspect.engine.evidence.warc import SiteWarc
from govinspect.engine.fetch.transport import Fetcher, error_code
from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.page.model import Page
from govinspect.engine.target import SiteTarget
from govinspect.errors import CheckDisabled, CheckError, FetchError
from govinspect.findings import Finding, normalize_url

log = logging.getLogger(__name__)

FETCHER_KEY = "engine.fetcher"  # the run's Fetcher in the shared dict
CRAWL_KEY = "engine.crawl"  # the site's Crawler in ctx.cache (will_fetch(url))
LATE_EVIDENCE_PAGES = 500  # pages fetched again for the WARC when a finding arrives after its page
PAGES_IN_FLIGHT = 32
FINISH_SHARE = 0.25  # of the site deadline, granted to each site check's finish()
NO_LATE_EVIDENCE = frozenset({"availability.unreachable"})

OnPage = Callable[[Page], Any]
# (on_page=…, on_error=…, on_trap=…) -> an object like Crawler: async run() -> CrawlStats, will_fetch(url)
CrawlerFactory = Callable[..., Any]


@dataclass
class SiteResult:
    target: SiteTarget
    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def site(self) -> str:
        return self.target.home_url


async def inspect_site(
    target: SiteTarget,
    config: EngineConfig,
    as_of: date,
    *,
    shared: dict[str, Any] | None = None,
    on_page: OnPage | None = None,
    warc_dir: str | Path | None = None,
) -> SiteResult:
    """Crawl and check one site. ``shared`` is the run's dict (link cache, fetcher …);
    ``on_page(page)`` (sync or async) sees each page after its checks."""
    shared = shared if shared is not None else {}
    fetcher = shared.get(FETCHER_KEY)
    own = fetcher is None
    if own:
        fetcher = Fetcher(config)
    try:
        site = _SiteRun(target, config, as_of, fetcher, shared, on_page, warc_dir or config.warc_dir)
        return await site.run()
    finally:
        if own:
            await fetcher.close()


async def inspect_with(
    target: SiteTarget,
    config: EngineConfig,
    as_of: date,
    crawler_factory: CrawlerFactory,
    *,
    fetcher: Fetcher,
    prepare: Callable[[CheckContext], None] | None = None,
    warc_dir: str | Path | None = None,
) -> SiteResult:
    """The pipeline of ``inspect_site`` over the pages ``crawler_factory``'s crawler delivers
    (through ``fetcher``, which the caller owns); ``prepare(ctx)`` runs before the checks start."""
    site = _SiteRun(target, config, as_of, fetcher, {FETCHER_KEY: fetcher}, None, warc_dir, crawler_factory)
    if prepare is not None:
        prepare(site.ctx)
    return await site.run()


async def inspect_sites(
    targets: Iterable[SiteTarget],
    config: EngineConfig,
    as_of: date,
    concurrency: int = 4,
    *,
    warc_dir: str | Path | None = None,
    on_page: OnPage | None = None,
) -> AsyncIterator[SiteResult]:
    """Inspect sites ``concurrency`` at a time; yield each result as it completes."""
    shared: dict[str, Any] = {}
    results: asyncio.Queue[SiteResult | None] = asyncio.Queue()
    pending = iter(targets)

    async with Fetcher(config) as fetcher:
        shared[FETCHER_KEY] = fetcher

        async def worker() -> None:
            for target in pending:  # the iterator is shared: each target taken once
                try:
                    result = await inspect_site(
                        target, config, as_of, shared=shared, on_page=on_page, warc_dir=warc_dir
                    )
                except Exception as exc:  # a site must never end the run
                    log.exception("inspection of %s failed", target.home_url)
                    result = SiteResult(target, errors=[f"inspection failed: {exc!r}"])
                await results.put(result)
            await results.put(None)

        workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
        try:
            running = len(workers)
            while running:
                item = await results.get()
                if item is None:
                    running -= 1
                    continue
                yield item
        finally:
            for w in workers:
                w.cancel()
            await asyncio.gather(*workers, return_exceptions=True)


class _SiteRun:
    def __init__(
        self,
        target: SiteTarget,
        config: EngineConfig,
        as_of: date,
        fetcher: Fetcher,
        shared: dict[str, Any],
        on_page: OnPage | None,
        warc_dir: str | Path | None,
        crawler_factory: CrawlerFactory | None = None,
    ) -> None:
        self.target = target
        self.config = config
        self.fetcher = fetcher
        self.on_page_cb = on_page
        self.result = SiteResult(target)
        self.warc = SiteWarc(warc_dir, target.home_url) if warc_dir else None
        self.blocks = RepeatedBlocks()
        self.ctx = CheckContext(site=target, as_of=as_of, config=config, fetch=self._fetch, cache={}, shared=shared)
        self.page_checks: list[PageCheck] = []
        self.site_checks: list[SiteCheck] = []
        self.check_errors: Counter[str] = Counter()
        self.slots = asyncio.Semaphore(PAGES_IN_FLIGHT)
        self.tasks: set[asyncio.Task[None]] = set()
        if crawler_factory is None:
            self.crawler = Crawler(
                target, config, fetcher, as_of, on_page=self._on_page, on_error=self._on_error, on_trap=self._on_trap
            )
        else:
            self.crawler = crawler_factory(on_page=self._on_page, on_error=self._on_error, on_trap=self._on_trap)
        self.ctx.cache[CRAWL_KEY] = self.crawler

    async def _fetch(self, url: str, method: str = "GET", max_bytes: int | None = None) -> Page:
        return await self.fetcher.fetch(url, method, max_bytes)

    def _instantiate(self) -> None:
        for cls in enabled_checks(self.config.enabled_checks, self.config.disabled_checks):
            try:
                check = cls(self.ctx)
            except CheckDisabled:
                continue
            except Exception as exc:
                self._check_failed(cls.id, self.target.home_url, exc)
                continue
            if isinstance(check, SiteCheck):
                self.site_checks.append(check)
            elif isinstance(check, PageCheck):
                self.page_checks.append(check)

    async def run(self) -> SiteResult:
        start = time.monotonic()
        self._instantiate()
        crawl = await self.crawler.run()
        deadline = self.config.limits.site_deadline
        remaining = max(1.0, deadline - (time.monotonic() - start))
        if self.tasks:
            _done, late = await asyncio.wait(self.tasks, timeout=remaining)
            for task in late:
                task.cancel()
            if late:
                self.result.errors.append(f"{len(late)} pages' checks cut off by the site deadline")
                await asyncio.gather(*late, return_exceptions=True)
        await self._finish_site_checks(max(1.0, deadline * FINISH_SHARE))
        await self._late_evidence()
        if self.warc is not None:
            self.warc.close()
        self.result.pages = crawl.pages
        self.result.stats = {
            "crawl": {k: v for k, v in vars(crawl).items() if k != "extra"},
            "check_errors": sum(self.check_errors.values()),
            "check_errors_by_check": dict(self.check_errors),
            "findings_by_check": dict(Counter(f.check for f in self.result.findings)),
            "elapsed": round(time.monotonic() - start, 3),
            "warc_records": self.warc.records if self.warc else 0,
            "warc": str(self.warc.path) if self.warc and self.warc.records else None,
        }
        return self.result

    # --- pages ------------------------------------------------------------------------

    async def _on_page(self, page: Page) -> None:
        page = self.blocks.mark(page)
        for check in self.page_checks:
            hook = getattr(check, "on_crawled", None)
            if hook is not None:
                try:
                    hook(page)
                except Exception as exc:
                    self._check_failed(check.id, page.url, exc)
        for check in self.site_checks:
            try:
                if (200 <= page.status < 300 or getattr(check, "wants_error_pages", False)) and check.applies_to(page):
                    check.observe(page)
            except Exception as exc:
                self._check_failed(check.id, page.url, exc)
        await self.slots.acquire()
        task = asyncio.create_task(self._page_checks(page))
        self.tasks.add(task)
        task.add_done_callback(self._page_done)

    def _page_done(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.slots.release()

    async def _page_checks(self, page: Page) -> None:
        findings: list[Finding] = []
        waiting: list[tuple[Check, Awaitable[Any]]] = []
        ok = 200 <= page.status < 300
        for check in self.page_checks:
            try:
                if not (ok or getattr(check, "wants_error_pages", False)) or not check.applies_to(page):
                    continue
                out = check.check_page(page)
                if inspect.isawaitable(out):
                    waiting.append((check, out))
                else:
                    findings.extend(out)
            except Exception as exc:
                self._check_failed(check.id, page.url, exc)
        if waiting:
            outs = await asyncio.gather(*(w for _, w in waiting), return_exceptions=True)
            for (check, _), out in zip(waiting, outs, strict=True):
                if isinstance(out, asyncio.CancelledError):
                    raise out
                if isinstance(out, BaseException):
                    self._check_failed(check.id, page.url, out)
                else:
                    findings.extend(out)
        self._keep(findings, page)
        if self.on_page_cb is not None:
            try:
                out = self.on_page_cb(page)
                if inspect.isawaitable(out):
                    await out
            except Exception:
                log.exception("on_page callback failed for %s", page.url)

    def _keep(self, findings: list[Finding], page: Page | None = None) -> None:
        if not findings:
            return
        if self.warc is not None and page is not None:
            here = {normalize_url(page.url), normalize_url(page.requested_url)}
            if any(normalize_url(f.url) in here for f in findings):
                try:
                    ref = self.warc.write(page)
                except OSError as exc:
                    self.result.errors.append(f"WARC write failed: {exc}")
                else:
                    findings = [
                        replace(f, evidence_ref=ref) if normalize_url(f.url) in here and f.evidence_ref is None else f
                        for f in findings
                    ]
        self.result.findings.extend(findings)

    def _check_failed(self, check_id: str, url: str, exc: BaseException) -> None:
        error = CheckError(check_id, url, f"{type(exc).__name__}: {exc}")
        log.warning("%s", error)
        log.debug("traceback of %s", error, exc_info=(type(exc), exc, exc.__traceback__))
        self.check_errors[check_id] += 1
        if len(self.result.errors) < 200:
            self.result.errors.append(str(error))

    async def _finish_site_checks(self, budget: float) -> None:
        finishing = [*(c for c in self.page_checks if hasattr(c, "finish")), *self.site_checks]
        for check in finishing:
            try:
                async with asyncio.timeout(budget):
                    out = await check.finish()
                    self._keep(list(out))
            except TimeoutError:
                self._check_failed(check.id, self.target.home_url, TimeoutError(f"finish() exceeded {budget:g} s"))
            except Exception as exc:
                self._check_failed(check.id, self.target.home_url, exc)

    # --- crawl problems ---------------------------------------------------------------

    async def _late_evidence(self) -> None:
        """Findings that arrived after their page was dropped (links settled by the crawl or at
        the end): fetch those pages again, once, for the WARC file."""
        if self.warc is None:
            return
        # not crawl notices, nor an unreachable home page: asking it again waits out its timeouts once more
        missing = [
            f
            for f in self.result.findings
            if f.evidence_ref is None and not f.check.startswith("crawl.") and f.check not in NO_LATE_EVIDENCE
        ]
        urls = list(dict.fromkeys(f.url for f in missing))[:LATE_EVIDENCE_PAGES]
        refs: dict[str, dict[str, Any]] = {}
        for url in urls:
            try:
                refs[url] = self.warc.write(await self.fetcher.fetch(url))
            except (FetchError, OSError) as exc:
                self.result.errors.append(f"evidence of {url}: {exc}")
        if refs:
            self.result.findings = [
                replace(f, evidence_ref=refs[f.url]) if f.evidence_ref is None and f.url in refs else f
                for f in self.result.findings
            ]

    def _on_error(self, url: str, referrer: str | None, exc: FetchError) -> None:
        for check in self.page_checks:
            hook = getattr(check, "on_fetch_error", None)
            if hook is not None:
                try:
                    hook(url, exc)
                except Exception as err:
                    self._check_failed(check.id, url, err)
        where = referrer or self.target.home_url
        self._keep(
            [
                Finding(
                    site=self.target.home_url,
                    check="crawl.error",
                    severity="notice",
                    url=where,
                    target=url,
                    detail={"error": error_code(exc), "message": str(exc)[:300], "attempts": exc.attempt},
                )
            ]
        )
        if len(self.result.errors) < 200:
            self.result.errors.append(f"{url}: {exc}")

    def _on_trap(self, trap: Trap, referrer: str | None) -> None:
        self._keep(
            [
                Finding(
                    site=self.target.home_url,
                    check="crawl.trap",
                    severity="notice",
                    url=referrer or self.target.home_url,
                    target=trap.example,
                    detail={"kind": trap.kind, "pattern": trap.pattern},
                )
            ]
        )
