"""Serve a built sandbox: every site on its own loopback port, from one asyncio process.

A minimal HTTP/1.1 server on raw asyncio protocols (keep-alive, GET/HEAD), fast enough never to be
the bottleneck of a crawl benchmark. Behaviours per site come from ``sites.json``:
unreachable (port refused or connection reset), hanging (accepts, never answers), soft 404
(200 + 页面不存在 for missing paths), redirect chains, search of several qualities, an endless
calendar and session ids in URLs (crawler traps). One more port, right after the sites, is the
"external" host: ``/news/…`` and ``/pj/…`` answer 200, anything else 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import html
import json
import socket
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from govinspect.errors import ConfigError
from govinspect.findings import Finding
from govinspect.sandbox.attachments import CONTENT_TYPES
from govinspect.sandbox.truth import load_manifest, load_truth, make_bytes_rewriter, port_map

_TYPES = {
    "html": "text/html",
    "css": "text/css",
    "png": "image/png",
    "jpg": "image/jpeg",
    "js": "application/javascript",
    **CONTENT_TYPES,
}
_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
}
_MAX_REQUEST = 16384
_CACHE_BYTES = 64 * 1024 * 1024


class _Cache:
    """A byte-bounded LRU of file bodies (after origin rewriting)."""

    def __init__(self, limit: int = _CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Any:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        size = _size(value)
        if size > self.limit // 8:
            return
        if key in self.data:
            self.size -= _size(self.data.pop(key))
        self.data[key] = value
        self.size += size
        while self.size > self.limit and self.data:
            _, old = self.data.popitem(last=False)
            self.size -= _size(old)


def _size(value: Any) -> int:
    return sum(len(v) for v in value) if isinstance(value, tuple) else len(value)


class Site:
    def __init__(self, root: Path, entry: dict[str, Any]) -> None:
        self.index: int = entry["index"]
        self.code: str = entry["site_code"]
        self.name: str = entry["name"]
        self.entry = entry
        self.root = root / "sites" / self.code
        self.index_path = root / "index" / f"{self.code}.json"
        self.encoding = "gbk" if entry.get("encoding") == "gbk" else "utf-8"
        self.html_type = f"text/html; charset={self.encoding}" if entry.get("charset_in_header", True) else "text/html"
        self._meta: dict[str, Any] | None = None
        self._pinyin: list[str] | None = None
        self.port = 0

    @property
    def meta(self) -> dict[str, Any]:
        if self._meta is None:
            self._meta = (
                json.loads(self.index_path.read_text(encoding="utf-8"))
                if self.index_path.is_file()
                else {"titles": [], "redirects": {}}
            )
        return self._meta

    def pinyin(self) -> list[str]:
        if self._pinyin is None:
            from pypinyin import lazy_pinyin

            self._pinyin = ["".join(lazy_pinyin(t[0])).lower() for t in self.meta["titles"]]
        return self._pinyin


class SandboxApp:
    """Request routing shared by all ports; ``ports`` filled in when listening."""

    def __init__(self, directory: str | Path, host: str = "127.0.0.1") -> None:
        self.dir = Path(directory)
        self.manifest = load_manifest(self.dir)
        self.as_of = date.fromisoformat(self.manifest["as_of"])
        self.host = host
        self.sites = [Site(self.dir, e) for e in self.manifest["sites"]]
        self.external_index = len(self.sites)
        self.ports: dict[int, int] = {}
        self.cache = _Cache()
        self.responses = _Cache()
        self.rewrite: Callable[[bytes], bytes] | None = None
        self.requests = 0

    def set_ports(self, ports: dict[int, int]) -> None:
        self.ports = ports
        for s in self.sites:
            s.port = ports.get(s.index, 0)
        self.rewrite = make_bytes_rewriter(port_map(self.manifest, ports), self.host)

    def origin(self, index: int) -> str:
        return f"http://{self.host}:{self.ports[index]}"

    # --- routing ---------------------------------------------------------------------------
    def handle(self, index: int, target: str) -> tuple[int, list[tuple[str, str]], bytes]:
        self.requests += 1
        parts = urlsplit(target)
        path = unquote(parts.path) or "/"
        if index == self.external_index:
            return self._external(path)
        site = self.sites[index]
        entry = site.entry
        if ";jsessionid=" in path and entry.get("trap_session"):
            return self._session(site, path)
        if path == "/bmrl/index.html" and entry.get("trap_calendar"):
            return self._calendar(site, parse_qs(parts.query).get("ym", [""])[0])
        if path == entry.get("search_path") and entry.get("search") != "missing":
            return self._search(site, _query_param(parts.query, "q", site.encoding))
        redirect = site.meta["redirects"].get(path)
        if redirect is not None:
            status = 301 if path.count("/") <= 2 else 302
            return status, [("Location", self.origin(index) + redirect)], b""
        return self._static(site, path)

    def _static(self, site: Site, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        if path.endswith("/"):
            path += "index.html"
        if ".." in path or "\x00" in path:
            return self._not_found(site)
        key = (site.index, path)
        body = self.cache.get(key)
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if body is None:
            file = site.root / path.lstrip("/")
            try:
                body = file.read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                return self._not_found(site)
            if ext == "html" and self.rewrite is not None:
                body = self.rewrite(body)
            self.cache.put(key, body)
        ctype = site.html_type if ext == "html" else _TYPES.get(ext, "application/octet-stream")
        return 200, [("Content-Type", ctype)], body

    def _page(self, site: Site, title: str, body: str) -> bytes:
        origin = self.origin(site.index)
        text = (
            f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset={site.encoding}">\n<title>{html.escape(title)}</title>\n'
            f'<meta name="SiteName" content="{html.escape(site.name)}">\n'
            f'<meta name="SiteDomain" content="{origin.removeprefix("http://")}">\n'
            f'<meta name="SiteIDCode" content="{site.code}">\n<meta name="ColumnName" content="{html.escape(title)}">\n'
            f'<meta name="ColumnDescription" content="{html.escape(title)}">\n'
            f'<meta name="ColumnKeywords" content="{html.escape(title)}">\n<meta name="ColumnType" content="其他">\n'
            f'</head><body><div class="header"><a href="/">{html.escape(site.name)}</a></div>\n'
            f'<div class="main">{body}</div></body></html>\n'
        )
        return text.encode(site.encoding, errors="xmlcharrefreplace")

    def _not_found(self, site: Site) -> tuple[int, list[tuple[str, str]], bytes]:
        body = self._page(
            site,
            "页面不存在",
            '<div class="error"><h2>对不起，您访问的页面不存在或已被删除！</h2><p><a href="/">返回首页</a></p></div>',
        )
        status = 200 if site.entry.get("soft404") else 404
        return status, [("Content-Type", f"text/html; charset={site.encoding}")], body

    def _search(self, site: Site, query: str) -> tuple[int, list[tuple[str, str]], bytes]:
        mode = site.entry.get("search", "full")
        query = query.strip()
        hits: list[list[str]] = []
        if query:
            titles = site.meta["titles"]
            pinyins = site.pinyin() if mode in ("full", "no_typo", "stale_index") and query.isascii() else None
            q = query.lower().replace(" ", "")
            for n, (title, path, published) in enumerate(titles):
                if (
                    query in title
                    or (pinyins is not None and q in pinyins[n])
                    or (mode in ("full", "no_pinyin", "stale_index") and _near(query, title))
                ):
                    hits.append([title, path, published])
                if len(hits) >= 20:
                    break
        if hits:
            rows = "".join(
                f'<li><a href="{p}" target="_blank">{html.escape(t)}</a><span>{d}</span></li>' for t, p, d in hits
            )
            body = f'<div class="search-result"><p>共找到{len(hits)}条结果</p><ul>{rows}</ul></div>'
        else:
            body = '<div class="search-result"><p>未找到相关结果</p></div>'
        head = f'<form action="{site.entry.get("search_path")}"><input name="q" value="{html.escape(query)}"></form>'
        return 200, [("Content-Type", f"text/html; charset={site.encoding}")], self._page(site, "搜索结果", head + body)

    def _calendar(self, site: Site, ym: str) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            year, month = (int(x) for x in ym.split("-"))
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            year, month = self.as_of.year, self.as_of.month
        prev = f"{year - (month == 1)}-{12 if month == 1 else month - 1:02d}"
        nxt = f"{year + (month == 12)}-{1 if month == 12 else month + 1:02d}"
        days = "".join(f"<td>{d}</td>" + ("</tr><tr>" if d % 7 == 0 else "") for d in range(1, 29))
        body = (
            f'<h2>便民日历 {year}年{month}月</h2><table class="calendar"><tr>{days}</tr></table>'
            f'<a href="/bmrl/index.html?ym={prev}">上一月</a> <a href="/bmrl/index.html?ym={nxt}">下一月</a>'
        )
        return 200, [("Content-Type", f"text/html; charset={site.encoding}")], self._page(site, "便民日历", body)

    def _session(self, site: Site, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        sid = path.split(";jsessionid=", 1)[1]
        new = hashlib.sha1(sid.encode()).hexdigest()[:16].upper()
        body = (
            f"<h2>网上调查</h2><p>本期调查：您对本网站的服务是否满意？</p>"
            f'<a href="/wsdc/index.jsp;jsessionid={new}">参与调查</a> '
            f'<a href="/wsdc/result.jsp;jsessionid={new}">查看结果</a>'
        )
        return 200, [("Content-Type", f"text/html; charset={site.encoding}")], self._page(site, "网上调查", body)

    def _external(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        if path == "/" or path.startswith(("/news/", "/pj/")):
            title = "澳门葡京娱乐" if path.startswith("/pj/") else "中国政府网"
            text = (
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><h1>{title}</h1><p>外部网站页面（沙箱模拟）。</p></body></html>"
            )
            return 200, [("Content-Type", "text/html; charset=utf-8")], text.encode()
        return 404, [("Content-Type", "text/html; charset=utf-8")], b"<html><body>404 Not Found</body></html>"


def _query_param(query: str, name: str, encoding: str) -> str:
    """A query parameter as browsers send it: percent-encoded in the page's charset (GBK forms send
    GBK). UTF-8 is tried first (GBK-encoded Chinese is almost never valid UTF-8), then the site's."""
    try:
        return parse_qs(query, encoding="utf-8", errors="strict").get(name, [""])[0]
    except UnicodeDecodeError:
        return parse_qs(query, encoding=encoding, errors="replace").get(name, [""])[0]


