"""security.sensitive: the lexicon as data, its context rules, and the check on parsed pages."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.security.matcher import SensitiveMatcher
from govinspect.engine.checks.security.sensitive import SensitiveContent
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import ConfigError
from govinspect.lexicons.sensitive import load_sensitive_lexicon, normalise

HOME = "http://127.0.0.1:8101/"


@pytest.fixture(scope="module")
def matcher() -> SensitiveMatcher:
    return SensitiveMatcher(load_sensitive_lexicon())


def words(matcher: SensitiveMatcher, text: str) -> list[tuple[str, str]]:
    return [(h.word, h.category) for h in matcher.first_per_sentence(text)]


def check(options: dict | None = None) -> SensitiveContent:
    config = EngineConfig(check_options={"security.sensitive": options} if options else {})
    return SensitiveContent(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2026, 11, 26), config=config))


def page(body: str, head: str = "", encoding: str = "utf-8"):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return parse_page(
        HOME + "art/1.html", html.encode(encoding), headers={"content-type": f"text/html; charset={encoding}"}
    )


def test_packaged_lexicon_is_valid_and_no_term_contains_another():
    lexicon = load_sensitive_lexicon()
    terms = [t for c in lexicon.categories for t in c.terms]
    assert len(terms) == len(set(terms)) >= 80
    assert {c.id for c in lexicon.categories} >= {"gambling", "pornography", "violence", "drugs", "fraud"}
    nested = [(a, b) for a in terms for b in terms if a != b and a in b]
    assert not nested, f"terms containing other terms split one problem in two: {nested}"
    assert all(t == normalise(t) for t in terms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("最新六合彩开奖结果，免费资料大全，点击查看。", [("六合彩", "gambling")]),
        ("正规网上赌场，注册即送彩金，提现秒到账。", [("网上赌场", "gambling")]),
        ("成人影院在线观看，无需注册。", [("成人影院", "pornography")]),
        ("百家乐真人荷官在线发牌。", [("百家乐", "gambling")]),
        ("百 家 乐 官网", [("百家乐", "gambling")]),
        ("ＢＥＴ３６５体育在线", [("bet365", "gambling")]),
        ("代开各类发票，联系微信。出售冰毒货到付款。", [("代开各类发票", "fraud"), ("出售冰毒", "drugs")]),
    ],
)
def test_spam_is_found_once_per_sentence(matcher, text, expected):
    assert words(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "依法严厉打击赌博违法犯罪活动，维护社会治安秩序。",
        "深入开展“扫黄打非”进基层工作，净化社会文化环境。",
        "持续整治网络色情低俗信息，营造清朗网络空间。",
        "警方破获一起网上赌场案件，抓获犯罪嫌疑人5名。",
        "公安机关提醒：警惕刷单返利类诈骗，切勿轻信。",
        "开展禁毒宣传，远离冰毒出售等违法信息。",
        "某某因非法买卖枪支罪被判处有期徒刑。",
        "中国体育彩票、中国福利彩票销售网点。",
        "组织志愿者支援交通疏导。",
        "会议在三楼凤凰厅举行。",
        "划分三级片区网格。",
        "大黄片、黄芩片等中药饮片。",
        "纳税人可申请税务机关代开发票。",
    ],
)
def test_official_usage_is_not_flagged(matcher, text):
    assert words(matcher, text) == []


def test_official_word_in_another_sentence_does_not_excuse(matcher):
    assert words(matcher, "我局开展打击整治行动。百家乐真人在线，注册就送。") == [("百家乐", "gambling")]


def test_check_reads_title_meta_and_fresh_blocks():
    head = '<title>澳门葡京-官方网站</title><meta name="keywords" content="百家乐,真人娱乐">'
    found = list(check().check_page(page("<p>最新六合彩开奖结果。</p><p>一般新闻内容。</p>", head=head)))
    assert {(f.detail["word"], f.detail["category"]) for f in found} == {
        ("澳门葡京", "gambling"),
        ("百家乐", "gambling"),
        ("六合彩", "gambling"),
    }
    assert all(f.severity == "veto" and f.indicator == "W-V1" and f.url == HOME + "art/1.html" for f in found)
    six = next(f for f in found if f.detail["word"] == "六合彩")
    assert "六合彩开奖" in six.evidence


def test_clean_page_and_hidden_links_give_nothing():
    body = (
        "<p>依法严厉打击赌博违法犯罪活动。</p><p>区政府召开常务会议。</p>"
        '<div style="display:none"><a href="http://127.0.0.1:8199/pj/1.html">澳门葡京</a></div>'
    )
    assert list(check().check_page(page(body))) == []


def test_gbk_page():
    found = list(check().check_page(page("<p>成人影院在线观看，无需注册。</p>", encoding="gbk")))
    assert [f.detail["word"] for f in found] == ["成人影院"]


def test_lexicon_dir_replaces_packaged_files(tmp_path):
    (tmp_path / "terms.toml").write_text('[[category]]\nid = "custom"\nterms = ["测试违规词"]\n', encoding="utf-8")
    found = list(check({"lexicon_dir": str(tmp_path)}).check_page(page("<p>这里有测试违规词。六合彩</p>")))
    assert [(f.detail["word"], f.detail["category"]) for f in found] == [("测试违规词", "custom")]


def test_bad_lexicon_is_a_config_error(tmp_path):
    (tmp_path / "terms.toml").write_text('[[category]]\nid = "x"\nterms = [1]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="terms"):
        load_sensitive_lexicon(str(tmp_path))
    (tmp_path / "terms.toml").write_text('[[category]]\nid = "x"\nterms = ["a"]\n', encoding="utf-8")
    (tmp_path / "domains.toml").write_text('[spam_hosts]\ngambling = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="regular expression"):
        load_sensitive_lexicon(str(tmp_path))


def test_visible_links_to_gambling_or_adult_hosts():
    body = (
        '<p><a href="https://www.xpj8888.com/reg">注册</a> <a href="http://www.java.com/">下载Java</a>'
        ' <a href="http://www.cdcrgk.example/chengrengaokao">成人高考报名</a>'
        ' <a href="https://www.sc.gov.cn/">四川省人民政府</a> <a href="http://a.pornhub.com/x">视频</a></p>'
    )
    found = list(check().check_page(page(body)))
    assert {(f.detail["word"], f.detail["category"], f.target) for f in found} == {
        ("www.xpj8888.com", "gambling", "https://www.xpj8888.com/reg"),
        ("a.pornhub.com", "pornography", "http://a.pornhub.com/x"),
    }
