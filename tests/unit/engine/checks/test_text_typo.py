"""text.typo on parsed pages: notice findings, one per (page, wrong), GBK pages, options."""

from __future__ import annotations

from datetime import date

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.text.typo import TypoCheck
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget

HOME = "http://127.0.0.1:8101/"


def check(options: dict | None = None) -> TypoCheck:
    config = EngineConfig(check_options={"text.typo": options} if options else {})
    return TypoCheck(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2025, 12, 15), config=config))


def page(body: str, encoding: str = "utf-8"):
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    return parse_page(
        HOME + "art/1.html", html.encode(encoding), headers={"content-type": f"text/html; charset={encoding}"}
    )


def test_typos_are_notices_with_wrong_and_suggestion_once_per_page():
    findings = list(
        check().check_page(
            page(
                "<p>既使任务再重、时间再紧，也要确保工作质量。</p><p>既使困难再多也不退缩。</p><p>已为小区按装路灯。</p>"
            )
        )
    )
    assert [(f.detail["wrong"], f.detail["suggestion"]) for f in findings] == [("既使", "即使"), ("按装", "安装")]
    f = findings[0]
    assert f.check == "text.typo" and f.severity == "notice" and f.indicator is None
    assert f.url == HOME + "art/1.html" and "既使" in f.evidence


def test_a_clean_page_gives_nothing():
    assert (
        list(
            check().check_page(
                page(
                    "<p>为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，进一步深化“放管服”改革，"
                    "持续提升政务服务水平。即使任务再重，也要再接再厉。</p>"
                )
            )
        )
        == []
    )


def test_gbk_page():
    findings = list(check().check_page(page("<p>希望大家再接再励，在新的起点上取得更大成绩。</p>", "gbk")))
    assert [f.detail["wrong"] for f in findings] == ["再接再励"]


def test_lexicon_dir_option_changes_the_list(tmp_path):
    (tmp_path / "misused_words.tsv").write_text("路灯\t街灯\n", encoding="utf-8")
    findings = list(check({"lexicon_dir": str(tmp_path)}).check_page(page("<p>已为小区安装路灯。</p>")))
    assert [f.detail["wrong"] for f in findings] == ["路灯"]


def test_a_paragraph_repeated_in_the_main_text_is_checked_on_every_page_a_footer_once():
    from govinspect.engine.page.blocks import RepeatedBlocks

    tracker = RepeatedBlocks()
    body = (
        "<div class='content'><p>{lead}</p><p>该项目预计于明年六月峻工并投入使用。</p></div>"
        "<div class='footer'>已为小区按装路灯。</div>"
    )
    pages = []
    for n, lead in enumerate(("第一篇。", "第二篇。"), start=1):
        html = f"<html><head><title>t</title></head><body>{body.format(lead=lead)}</body></html>"
        parsed = parse_page(HOME + f"art/{n}.html", html.encode(), headers={"content-type": "text/html"})
        pages.append(tracker.mark(parsed))
    typo = check()
    found = [(f.url, f.detail["wrong"]) for p in pages for f in typo.check_page(p)]
    assert sorted(found) == [
        (HOME + "art/1.html", "峻工"),
        (HOME + "art/1.html", "按装"),
        (HOME + "art/2.html", "峻工"),
    ]
