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


@pytest.mark.parametrize(
    ("text", "wrong", "suggestion"),
    [
        ("认真做好政策宣传和解读工做。", "工做", "工作"),
        ("各部门要进一步钾强组织领导。", "钾强", "加强"),
        ("公交车要优先使鳙新能源汽车。", "使鳙", "使用"),
        ("要进一步湾善工作机制。", "湾善", "完善"),
        ("这项工作由地方姓政首长负责。", "姓政", "行政"),
    ],
)
def test_one_character_of_a_frequent_word_replaced_is_found(analyzer, text, wrong, suggestion):
    """The two-character rule: neither character is in a word, one of them is mostly used in
    the suggested word and the other is read (or looks) like its missing character."""
    assert (wrong, suggestion, "confusion") in typos(analyzer, text)


def test_the_two_character_rule_alone_finds_them():
    detector = TypoDetector(load_lexicons())
    detector._window_confusions = lambda run, uncovered: iter(())  # the general confusion off
    assert [(f.wrong, f.suggestion) for f in detector.find("要进一步湾善工作机制。")] == [("湾善", "完善")]
    assert detector.find("要进一步完善工作机制。") == []


@pytest.mark.parametrize(
    "text",
    [
        "各部门要进一步加强组织领导。",  # the correct forms
        "认真做好政策宣传和解读工作。",
        "副局长李凡荣出席会议。",  # a name after a post (凡荣 -> 繁荣)
        "驻绥江县会仪镇黄坪村工作队。",  # a place (会仪 -> 会议)
        "督促企业建立隐患自查自改评价制度。",  # a parallel phrase (自改 -> 自己)
        "江苏省徐州市彭城五交化有限责任公司。",  # a numbered abbreviation (交化 -> 文化)
        "推广多抗广适高产稳产小麦新品种。",  # a run of unknown characters (抗广 -> 推广)
        "专业人才经备案后，可依规办理工作居留证件。",  # 可 依规 (可依 -> 可以)
        "金融机构可按照独立审贷和风险可控的原则提供贷款。",  # 审/信 share only a rare reading
        "副局长许海滔出席会议并讲话。",  # a name after a post is no word (海滔 -> 海水)
    ],
)
def test_the_two_character_rule_leaves_names_places_and_phrases_alone(analyzer, text):
    assert typos(analyzer, text) == []


def test_misused_words_of_the_second_batch(analyzer):
    assert ("暴光", "曝光", "misused") in typos(analyzer, "对典型问题将予以公开暴光。")
    assert ("倍受", "备受", "misused") in typos(analyzer, "这一做法倍受群众好评。")
    assert typos(analyzer, "对典型问题将予以公开曝光，群众加倍受益。") == []
    assert typos(analyzer, "这边价钱既便宜，食物又好吃。") == []  # 既…又…, not 即便
    assert typos(analyzer, "依法预防犯罪。") == []


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
