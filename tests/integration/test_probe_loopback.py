"""Probes against a loopback aiohttp server: ok, slow (timeout), HTTP error, refused."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from govinspect.engine.probe import probe_rounds

pytestmark = pytest.mark.network


async def test_probe_outcomes():
    async def ok(request):
        return web.Response(text="<html>首页</html>", content_type="text/html")

    async def slow(request):
        await asyncio.sleep(0.8)
        return web.Response(text="late")

    async def broken(request):
        return web.Response(status=503, text="busy")

    app = web.Application()
    app.add_routes([web.get("/", ok), web.get("/slow", slow), web.get("/broken", broken)])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    urls = [f"{base}/", f"{base}/slow", f"{base}/broken", f"http://127.0.0.1:{dead}/"]
    try:
        records = [r async for r in probe_rounds(urls, rounds=2, timeout=0.3)]
    finally:
        await runner.cleanup()
    by_url = {}
    for r in records:
        by_url.setdefault(r.url, []).append(r)
    assert all(len(v) == 2 for v in by_url.values())
    assert [r.error for r in by_url[f"{base}/"]] == ["", ""] and by_url[f"{base}/"][0].status == 200
    assert {r.error for r in by_url[f"{base}/slow"]} == {"timeout"}
    assert {r.error for r in by_url[f"{base}/broken"]} == {"http_503"}
    assert {r.error for r in by_url[f"http://127.0.0.1:{dead}/"]} == {"connect"}
