"""W-V5 (1) 未提供网上有效咨询建言渠道: no working consultation or suggestion channel.

A channel is a link named 咨询/信箱/留言/建言… (the special channels 信访, 纪检举报 and the
like do not count, as the indicator says) whose page loads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.interaction.messages import MessageSurvey
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity


class NoChannel(SiteCheck):
    id = "interaction.no_channel"
    indicator = "W-V5"
    severity: ClassVar[Severity] = "veto"
    description = "未提供有效咨询建言渠道"

    def observe(self, page: Page) -> None:
        MessageSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        survey = MessageSurvey.of(self.ctx)
        if survey.home not in survey.loaded or not survey.loaded[survey.home]:
            return []  # the home page was never read: nothing can be said about channels
        if await survey.working_channel() is not None or survey.messages:
            return []
        if survey.channels:
            names = "、".join(c.name for c in list(survey.channels.values())[:3])
            evidence = f"咨询建言渠道无法打开：{names}"
        else:
            evidence = "未发现咨询、信箱、留言等咨询建言渠道"
        return [self.finding(self.ctx.site.home_url, evidence=evidence)]
