"""service.guide_incomplete: guides in tables and in labelled text."""

from __future__ import annotations

from datetime import date

from sitecheck_kit import HOME, context

from govinspect.engine.checks.service.guide_incomplete import GuideIncomplete, present_elements
from govinspect.engine.page.parse import parse_html, parse_page

ALL = {
    "事项名称": "城乡居民最低生活保障审核确认",
    "设定依据": "《社会救助暂行办法》第十一条",
    "申请条件": "共同生活的家庭成员人均收入低于当地最低生活保障标准",
    "办理材料": "户口簿、身份证原件及复印件各1份",
    "办理地点": "县政务服务中心一楼3号窗口",
    "办理机构": "县民政局",
    "收费标准": "不收费",
    "办理时间": "工作日9:00-12:00，13:30-17:00",
    "联系电话": "028-12345678",
    "办理流程": "申请、受理、审核、公示、确认",
}


def guide(elements: dict[str, str], layout: str = "table") -> str:
    if layout == "table":
        body = "<table class='guide'>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in elements.items())
        body += "</table>"
    else:
        body = "".join(f"<p>{k}：{v}</p>" for k, v in elements.items())
    return (
        f"<html><head><title>城乡居民最低生活保障审核确认办事指南</title></head><body><div class='nav'>"
        f"<a href='/'>首页</a></div><div class='main'><h1>办事指南</h1>{body}</div></body></html>"
    )


def run(html: str | bytes, encoding: str = "utf-8") -> list:
    site = type("S", (), {"fetch": None})()
    check = GuideIncomplete(context(site, date(2025, 12, 15)))
    url = HOME + "bsfw/1.html"
    page = (
        parse_page(url, html, headers={"content-type": f"text/html; charset={encoding}"})
        if isinstance(html, bytes)
        else parse_html(url, html)
    )
    return list(check.check_page(page))


def test_guide_missing_four_elements_is_flagged():
    partial = {k: v for k, v in ALL.items() if k not in ("设定依据", "收费标准", "办理时间", "办理流程")}
    (finding,) = run(guide(partial))
    assert finding.detail == {"missing": ["设定依据", "收费标准", "办理时间", "办理流程"]}
    assert finding.check == "service.guide_incomplete" and finding.indicator == "W-V6"


def test_three_missing_is_not_flagged_and_complete_guide_is_clean():
    assert run(guide({k: v for k, v in ALL.items() if k not in ("设定依据", "收费标准", "办理时间")})) == []
    assert run(guide(ALL)) == []
    assert run(guide(ALL, layout="text")) == []


def test_empty_values_count_as_missing_and_synonyms_count_as_present():
    elements = dict(ALL, 收费标准="", 办理时间="", 联系电话="—", 办理流程="")
    (finding,) = run(guide(elements))
    assert finding.detail["missing"] == ["收费标准", "办理时间", "联系电话", "办理流程"]
    synonyms = {"申请材料" if k == "办理材料" else "咨询电话" if k == "联系电话" else k: v for k, v in ALL.items()}
    assert run(guide(synonyms)) == []


def test_text_layout_and_gbk():
    partial = {k: v for k, v in ALL.items() if k in ("事项名称", "申请条件", "办理材料", "办理地点", "办理机构")}
    html = guide(partial, layout="text")
    (finding,) = run(html.encode("gbk"), encoding="gbk")
    assert finding.detail["missing"] == ["设定依据", "收费标准", "办理时间", "联系电话", "办理流程"]


def test_pages_that_are_not_guides_are_ignored():
    head = "<html><head><title>县政府召开常务会议</title></head>"
    article = head + "<body><p>事项名称：无关</p><p>办理地点：县政府</p></body></html>"
    assert run(article) == []
    page = parse_html(HOME, guide(ALL))
    assert len(present_elements(page)) == 10


def test_a_guide_is_read_once_whoever_asks(monkeypatch):
    from govinspect.engine.checks.service import guide_incomplete
    from govinspect.inspections.runner import PageCounter

    calls = []
    real = guide_incomplete.present_elements
    spy = lambda page, vocab=None: calls.append(1) or real(page, vocab)  # noqa: E731
    monkeypatch.setattr(guide_incomplete, "present_elements", spy)
    page = parse_html(HOME + "bsfw/1.html", guide({k: v for k, v in list(ALL.items())[:5]}))
    findings = list(GuideIncomplete(context(type("S", (), {"fetch": None})(), date(2025, 12, 15))).check_page(page))
    counter = PageCounter(HOME)
    counter(page)
    assert findings and counter.guides == 1
    assert calls == [1]  # the page counter reused the check's reading
