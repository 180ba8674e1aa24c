"""Severe expression errors: near-misses of protected terms are found, correct forms never."""

import pytest

from govinspect.engine.text.analyzer import TextAnalyzer


@pytest.fixture(scope="module")
def analyzer():
    return TextAnalyzer.default()


def severe(analyzer, text):
    return [(f.wrong, f.suggestion, f.kind) for f in analyzer.analyze(text).severe]


@pytest.mark.parametrize(
    ("text", "wrong", "suggestion", "kind"),
    [
        (
            "坚持以习近平新时代中国特色社会主意思想为指导。",
            "习近平新时代中国特色社会主意思想",
            "习近平新时代中国特色社会主义思想",
            "homophone",
        ),
        ("发展全过程人民主。", "全过程人民主", "全过程人民民主", "missing"),
        ("践行社会主义核心价值值观。", "社会主义核心价值值观", "社会主义核心价值观", "extra"),
        ("国务院办工厅印发通知。", "国务院办工厅", "国务院办公厅", "homophone"),
        ("成都市武候区人民政府", "武候区", "武侯区", "homophone"),
        ("甘孜州十渠县人民政府", "十渠县", "石渠县", "homophone"),  # 渠县 is a county too
        ("做到两个维户。", "两个维户", "两个维护", "homophone"),
        ("国家主席李强出席会议。", "国家主席李强", "国务院总理李强", "wrong_post"),
        ("李强总书记强调。", "李强总书记", "李强总理", "wrong_post"),
        ("国务院总理李墙主持会议。", "李墙", "李强", "homophone"),
        ("据台湾总统府消息", "台湾总统", "台湾地区领导人", "improper"),
        ("中华人民共合国宪法", "中华人民共合国宪法", "中华人民共和国宪法", "homophone"),
    ],
)
def test_near_misses_are_found(analyzer, text, wrong, suggestion, kind):
    assert (wrong, suggestion, kind) in severe(analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "坚持以习近平新时代中国特色社会主义思想为指导，增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        "中共中央总书记、国家主席、中央军委主席习近平出席会议。国务院总理李强主持。",
        "2020年，国务院副总理韩正出席。",  # a former post is still right in an archived article
        "人力资源社会保障部门和住房城乡建设部门要加强协作。",  # official short forms
        "全面建成了小康社会。",
        "公安不作为问题要严肃处理，成都是省会城市。",
        "位于河北省邢台市信都区的烈士陵园。",  # another province's district, not a misspelt 新都区
        "渠县人民政府办公室是渠县负责相关工作的机构。",  # 是 + the county 渠县, not a misspelt 石渠县
        "学习习近平总书记重要讲话精神。",
    ],
)
def test_correct_forms_are_never_flagged(analyzer, text):
    assert severe(analyzer, text) == []


def test_a_local_namesake_without_a_post_is_left_alone(analyzer):
    assert severe(analyzer, "何立锋同学获得一等奖。") == []
    assert severe(analyzer, "村民李墙家的房屋已修缮。") == []
    assert ("何立锋", "何立峰", "homophone") in severe(analyzer, "国务院副总理何立锋出席。")
