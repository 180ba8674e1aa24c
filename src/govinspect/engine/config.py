"""Engine configuration as value objects. The engine never reads Django settings.

Precedence when built by callers: defaults < province file < site < command-line flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from govinspect import __version__

USER_AGENT = f"govinspect/{__version__} (+government website inspection; polite crawler)"


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 10.0
    read: float = 15.0          # W-V2: a page not loaded within 15 s counts as a failure
    total: float = 30.0


@dataclass(frozen=True, slots=True)
class Limits:
    max_pages: int = 5000
    # Pagination makes depth grow with a column's length (index_1.html … index_60.html on real
    # TRS sites); max_pages bounds a site and trap detection stops endless paths, so depth is only
    # a safety net. At 12, a 10,000-page sandbox site lost two thirds of its pages.
    max_depth: int = 100
    per_host_connections: int = 4      # government servers are fragile
    per_host_delay: float = 0.0        # seconds between requests to one host
    global_connections: int = 64
    max_redirects: int = 10
    max_html_bytes: int = 10 * 1024 * 1024
    max_attachment_bytes: int = 50 * 1024 * 1024
    max_decompression_ratio: int = 100
    retries: int = 2
    site_deadline: float = 1800.0      # seconds for one site's whole crawl


@dataclass(frozen=True, slots=True)
class EngineConfig:
    timeouts: Timeouts = field(default_factory=Timeouts)
    limits: Limits = field(default_factory=Limits)
    user_agent: str = USER_AGENT
    obey_robots: bool = True
    check_external_links: bool = True
    enabled_checks: frozenset[str] | None = None     # None: all registered checks
    disabled_checks: frozenset[str] = frozenset()
    check_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per check id
    warc_dir: str | None = None

    def with_limits(self, **changes: Any) -> EngineConfig:
        return replace(self, limits=replace(self.limits, **changes))

    def options_for(self, check_id: str) -> dict[str, Any]:
        return self.check_options.get(check_id, {})
