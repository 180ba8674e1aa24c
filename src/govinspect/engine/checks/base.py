"""The contract of a check.

A check MUST:
- have a stable ``id`` listed in ``govinspect.findings.CHECK_IDS`` and an ``indicator``
  present in the indicator catalogue (or None for notices outside the indicators);
- read only the immutable ``Page`` and the ``CheckContext``: no wall clock (use
  ``ctx.as_of``), no I/O of its own except through ``ctx.fetch`` in ``finish``;
- pass every evidence excerpt through ``findings.mask``/``findings.excerpt``;
- yield ``Finding`` objects built with ``self.finding(...)``.

A page check implements ``check_page`` and runs as each page arrives. A site check
implements ``observe`` (keep a *small* summary, never the page) and ``finish``.
A constructor may raise ``CheckDisabled``. An exception escaping a check becomes a logged
``CheckError`` for that page; it never stops the crawl.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from govinspect.findings import Finding, Severity, mask

if TYPE_CHECKING:
    from govinspect.engine.config import EngineConfig
    from govinspect.engine.page.model import Page
    from govinspect.engine.target import SiteTarget

Scope = Literal["page", "site"]

# async fetch(url, method="GET") -> Page (status, headers, body …); raises FetchError
Fetch = Callable[..., Awaitable["Page"]]


@dataclass
class CheckContext:
    site: SiteTarget
    as_of: date
    config: EngineConfig
    fetch: Fetch | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # shared by the checks of one site
    shared: dict[str, Any] = field(default_factory=dict)  # shared across sites of one run

    def options(self, check_id: str) -> dict[str, Any]:
        return self.config.options_for(check_id)

    def per_site(self, key: str, factory: Callable[[CheckContext], Any]) -> Any:
        """One object for all checks of this site (a survey several checks read), made on first use."""
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = factory(self)
        return value


class Check:
    id: ClassVar[str]
    indicator: ClassVar[str | None] = None
    severity: ClassVar[Severity] = "deduct"
    scope: ClassVar[Scope] = "page"
    description: ClassVar[str] = ""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx

    def applies_to(self, page: Page) -> bool:
        return page.kind == "html"

    def finding(
        self,
        url: str,
        *,
        target: str | None = None,
        evidence: str | None = None,
        severity: Severity | None = None,
        **detail: Any,
    ) -> Finding:
        return Finding(
            site=self.ctx.site.home_url,
            check=self.id,
            severity=severity or self.severity,
            indicator=self.indicator,
            url=url,
            target=target,
            evidence=mask(evidence) if evidence else None,
            detail=detail,
        )


class PageCheck(Check):
    scope: ClassVar[Scope] = "page"

    def check_page(self, page: Page) -> Iterable[Finding]:
        raise NotImplementedError


class SiteCheck(Check):
    scope: ClassVar[Scope] = "site"

    def observe(self, page: Page) -> None:
        """Keep what finish() needs from this page (small)."""

    async def finish(self) -> Iterable[Finding]:
        raise NotImplementedError
