"""text.severe_error on parsed pages: veto findings with wrong + suggestion, repeated blocks
checked once per site, local leaders' names learnt from the site, GBK pages."""

from __future__ import annotations

from datetime import date

from tests.unit.engine.checks.sitecheck_kit import HOME, FakeSite, run_checks

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.text.severe_error import SevereErrorCheck
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.target import SiteTarget

AS_OF = date(2025, 12, 15)


def html(body: str, charset: str = "utf-8") -> str:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body>{body}</body></html>'


async def test_a_misspelt_formulation_is_a_veto_with_wrong_and_suggestion():
    site = FakeSite(
        {
            HOME: html(
                "<div class='content'><p>要大力弘扬社会主意核心价值观，推进诚信建设。</p>"
                "<p>要大力弘扬社会主意核心价值观。</p></div>"
            ),
        }
    )
    [finding] = await run_checks([SevereErrorCheck], site, AS_OF)
    assert finding.check == "text.severe_error"
    assert finding.severity == "veto" and finding.indicator == "W-V1"
    assert finding.url == HOME
    assert finding.detail["wrong"] == "社会主意核心价值观"
    assert finding.detail["suggestion"] == "社会主义核心价值观"
    assert "社会主意核心价值观" in finding.evidence


async def test_a_clean_official_page_gives_nothing():
    site = FakeSite(
        {
            HOME: html(
                "<p>坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，"
                "增强“四个意识”、坚定“四个自信”、做到“两个维护”，发展全过程人民民主。</p>"
                "<p>根据《中华人民共和国政府信息公开条例》，四川省成都市武侯区人民政府现予公开。</p>"
            ),
        }
    )
    assert await run_checks([SevereErrorCheck], site, AS_OF) == []


async def test_a_gbk_page_is_checked_after_decoding():
    body = html("<p>根据《中华人民共合国政府信息公开条例》，现予公开。</p>", charset="gbk").encode("gbk")
    site = FakeSite({HOME: body}, encoding="gbk")
    findings = await run_checks([SevereErrorCheck], site, AS_OF)
    assert [(f.detail["wrong"], f.detail["suggestion"]) for f in findings] == [("中华人民共合国", "中华人民共和国")]


async def test_local_leader_name_near_miss_is_learnt_from_the_site():
    site = FakeSite(
        {
            HOME + "ldxx/index.html": html(
                "<h2>领导信息</h2><ul><li><strong>王建国</strong>　局长</li>"
                "<li><strong>李志强</strong>　副局长</li></ul>"
            ),
            HOME + "art/1.html": html("<p>局长王建果出席会议并讲话。</p>"),
            HOME + "art/2.html": html("<p>副局长李志强主持会议。</p>"),
        }
    )
    [finding] = await run_checks([SevereErrorCheck], site, AS_OF)
    assert finding.url == HOME + "art/1.html"
    assert (finding.detail["wrong"], finding.detail["suggestion"]) == ("王建果", "王建国")


async def test_repeated_blocks_are_skipped():
    tracker = RepeatedBlocks()
    footer = "<div class='footer'>主办：四川省人民政府办工厅</div>"
    site = FakeSite({HOME: html("<p>首页</p>" + footer), HOME + "a.html": html("<p>正文</p>" + footer)})
    first, second = (tracker.mark(site.page(u)) for u in (HOME, HOME + "a.html"))
    assert any(b.repeated for b in second.text_blocks)
    check = SevereErrorCheck(CheckContext(site=SiteTarget(home_url=HOME), as_of=AS_OF, config=EngineConfig()))
    check.observe(first)
    check.observe(second)
    findings = list(await check.finish())
    assert [(f.url, f.detail["wrong"]) for f in findings] == [(HOME, "四川省人民政府办工厅")]
