import asyncio
import gzip
import itertools
import time
import zlib

import pytest

from govinspect.engine.fetch.decompress import Inflater
from govinspect.engine.fetch.politeness import Politeness
from govinspect.engine.fetch.robots import RobotsPolicy
from govinspect.engine.fetch.transport import _redirect_target, _retry_after, error_code
from govinspect.errors import DecompressionBomb, DNSError, FetchError, Timeout, TooLarge


def test_inflater_passes_identity_and_gzip():
    body = "政府网站".encode() * 1000
    for enc, data in (("", body), ("gzip", gzip.compress(body)), ("deflate", zlib.compress(body))):
        inf = Inflater("u", enc, limit=10**6, ratio=100)
        for i in range(0, len(data), 100):
            inf.feed(data[i : i + 100])
        assert inf.finish() == body


def test_inflater_accepts_raw_deflate():
    body = b"<html>" * 500
    raw = zlib.compressobj(wbits=-15)
    data = raw.compress(body) + raw.flush()
    inf = Inflater("u", "deflate", limit=10**6, ratio=1000)
    inf.feed(data)
    assert inf.finish() == body


def test_gzip_bomb_stops_early_without_inflating_it():
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = comp.compress(b"\0" * (1 << 20))  # streams ~1 KB per MB
    inf = Inflater("u", "gzip", limit=2 * 1024**3, ratio=100)
    with pytest.raises(DecompressionBomb):
        for _ in range(2048):  # would be 2 GB
            inf.feed(chunk + comp.compress(b"\0" * (1 << 20)))
    assert inf.size < 4 * 1024 * 1024


def test_size_cap_raises_or_truncates():
    with pytest.raises(TooLarge):
        Inflater("u", "", limit=10, ratio=100).feed(b"x" * 11)
    inf = Inflater("u", "", limit=10, ratio=100, truncate=True)
    inf.feed(b"x" * 25)
    assert inf.finish() == b"x" * 10 and inf.truncated and inf.done


def test_unknown_encoding_is_refused():
    with pytest.raises(DecompressionBomb):
        Inflater("u", "br", limit=10, ratio=100)


async def test_politeness_limits_per_host_and_spaces_requests():
    polite = Politeness(per_host=2, delay=0.05, global_limit=10)
    running = peak = 0
    starts: list[float] = []

    async def one():
        nonlocal running, peak
        async with polite.slot("h"):
            starts.append(time.monotonic())
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(one() for _ in range(6)))
    assert peak <= 2
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.045


async def test_a_host_may_ask_for_its_own_delay():
    polite = Politeness(per_host=4, delay=0.0)
    polite.set_delay("slow", 0.05)
    starts: list[float] = []

    async def one(host):
        async with polite.slot(host):
            starts.append(time.monotonic())

    await asyncio.gather(*(one("slow") for _ in range(3)))
    assert starts[-1] - starts[0] >= 0.09
    t0 = time.monotonic()
    await asyncio.gather(*(one("fast") for _ in range(3)))
    assert time.monotonic() - t0 < 0.05


async def test_politeness_global_limit():
    polite = Politeness(per_host=5, global_limit=3)
    running = peak = 0

    async def one(host):
        nonlocal running, peak
        async with polite.slot(host):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(one(f"h{i}") for i in range(12)))
    assert peak == 3


async def test_robots_rules_and_failures():
    calls = []

    async def fetch_text(url):
        calls.append(url)
        if "broken" in url:
            raise Timeout(url, "slow")
        return 200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n"

    robots = RobotsPolicy(fetch_text, "govinspect/0.1")
    assert await robots.allowed("http://h/public/a.html")
    assert not await robots.allowed("http://h/private/a.html")
    assert await robots.crawl_delay("http://h/x") == 2.0
    assert await robots.allowed("http://broken/private/x")  # unreachable robots.txt allows
    assert calls == ["http://h/robots.txt", "http://broken/robots.txt"]  # cached per origin
    off = RobotsPolicy(fetch_text, "ua", enabled=False)
    assert await off.allowed("http://h/private/a.html")


def test_redirect_targets_and_retry_after():
    assert _redirect_target("http://h/a/b", "../c#x") == "http://h/c"
    assert _redirect_target("http://h/a", "javascript:alert(1)") is None
    assert _retry_after("7") == 7.0
    assert _retry_after("garbage") is None


def test_error_codes():
    assert error_code(Timeout("u")) == "timeout"
    assert error_code(DNSError("u")) == "dns"
    assert error_code(FetchError("u")) == "fetch"
