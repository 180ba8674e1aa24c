"""policy.missing_elements on pages shaped like TRS and Hanweb policy documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govinspect.engine import policydoc
from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.policy.missing_elements import MissingElements
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_html, parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "checks" / "policy"
HOME = "http://127.0.0.1:8101/"
DOC_URL = HOME + "zcwj/202503/t20250312_1001.html"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def check(options: dict | None = None) -> MissingElements:
    opts = {"policy.missing_elements": options} if options is not None else {}
    ctx = CheckContext(
        site=SiteTarget(home_url=HOME), as_of=date(2025, 12, 15), config=EngineConfig(check_options=opts)
    )
    return MissingElements(ctx)


def run(html: str, url: str = DOC_URL, options: dict | None = None):
    return list(check(options).check_page(parse_html(url, html)))


def test_complete_trs_document_gives_no_finding():
    assert run(fixture("trs_document_complete.html")) == []


def test_trs_document_with_an_empty_number_and_no_validity_row():
    html = fixture("trs_document_complete.html")
    html = html.replace("<td>某府办发〔2025〕12号</td>", "<td></td>")
    html = html.replace('<p class="wh">某府办发〔2025〕12号</p>', "")
    html = html.replace("<td>有效</td>", "<td>&nbsp;</td>")
    (finding,) = run(html)
    assert finding.check == "policy.missing_elements"
    assert finding.url == DOC_URL
    assert finding.detail["missing"] == ["发文字号", "有效性"]
    assert finding.site == HOME and finding.severity == "deduct"
    assert "优化营商环境" in finding.evidence


def test_hanweb_document_in_gbk_with_an_empty_written_date():
    body = fixture("hanweb_document_missing.html").encode("gbk")
    page = parse_page(HOME + "art/2025/6/20/art_9_1.html", body, headers={"content-type": "text/html"})
    assert page.encoding and page.encoding.lower() in ("gbk", "gb18030")
    (finding,) = check().check_page(page)
    assert finding.detail["missing"] == ["成文日期"]  # 生成日期 is Hanweb's name for it, left empty


def test_document_without_any_metadata_block_is_still_recognised_and_reported():
    html = fixture("trs_document_complete.html")
    start, end = html.index('<table class="bd1"'), html.index("</table>") + len("</table>")
    html = html[:start] + html[end:]
    (finding,) = run(html)
    # the 文号 standing alone under the title is shown; PubDate meta does not count as 发布日期
    assert finding.detail["missing"] == ["索引号", "发文机关", "成文日期", "发布日期", "主题分类", "有效性"]
    assert set(finding.detail["recognised_by"]) == {"title", "number", "column"}


def test_a_cited_number_is_not_the_documents_own():
    html = fixture("trs_document_complete.html")
    html = html.replace("<td>某府办发〔2025〕12号</td>", "<td></td>").replace(
        '<p class="wh">某府办发〔2025〕12号</p>', ""
    )
    html = html.replace(
        "<p>各县（市、区）人民政府，市级各部门：</p>",
        "<p>根据《某省优化营商环境条例》（某府发〔2024〕3号）有关规定，结合我市实际，制定本方案。</p>",
    )
    (finding,) = run(html)
    assert finding.detail["missing"] == ["发文字号"]


def test_news_article_with_hanweb_metadata_table_is_not_a_policy_document():
    assert run(fixture("news_with_metadata.html"), HOME + "art/2025/6/21/art_8_2.html") == []


def test_policy_column_list_page_is_not_a_policy_document():
    assert run(fixture("document_list.html"), HOME + "zcwj/index.html") == []


def test_home_page_is_never_a_policy_document():
    html = fixture("trs_document_complete.html").replace("<td>某府办发〔2025〕12号</td>", "<td></td>")
    page = parse_page(HOME, html.encode(), headers={"content-type": "text/html; charset=utf-8"}, is_homepage=True)
    assert list(check().check_page(page)) == []


def test_interpretation_page_is_not_a_policy_document():
    url = HOME + "zcjd/202503/t20250313_1002.html"
    assert run(fixture("trs_interpretation.html"), url) == []


def test_required_set_is_configurable():
    html = fixture("trs_document_complete.html").replace("<td>有效</td>", "<td></td>")
    assert run(html, options={"required": ["索引号", "发文字号"]}) == []
    (finding,) = run(html, options={"required": ["有效性"]})
    assert finding.detail["missing"] == ["有效性"]


def test_unknown_required_element_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown 公开要素"):
        check({"required": ["索引号", "文件密级"]})


def test_labelled_fields_in_a_list_layout():
    text = (
        "索引号：11510000MB1/2025-00001 主题分类：综合政务\n"
        "发文机关：四川省人民政府 成文日期：\n"
        "发文字号：川府发〔2025〕3号"
    )
    found = policydoc.elements_from_text(text)
    assert found["索引号"].value == "11510000MB1/2025-00001"
    assert found["主题分类"].value == "综合政务"
    assert found["发文机关"].value == "四川省人民政府"
    assert not found["成文日期"].present
    assert found["发文字号"].value == "川府发〔2025〕3号"


def test_label_and_value_in_separate_blocks():
    found = policydoc.elements_from_text("索 引 号\n0001/2025-1\n发文字号：\n成文日期：\n2025-01-02")
    assert found["索引号"].value == "0001/2025-1"
    assert not found["发文字号"].present
    assert found["成文日期"].value == "2025-01-02"


def test_table_shapes():
    tables = (
        (("索引号：", "0001/2025-1", "发布机构：", "某局"), ("文号", "", "有效性", "有效")),
        (("成文日期：2025-01-02",),),
        (("主题分类", "发布日期"), ("综合政务", "2025-01-05")),
    )
    found = policydoc.elements_from_tables(tables)
    assert found["索引号"].value == "0001/2025-1"
    assert found["发文机关"].value == "某局"
    assert not found["发文字号"].present
    assert found["有效性"].value == "有效"
    assert found["成文日期"].value == "2025-01-02"
    assert found["主题分类"].value == "综合政务" and found["发布日期"].value == "2025-01-05"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("某市人民政府办公室关于印发《某市优化营商环境实施方案》的通知", True),
        ("某市人民政府关于进一步加强安全生产工作的意见", True),
        ("某市就业创业补贴管理办法（试行）", True),
        ("川府发〔2025〕12号", True),
        ("某市召开安全生产工作推进会", False),
        ("关于《某市优化营商环境实施方案》的政策解读", False),
        ("一图读懂某市优化营商环境实施方案", False),
    ],
)
def test_document_titles(title, expected):
    assert policydoc.is_document_title(title) is expected


def test_document_numbers():
    assert policydoc.DOCUMENT_NUMBER_RE.search("川府发〔2025〕12号").group(0) == "川府发〔2025〕12号"
    assert policydoc.DOCUMENT_NUMBER_RE.search("国办函[2019]19号")
    assert policydoc.DOCUMENT_NUMBER_RE.search("财预（2024）3号")
    assert not policydoc.DOCUMENT_NUMBER_RE.search("2025年12号楼")


def test_labels_without_colons():
    found = policydoc.elements_from_text(
        "成文日期 2025-03-01\n索引号 0001/2025-1 发布机构 某省科学技术厅\n文号 苏科〔2025〕12号"
    )
    assert found["成文日期"].value == "2025-03-01"
    assert found["索引号"].value == "0001/2025-1"
    assert found["发文机关"].value == "某省科学技术厅"
    assert found["发文字号"].value == "苏科〔2025〕12号"
    assert "标题" not in policydoc.elements_from_text("会议听取了 标题党 问题整治情况汇报")  # not at a label position


def test_short_list_of_numbered_documents_is_not_a_document():
    html = (
        "<html><head><title>规范性文件_某市人民政府</title></head><body>"
        "<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a href='/gfxwj/'>规范性文件</a></div>"
        "<div class='list'><ul>"
        "<li><a href='/gfxwj/1.html'>某市人民政府关于进一步加强安全生产工作的意见</a> 某府发〔2025〕5号</li>"
        "<li><a href='/gfxwj/2.html'>某市就业创业补贴管理办法</a> 某府发〔2025〕3号</li>"
        "</ul></div></body></html>"
    )
    assert run(html, HOME + "gfxwj/index.html") == []


def test_title_is_the_heading_that_the_html_title_repeats():
    html = (
        "<html><head><title>某市就业创业补贴管理办法_规范性文件_某市人民政府</title></head><body>"
        "<div class='side'><h2>政策解读</h2><ul><li><a href='/zcjd/1.html'>解读一</a></li></ul></div>"
        "<div class='main'><div class='title'>某市就业创业补贴管理办法</div><p>正文</p></div></body></html>"
    )
    assert policydoc.page_title(parse_html(DOC_URL, html)) == "某市就业创业补贴管理办法"
    no_heading = (
        "<html><head><title>某市就业创业补贴管理办法 - 某市人民政府</title></head><body><p>正文</p></body></html>"
    )
    assert policydoc.page_title(parse_html(DOC_URL, no_heading)) == "某市就业创业补贴管理办法"


@pytest.mark.parametrize(
    ("column", "url", "policy", "interpretation"),
    [
        ("政策文件", DOC_URL, True, False),
        ("政策文件及解读", HOME + "zcwjjjd/1.html", True, False),
        ("政策解读", HOME + "zcjd/1.html", False, True),
        ("", HOME + "jd/xxjd/zcwj/1.html", True, False),  # a 街道 site's documents
        ("", HOME + "tj/tjgb/1.html", False, False),
    ],
)
def test_columns(column, url, policy, interpretation):
    meta = f'<meta name="ColumnName" content="{column}">' if column else ""
    p = parse_html(url, f"<html><head>{meta}</head><body><p>正文</p></body></html>")
    assert policydoc.in_policy_column(p) is policy
    assert policydoc.in_interpretation_column(p) is interpretation


def test_a_page_is_recognised_once_whoever_asks(monkeypatch):
    from govinspect.engine import policydoc
    from govinspect.engine.page.parse import parse_html

    calls = []
    real = policydoc.recognise
    monkeypatch.setattr(policydoc, "recognise", lambda page, home=None: calls.append(page.url) or real(page, home))
    page = parse_html("http://gov.example.cn/zcwj/t1.html", "<title>关于印发某办法的通知</title><p>正文</p>")
    first = policydoc.recognise_once(page, "http://gov.example.cn/")
    assert policydoc.recognise_once(page, "http://gov.example.cn/") is first  # the next check, the page counter
    assert calls == [page.url]
