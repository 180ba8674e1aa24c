"""Hostile servers on loopback: the crawl finishes within its deadline, reports each problem
as an error on that URL, and memory stays bounded.

A raw asyncio server (not a framework) so it can misbehave at the byte level: a tarpit
(1 byte/s), endless redirects, a gzip bomb expanding to 2 GB generated on the fly, a
200 MB page streamed, a connection reset mid-body, malformed HTML, a wrong charset and an
endless calendar.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import struct
import time
import zlib
from datetime import date

import pytest

from govinspect.engine.config import EngineConfig, Limits, Timeouts
from govinspect.engine.run import inspect_site
from govinspect.engine.target import SiteTarget

pytestmark = pytest.mark.network

AS_OF = date(2025, 12, 1)
GBK_TEXT = "政府信息公开 朱镕基 错误的字符集声明"

HOME = """<html><head><meta charset="utf-8"><title>恶意服务器</title></head><body><div class="content">
<a href="/tarpit.html">慢</a> <a href="/loop">循环跳转</a> <a href="/chain/1">长跳转</a>
<a href="/bomb.html">炸弹</a> <a href="/huge.html">巨大页面</a> <a href="/reset.html">重置</a>
<a href="/malformed.html">残缺</a> <a href="/charset.html">字符集</a> <a href="/cal?ym=2025-12">日历</a>
</div></body></html>"""


def _gzip_bomb(megabytes: int = 2048):
    """A valid gzip stream of 2 GB of zeros, ~2 MB long, produced as it is sent: after a sync
    flush, each further megabyte of zeros compresses to the same bytes."""
    zeros = b"\0" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = comp.compress(zeros) + comp.flush(zlib.Z_SYNC_FLUSH)
    steady = comp.compress(zeros) + comp.flush(zlib.Z_SYNC_FLUSH)
    yield first
    for _ in range(megabytes - 1):
        yield steady
    crc = 0  # only a client that inflated all of it gets here: the trailer's CRC of 2 GB of zeros
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    yield b"\x03\x00" + struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)  # empty last block, trailer


def _head(status: str, headers: dict[str, str]) -> bytes:
    headers = {**headers, "Connection": "close"}  # one request per connection
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _html(body: bytes, charset: str = "utf-8") -> bytes:
    return _head("200 OK", {"Content-Type": f"text/html; charset={charset}", "Content-Length": str(len(body))}) + body


_HANDLERS: set[asyncio.Task] = set()


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    task = asyncio.current_task()
    _HANDLERS.add(task)
    try:
        request = await reader.readuntil(b"\r\n\r\n")
        method, target, _ = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        await _respond(method, target, writer)
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError):
        pass  # the client gave up, or the test is over
    finally:
        _HANDLERS.discard(task)
        writer.close()


async def _respond(method: str, target: str, writer: asyncio.StreamWriter) -> None:
    path = target.split("?", 1)[0]
    if path == "/":
        writer.write(_html(HOME.encode()))
    elif path == "/tarpit.html":
        writer.write(_head("200 OK", {"Content-Type": "text/html", "Content-Length": "100000"}))
        for _ in range(600):  # 1 byte a second for ten minutes, unless the client gives up
            if writer.is_closing():
                break
            writer.write(b"<")
            await writer.drain()
            await asyncio.sleep(1)
    elif path in ("/loop", "/loop2"):
        other = "/loop2" if path == "/loop" else "/loop"
        writer.write(_head("302 Found", {"Location": other, "Content-Length": "0"}))
    elif path.startswith("/chain/"):
        n = int(path.rsplit("/", 1)[1])
        writer.write(_head("301 Moved", {"Location": f"/chain/{n + 1}", "Content-Length": "0"}))
    elif path == "/bomb.html":
        writer.write(_head("200 OK", {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
        if method != "HEAD":
            for chunk in _gzip_bomb():
                if writer.is_closing():
                    break
                writer.write(chunk)
                await writer.drain()
    elif path == "/huge.html":
        size = 200 * 1024 * 1024
        writer.write(_head("200 OK", {"Content-Type": "text/html", "Content-Length": str(size)}))
        if method != "HEAD":
            chunk = b"<p>" + b"x" * 1017 + b"</p>\n" * 1
            chunk = (chunk * 64)[: 64 * 1024]
            for _ in range(size // len(chunk)):
                if writer.is_closing():
                    break
                writer.write(chunk)
                await writer.drain()
    elif path == "/reset.html":
        writer.write(_head("200 OK", {"Content-Type": "text/html", "Content-Length": "100000"}) + b"<html>" * 100)
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
        writer.transport.abort()
    elif path == "/malformed.html":
        writer.write(
            _html(b"<html><body><div><p>unclosed <b>bold <a href='/deep.html'>deep<table><td>" + b"<div>" * 5000)
        )
    elif path == "/deep.html":
        writer.write(_html("<title>深处</title><p>正常</p>".encode()))
    elif path == "/charset.html":
        body = f"<html><head><title>{GBK_TEXT}</title></head><body><p>{GBK_TEXT}</p></body></html>"
        writer.write(_html(body.encode("gbk"), charset="utf-8"))  # the header lies
    elif path == "/cal":
        ym = target.split("ym=", 1)[1]
        year, month = (int(x) for x in ym.split("-"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        writer.write(_html(f'<p>日历 {ym} <a href="/cal?ym={year}-{month:02d}">下个月</a></p>'.encode()))
    elif path == "/robots.txt":
        writer.write(_html(b"User-agent: *\nDisallow:\n"))
    else:
        writer.write(_head("404 Not Found", {"Content-Length": "9", "Content-Type": "text/plain"}) + b"not found")
    await writer.drain()


@pytest.fixture
async def hostile():
    server = await asyncio.start_server(_handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for task in list(_HANDLERS):
            task.cancel()
        await asyncio.sleep(0.05)
        await server.wait_closed()


def _config(deadline: float = 20.0) -> EngineConfig:
    return EngineConfig(
        timeouts=Timeouts(connect=2.0, read=2.0, total=4.0),
        limits=Limits(
            retries=0, site_deadline=deadline, max_html_bytes=10 * 1024 * 1024, max_pages=200, per_host_connections=8
        ),
        enabled_checks=frozenset({"links.broken"}),
    )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_hostile_server(hostile):
    pages = {}
    before = _peak_rss_mb()
    start = time.monotonic()
    result = await inspect_site(SiteTarget(hostile + "/"), _config(), AS_OF, on_page=lambda p: pages.update({p.url: p}))
    elapsed = time.monotonic() - start
    assert elapsed < 20
    errors = {f.target.removeprefix(hostile): f.detail["error"] for f in result.findings if f.check == "crawl.error"}
    assert errors == {
        "/tarpit.html": "timeout",
        "/loop": "redirects",
        "/chain/1": "redirects",
        "/bomb.html": "decompression_bomb",
        "/huge.html": "too_large",
        "/reset.html": "connect",
    }
    traps = [f for f in result.findings if f.check == "crawl.trap"]
    assert [t.detail["kind"] for t in traps] == ["calendar"]
    assert result.stats["crawl"]["trapped"] >= 1
    # the calendar was followed up to the trap, not forever
    assert sum(1 for url in pages if "/cal?" in url) <= 4
    assert GBK_TEXT in pages[hostile + "/charset.html"].title
    assert hostile + "/deep.html" in pages  # links of malformed HTML are still followed
    broken = {
        f.target.removeprefix(hostile): f.detail.get("error") for f in result.findings if f.check == "links.broken"
    }
    assert broken["/tarpit.html"] == "timeout" and broken["/loop"] == "redirects"
    assert _peak_rss_mb() - before < 250  # neither the 2 GB bomb nor the 200 MB page was held


async def test_site_deadline_stops_a_slow_site(hostile):
    config = _config(deadline=3.0)
    config = config.with_limits(site_deadline=3.0)
    cfg = EngineConfig(
        timeouts=Timeouts(connect=1.0, read=30.0, total=60.0),
        limits=config.limits,
        enabled_checks=config.enabled_checks,
    )
    start = time.monotonic()
    result = await inspect_site(SiteTarget(hostile + "/"), cfg, AS_OF)
    assert time.monotonic() - start < 3.0 + 1.0 + 1.0 + 1.0  # crawl, page checks, finish(), slack
    assert result.stats["crawl"]["stopped"] == "deadline"
