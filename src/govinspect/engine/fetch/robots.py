"""robots.txt, per host, cached for the run.

Default (``EngineConfig.obey_robots = True``): the crawl does not *discover* pages a
site's robots.txt disallows for our user agent. Two deliberate exceptions:
- the home page is always fetched: availability is an indicator (W-V2) and a site cannot
  opt out of its own inspection;
- link checking does not consult robots.txt: a link a site publishes is fetched once to
  see whether it works, as a reader clicking it would (lychee and linkinator do the same).
A missing, unreachable or unparsable robots.txt allows everything (RFC 9309: a 4xx
means no rules; we also treat 5xx/timeouts as allow, favouring completeness of an
inspection over the RFC's "assume disallow", and say so in the crawl stats).
``Crawl-delay`` is honoured up to 10 s per request when larger than the configured delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 10.0

# fetch_text(url) -> (status, text) or raises FetchError
FetchText = Callable[[str], Awaitable[tuple[int, str]]]


class RobotsPolicy:
    def __init__(self, fetch_text: FetchText, user_agent: str, enabled: bool = True) -> None:
        self._fetch_text = fetch_text
        self.user_agent = user_agent
        self.enabled = enabled
        self._rules: dict[str, RobotFileParser | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.errors: dict[str, str] = {}

    async def rules(self, origin: str) -> RobotFileParser | None:
        if origin in self._rules:
            return self._rules[origin]
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin in self._rules:
                return self._rules[origin]
            parser: RobotFileParser | None = None
            try:
                status, text = await self._fetch_text(origin + "/robots.txt")
                if 200 <= status < 300:
                    parser = RobotFileParser()
                    parser.parse(text.splitlines())
            except Exception as exc:  # any failure: no rules (documented above)
                self.errors[origin] = str(exc)
            self._rules[origin] = parser
            return parser

    async def allowed(self, url: str) -> bool:
        if not self.enabled:
            return True
        parser = await self.rules(_origin(url))
        return True if parser is None else parser.can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float:
        if not self.enabled:
            return 0.0
        parser = await self.rules(_origin(url))
        if parser is None:
            return 0.0
        delay = parser.crawl_delay(self.user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
