"""W-V4 空白栏目: a column page without any item, or saying 暂无信息."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.update.survey import ColumnSurvey
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity


class ColumnBlank(SiteCheck):
    id = "update.column_blank"
    indicator = "W-V4"
    severity: ClassVar[Severity] = "deduct"  # the veto needs ≥5 blank columns: scoring counts
    description = "空白栏目"

    def observe(self, page: Page) -> None:
        ColumnSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        result = await ColumnSurvey.of(self.ctx).result()
        return [
            self.finding(c.url, evidence=f"栏目「{c.name}」无内容", column=c.name) for c in result.columns if c.blank
        ]
