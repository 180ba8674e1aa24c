"""敷衍答复 (W-D14): templated replies without substance, deflections, replies far
shorter than the question, and short replies repeated verbatim across many messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.interaction.messages import MessageSurvey, ReplyIndex, perfunctory_reason
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity
from govinspect.indicators import catalogue

REPEATED_MAX_CHARS = 50  # a long standard answer repeated verbatim may still answer the question


class Perfunctory(SiteCheck):
    id = "interaction.perfunctory"
    indicator = "W-D14"
    severity: ClassVar[Severity] = "deduct"
    description = "答复推诿敷衍"

    def observe(self, page: Page) -> None:
        MessageSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        survey = MessageSurvey.of(self.ctx)
        messages = [m for m in survey.messages.values() if m.from_detail and m.reply]
        repeated_at = catalogue()["W-D14"].days("repeated_reply_messages")
        index = ReplyIndex.of(messages)
        out = []
        for message in messages:
            reason = perfunctory_reason(message, survey.vocab)
            if reason is None and len(message.reply) < REPEATED_MAX_CHARS and index.count(message.reply) >= repeated_at:
                reason = "repeated"
            if reason is None:
                continue
            out.append(
                self.finding(message.url, target=message.url, evidence=f"答复：{message.reply[:80]}", reason=reason)
            )
        return out
