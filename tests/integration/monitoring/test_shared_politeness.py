"""Cross-worker politeness in Redis: two ``RedisPoliteness`` (as two workers would hold) never
exceed the host's connection limit together and space the starts of their requests."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from govinspect.engine.checks.links.cache import LinkResult
from govinspect.engine.shared.redis_backends import RedisLinkCache, RedisPoliteness

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


async def test_two_workers_share_one_hosts_limit(redis_url):
    ns = f"test-{uuid.uuid4().hex[:8]}"
    workers = [RedisPoliteness(redis_url, per_host=2, namespace=ns) for _ in range(2)]
    busy = peak = 0

    async def request(p: RedisPoliteness) -> None:
        nonlocal busy, peak
        async with p.slot("gov.example.cn"):
            busy += 1
            peak = max(peak, busy)
            await asyncio.sleep(0.05)
            busy -= 1

    try:
        await asyncio.gather(*(request(workers[i % 2]) for i in range(12)))
    finally:
        for w in workers:
            await w.aclose()
    assert peak == 2  # each worker alone would allow 2: together still 2


async def test_two_workers_space_their_requests(redis_url):
    ns = f"test-{uuid.uuid4().hex[:8]}"
    workers = [RedisPoliteness(redis_url, per_host=4, delay=0.1, namespace=ns) for _ in range(2)]
    starts: list[float] = []

    async def request(p: RedisPoliteness) -> None:
        async with p.slot("gov.example.cn"):
            starts.append(time.monotonic())

    try:
        await asyncio.gather(*(request(workers[i % 2]) for i in range(6)))
    finally:
        for w in workers:
            await w.aclose()
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert min(gaps) >= 0.09  # Redis's clock in ms; 0.1 s between any two starts, whichever worker


async def test_a_dead_holder_frees_its_slot_when_the_lease_ends(redis_url):
    ns = f"test-{uuid.uuid4().hex[:8]}"
    dead = RedisPoliteness(redis_url, per_host=1, lease=0.3, namespace=ns)
    alive = RedisPoliteness(redis_url, per_host=1, lease=0.3, namespace=ns)
    try:
        await dead._acquire("gov.example.cn", 0)  # taken and never released (its worker was killed)
        t = time.monotonic()
        async with alive.slot("gov.example.cn"):
            waited = time.monotonic() - t
    finally:
        await dead.aclose()
        await alive.aclose()
    assert 0.2 <= waited < 2


async def test_link_results_are_shared_between_workers(redis_url):
    ns = f"test-{uuid.uuid4().hex[:8]}"
    a, b = RedisLinkCache(redis_url, namespace=ns, ttl=60), RedisLinkCache(redis_url, namespace=ns, ttl=60)
    calls = 0

    async def check() -> LinkResult:
        nonlocal calls
        calls += 1
        return LinkResult(404, None, "http://x.example/y")

    assert (await a.get("http://x.example/y", check)).status == 404
    assert (await b.get("http://x.example/y", check)).status == 404
    assert calls == 1 and b.peek("http://x.example/y") == LinkResult(404, None, "http://x.example/y")
