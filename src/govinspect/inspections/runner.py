"""The embedded runner: one process, asyncio, several sites at once over one fetcher.

Workers claim site targets one by one (conditional UPDATE), crawl and check the site with the
engine, and hand the result to a single database thread that stores it atomically — so at
most ``concurrency`` sites' findings are in memory and a stop at any moment loses nothing
stored and stores nothing twice. ``resume`` puts the targets left running back in the queue.

Accounts are inspected after the sites through ``govinspect.newmedia.services.inspect_accounts``
(issue 10) when that module exists. The accounts the sites list on their 新媒体矩阵 pages
(``engine.newmedia_matrix``, read by ``PageCounter`` as the pages pass) are kept with each site
target (``stats["newmedia_matrix"]``) and, once the sites and accounts are done, compared with
the register by ``newmedia.services.register_check`` (``newmedia.unfiled`` of the listing site,
``newmedia.closed_but_active``): ``register_check_from_crawl``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import close_old_connections, connections
from django.utils import timezone

from govinspect.engine.config import EngineConfig
from govinspect.engine.page.model import Page
from govinspect.engine.target import SiteTarget
from govinspect.findings import Finding as FindingRecord
from govinspect.indicators.load import active
from govinspect.inspections import services
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.registry.models import Site

log = logging.getLogger(__name__)

# (target, config, as_of, shared, on_page) -> an object with .findings, .pages, .stats, .errors
Inspector = Callable[..., Any]
Progress = Callable[["RunState"], None]
ACCOUNT_BATCH = 200
MATRIX_STAT = "newmedia_matrix"  # InspectionTarget.stats key: the site's 新媒体矩阵 listings
MATRIX_MAX = 500  # listings kept per site (a real matrix page lists tens)


@dataclass
class RunState:
    inspection_id: int
    sites_total: int
    sites_done: int = 0
    accounts_total: int = 0
    accounts_done: int = 0
    findings: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)
    stopped: bool = False
    accounts_skipped: str = ""  # why accounts were not inspected, if they were not
    register_check: Any = None  # what register_check_from_crawl stored (newmedia.services.RegisterCheck)
    own_sites: int = 0  # sites this process stored (the others are the helpers')
    helper_failures: int = 0


class PageCounter:
    """Counts what the shares and W-V6 need per site: policy documents and service guides; and
    keeps the accounts the site's 新媒体矩阵 pages list (for ``newmedia.unfiled``)."""

    def __init__(self, home_url: str) -> None:
        self.home_url = home_url
        self.policy_documents = 0
        self.guides = 0
        self._matrix: dict[tuple[str, str], tuple[tuple[bool, int, str], dict[str, str]]] = {}

    def __call__(self, page: Page) -> None:
        from govinspect.engine import newmedia_matrix, policydoc
        from govinspect.engine.checks.service.guide_incomplete import guide_elements_once

        if page.kind != "html" or not 200 <= page.status < 300:
            return
        if policydoc.recognise_once(page, self.home_url) is not None:  # the checks already asked
            self.policy_documents += 1
        if guide_elements_once(page) is not None:  # the guide check already asked
            self.guides += 1
        listed = newmedia_matrix.read_once(page)
        if listed is not None:
            for x in listed.listings:
                self._keep(listed, x)

    def _keep(self, listed: Any, x: Any) -> None:
        """One entry per account and site, on a stable page whatever the crawl order: a page that
        declares itself a matrix page before one with only a heading (a sidebar block on every
        page), then the shortest URL."""
        key = (x.platform, x.platform_id or x.name)
        rank = (not listed.declared, len(listed.url), listed.url)
        held = self._matrix.get(key)
        if held is None and len(self._matrix) >= MATRIX_MAX:
            return
        if held is None or rank < held[0]:
            entry = {"page": listed.url, "platform": x.platform, "name": x.name, "id": x.platform_id}
            self._matrix[key] = (rank, entry)

    @property
    def matrix(self) -> list[dict[str, str]]:
        return [entry for _, entry in sorted(self._matrix.values(), key=lambda v: v[0])]

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"policy_documents": self.policy_documents, "guides": self.guides}
        if self.matrix:
            out[MATRIX_STAT] = self.matrix
        return out


def matrix_entries(inspection: Inspection) -> list[Any]:
    """The 新媒体矩阵 listings the crawl stored with the inspection's site targets, as
    ``newmedia.checks.MatrixEntry`` (site = the site's home URL in the register now)."""
    from govinspect.newmedia.checks import MatrixEntry

    out = []
    rows = InspectionTarget.objects.filter(inspection=inspection, site__isnull=False)
    for home, stats in rows.values_list("site__home_url", "stats").iterator(chunk_size=500):
        for e in (stats or {}).get(MATRIX_STAT) or ():
            out.append(MatrixEntry(home, e["page"], e["platform"], e["name"], e.get("id") or ""))
    return out


