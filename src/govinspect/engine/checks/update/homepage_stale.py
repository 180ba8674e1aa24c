"""W-V3 首页不更新: no dated item on the home page within the window (14 days).

A navigation-only home page (no dated items of its own) is judged by the second-level
pages it links to; undated items count as not updated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.update.survey import ColumnSurvey, home_window_days
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity


class HomepageStale(SiteCheck):
    id = "update.homepage_stale"
    indicator = "W-V3"
    severity: ClassVar[Severity] = "veto"
    description = "首页不更新"

    def observe(self, page: Page) -> None:
        ColumnSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        result = await ColumnSurvey.of(self.ctx).result()
        if not result.home_seen:
            return []  # an unreachable home page is availability.unreachable's finding
        window = home_window_days()
        latest = result.home_latest
        if latest is not None and latest >= self.ctx.as_of - timedelta(days=window):
            return []
        shown = latest.isoformat() if latest else None
        where = "首页" if result.home_judged_by == "home" else "首页（导航页）链接的二级页面"
        evidence = f"{where}最新信息日期：{shown or '无'}；检查日 {self.ctx.as_of.isoformat()}，监测期 {window} 天"
        return [self.finding(result.home_url, evidence=evidence, latest=shown)]
