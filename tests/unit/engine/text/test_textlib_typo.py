"""Typos: the misused-word list, official phrasings and dictionary confusion; clean official
text gives nothing."""

import pytest

from govinspect.engine.text.analyzer import TextAnalyzer
from govinspect.engine.text.typo import TypoDetector
from govinspect.lexicons import load_lexicons

CLEAN = (
    "为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，进一步深化“放管服”改革，"
    "持续提升政务服务水平，现就有关事项通知如下。各地各部门要加强组织领导，明确责任分工，"
    "细化工作措施，确保各项任务按期完成。对工作中遇到的新情况新问题，要及时研究解决，"
    "重大事项及时报告。本通知自印发之日起施行。"
)


@pytest.fixture(scope="module")
def analyzer():
    return TextAnalyzer.default()


def typos(analyzer, text):
    return [(f.wrong, f.suggestion, f.kind) for f in analyzer.analyze(text).typos]


@pytest.mark.parametrize(
    ("text", "wrong", "suggestion", "kind"),
    [
        ("既使困难再大，也要完成任务。", "既使", "即使", "misused"),
        ("希望大家再接再励，再创佳绩。", "再接再励", "再接再厉", "misused"),
        ("为小区按装路灯。", "按装", "安装", "misused"),
        ("深化放管服改格，优化营商环竟。", "营商环竟", "营商环境", "homophone"),
        ("进一步规范行政审批程续。", "程续", "程序", "confusion"),
        ("法院应当根锯和解协议制作调解书。", "根锯", "根据", "confusion"),
        ("对待工作要一丝不狗，精益求精。", "一丝不狗", "一丝不苟", "confusion"),  # an idiom not in our list
    ],
)
def test_typos_are_found(analyzer, text, wrong, suggestion, kind):
    assert (wrong, suggestion, kind) in typos(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        CLEAN,
        "即使困难再大，也要再接再厉，为小区安装路灯。",
        "他悲不自已，泪流满面。",  # 自已 is right inside 悲不自已
        "刘世杰　广州市交通运输局",  # a name in a list: too short a run to judge
    ],
)
def test_clean_text_gives_nothing(analyzer, text):
    assert typos(analyzer, text) == []


def test_allowlisted_words_are_never_flagged(tmp_path):
    (tmp_path / "allowlist.txt").write_text("程续\n", encoding="utf-8")
    detector = TypoDetector(load_lexicons(str(tmp_path)))
    assert detector.find("进一步规范行政审批程续。") == []


def test_a_confusion_repeated_on_the_page_is_a_term_not_a_typo(analyzer):
    text = "进一步规范行政审批程续。"
    assert analyzer.analyze(text).typos
    assert all(not a.typos for a in analyzer.analyze_blocks([text, "新的审批程续已经公布。"]))


def test_severe_spans_are_not_reported_twice(analyzer):
    result = analyzer.analyze("践行社会主义核心价植观。")
    assert [f.wrong for f in result.severe] == ["社会主义核心价植观"]
    assert result.typos == ()
