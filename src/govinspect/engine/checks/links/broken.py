"""links.broken: links, images, scripts, stylesheets and attachments that fail (W-D7).

Every http(s) target of a page is checked once per inspection (internal targets in the
site's cache, external ones in the run-wide cache; one request in flight per URL):
- pages (``a``/``area``/``iframe``/``frame``/Hanweb datastore links without a file
  extension of a download or a medium): GET of the first 64 KB, so a soft 404 is seen;
- everything else: HEAD, then GET when HEAD gets no 2xx/3xx (many servers refuse HEAD
  with 405/501 or answer it wrongly), or when a file or image is answered with text/html
  (a soft 404 behind an attachment link).
A target is broken when it has no answer (``detail.error``: timeout, dns, connect …),
answers 4xx/5xx after redirects (``detail.status``; a chain ending in 404 is broken), or
is a soft 404 (``status`` 200, ``error`` "soft_404"). Pages the crawl itself fetched feed
the cache, and an internal page the crawl is about to fetch is not requested a second time:
the check waits for the crawl's answer in the background (without holding the page) and
reports those links when it arrives, or in ``finish()`` (which also checks itself whatever
the crawl did not reach: page limit, deadline, robots.txt).

Offline inspections: government networks are often isolated. Once per run the check asks
the resolver for a few well-known names (option ``offline``: "auto", or true/false to say
so); when none resolves, a DNS failure of an external host proves nothing about the site
and is not reported (counted as ``unverifiable``). A host whose name does not resolve is
remembered for the run: its other URLs are not requested again.

One finding per (page, target). Links in blocks repeated across the site (header, footer,
navigation) are checked where the block is first seen and not again, so a broken footer
link is one finding, not one per page. Network failures (dns/connect/timeout) of national
infrastructure hosts (``trusted_hosts``, e.g. the 党政机关 mark at conac.cn, the ICP
register at miit.gov.cn) are not reported: an inspection often runs on an isolated
government network where they cannot be reached; their HTTP errors still are.

Options (``check_options["links.broken"]``): ``trusted_hosts`` (list of host suffixes),
``page_bytes`` (default 65536), ``external`` (bool, default config.check_external_links).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar
from urllib.parse import urlsplit

from govinspect.engine.checks.base import CheckContext, PageCheck
from govinspect.engine.checks.links.cache import LinkCache, LinkResult
from govinspect.engine.checks.links.soft404 import NotFoundPrint, fingerprint, is_soft_404, probe_url
from govinspect.engine.crawl.normalize import crawl_url, host_of
from govinspect.engine.fetch.transport import error_code
from govinspect.engine.page.model import Link, Page
from govinspect.engine.page.parse import ATTACHMENT_EXTENSIONS, extension
from govinspect.errors import FetchError
from govinspect.findings import Finding, excerpt

SHARED_CACHE = "links.broken.cache"
SHARED_PROBES = "links.broken.not_found"
SITE_CACHE = "links.broken.cache"
SHARED_DEAD_HOSTS = "links.broken.dead_hosts"
CRAWL_KEY = "engine.crawl"  # ctx.cache: the site's crawler (will_fetch(url) -> bool), set by the pipeline
SHARED_OFFLINE = "links.broken.offline"
WELL_KNOWN_NAMES = ("www.gov.cn", "www.baidu.com", "www.qq.com")

TRUSTED_HOSTS = ("conac.cn", "beian.miit.gov.cn", "beian.gov.cn", "miit.gov.cn")
_NETWORK_ERRORS = frozenset({"dns", "connect", "timeout", "tls"})
_PAGE_TAGS = frozenset({"a", "area", "iframe", "frame", "datastore"})
_CHECKED_LINK_RELS = ("stylesheet", "icon", "apple-touch-icon", "preload", "manifest")
_NOT_PAGES = frozenset(
    {
        *("jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff", "mp3", "mp4", "avi"),
        *("wmv", "flv", "swf", "mov", "m4a", "wav", "css", "js", "exe", "apk", "iso", "dmg"),
    }
)
_RUN_CACHE_CAPACITY = 200_000


class BrokenLinks(PageCheck):
    id: ClassVar[str] = "links.broken"
    indicator: ClassVar[str | None] = "W-D7"
    severity = "deduct"
    description = "链接、图片、附件等无法访问（含软404）"
    wants_error_pages: ClassVar[bool] = True  # a crawled 404 is a checked link

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        opts = ctx.options(self.id)
        self.trusted = tuple(opts.get("trusted_hosts", TRUSTED_HOSTS))
        self.page_bytes = int(opts.get("page_bytes", 65536))
        self.external = bool(opts.get("external", ctx.config.check_external_links))
        self.hosts = ctx.site.hosts
        self.site_cache: LinkCache = ctx.cache.setdefault(SITE_CACHE, LinkCache())
        self.run_cache: LinkCache = ctx.shared.setdefault(SHARED_CACHE, LinkCache(_RUN_CACHE_CAPACITY))
        self.not_found: dict[str, Any] = ctx.shared.setdefault(SHARED_PROBES, {})
        self.dead_hosts: dict[str, LinkResult] = ctx.shared.setdefault(SHARED_DEAD_HOSTS, {})
        offline = opts.get("offline", "auto")
        if offline != "auto":
            ctx.shared[SHARED_OFFLINE] = bool(offline)
        self.checked = 0
        self.unverifiable = 0
        self.awaiting: dict[str, asyncio.Future[LinkResult]] = {}  # crawl URL -> the crawl's answer
        self.late_findings: list[Finding] = []  # links settled by the crawl after their page

    def applies_to(self, page: Page) -> bool:
        return True  # every page feeds the cache; only HTML pages have links

    def _cache(self, url: str) -> LinkCache:
        return self.site_cache if host_of(url) in self.hosts else self.run_cache

    # --- the page ---------------------------------------------------------------------

    def on_crawled(self, page: Page) -> None:
        """The pipeline calls this as the crawl delivers ``page``, before its checks run:
        from now on, links to it wait for its result instead of requesting it again."""
        key = _key(page.requested_url)
        if self.site_cache.peek(key) is None and key not in self.awaiting:
            self.awaiting[key] = asyncio.get_running_loop().create_future()

    def on_fetch_error(self, url: str, exc: FetchError) -> None:
        """The crawl got no answer for ``url``: that is the link's result too."""
        self._settle(_key(url), LinkResult(None, error_code(exc), message=str(exc)[:200]))

    async def check_page(self, page: Page) -> list[Finding]:  # type: ignore[override]
        await self._learn_from(page)
        if page.kind != "html" or not page.links:
            return []
        targets: dict[str, Link] = {}
        for link in page.links:
            if link.in_repeated_block or link.url in targets or not self._wanted(link):
                continue
            targets[link.url] = link
        if not targets:
            return []
        now: dict[str, Link] = {}
        later: list[tuple[Link, asyncio.Future[LinkResult]]] = []
        for url, link in targets.items():
            future = self._crawl_answer(url, link)
            if future is None:
                now[url] = link
            else:
                later.append((link, future))
        for link, future in later:  # a small callback per link, not a task per page: bounded memory
            settled = partial(
                self._settled, page.url, page.is_homepage, link.url, kind_of(link, self.hosts), self._evidence(link)
            )
            future.add_done_callback(settled)
        results = await asyncio.gather(*(self.result(url, link) for url, link in now.items()))
        findings = []
        for (url, link), result in zip(now.items(), results, strict=True):
            if await self._reportable(url, result):
                findings.append(self._finding(page.url, page.is_homepage, link, result))
        return findings

    async def finish(self) -> list[Finding]:
        """Settle the links still waiting for the crawl (checking them now), then report them."""
        open_keys = [k for k, f in self.awaiting.items() if not f.done()]

        async def settle(key: str) -> None:
            self._settle(key, await self._check(key, True))

        await asyncio.gather(*(settle(k) for k in open_keys))
        await asyncio.sleep(0)  # let the futures' callbacks run
        findings, self.late_findings = self.late_findings, []
        return findings

    def _crawl_answer(self, url: str, link: Link) -> asyncio.Future[LinkResult] | None:
        """The future crawl result of an internal page link, or None to check it now."""
        # pages and attachments the crawl follows (not images or media, which it leaves to us)
        if link.tag not in _PAGE_TAGS or extension(url) in _NOT_PAGES or host_of(url) not in self.hosts:
            return None
        key = _key(url)
        if self.site_cache.peek(key) is not None:
            return None
        future = self.awaiting.get(key)
        if future is not None:
            return future
        crawl = self.ctx.cache.get(CRAWL_KEY)
        if crawl is None or not crawl.will_fetch(key):
            return None
        future = self.awaiting[key] = asyncio.get_running_loop().create_future()
        return future

    def _settled(
        self, page_url: str, is_homepage: bool, target: str, kind: str, evidence: str, future: asyncio.Future
    ) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        result: LinkResult = future.result()
        if result.broken:  # internal targets only: never excused, never unverifiable
            self.late_findings.append(self._make(page_url, is_homepage, target, kind, evidence, result))

    def _settle(self, key: str, result: LinkResult) -> None:
        self.site_cache.put(key, result)
        future = self.awaiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(result)

    async def _reportable(self, url: str, result: LinkResult) -> bool:
        return result.broken and not self._excused(url, result) and not await self._unverifiable(url, result)

    async def _unverifiable(self, url: str, result: LinkResult) -> bool:
        """A DNS failure of an external host while the whole internet is out of reach."""
        if result.error != "dns" or host_of(url) in self.hosts:
            return False
        offline = self.ctx.shared.get(SHARED_OFFLINE)
        if offline is None:
            offline = self.ctx.shared.get(SHARED_OFFLINE + ".task")
            if offline is None:
                offline = self.ctx.shared[SHARED_OFFLINE + ".task"] = asyncio.ensure_future(_resolves_nothing())
            offline = self.ctx.shared[SHARED_OFFLINE] = await asyncio.shield(offline)
        if offline:
            self.unverifiable += 1
        return bool(offline)

    def _wanted(self, link: Link) -> bool:
        if not link.url.startswith(("http://", "https://")):
            return False
        if link.tag == "form":
            return False
        if link.tag == "link":
            rel = dict(link.attrs).get("rel", "").lower()
            if not any(r in rel for r in _CHECKED_LINK_RELS):
                return False
        return self.external or host_of(link.url) in self.hosts

    def _excused(self, url: str, result: LinkResult) -> bool:
        if result.error not in _NETWORK_ERRORS:
            return False
        host = (urlsplit(url).hostname or "").lower()
        return any(host == t or host.endswith("." + t) for t in self.trusted)

    def _finding(self, page_url: str, is_homepage: bool, link: Link, result: LinkResult) -> Finding:
        return self._make(page_url, is_homepage, link.url, kind_of(link, self.hosts), self._evidence(link), result)

    @staticmethod
    def _evidence(link: Link) -> str:
        text = link.context or link.text
        at = text.find(link.text) if link.text else -1
        return excerpt(text, max(at, 0), max(at, 0) + len(link.text)) if text else link.raw

    def _make(
        self, page_url: str, is_homepage: bool, target: str, kind: str, evidence: str, result: LinkResult
    ) -> Finding:
        detail: dict[str, Any] = {"where": "homepage" if is_homepage else "page", "kind": kind}
        if result.status is not None:
            detail["status"] = result.status
        if result.error is not None:
            detail["error"] = result.error
        if result.redirects:
            detail["redirects"] = result.redirects
            detail["final_url"] = result.final_url
        return self.finding(page_url, target=target, evidence=evidence, **detail)

    # --- one target -------------------------------------------------------------------

    async def result(self, url: str, link: Link | None = None) -> LinkResult:
        as_page = link is None or (link.tag in _PAGE_TAGS and _is_page_like(url))
        dead = self.dead_hosts.get(urlsplit(url).netloc.lower())
        if dead is not None:
            return dead
        key = _key(url)
        return await self._cache(key).get(key, lambda: self._check(key, as_page))

    async def _check(self, url: str, as_page: bool) -> LinkResult:
        fetch = self.ctx.fetch
        if fetch is None:
            raise RuntimeError("links.broken needs ctx.fetch")
        self.checked += 1
        try:
            suspicious = False
            if not as_page:
                head = await fetch(url, "HEAD")
                # a file or image answered with an HTML page may be a soft 404: look at it
                suspicious = head.content_type.lower().startswith("text/html") and not _is_page_like(url)
                if 200 <= head.status < 400 and not suspicious:
                    return _ok(head)
            page = await fetch(url, "GET", max_bytes=self.page_bytes)
        except FetchError as exc:
            result = LinkResult(None, error_code(exc), message=str(exc)[:200])
            if result.error in ("dns", "tls"):  # the whole host is out of reach
                self.dead_hosts[urlsplit(url).netloc.lower()] = result
            return result
        if page.status >= 400:
            return LinkResult(page.status, None, page.url, len(page.redirects))
        if (as_page or suspicious) and await self._soft_404(page):
            return LinkResult(page.status, "soft_404", page.url, len(page.redirects))
        return _ok(page)

    async def _soft_404(self, page: Page) -> bool:
        if page.kind != "html" or not 200 <= page.status < 300:
            return False
        known = await self._not_found_print(page.url) if not _is_root(page.url) else None
        return is_soft_404(page, known)

    async def _not_found_print(self, url: str) -> NotFoundPrint | None:
        """The host's not-found page, learnt once per run by requesting a random path."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        known = self.not_found.get(origin)
        if known is None:
            known = self.not_found[origin] = asyncio.ensure_future(self._probe(origin))
        return await asyncio.shield(known)

    async def _probe(self, origin: str) -> NotFoundPrint | None:
        assert self.ctx.fetch is not None
        try:
            page = await self.ctx.fetch(probe_url(origin), "GET", max_bytes=self.page_bytes)
        except FetchError:
            return None
        if page.kind == "html" and 200 <= page.status < 300:
            return fingerprint(page)
        return None

    async def _learn_from(self, page: Page) -> None:
        """A page the crawl fetched is a checked link: cache its result."""
        key = _key(page.requested_url)
        cache = self._cache(key)
        if cache.peek(key) is not None:
            return
        if page.status >= 400:
            result = LinkResult(page.status, None, page.url, len(page.redirects))
        elif page.kind == "html" and await self._soft_404(page):
            result = LinkResult(page.status, "soft_404", page.url, len(page.redirects))
        else:
            result = _ok(page)
        if cache is self.site_cache:
            self._settle(key, result)
        else:
            cache.put(key, result)


def _key(url: str) -> str:
    """One spelling per URL (the crawl's): lower-case host, no default port, no session id."""
    return crawl_url(url) or url


async def _resolves_nothing() -> bool:
    """True when none of a few well-known internet names resolves (an isolated network)."""
    loop = asyncio.get_running_loop()
    for name in WELL_KNOWN_NAMES:
        try:
            async with asyncio.timeout(5):
                await loop.getaddrinfo(name, 443)
            return False
        except (OSError, TimeoutError):
            continue
    return True


_OK: dict[int, LinkResult] = {}


def _ok(page: Page) -> LinkResult:
    """A working link: one shared result per status (most of a site's cache is these)."""
    result = _OK.get(page.status)
    if result is None:
        result = _OK[page.status] = LinkResult(page.status)
    return result


def _is_page_like(url: str) -> bool:
    ext = extension(url)
    return ext not in ATTACHMENT_EXTENSIONS and ext not in _NOT_PAGES


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def kind_of(link: Link, hosts: Iterable[str]) -> str:
    """attachment | img | script | css | iframe | external | a (DESIGN.md ``detail.kind``)."""
    ext = extension(link.url)
    if ext in ATTACHMENT_EXTENSIONS:
        return "attachment"
    if link.tag == "img":
        return "img"
    if link.tag == "script":
        return "script"
    if link.tag == "link":
        rel = dict(link.attrs).get("rel", "").lower()
        return "css" if "stylesheet" in rel or ext == "css" else "link"
    if link.tag in ("iframe", "frame"):
        return "iframe"
    if link.tag in ("source", "embed"):
        return "media"
    if host_of(link.url) not in set(hosts):
        return "external"
    return "a"
