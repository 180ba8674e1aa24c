"""The four search checks (W-D8 站内搜索), fed by one ``SearchSurvey`` per site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.checks.search.probe import SearchOutcome, SearchSurvey
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity


class _SearchCheck(SiteCheck):
    indicator = "W-D8"
    severity: ClassVar[Severity] = "deduct"

    def observe(self, page: Page) -> None:
        SearchSurvey.of(self.ctx).observe(page)

    async def finish(self) -> Iterable[Finding]:
        survey = SearchSurvey.of(self.ctx)
        if survey.home not in survey.seen:
            return []  # the home page was never read
        outcome = await survey.outcome()
        return self.judge(outcome) if outcome.judgeable else []

    def judge(self, outcome: SearchOutcome) -> list[Finding]:
        raise NotImplementedError

    @property
    def home(self) -> str:
        return self.ctx.site.home_url


class SearchMissing(_SearchCheck):
    id = "search.missing"
    description = "未提供全站搜索或搜索不可用"

    def judge(self, outcome: SearchOutcome) -> list[Finding]:
        if outcome.working:
            return []
        if outcome.form is None:
            return [self.finding(self.home, evidence="未发现站内搜索表单", query=None)]
        failed = outcome.titles[0] if outcome.titles else None
        why = f"（HTTP {failed.status}）" if failed and failed.status else ""
        return [self.finding(self.home, evidence=f"站内搜索无法使用：{outcome.form.action}{why}", query=None)]


class TitleNotFound(_SearchCheck):
    id = "search.title_not_found"
    description = "已发布信息标题在搜索结果第一页找不到"

    def judge(self, outcome: SearchOutcome) -> list[Finding]:
        if not outcome.working:
            return []
        return [
            self.finding(self.home, evidence=f"搜索「{r.query}」第一页无此信息", query=r.query)
            for r in outcome.titles
            if r.ok and not r.found
        ]


class NoPinyin(_SearchCheck):
    id = "search.no_pinyin"
    description = "搜索不支持拼音"

    def judge(self, outcome: SearchOutcome) -> list[Finding]:
        r = outcome.pinyin
        if not outcome.working or r is None or not r.ok or r.found:
            return []
        return [self.finding(self.home, evidence=f"拼音搜索「{r.query}」无相关结果", query=r.query)]


class NoTypoTolerance(_SearchCheck):
    id = "search.no_typo_tolerance"
    description = "搜索不能纠正错别字"

    def judge(self, outcome: SearchOutcome) -> list[Finding]:
        r = outcome.typo
        if not outcome.working or r is None or not r.ok or r.found:
            return []
        return [self.finding(self.home, evidence=f"错字搜索「{r.query}」无相关结果", query=r.query)]
