"""Politeness: government servers are fragile.

Every request (page, redirect hop, link check, robots.txt) passes through ``Politeness``:
a global limit on concurrent requests, a per-host limit (default 4) and a minimum delay
between the *starts* of two requests to one host. Link checks share the same slots as the
crawl, so checking 3,000 links of a site cannot hammer it harder than crawling it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class _HostSlot:
    __slots__ = ("busy", "delay", "lock", "next_start", "sem")

    def __init__(self, connections: int) -> None:
        self.sem = asyncio.Semaphore(connections)
        self.lock = asyncio.Lock()
        self.next_start = 0.0
        self.busy = 0
        self.delay: float | None = None  # this host's own delay (robots.txt Crawl-delay)


class Politeness:
    def __init__(self, per_host: int = 4, delay: float = 0.0, global_limit: int = 64, max_idle_hosts: int = 10_000):
        if per_host < 1 or global_limit < 1:
            raise ValueError("connection limits must be at least 1")
        self.per_host = per_host
        self.delay = max(0.0, delay)
        self.global_sem = asyncio.Semaphore(global_limit)
        self._hosts: dict[str, _HostSlot] = {}
        self._max_idle = max_idle_hosts

    def _slot(self, host: str) -> _HostSlot:
        slot = self._hosts.get(host)
        if slot is None:
            if len(self._hosts) >= self._max_idle:
                self._forget_idle()
            slot = self._hosts[host] = _HostSlot(self.per_host)
        return slot

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for host in [h for h, s in self._hosts.items() if not s.busy and s.next_start <= now and s.delay is None]:
            del self._hosts[host]

    def set_delay(self, host: str, delay: float) -> None:
        """A host asks for more time between requests (robots.txt ``Crawl-delay``)."""
        slot = self._slot(host.lower())
        slot.delay = max(delay, self.delay)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of ``host``'s connections (and a global one) for a request."""
        slot = self._slot(host.lower())
        slot.busy += 1
        try:
            async with slot.sem:
                delay = self.delay if slot.delay is None else slot.delay
                if delay:
                    async with slot.lock:
                        wait = slot.next_start - time.monotonic()
                        if wait > 0:
                            await asyncio.sleep(wait)
                        slot.next_start = time.monotonic() + delay
                async with self.global_sem:
                    yield
        finally:
            slot.busy -= 1
