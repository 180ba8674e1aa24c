"""policy.interpretation_unlinked: a 解读 and its document must link both ways."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.policy.interpretation_unlinked import (
    TO_DOCUMENT,
    TO_INTERPRETATION,
    InterpretationUnlinked,
    _core_name,
)
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "checks" / "policy"
HOME = "http://127.0.0.1:8101/"
DOC = HOME + "zcwj/202503/t20250312_1001.html"
INTERP = HOME + "zcjd/202503/t20250313_1002.html"
LIST = HOME + "zcwj/index.html"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


async def run(pages: dict[str, str], encoding: str = "utf-8"):
    ctx = CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2025, 12, 15), config=EngineConfig())
    check = InterpretationUnlinked(ctx)
    for url, html in pages.items():
        body = html.encode(encoding)
        check.observe(parse_page(url, body, headers={"content-type": "text/html"}, is_homepage=url == HOME))
    return list(await check.finish())


async def test_linked_both_ways_gives_no_finding():
    pages = {
        DOC: fixture("trs_document_complete.html"),
        INTERP: fixture("trs_interpretation.html"),
        LIST: fixture("document_list.html"),
    }
    assert await run(pages) == []


async def test_document_not_linking_to_its_interpretation():
    doc = fixture("trs_document_complete.html").replace('href="/zcjd/202503/t20250313_1002.html"', 'href="/zcjd/"')
    (finding,) = await run({DOC: doc, INTERP: fixture("trs_interpretation.html")})
    assert finding.check == "policy.interpretation_unlinked"
    assert finding.url == INTERP
    assert finding.detail["interpretation"] == INTERP
    assert finding.detail["document"] == DOC
    assert finding.detail["direction"] == TO_INTERPRETATION


async def test_interpretation_not_linking_to_its_document_is_matched_by_title():
    interp = fixture("trs_interpretation.html")
    interp = interp.replace('<a href="/zcwj/202503/t20250312_1001.html">', "<span>").replace(
        "的通知</a></div>", "的通知</span></div>"
    )
    (finding,) = await run({DOC: fixture("trs_document_complete.html"), INTERP: interp})
    assert finding.detail["direction"] == TO_DOCUMENT
    assert finding.detail["document"] == DOC


async def test_neither_direction_gives_two_findings_in_gbk():
    doc = fixture("trs_document_complete.html").replace('<div class="related">', '<div class="related" hidden>')
    doc = doc.replace('charset=utf-8"', 'charset=gbk"')
    interp = fixture("trs_interpretation.html").replace('<div class="yw">', '<div class="yw" hidden>')
    interp = interp.replace('<meta charset="utf-8">', '<meta charset="gbk">')
    findings = await run({DOC: doc, INTERP: interp}, encoding="gbk")
    assert sorted(f.detail["direction"] for f in findings) == [TO_INTERPRETATION, TO_DOCUMENT]
    assert {f.url for f in findings} == {INTERP}


async def test_interpretation_whose_document_was_not_crawled_is_not_judged():
    assert await run({INTERP: fixture("trs_interpretation.html"), LIST: fixture("document_list.html")}) == []


async def test_list_of_interpretations_is_not_an_interpretation():
    listing = fixture("document_list.html").replace("<title>政策文件_", "<title>政策解读_")
    item = (
        '<li><a href="/zcjd/202503/t20250313_1002.html">关于《某市优化营商环境实施方案》的政策解读</a>'
        "<span>2025-03-13</span></li></ul>"
    )
    listing = listing.replace("</ul>", item)
    doc = fixture("trs_document_complete.html").replace('<div class="related">', '<div class="related" hidden>')
    assert await run({HOME + "zcjd/index.html": listing, DOC: doc}) == []


async def test_an_interpretation_linking_to_a_related_document_is_matched_to_the_named_one():
    other = HOME + "zcwj/202502/t20250220_0991.html"
    other_html = fixture("trs_document_complete.html").replace("某市优化营商环境实施方案", "某市安全生产三年行动方案")
    other_html = other_html.replace("某府办发〔2025〕12号", "某府办发〔2025〕9号").replace(
        '<div class="related">', '<div class="related" hidden>'
    )
    interp = fixture("trs_interpretation.html").replace(
        "/zcwj/202503/t20250312_1001.html", "/zcwj/202502/t20250220_0991.html"
    )
    findings = await run({DOC: fixture("trs_document_complete.html"), other: other_html, INTERP: interp})
    (finding,) = findings
    assert finding.detail["document"] == DOC and finding.detail["direction"] == TO_DOCUMENT


def test_core_name_of_titles_without_quotes():
    assert _core_name("一图读懂某市优化营商环境实施方案") == "某市优化营商环境实施方案"
    assert _core_name("关于某市就业创业补贴管理办法的解读") == "某市就业创业补贴管理办法"
    assert _core_name("【图解】某市就业创业补贴管理办法") == "某市就业创业补贴管理办法"
    assert _core_name("某市就业创业补贴管理办法（政策解读）") == "某市就业创业补贴管理办法"


async def test_links_by_https_or_through_a_redirect_count():
    doc = fixture("trs_document_complete.html").replace(
        'href="/zcjd/202503/t20250313_1002.html"', 'href="https://127.0.0.1:8101/zcjd/old/1002.html"'
    )
    ctx = CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2025, 12, 15), config=EngineConfig())
    check = InterpretationUnlinked(ctx)
    check.observe(parse_page(DOC, doc.encode(), headers={"content-type": "text/html"}))
    check.observe(
        parse_page(
            INTERP,
            fixture("trs_interpretation.html").encode(),
            headers={"content-type": "text/html"},
            requested_url=HOME + "zcjd/old/1002.html",
            redirects=(HOME + "zcjd/old/1002.html",),
        )
    )
    assert list(await check.finish()) == []


async def test_two_documents_of_the_same_name_are_told_apart_by_the_link_that_remains():
    older = HOME + "zcwj/202409/t20240920_0901.html"
    older_html = fixture("trs_document_complete.html").replace("某府办发〔2025〕12号", "某府办发〔2024〕30号")
    older_html = older_html.replace('<div class="related">', '<div class="related" hidden>')
    interp = fixture("trs_interpretation.html").replace('<div class="yw">', '<div class="yw" hidden>')
    (finding,) = await run({older: older_html, DOC: fixture("trs_document_complete.html"), INTERP: interp})
    assert finding.detail["document"] == DOC and finding.detail["direction"] == TO_DOCUMENT
