"""meta.missing_tags: site tags everywhere, column tags on column pages, content tags on
content pages; pages whose type is unclear are judged on the site tags only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govinspect.engine import pagetype
from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.meta.missing_tags import MissingTags
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import ConfigError

CHECKS = Path(__file__).resolve().parents[3] / "fixtures" / "checks"
HOME = "http://127.0.0.1:8101/"
ARTICLE = HOME + "zwyw/202512/t20251212_2001.html"
LIST = HOME + "zcwj/index.html"


def fixture(name: str) -> str:
    return (CHECKS / name).read_text(encoding="utf-8")


def check(options: dict | None = None) -> MissingTags:
    config = EngineConfig(check_options={"meta.missing_tags": options} if options else {})
    return MissingTags(CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2025, 12, 15), config=config))


def page(url: str, html: str, encoding: str = "utf-8"):
    return parse_page(url, html.encode(encoding), headers={"content-type": "text/html"}, is_homepage=url == HOME)


def run(url: str, html: str, options: dict | None = None, encoding: str = "utf-8"):
    return list(check(options).check_page(page(url, html, encoding)))


def test_complete_content_page_gives_no_finding():
    assert run(HOME + "zcwj/202503/t20250312_1001.html", fixture("policy/trs_document_complete.html")) == []


def test_complete_home_page_gives_no_finding():
    assert run(HOME, fixture("identity/trs_home_complete.html")) == []
    assert run(HOME, fixture("identity/trs_home_complete.html"), {"home_tags": "column"}) == []


def test_article_with_an_empty_content_source():
    (finding,) = run(ARTICLE, fixture("meta/trs_article_no_source.html"))
    assert finding.check == "meta.missing_tags" and finding.url == ARTICLE
    assert finding.detail["missing"] == ["ContentSource"]
    assert finding.detail["page_type"] == "content"


def test_article_without_any_tag_is_still_a_content_page():
    html = fixture("meta/trs_article_no_source.html")
    head_end = html.index("</head>")
    html = html[: html.index('<meta name="SiteName"')] + html[head_end:]
    assert pagetype.classify(page(ARTICLE, html), HOME) == "content"
    (finding,) = run(ARTICLE, html)
    assert finding.detail["missing"] == [
        "SiteName",
        "SiteDomain",
        "SiteIDCode",
        "ColumnName",
        "ColumnType",
        "ArticleTitle",
        "PubDate",
        "ContentSource",
    ]


def test_column_page_lacks_site_tags_and_two_column_tags():
    (finding,) = run(LIST, fixture("policy/document_list.html"))
    assert finding.detail["page_type"] == "column"
    assert finding.detail["missing"] == ["SiteName", "SiteDomain", "SiteIDCode", "ColumnDescription", "ColumnKeywords"]


def test_gbk_content_page_without_column_type():
    url = HOME + "art/2025/6/20/art_9_1.html"
    html = fixture("policy/hanweb_document_missing.html")
    (finding,) = run(url, html, encoding="gbk")
    assert finding.detail["missing"] == ["ColumnType"]
    assert run(url, html, {"content_column_tags": False}, encoding="gbk") == []
    html = html.replace('<meta name="PubDate" content="2025-06-20 10:00">', "")
    (finding,) = run(url, html, {"content_column_tags": False}, encoding="gbk")
    assert finding.detail["missing"] == ["PubDate"]


def test_home_page_column_tags_only_when_asked():
    html = fixture("identity/hanweb_home_partial.html")
    assert run(HOME, html, encoding="gbk") == []
    (finding,) = run(HOME, html, {"home_tags": "column"}, encoding="gbk")
    assert finding.detail["missing"] == ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"]


def test_unclear_page_is_judged_on_site_tags_only_or_skipped():
    html = "<html><head><title>在线留言</title></head><body><form><textarea name='c'></textarea></form></body></html>"
    (finding,) = run(HOME + "hdjl/liuyan.html", html)
    assert finding.detail == {"missing": ["SiteName", "SiteDomain", "SiteIDCode"], "page_type": "unknown"}
    assert run(HOME + "hdjl/liuyan.html", html, {"unknown_pages": "skip"}) == []


def test_error_pages_are_not_judged():
    p = parse_page(
        HOME + "missing.html", b"<html><body>404</body></html>", status=404, headers={"content-type": "text/html"}
    )
    assert not check().applies_to(p)


def test_bad_option_is_a_config_error():
    with pytest.raises(ConfigError):
        check({"home_tags": "all"})


def test_soft_404_page_is_not_judged():
    html = (
        "<html><head><title>页面不存在</title></head><body><div class='error'>"
        "<h2>对不起，您访问的页面不存在或已被删除！</h2><p><a href='/'>返回首页</a></p></div></body></html>"
    )
    assert run(HOME + "art/2025/1/1/gone.html", html) == []


def test_single_page_column_with_long_prose_needs_column_tags_not_content_tags():
    prose = (
        "某市发展和改革委员会是市人民政府工作部门，主要职责是拟订并组织实施全市国民经济和社会发展战略、中长期规划和年度计划。"
        * 3
    )
    html = (
        "<html><head><title>机构职能</title>"
        '<meta name="SiteName" content="某市人民政府"><meta name="SiteDomain" content="www.mocksite.gov.cn">'
        '<meta name="SiteIDCode" content="5199000001"><meta name="ColumnName" content="机构职能">'
        '<meta name="ColumnType" content="机构职能"></head>'
        f"<body><div class='main'><h2>机构职能</h2><p>{prose}</p></div></body></html>"
    )
    (finding,) = run(HOME + "jgzn/index.html", html)
    assert finding.detail == {"missing": ["ColumnDescription", "ColumnKeywords"], "page_type": "column"}


def test_paragraphs_seen_on_other_pages_still_make_an_article():
    from govinspect.engine.page.blocks import RepeatedBlocks

    tracker = RepeatedBlocks()
    html = fixture("meta/trs_article_no_source.html")
    tracker.mark(page(HOME + "zwyw/202512/t20251211_1998.html", html.replace("某市召开优化营商环境工作推进会", "其他")))
    html = html.replace('<meta name="ArticleTitle" content="某市召开优化营商环境工作推进会">', "")
    marked = tracker.mark(page(ARTICLE, html))
    assert any(b.repeated and b.region == "main" for b in marked.text_blocks)
    assert pagetype.classify(marked, HOME) == "content"
    (finding,) = check().check_page(marked)
    assert finding.detail["missing"] == ["ArticleTitle", "ContentSource"]


def test_search_results_dated_on_every_row_are_not_an_article():
    rows = "".join(
        f"<li><a href='/art/{n}.html'>某市召开第{n}次安全生产工作推进会</a><p>发布时间：2025-12-{n:02d}</p></li>"
        for n in range(1, 7)
    )
    html = f"<html><head><title>搜索结果</title></head><body><div class='main'><ul>{rows}</ul></div></body></html>"
    signals = pagetype.signals(page(HOME + "search?q=x", html))
    assert signals.published_labels == 6 and not signals.published_label
    assert pagetype.classify(page(HOME + "search?q=x", html), HOME) != "content"


def test_short_article_with_its_publication_line_is_an_article():
    html = (
        "<html><head><title>关于开展防汛减灾检查工作的通知_通知公告</title>"
        '<meta name="ColumnName" content="通知公告"></head><body><div class="main">'
        "<h1>关于开展防汛减灾检查工作的通知</h1><div class='info'>发布时间：2025-11-02 来源：某县人民政府办公室</div>"
        "<p>各乡镇、各部门要严格落实工作要求，按时报送工作进展情况，确保各项任务落地见效。</p>"
        "<p>要统筹发展和安全，守牢底线红线，确保不发生系统性风险，扎实推进各项重点工作。</p></div></body></html>"
    )
    assert pagetype.classify(page(HOME + "tzgg/1.html", html), HOME) == "content"


def _table_layout_article(title: str, tags: str, paragraph: str) -> str:
    return (
        f"<html><head><title>{title}_某局</title>{tags}</head><body>"
        "<table width='1000' class='banner'><tr><td>某局</td></tr></table>"
        f"<table width='1000'><tr><td><p>当前位置：首页 &gt; 政策解读</p><h1>{title}</h1>"
        "<p>发布时间：2025-09-29 来源：某市教育局</p>"
        f"<p>{paragraph}</p><p>相关文件：某市教育局关于印发某办法的通知</p></td></tr></table>"
        "<table class='bottom'><tr><td>主办单位：某市教育局</td></tr></table></body></html>"
    )


def test_table_layout_article_whose_publication_line_was_seen_before():
    from govinspect.engine.page.blocks import RepeatedBlocks

    column = '<meta name="ColumnName" content="政策解读"><meta name="ColumnType" content="政策解读">'
    prose = (
        "与会人员围绕交通运输工作中的重点难点问题进行了深入讨论，要加强宣传引导，及时回应社会关切，营造良好舆论氛围。"
        "下一步，将持续深化改革，不断提升交通运输工作水平。"
    )
    tracker = RepeatedBlocks()
    tracker.mark(
        page(HOME + "zcjd/show_1.html", _table_layout_article("《某办法》政策解读", column, "其他内容。" * 20))
    )
    marked = tracker.mark(page(HOME + "zcjd/show_2.html", _table_layout_article("《某规定》政策解读", column, prose)))
    assert any(b.repeated and "发布时间" in b.text for b in marked.text_blocks)
    assert pagetype.classify(marked, HOME) == "content"


def test_redirect_stub_and_frameset_are_not_judged():
    stub = '<html><head><meta http-equiv="refresh" content="0;url=/index.html"></head><body></body></html>'
    assert run(HOME + "index.htm", stub) == []
    frames = '<html><head><title>某县</title></head><frameset rows="*"><frame src="/main.html"></frameset></html>'
    assert run(HOME + "old/index.html", frames) == []
