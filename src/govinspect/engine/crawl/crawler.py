"""The crawl of one site: breadth first from the home page (plus sitemap.xml seeds), within
the site's hosts, depth and page limits, around traps, until done or the site deadline.

Workers share one FIFO frontier. A URL enters the frontier once (``SeenSet`` of 64-bit
hashes) and only while fewer than ``max_pages`` URLs were accepted, so the frontier never
holds more than ``max_pages`` entries. Pages are handed to ``on_page`` as they arrive and
not kept. Fetch failures go to ``on_error``, traps to ``on_trap``: the pipeline turns them
into ``crawl.error`` and ``crawl.trap`` notices.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from govinspect.engine.config import EngineConfig
from govinspect.engine.crawl.dedupe import SeenSet
from govinspect.engine.crawl.normalize import crawl_url, host_of, url_key
from govinspect.engine.crawl.sitemap import sitemap_urls
from govinspect.engine.crawl.traps import Trap, TrapDetector
from govinspect.engine.fetch.transport import Fetcher
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import extension
from govinspect.engine.target import SiteTarget
from govinspect.errors import FetchError

log = logging.getLogger(__name__)

FOLLOW_TAGS = frozenset({"a", "area", "iframe", "frame", "datastore"})
# linked, checked by links.broken, but not pages to crawl
MEDIA_EXTENSIONS = frozenset(
    {
        *("jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "mp3", "mp4", "avi"),
        *("wmv", "flv", "swf", "mov", "m4a", "wav", "css", "js", "exe", "apk", "iso", "dmg"),
    }
)

OnPage = Callable[[Page], Awaitable[None]]
OnError = Callable[[str, str | None, FetchError], None]
OnTrap = Callable[[Trap, str | None], None]


@dataclass
class CrawlStats:
    pages: int = 0
    attachments: int = 0
    fetch_errors: int = 0
    robots_skipped: int = 0
    out_of_scope: int = 0
    trapped: int = 0
    limit_skipped: int = 0
    sitemap_seeds: int = 0
    accepted: int = 0
    seen: int = 0
    stopped: str = ""  # "" | "deadline" | "page_limit"
    elapsed: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


class Crawler:
    def __init__(
        self,
        target: SiteTarget,
        config: EngineConfig,
        fetcher: Fetcher,
        as_of: date,
        *,
        on_page: OnPage,
        on_error: OnError,
        on_trap: OnTrap,
        workers: int | None = None,
    ) -> None:
        self.target = target
        self.config = config
        self.fetcher = fetcher
        self.hosts = target.hosts
        self.on_page = on_page
        self.on_error = on_error
        self.on_trap = on_trap
        self.traps = TrapDetector(as_of)
        self.seen = SeenSet()
        self.pending: set[int] = set()  # accepted, not visited yet (bounded by the frontier)
        self.stats = CrawlStats()
        self.queue: asyncio.Queue[tuple[str, int, str | None]] = asyncio.Queue()
        lim = config.limits
        self.workers = workers or max(1, min(32, lim.per_host_connections * len(self.hosts)))
        self.home = crawl_url(target.home_url) or target.home_url

    def in_scope(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def will_fetch(self, url: str) -> bool:
        """True when ``url`` (a crawl URL) is in the frontier, to be fetched by this crawl."""
        return url_key(url) in self.pending

    async def run(self) -> CrawlStats:
        start = time.monotonic()
        self._accept(self.home, 0, None, raw=self.home, force=True)
        tasks = [asyncio.create_task(self._worker(i == 0)) for i in range(self.workers)]
        try:
            async with asyncio.timeout(self.config.limits.site_deadline):
                await self.queue.join()
        except TimeoutError:
            self.stats.stopped = "deadline"
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.stats.elapsed = time.monotonic() - start
            self.stats.seen = len(self.seen)
        return self.stats

    def _accept(self, url: str, depth: int, referrer: str | None, *, raw: str, force: bool = False) -> None:
        key = url_key(url)
        if key in self.seen:
            return
        if not force:
            trap = self.traps.check(url, raw)
            if trap is not None:
                self.seen.add(key)
                self.stats.trapped += 1
                if trap.kind != "stopped" and self.traps.traps and self.traps.traps[-1] is trap:
                    self.on_trap(trap, referrer)
                return
            if self.stats.accepted >= self.config.limits.max_pages:
                self.stats.limit_skipped += 1
                if not self.stats.stopped:
                    self.stats.stopped = "page_limit"
                return
        else:
            self.traps.check(url, raw)  # still notes session ids
        self.seen.add(key)
        self.pending.add(key)
        self.stats.accepted += 1
        self.queue.put_nowait((url, depth, referrer))

    async def _worker(self, seeds_sitemap: bool) -> None:
        while True:
            url, depth, referrer = await self.queue.get()
            try:
                await self._visit(url, depth, referrer)
                if seeds_sitemap and depth == 0 and url == self.home:
                    await self._seed_sitemaps()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one URL kill a worker
                log.exception("crawl of %s failed", url)
            finally:
                self.pending.discard(url_key(url))
                self.queue.task_done()

    async def _visit(self, url: str, depth: int, referrer: str | None) -> None:
        is_home = url == self.home
        if is_home:
            await self._honour_crawl_delay()
        if not is_home and not await self.fetcher.robots.allowed(url):
            self.stats.robots_skipped += 1
            return
        try:
            page = await self.fetcher.fetch(url, depth=depth, referrer=referrer, is_homepage=is_home)
        except FetchError as exc:
            self.stats.fetch_errors += 1
            self.on_error(url, referrer, exc)
            return
        if page.url != url:
            if not self.in_scope(page.url):
                self.stats.out_of_scope += 1
                return
            final = crawl_url(page.url)
            if final and not self.seen.add(url_key(final)):
                # redirected to a page this crawl fetched or will fetch: checked there, once
                self.stats.extra["redirect_duplicates"] = int(self.stats.extra.get("redirect_duplicates", 0)) + 1
                return
        self.stats.pages += 1
        if page.kind == "attachment":
            self.stats.attachments += 1
        # links first: checks of this page then know which of its targets the crawl will fetch
        if page.kind == "html" and 200 <= page.status < 300 and depth < self.config.limits.max_depth:
            self._discover(page, depth + 1)
        await self.on_page(page)

    def _discover(self, page: Page, depth: int) -> None:
        for link in page.links:
            if link.tag not in FOLLOW_TAGS:
                continue
            url = crawl_url(link.url)
            if url is None or not self.in_scope(url):
                continue
            if extension(url) in MEDIA_EXTENSIONS:
                continue
            self._accept(url, depth, page.url, raw=link.url)

    async def _honour_crawl_delay(self) -> None:
        delay = await self.fetcher.robots.crawl_delay(self.home)
        if delay > self.config.limits.per_host_delay:
            for host in self.hosts:
                self.fetcher.politeness.set_delay(host, delay)
            self.stats.extra["crawl_delay"] = delay

    async def _seed_sitemaps(self) -> None:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.home))
        roots = [origin + "/sitemap.xml"]
        try:
            parser = await self.fetcher.robots.rules(origin) if self.config.obey_robots else None
            if parser is not None:
                roots = [*(parser.site_maps() or []), *roots]
        except Exception:
            pass

        async def fetch_bytes(u: str) -> tuple[int, bytes]:
            resp = await self.fetcher.request(u, "GET", max_bytes=20 * 1024 * 1024)
            return resp.status, resp.body

        urls = await sitemap_urls(fetch_bytes, roots, self.config.limits.max_pages)
        for raw in urls:
            url = crawl_url(raw)
            if url and self.in_scope(url):
                self.stats.sitemap_seeds += 1
                self._accept(url, 1, self.home, raw=raw)
