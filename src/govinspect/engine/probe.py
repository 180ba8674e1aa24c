"""Availability probes of home pages (W-V2 站点无法访问).

A probe is one GET of a home page, no retry: it fails when the page is not fully loaded
within the timeout (15 s by the indicator), when the connection fails, or when the answer
is an HTTP error (≥ 400). Every probe is a ``ProbeRecord`` (time, url, status, latency,
error), appended to a JSONL store (the database store comes with the scheduling issue).

``availability(records, url, as_of)`` gives the W-V2 ratio over the trailing window (7
days ending with ``as_of``, days counted in China Standard Time); thresholds come from the
indicator catalogue. The probe *times* are wall-clock (they record when the probe ran); the
*verdict* depends only on the stored records and ``as_of``.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import aiohttp

from govinspect.engine.config import USER_AGENT
from govinspect.errors import ConfigError
from govinspect.indicators import catalogue

CST = timezone(timedelta(hours=8), "CST")
_READ_CHUNK = 64 * 1024
MAX_BODY = 5 * 1024 * 1024  # a home page larger than this is read no further (still "loaded")


@dataclass(frozen=True, slots=True)
class ProbeRecord:
    time: datetime  # when the probe started (UTC)
    url: str
    status: int | None  # HTTP status, None when there was no answer
    latency: float | None  # seconds until the whole body was read (None: not loaded)
    error: str = ""  # "timeout", "connect", "http_503", … ("" when loaded)

    @property
    def ok(self) -> bool:
        return not self.error

    def to_json(self) -> str:
        data = asdict(self)
        data["time"] = self.time.astimezone(UTC).isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> ProbeRecord:
        data = json.loads(line)
        when = datetime.fromisoformat(data["time"])
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return cls(
            time=when,
            url=data["url"],
            status=data.get("status"),
            latency=data.get("latency"),
            error=data.get("error", ""),
        )


def default_timeout() -> float:
    return catalogue()["W-V2"].threshold("timeout_seconds")


async def probe_once(session: aiohttp.ClientSession, url: str, timeout: float | None = None) -> ProbeRecord:
    """One probe: GET ``url`` and read its body within ``timeout`` seconds."""
    limit = default_timeout() if timeout is None else timeout
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    status: int | None = None
    try:
        async with asyncio.timeout(limit):
            async with session.get(url, allow_redirects=True) as resp:
                status = resp.status
                size = 0
                async for chunk in resp.content.iter_chunked(_READ_CHUNK):
                    size += len(chunk)
                    if size > MAX_BODY:
                        break
    except TimeoutError:
        return ProbeRecord(started, url, status, None, "timeout")
    except aiohttp.ClientConnectorError:
        return ProbeRecord(started, url, None, None, "connect")
    except aiohttp.TooManyRedirects:
        return ProbeRecord(started, url, status, None, "redirects")
    except aiohttp.ClientError as exc:
        return ProbeRecord(started, url, status, None, type(exc).__name__)
    latency = round(time.perf_counter() - t0, 4)
    if status is not None and status >= 400:
        return ProbeRecord(started, url, status, latency, f"http_{status}")
    return ProbeRecord(started, url, status, latency)


async def probe_rounds(
    urls: Sequence[str],
    *,
    rounds: int = 1,
    interval: float = 0.0,
    jitter: float = 0.0,
    concurrency: int = 200,
    timeout: float | None = None,
    user_agent: str = USER_AGENT,
) -> AsyncIterator[ProbeRecord]:
    """Probe every URL ``rounds`` times; a round starts ``interval`` (± ``jitter``, randomised
    as the indicator's 间隔性访问 asks) seconds after the previous one. Records are yielded
    as they complete."""
    if rounds < 1 or concurrency < 1:
        raise ConfigError("rounds and concurrency must be at least 1")
    limit = default_timeout() if timeout is None else timeout
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0, ttl_dns_cache=300)
    client_timeout = aiohttp.ClientTimeout(total=None, sock_connect=limit, sock_read=limit)
    semaphore = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(
        connector=connector, timeout=client_timeout, headers={"User-Agent": user_agent}
    ) as session:

        async def one(url: str) -> ProbeRecord:
            async with semaphore:
                return await probe_once(session, url, limit)

        for n in range(rounds):
            if n:
                await asyncio.sleep(max(0.0, interval + random.uniform(-jitter, jitter)))
            for task in asyncio.as_completed([one(u) for u in urls]):
                yield await task


class JsonlProbeStore:
    """Probe records appended to a JSONL file, one a line."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def append(self, records: Iterable[ProbeRecord]) -> int:
        n = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            for record in records:
                fh.write(record.to_json() + "\n")
                n += 1
        return n

    def read(self, url: str | None = None) -> Iterator[ProbeRecord]:
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = ProbeRecord.from_json(line)
                except (ValueError, KeyError, TypeError) as exc:
                    raise ConfigError(f"{self.path}:{lineno}: not a probe record: {exc}") from exc
                if url is None or _same(record.url, url):
                    yield record


def _same(a: str, b: str) -> bool:
    from govinspect.findings import normalize_url

    return normalize_url(a) == normalize_url(b)


@dataclass(frozen=True, slots=True)
class Availability:
    url: str
    probes: int
    failures: int
    days: int  # days of the window with at least the required probes
    window_days: int
    min_probes_per_day: int
    failure_ratio_limit: float

    @property
    def ratio(self) -> float:
        return self.failures / self.probes if self.probes else 0.0

    @property
    def enough(self) -> bool:
        """The monitoring the indicator asks for: every day of the window probed enough."""
        return self.days >= self.window_days

    @property
    def veto(self) -> bool:
        return self.probes > 0 and self.ratio >= self.failure_ratio_limit


def availability(records: Iterable[ProbeRecord], url: str, as_of: date) -> Availability:
    """The W-V2 figures for ``url`` over the window ending with ``as_of`` (CST days)."""
    item = catalogue()["W-V2"]
    window = item.days("window_days")
    per_day = item.days("min_probes_per_day")
    first = as_of - timedelta(days=window - 1)
    per: dict[date, int] = {}
    probes = failures = 0
    for record in records:
        if not _same(record.url, url):
            continue
        day = record.time.astimezone(CST).date()
        if not first <= day <= as_of:
            continue
        probes += 1
        failures += 0 if record.ok else 1
        per[day] = per.get(day, 0) + 1
    days = sum(1 for n in per.values() if n >= per_day)
    return Availability(url, probes, failures, days, window, per_day, item.threshold("failure_ratio"))