def _near(query: str, title: str) -> bool:
    """Typo tolerance: a window of the title differing from the query in at most one character."""
    n = len(query)
    if n < 4 or n > len(title):
        return False
    for start in range(len(title) - n + 1):
        diff = 0
        for a, b in zip(query, title[start : start + n], strict=True):
            if a != b:
                diff += 1
                if diff > 1:
                    break
        if diff <= 1:
            return True
    return False


class _Http(asyncio.Protocol):
    def __init__(self, app: SandboxApp, index: int, behaviour: str | None, hanging: set[asyncio.Transport]) -> None:
        self.app = app
        self.index = index
        self.behaviour = behaviour
        self.hanging = hanging
        self.buf = b""
        self.transport: asyncio.Transport | None = None
        self.gzip = index < len(app.sites) and bool(app.sites[index].entry.get("gzip"))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if self.behaviour == "reset":
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        elif self.behaviour == "hang":
            self.hanging.add(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.hanging.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        if self.behaviour or self.transport is None:
            return
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > _MAX_REQUEST:
                    self._respond(400, [], b"", head=False, close=True)
                return
            head, self.buf = self.buf[:end], self.buf[end + 4 :]
            if not self._one(head):
                return

    def _one(self, head: bytes) -> bool:
        lines = head.split(b"\r\n")
        try:
            method, target, version = lines[0].decode("latin-1").split(" ", 2)
        except ValueError:
            self._respond(400, [], b"", head=False, close=True)
            return False
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        close = headers.get(b"connection") == b"close" or (
            version == "HTTP/1.0" and headers.get(b"connection") != b"keep-alive"
        )
        if method not in ("GET", "HEAD"):
            self._respond(405, [("Allow", "GET, HEAD")], b"", head=False, close=close)
            return not close
        gz = self.gzip and b"gzip" in headers.get(b"accept-encoding", b"")
        # every answer is a pure function of (site, target, gzip): cache the whole response
        key = (self.index, target, gz)
        cached = self.app.responses.get(key)
        if cached is None:
            try:
                status, extra, body = self.app.handle(self.index, target)
            except Exception:  # a bug here must not kill the server; answer 500 and go on
                status, extra, body = 500, [], b"internal error"
            if gz and len(body) > 256 and any(k == "Content-Type" and v.startswith("text/") for k, v in extra):
                body = gzip.compress(body, compresslevel=6, mtime=0)
                extra = [*extra, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
            cached = (_head(status, extra, len(body)), body)
            self.app.responses.put(key, cached)
        self._write(cached[0], cached[1], head=method == "HEAD", close=close)
        return not close

    def _respond(self, status: int, headers: list[tuple[str, str]], body: bytes, *, head: bool, close: bool) -> None:
        self._write(_head(status, headers, len(body)), body, head=head, close=close)

    def _write(self, head_bytes: bytes, body: bytes, *, head: bool, close: bool) -> None:
        assert self.transport is not None
        ending = b"Connection: close\r\n\r\n" if close else b"\r\n"
        self.transport.write(head_bytes + ending + (b"" if head else body))
        if close:
            self.transport.close()


def _head(status: int, headers: list[tuple[str, str]], length: int) -> bytes:
    """Status line and headers, each line ending in CRLF, without the blank line."""
    out = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
        "Server: govinspect-sandbox",
        f"Content-Length: {length}",
    ]
    out.extend(f"{k}: {v}" for k, v in headers)
    return ("\r\n".join(out) + "\r\n").encode("latin-1")


def _raise_fd_limit(wanted: int) -> None:
    """One listening socket per site plus the connections: lift a low soft limit (1024 on many desktops)."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class SandboxServer:
    """Serve a sandbox from a background thread (tests, benchmarks) or the foreground (CLI).

    ``base_port=0``: every site gets an ephemeral port; pages and truth are rewritten to them.
    """

    def __init__(self, directory: str | Path, host: str = "127.0.0.1", base_port: int | None = None) -> None:
        self.app = SandboxApp(directory, host)
        self.dir = Path(directory)
        self.host = host
        self.base_port = self.app.manifest["base_port"] if base_port is None else base_port
        self._servers: list[asyncio.base_events.Server] = []
        self._reserved: list[socket.socket] = []
        self._hanging: set[asyncio.Transport] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------------
    async def listen(self) -> None:
        _raise_fd_limit(len(self.app.sites) + 2048)
        loop = asyncio.get_running_loop()
        self._loop = loop
        ports: dict[int, int] = {}
        n = len(self.app.sites)
        for index in range(n + 1):
            behaviour = self.app.sites[index].entry.get("availability") if index < n else None
            wanted = 0 if self.base_port == 0 else self.base_port + index
            if behaviour == "refused":
                # a bound socket that never listens: connections are refused, the port stays ours
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind((self.host, wanted))
                except OSError as exc:
                    sock.close()
                    raise ConfigError(f"cannot bind {self.host}:{wanted}: {exc}") from exc
                self._reserved.append(sock)
                ports[index] = sock.getsockname()[1]
                continue
            try:
                server = await loop.create_server(
                    lambda i=index, b=behaviour: _Http(self.app, i, b, self._hanging),
                    self.host,
                    wanted,
                    reuse_address=True,
                    backlog=512,
                )
            except OSError as exc:
                await self.close()
                raise ConfigError(f"cannot listen on {self.host}:{wanted}: {exc}") from exc
            self._servers.append(server)
            ports[index] = server.sockets[0].getsockname()[1]
        self.app.set_ports(ports)

    async def close(self) -> None:
        for server in self._servers:
            server.close()
        for t in list(self._hanging):
            t.abort()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        for sock in self._reserved:
            sock.close()
        self._servers.clear()
        self._reserved.clear()

    async def serve(self, timeout: float | None = None) -> None:
        """Listen, then run until cancelled or ``timeout`` seconds pass."""
        self._stopped = asyncio.Event()
        await self.listen()
        self._ready.set()
        try:
            if timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopped.wait(), timeout)
            else:
                await self._stopped.wait()
        finally:
            await self.close()

    def start(self) -> SandboxServer:
        def run() -> None:
            try:
                asyncio.run(self.serve())
            except BaseException as exc:  # reported to the starting thread
                self._error = exc
                self._ready.set()

        self._thread = threading.Thread(target=run, name="sandbox-server", daemon=True)
        self._thread.start()
        self._ready.wait(60)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses and truth ---------------------------------------------------------------
    @property
    def ports(self) -> dict[int, int]:
        return dict(self.app.ports)

    def url_for(self, site_code: str) -> str:
        for s in self.app.sites:
            if s.code == site_code:
                return f"http://{self.host}:{self.app.ports[s.index]}/"
        raise KeyError(site_code)

    @property
    def external_url(self) -> str:
        return f"http://{self.host}:{self.app.ports[self.app.external_index]}/"

    def address_table(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for s in self.app.sites:
            e = s.entry
            note = e.get("availability") or ""
            rows.append((s.code, s.name, f"http://{self.host}:{self.app.ports[s.index]}/", note))
        rows.append(("external", "外部网站（模拟）", self.external_url, ""))
        return rows

    def truth(self) -> list[Finding]:
        return load_truth(self.dir, ports=self.app.ports, host=self.host)

    def negatives(self) -> list[Finding]:
        return load_truth(self.dir, ports=self.app.ports, host=self.host, negatives=True)
