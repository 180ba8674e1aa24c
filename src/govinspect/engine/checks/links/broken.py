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
the cache, so an internal page linked from many pages costs no extra request.

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
from typing import Any, ClassVar
from urllib.parse import urlsplit

from govinspect.engine.checks.base import CheckContext, PageCheck
from govinspect.engine.checks.links.cache import LinkCache, LinkResult
from govinspect.engine.checks.links.soft404 import NotFoundPrint, fingerprint, is_soft_404, probe_url
from govinspect.engine.crawl.normalize import host_of
from govinspect.engine.fetch.transport import error_code
from govinspect.engine.page.model import Link, Page
from govinspect.engine.page.parse import ATTACHMENT_EXTENSIONS, extension
from govinspect.errors import FetchError
from govinspect.findings import Finding, excerpt

SHARED_CACHE = "links.broken.cache"
SHARED_PROBES = "links.broken.not_found"
SITE_CACHE = "links.broken.cache"
SHARED_DEAD_HOSTS = "links.broken.dead_hosts"
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

    def applies_to(self, page: Page) -> bool:
        return True  # every page feeds the cache; only HTML pages have links

    def _cache(self, url: str) -> LinkCache:
        return self.site_cache if host_of(url) in self.hosts else self.run_cache

    # --- the page ---------------------------------------------------------------------

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
        results = await asyncio.gather(*(self.result(url, link) for url, link in targets.items()))
        findings = []
        for (url, link), result in zip(targets.items(), results, strict=True):
            if result.broken and not self._excused(url, result) and not await self._unverifiable(url, result):
                findings.append(self._finding(page, link, result))
        return findings

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

    def _finding(self, page: Page, link: Link, result: LinkResult) -> Finding:
        detail: dict[str, Any] = {
            "where": "homepage" if page.is_homepage else "page",
            "kind": kind_of(link, self.hosts),
        }
        if result.status is not None:
            detail["status"] = result.status
        if result.error is not None:
            detail["error"] = result.error
        if result.redirects:
            detail["redirects"] = result.redirects
            detail["final_url"] = result.final_url
        text = link.context or link.text
        at = text.find(link.text) if link.text else -1
        evidence = excerpt(text, max(at, 0), max(at, 0) + len(link.text)) if text else link.raw
        return self.finding(page.url, target=link.url, evidence=evidence, **detail)

    # --- one target -------------------------------------------------------------------

    async def result(self, url: str, link: Link | None = None) -> LinkResult:
        as_page = link is None or (link.tag in _PAGE_TAGS and _is_page_like(url))
        dead = self.dead_hosts.get(urlsplit(url).netloc.lower())
        if dead is not None:
            return dead
        return await self._cache(url).get(url, lambda: self._check(url, as_page))

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
        url = page.requested_url
        cache = self._cache(url)
        if cache.peek(url) is not None:
            return
        if page.status >= 400:
            cache.put(url, LinkResult(page.status, None, page.url, len(page.redirects)))
        elif page.kind == "html" and await self._soft_404(page):
            cache.put(url, LinkResult(page.status, "soft_404", page.url, len(page.redirects)))
        else:
            cache.put(url, _ok(page))


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


def _ok(page: Page) -> LinkResult:
    return LinkResult(page.status, None, page.url, len(page.redirects))


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
