"""W-V5 (2): a valid message asked within the year before as_of and left unanswered
for more than 90 days (both from the catalogue)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.interaction.messages import MessageSurvey
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity
from govinspect.indicators import catalogue


class Unanswered(SiteCheck):
    id = "interaction.unanswered"
    indicator = "W-V5"
    severity: ClassVar[Severity] = "veto"
    description = "留言超过3个月未回应"

    def observe(self, page: Page) -> None:
        MessageSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        item = catalogue()["W-V5"]
        limit = timedelta(days=item.days("unanswered_days"))
        since = self.ctx.as_of - timedelta(days=item.days("lookback_days"))
        late_replies = bool(self.ctx.options(self.id).get("count_late_replies", False))
        out = []
        for message in MessageSurvey.of(self.ctx).messages.values():
            asked = message.asked
            if asked is None or message.status == "invalid" or not since <= asked <= self.ctx.as_of:
                continue
            if message.has_reply:
                late = message.answered is not None and message.answered - asked > limit
                if not (late_replies and late):
                    continue
            elif self.ctx.as_of - asked <= limit:
                continue
            evidence = f"留言时间 {asked.isoformat()}，截至 {self.ctx.as_of.isoformat()} 未答复"
            out.append(self.finding(message.url, evidence=evidence, asked=asked.isoformat(), column=message.column))
        return out
