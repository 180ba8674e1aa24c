"""HTTP exchanges shared through Redis by the shards of a split site: three ``SharingFetcher``
(as three shards would hold) asking for the same pages make each request once and all get the
same answer — failures included, attempt by attempt."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from aiohttp import web

from govinspect.engine.config import EngineConfig
from govinspect.engine.shared.exchanges import SharingFetcher, decode, encode, exchanges_prefix, forget
from govinspect.errors import ConnectError, Timeout

pytestmark = [pytest.mark.network]

URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except Exception:
        pytest.skip("Redis on 127.0.0.1:6379 is not available")
    return URL


@pytest.fixture
async def server():
    hits: dict[str, int] = {}

    async def page(request: web.Request) -> web.Response:
        hits[request.path] = hits.get(request.path, 0) + 1
        await asyncio.sleep(0.05)  # the other shards ask while the first waits for the answer
        if request.path == "/moved":
            raise web.HTTPFound("/a")
        return web.Response(text=f"<html><body>{request.path} 页面</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


def test_encode_decode_round_trip():
    value = (200, {"content-type": "text/html"}, b"\x00body\n\x00\n", False)
    assert decode(encode(value)) == value
    err = decode(encode(Timeout("http://x/", "no answer within 30 s", 2)))
    assert isinstance(err, Timeout) and err.attempt == 2 and str(err) == "http://x/: no answer within 30 s"


async def test_three_shards_make_each_exchange_once(server, redis_url):
    base, hits = server
    ns = f"test-{uuid.uuid4().hex[:8]}"
    fetchers = [SharingFetcher(EngineConfig(), redis_url, ns) for _ in range(3)]
    try:
        pages = await asyncio.gather(*(f.fetch(f"{base}/{p}") for f in fetchers for p in ("a", "b", "moved")))
    finally:
        for f in fetchers:
            await f.close()
    assert hits == {"/a": 1, "/b": 1, "/moved": 1}  # one request each, whichever shard made it
    assert {p.body for p in pages[0::3]} == {b"<html><body>/a \xe9\xa1\xb5\xe9\x9d\xa2</body></html>"}
    assert pages[2].url == f"{base}/a" and pages[2].redirects == (f"{base}/moved",)
    # 3 fetchers × 4 hops (a, b, moved, and moved's hop to a): 3 distinct exchanges made, 9 shared
    assert sum(f.made for f in fetchers) == 3
    assert sum(f.shared_hits for f in fetchers) == 9
    assert forget(redis_url, ns) == 3
    import redis

    assert not list(redis.Redis.from_url(redis_url).scan_iter(match=exchanges_prefix(ns) + "*"))


async def test_a_failure_is_shared_attempt_by_attempt(redis_url):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/x"
    ns = f"test-{uuid.uuid4().hex[:8]}"
    config = EngineConfig().with_limits(retries=1)
    fetchers = [SharingFetcher(config, redis_url, ns) for _ in range(2)]
    try:
        outs = await asyncio.gather(*(f.fetch(dead) for f in fetchers), return_exceptions=True)
    finally:
        for f in fetchers:
            await f.close()
        forget(redis_url, ns)
    assert all(isinstance(o, ConnectError) for o in outs)
    assert {o.attempt for o in outs} == {2} and len({str(o) for o in outs}) == 1
    assert sum(f.made for f in fetchers) == 0  # failures are not counted as made answers
    assert sum(f.shared_hits for f in fetchers) == 2  # each attempt failed once, the other shard was told
