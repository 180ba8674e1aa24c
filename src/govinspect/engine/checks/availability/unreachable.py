"""W-V2 站点无法访问.

With a probe history (option ``probe_log``: a JSONL file written by ``govinspect probe``),
the finding is the indicator's: failures ≥ 5% of the probes over the 7 days ending with
``as_of``. Without history (a one-off inspection), a home page that the crawl could not load
is fetched once more through ``ctx.fetch`` within the indicator's 15 s; when that fails
too, the home page is reported unreachable."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import CheckContext, SiteCheck
from govinspect.engine.page.model import Page
from govinspect.engine.probe import JsonlProbeStore, availability
from govinspect.errors import FetchError
from govinspect.findings import Finding, Severity, normalize_url
from govinspect.indicators import catalogue


class Unreachable(SiteCheck):
    id = "availability.unreachable"
    indicator = "W-V2"
    severity: ClassVar[Severity] = "veto"
    description = "站点无法访问"

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.home = normalize_url(ctx.site.home_url)
        self.loaded = False

    def applies_to(self, page: Page) -> bool:
        return True

    def observe(self, page: Page) -> None:
        if (
            not self.loaded
            and page.status < 400
            and self.home in (normalize_url(page.url), normalize_url(page.requested_url))
        ):
            self.loaded = True

    async def finish(self) -> Iterable[Finding]:
        log = self.ctx.options(self.id).get("probe_log")
        if log:
            return self._from_history(str(log))
        if self.loaded or self.ctx.fetch is None:
            return []
        limit = catalogue()["W-V2"].threshold("timeout_seconds")
        try:
            async with asyncio.timeout(limit):  # W-V2: not loaded within 15 s is a failure
                page = await self.ctx.fetch(self.ctx.site.home_url)
        except TimeoutError:
            return [self.finding(self.ctx.site.home_url, evidence=f"首页{limit:g}秒内未能打开", failures=1, probes=1)]
        except FetchError as exc:
            attempts = max(1, exc.attempt)
            return [
                self.finding(
                    self.ctx.site.home_url, evidence=f"首页无法打开：{exc}", failures=attempts, probes=attempts
                )
            ]
        if page.status >= 400:
            attempts = int(page.extra.get("attempts", 1))
            return [
                self.finding(
                    self.ctx.site.home_url, evidence=f"首页返回 HTTP {page.status}", failures=attempts, probes=attempts
                )
            ]
        return []

    def _from_history(self, path: str) -> list[Finding]:
        figures = availability(
            JsonlProbeStore(path).read(self.ctx.site.home_url), self.ctx.site.home_url, self.ctx.as_of
        )
        if not figures.veto:
            return []
        evidence = (
            f"监测{figures.window_days}天，访问{figures.probes}次，失败{figures.failures}次"
            f"（{figures.ratio:.1%}）" + ("" if figures.enough else "；监测次数不足每天20次")
        )
        return [
            self.finding(self.ctx.site.home_url, evidence=evidence, failures=figures.failures, probes=figures.probes)
        ]
