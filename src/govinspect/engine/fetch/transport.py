"""The fetcher: aiohttp under politeness, limits and retries; aiohttp's exceptions are
translated into ``govinspect.errors`` here and nowhere else.

aiohttp was chosen over httpx by measurement (benchmarks/crawl_client_compare.py, 3,000
loopback requests of a 30 KB page, 16 concurrent): aiohttp ~7,400 requests per CPU-second,
httpx 0.28 ~480 — fifteen times the CPU per request, and the CPU is what a crawl spends.

``Fetcher.fetch`` returns a ``Page`` for every HTTP answer, whatever its status (a 404 is
an answer); it raises ``FetchError`` only when there is no answer: timeout, refused or
reset connection, DNS, TLS, too many redirects, too large, decompression bomb.
Redirects are followed by hand (limit, loop detection, chain recorded in ``Page.redirects``).
Transient errors (timeouts, connection errors, 429/503) are retried with exponential
backoff and jitter; a 429/503 still failing after the retries is returned as the page.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import aiohttp
from yarl import URL

from govinspect.engine.config import EngineConfig
from govinspect.engine.fetch.decompress import Inflater
from govinspect.engine.fetch.politeness import Politeness
from govinspect.engine.fetch.robots import RobotsPolicy
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import ATTACHMENT_EXTENSIONS, extension, page_kind, parse_page
from govinspect.errors import (
    ConnectError,
    DecompressionBomb,
    DNSError,
    FetchError,
    PermanentError,
    Timeout,
    TLSError,
    TooLarge,
    TooManyRedirects,
    TransientError,
)

_REDIRECTS = (301, 302, 303, 307, 308)
_BUSY = (429, 503)
_CHUNK = 64 * 1024
_MAX_RETRY_AFTER = 30.0


@dataclass(slots=True)
class Response:
    url: str  # final URL
    requested_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()
    elapsed: float = 0.0
    truncated: bool = False
    attempts: int = 1
    extra: dict[str, object] = field(default_factory=dict)


class Fetcher:
    """One per run (shared by all sites): one connection pool, one set of host slots."""

    def __init__(self, config: EngineConfig, *, politeness: Politeness | None = None) -> None:
        self.config = config
        lim = config.limits
        self.politeness = politeness or Politeness(lim.per_host_connections, lim.per_host_delay, lim.global_connections)
        self.robots = RobotsPolicy(self._robots_text, config.user_agent, config.obey_robots)
        self._session: aiohttp.ClientSession | None = None
        self.requests = 0
        self.bytes = 0
        self.retries = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            lim = self.config.limits
            connector = aiohttp.TCPConnector(
                limit=lim.global_connections,
                limit_per_host=lim.per_host_connections,
                ttl_dns_cache=300,
                enable_cleanup_closed=False,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                cookie_jar=aiohttp.CookieJar(unsafe=True),
                headers={
                    "User-Agent": self.config.user_agent,
                    "Accept-Encoding": "gzip, deflate",
                    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                    "Accept-Language": "zh-CN,zh;q=0.9",
                },
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=self.config.timeouts.connect, sock_read=self.config.timeouts.read
                ),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    # --- public -------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        method: str = "GET",
        max_bytes: int | None = None,
        *,
        depth: int = 0,
        referrer: str | None = None,
        is_homepage: bool = False,
    ) -> Page:
        """Fetch and parse. ``max_bytes`` given: the body is cut there (``extra["truncated"]``);
        None: the configured caps apply and a larger body raises ``TooLarge``."""
        resp = await self.request(url, method, max_bytes)
        return self.to_page(resp, depth=depth, referrer=referrer, is_homepage=is_homepage)

    def to_page(self, resp: Response, *, depth: int = 0, referrer: str | None = None, is_homepage: bool = False):
        fetched_at = datetime.now(UTC)
        if resp.extra.get("method") == "HEAD":
            ctype = resp.headers.get("content-type", "")
            page = Page(
                url=resp.url,
                requested_url=resp.requested_url,
                status=resp.status,
                headers=resp.headers,
                kind=page_kind(resp.url, ctype, b"", resp.headers),
                content_type=ctype,
                depth=depth,
                referrer=referrer,
                is_homepage=is_homepage,
                fetched_at=fetched_at,
                redirects=resp.redirects,
            )
        else:
            page = parse_page(
                resp.url,
                resp.body,
                status=resp.status,
                headers=resp.headers,
                requested_url=resp.requested_url,
                depth=depth,
                referrer=referrer,
                is_homepage=is_homepage,
                fetched_at=fetched_at,
                redirects=resp.redirects,
            )
        page.extra.update(elapsed=round(resp.elapsed, 3), attempts=resp.attempts)
        if resp.truncated:
            page.extra["truncated"] = True
        return page

    async def request(self, url: str, method: str = "GET", max_bytes: int | None = None) -> Response:
        """One logical request: transient errors and 429/503 retried, redirects followed."""
        retries = self.config.limits.retries
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = await self._follow(url, method.upper(), max_bytes, attempt)
            except TransientError as exc:
                if attempt > retries:
                    exc.attempt = attempt
                    raise
                self.retries += 1
                await asyncio.sleep(self._backoff(attempt, None))
                continue
            resp.attempts = attempt
            if resp.status in _BUSY and attempt <= retries:
                self.retries += 1
                await asyncio.sleep(self._backoff(attempt, _retry_after(resp.headers.get("retry-after"))))
                continue
            return resp

    @staticmethod
    def _backoff(attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), _MAX_RETRY_AFTER)
        base = 0.5 * (2 ** (attempt - 1))
        return base + random.uniform(0, base)  # full jitter on top of the exponential step

    # --- one attempt --------------------------------------------------------------------

    async def _follow(self, url: str, method: str, max_bytes: int | None, attempt: int) -> Response:
        lim = self.config.limits
        chain: list[str] = []
        seen: set[str] = set()
        current = url
        start = time.monotonic()
        while True:
            key = _loop_key(current)
            if key in seen:
                raise TooManyRedirects(url, f"redirect loop at {current}", attempt)
            seen.add(key)
            status, headers, body, truncated = await self._one(current, method, max_bytes, attempt)
            if status in _REDIRECTS and "location" in headers:
                if len(chain) >= lim.max_redirects:
                    raise TooManyRedirects(url, f"more than {lim.max_redirects} redirects", attempt)
                chain.append(current)
                target = _redirect_target(current, headers["location"])
                if target is None:
                    raise PermanentError(url, f"redirect to an invalid location {headers['location']!r}", attempt)
                current = target
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method = "GET"
                continue
            return Response(
                url=current,
                requested_url=url,
                status=status,
                headers=headers,
                body=body,
                redirects=tuple(chain),
                elapsed=time.monotonic() - start,
                truncated=truncated,
                extra={"method": method},
            )

    async def _one(
        self, url: str, method: str, max_bytes: int | None, attempt: int
    ) -> tuple[int, dict[str, str], bytes, bool]:
        session = self._open()
        host = urlsplit(url).netloc
        lim = self.config.limits
        try:
            target = URL(url, encoded=_is_encoded(url))
        except (ValueError, TypeError) as exc:
            raise PermanentError(url, f"invalid URL: {exc}", attempt) from None
        total = self.config.timeouts.total
        async with self.politeness.slot(host):
            self.requests += 1
            try:
                # the total timeout starts once a connection slot is ours, not while queueing for it
                async with asyncio.timeout(total), session.request(method, target, allow_redirects=False) as resp:
                    headers = _headers(resp)
                    status = resp.status
                    if method == "HEAD" or status in _REDIRECTS:
                        return status, headers, b"", False
                    if max_bytes is not None:
                        limit, truncate = max_bytes, True
                    else:
                        is_attachment = (
                            extension(url) in ATTACHMENT_EXTENSIONS
                            or page_kind(url, headers.get("content-type", ""), b"", headers) == "attachment"
                        )
                        limit = lim.max_attachment_bytes if is_attachment else lim.max_html_bytes
                        truncate = False
                    declared = headers.get("content-length", "")
                    if (
                        not truncate
                        and declared.isdigit()
                        and int(declared) > limit
                        and not headers.get("content-encoding")
                    ):
                        raise TooLarge(url, f"Content-Length {declared} exceeds {limit} bytes", attempt)
                    inflater = Inflater(
                        url, headers.get("content-encoding", ""), limit, lim.max_decompression_ratio, truncate
                    )
                    async for chunk in resp.content.iter_chunked(_CHUNK):
                        self.bytes += len(chunk)
                        inflater.feed(chunk)
                        if inflater.done:
                            break
                    return status, headers, inflater.finish(), inflater.truncated
            except FetchError:
                raise
            except TimeoutError:
                raise Timeout(
                    url, f"no complete answer within {total:g} s (or a read/connect timeout)", attempt
                ) from None
            except aiohttp.ClientConnectorDNSError as exc:
                raise DNSError(url, f"DNS: {exc.os_error}", attempt) from None
            except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError) as exc:
                raise TLSError(url, f"TLS: {exc}", attempt) from None
            except aiohttp.ClientConnectorError as exc:
                raise ConnectError(url, f"connect: {exc.os_error}", attempt) from None
            except aiohttp.ClientPayloadError as exc:
                raise ConnectError(url, f"body cut short: {_cause(exc)}", attempt) from None
            except aiohttp.ServerDisconnectedError:
                raise ConnectError(url, "server closed the connection", attempt) from None
            except aiohttp.ClientResponseError as exc:
                raise PermanentError(url, f"invalid HTTP response: {exc.message}", attempt) from None
            except (aiohttp.ClientOSError, ConnectionError) as exc:
                raise ConnectError(url, f"connection: {exc}", attempt) from None
            except (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError, ValueError) as exc:
                raise PermanentError(url, f"invalid URL: {exc}", attempt) from None
            except aiohttp.ClientError as exc:
                raise PermanentError(url, f"{type(exc).__name__}: {exc}", attempt) from None

    async def _robots_text(self, url: str) -> tuple[int, str]:
        # one attempt, no retries: a robots.txt that does not answer must not delay the home page
        resp = await self._follow(url, "GET", 512 * 1024, 1)
        return resp.status, resp.body.decode("utf-8", "replace")


def _headers(resp: aiohttp.ClientResponse) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in resp.headers.items():
        k = key.lower()
        out[k] = f"{out[k]}, {value}" if k in out else value
    return out


def _cause(exc: BaseException) -> str:
    inner = exc.__cause__ or exc.__context__
    return f"{exc} ({inner})" if inner else str(exc)


def _redirect_target(current: str, location: str) -> str | None:
    try:
        target = urljoin(current, location.strip())
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return target.split("#", 1)[0]


def _loop_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}?{parts.query}"


def _is_encoded(url: str) -> bool:
    """A URL already percent-encoded and plain ASCII is sent as written."""
    return url.isascii() and " " not in url and "%" in url


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_ERROR_CODES: tuple[tuple[type[FetchError], str], ...] = (
    (Timeout, "timeout"),
    (DNSError, "dns"),
    (TLSError, "tls"),
    (ConnectError, "connect"),
    (TooManyRedirects, "redirects"),
    (TooLarge, "too_large"),
    (DecompressionBomb, "decompression_bomb"),
    (PermanentError, "protocol"),
)


def error_code(exc: FetchError) -> str:
    """A short stable code for a fetch failure (``detail.error`` of findings)."""
    for cls, code in _ERROR_CODES:
        if isinstance(exc, cls):
            return code
    return "fetch"
