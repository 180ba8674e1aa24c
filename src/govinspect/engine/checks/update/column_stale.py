"""W-V4 栏目不更新: a column not updated within its type's window (动态要闻 14 days,
通知公告/政策文件 180 days, 人事/规划计划 365 days; windows from the catalogue)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.update.survey import ColumnSurvey
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity


class ColumnStale(SiteCheck):
    id = "update.column_stale"
    indicator = "W-V4"
    severity: ClassVar[Severity] = "deduct"  # the veto needs ≥5 key / ≥10 columns: scoring counts
    description = "栏目不更新"

    def observe(self, page: Page) -> None:
        ColumnSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        result = await ColumnSurvey.of(self.ctx).result()
        out = []
        for column in result.columns:
            if not column.stale(self.ctx.as_of):
                continue
            latest = column.latest.isoformat() if column.latest else None
            evidence = f"栏目「{column.name}」（{column.type.label}）最新信息：{latest or '无日期'}"
            out.append(
                self.finding(
                    column.url,
                    evidence=evidence,
                    column=column.name,
                    type=column.type.name,
                    latest=latest,
                    window_days=column.window_days,
                )
            )
        return out