def register_check_from_crawl(inspection: Inspection) -> Any:
    """``newmedia.services.register_check`` with what the crawl read on the sites' 新媒体矩阵
    pages; None when the new-media module is not installed. Idempotent (findings upserted by
    fingerprint), so a resumed run simply calls it again."""
    try:
        from govinspect.newmedia.services import register_check
    except ImportError:
        return None
    try:
        return register_check(inspection, matrix_entries(inspection))
    except Exception:  # the sites and accounts are stored: this never ends the run
        log.exception("new-media register check of inspection %s failed", inspection.pk)
        return None


def site_target(site: Site) -> SiteTarget:
    return SiteTarget(
        home_url=site.home_url,
        name=site.name,
        site_code=site.site_code,
        extra_hosts=tuple(site.extra_hosts or ()),
        organizer=site.organizer.name if site.organizer_id else "",
        category=site.category,
        offers_services=site.offers_services,
        icp=site.icp,
        police_filing=site.police_filing,
        region_code=site.region.code if site.region_id else "",
    )


async def _engine_inspect(
    target: SiteTarget, config: EngineConfig, as_of: date, shared: dict[str, Any], on_page: Any
) -> Any:
    from govinspect.engine.run import inspect_site

    return await inspect_site(target, config, as_of, shared=shared, on_page=on_page)


class EmbeddedRunner:
    def __init__(
        self,
        inspection: Inspection,
        config: EngineConfig | None = None,
        *,
        concurrency: int = 4,
        progress: Progress | None = None,
        inspector: Inspector | None = None,
        stop_after: int | None = None,
        count_pages: bool = True,
        processes: int = 1,
        helper: bool = False,
    ) -> None:
        self.inspection = inspection
        self.config = config or EngineConfig()
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.inspector = inspector or _engine_inspect
        self.stop_after = stop_after  # stop (as if interrupted) once this many sites are stored
        self.count_pages = count_pages
        # helper processes claim sites and account batches from the same queue (the claims make
        # that safe); a helper neither requeues nor closes the inspection: the main runner does
        self.processes = max(1, processes)
        self.helper = helper
        self.db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govinspect-db")
        self.state = RunState(inspection.pk, inspection.sites_total, accounts_total=inspection.accounts_total)
        self._stop = asyncio.Event()

    async def _db(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        loop = asyncio.get_running_loop()

        def call() -> Any:
            close_old_connections()
            return fn(*args, **kw)

        # in this run's context: the account checks read the inspection's catalogue too
        return await loop.run_in_executor(self.db, contextvars.copy_context().run, call)

    def _start(self) -> None:
        if not self.helper:
            services.requeue_interrupted(self.inspection)
            Inspection.objects.filter(pk=self.inspection.pk).update(
                status=Inspection.Status.RUNNING, started_at=self.inspection.started_at or timezone.now()
            )
        self.inspection.refresh_from_db()
        self.state.sites_done = self.inspection.sites_done
        self.state.accounts_done = self.inspection.accounts_done
        self.state.findings = self.inspection.findings_seen

    def _claim(self) -> tuple[InspectionTarget, SiteTarget] | None:
        target = services.claim_next(self.inspection)
        if target is None:
            return None
        site = Site.objects.select_related("organizer", "region").get(pk=target.site_id)
        target.inspection = self.inspection
        return target, site_target(site)

    async def _worker(self, shared: dict[str, Any]) -> None:
        while not self._stop.is_set():
            claimed = await self._db(self._claim)
            if claimed is None:
                return
            target, site = claimed
            counter = PageCounter(site.home_url) if self.count_pages else None
            failed = False
            try:
                result = await self.inspector(site, self.config, self.inspection.as_of, shared, counter)
                findings, pages = list(result.findings), int(result.pages)
                stats, errors = dict(getattr(result, "stats", {}) or {}), list(getattr(result, "errors", []))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one site never ends the run
                log.exception("inspection of %s failed", site.home_url)
                findings, pages, stats, errors, failed = [], 0, {}, [f"inspection failed: {exc!r}"], True
            if counter is not None:
                stats.update(counter.stats())
            stats.pop("check_errors_by_check", None)
            if self._stop.is_set():
                return  # interrupted: leave the target running, resume inspects it again
            await self._db(services.persist, target, findings, pages=pages, stats=stats, errors=errors, failed=failed)
            self.state.failed += failed
            self.state.own_sites += 1
            if self.processes > 1:  # the others' progress too
                done, seen = await self._db(self._counts)
                self.state.sites_done, self.state.findings = done, seen
            else:
                self.state.sites_done += 1
                self.state.findings += len(findings)
            if self.progress:
                self.progress(self.state)
            if self.stop_after is not None and self.state.sites_done >= self.stop_after:
                self._stop.set()

    async def run_sites(self) -> None:
        from govinspect.engine.fetch.transport import Fetcher
        from govinspect.engine.run import FETCHER_KEY

        shared: dict[str, Any] = {}
        async with Fetcher(self.config) as fetcher:
            shared[FETCHER_KEY] = fetcher
            workers = [asyncio.create_task(self._worker(shared)) for _ in range(self.concurrency)]
            try:
                await asyncio.gather(*workers)
            finally:
                for w in workers:
                    w.cancel()
                await asyncio.gather(*workers, return_exceptions=True)

    def run_accounts(self) -> None:
        """Inspect the account targets through the new-media module (synchronous, in the DB thread)."""
        try:
            from govinspect.newmedia.services import inspect_accounts
        except ImportError:
            self.state.accounts_skipped = "政务新媒体检查模块（govinspect.newmedia.services）尚未安装"
            return
        while not self._stop.is_set():
            batch: list[InspectionTarget] = []
            for _ in range(ACCOUNT_BATCH):
                target = services.claim_next(self.inspection, accounts=True)
                if target is None:
                    break
                target.inspection = self.inspection
                batch.append(target)
            if not batch:
                return
            by_account = {t.account_id: t for t in batch}
            outcomes: list[services.Outcome] = []
            results: Iterator[tuple[Any, list[FindingRecord]]] = inspect_accounts(
                [t.account for t in batch], self.inspection.as_of
            )
            for account, findings in results:
                target = by_account.pop(account.pk)
                outcomes.append(services.Outcome(target, list(findings)))
                self.state.findings += len(findings)
            # an account the module said nothing about is a failure, not a pass
            outcomes += [
                services.Outcome(t, errors=["no result from the new-media inspection"], failed=True)
                for t in by_account.values()
            ]
            services.persist_batch(self.inspection, outcomes)
            if self.processes > 1:
                self.state.accounts_done = Inspection.objects.values_list("accounts_done", flat=True).get(
                    pk=self.inspection.pk
                )
            else:
                self.state.accounts_done += len(outcomes)
            if self.progress:
                self.progress(self.state)

    def _counts(self) -> tuple[int, int]:
        row = Inspection.objects.filter(pk=self.inspection.pk).values_list("sites_done", "findings_seen").get()
        return int(row[0]), int(row[1])

    def _spawn_helpers(self) -> list[Any]:
        import multiprocessing

        from govinspect.inspections.helper import helper_main

        ctx = multiprocessing.get_context("spawn")
        helpers = []
        for n in range(self.processes - 1):
            p = ctx.Process(
                target=helper_main,
                args=(self.inspection.pk, self.config, self.concurrency, self.count_pages),
                name=f"govinspect-runner-{n + 1}",
                daemon=True,
            )
            p.start()
            helpers.append(p)
        return helpers

    async def run(self) -> RunState:
        # the checks read the thresholds in force when the inspection was created (national →
        # province file → the province administrator's overrides), the scoring reads the same
        with active(await self._db(services.catalogue_for, self.inspection)):
            return await self._run()

    async def _run(self) -> RunState:
        await self._db(self._start)
        helpers = [] if self.helper else self._spawn_helpers()
        try:
            await self.run_sites()
            if not self._stop.is_set():  # helpers take account batches from the same queue
                await self._db(self.run_accounts)
            loop = asyncio.get_running_loop()
            for p in helpers:  # their last batches finish before the close
                await loop.run_in_executor(None, p.join)
                if p.exitcode:
                    log.error("runner helper %s ended with exit code %s", p.name, p.exitcode)
                    self.state.helper_failures += 1
            if not self.helper and not self._stop.is_set():  # every site stored: their matrix listings
                self.state.register_check = await self._db(register_check_from_crawl, self.inspection)
        finally:
            for p in helpers:
                if p.is_alive():
                    p.terminate()  # interrupted: their running targets are requeued on resume
            self.state.stopped = self._stop.is_set()
            await self._db(connections.close_all if self.helper else self._close)
            self.db.shutdown(wait=True)
        return self.state

    def _close(self) -> None:
        inspection = services.finish(self.inspection)
        if inspection.status != Inspection.Status.DONE:
            Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.INTERRUPTED)
        connections.close_all()  # this thread's connection must not outlive the run


def run_inspection(inspection: Inspection, config: EngineConfig | None = None, **kw: Any) -> RunState:
    """Run (or resume) an inspection to the end with the embedded runner, then screenshot the
    archived pages that carry its findings (when ``config.warc_dir`` archived them and
    settings.INSPECTION_SCREENSHOTS is on; a failure there is logged, never raised)."""
    state = asyncio.run(EmbeddedRunner(inspection, config, **kw).run())
    if not state.stopped:
        from govinspect.web.screenshot import capture_after

        capture_after(inspection)
    return state
