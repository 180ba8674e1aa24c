"""Column classification by name (rules.toml) and list-page reading details."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.engine.columns.classify import classify, load_rules
from govinspect.engine.columns.listpage import read_list_page
from govinspect.errors import ConfigError


@pytest.mark.parametrize(
    ("name", "kind", "window"),
    [
        ("工作动态", "news", 14),
        ("政务动态", "news", 14),
        ("乡镇动态", "news", 14),
        ("图片新闻", "news", 14),
        ("通知公告", "notice", 180),
        ("公示公告", "notice", 180),
        ("政策文件", "policy", 180),
        ("规范性文件", "policy", 180),
        ("政策解读", "interpretation", 180),
        ("人事信息", "personnel", 365),
        ("招聘公告", "personnel", 365),
        ("规划计划", "planning", 365),
        ("机构职能", "overview", None),
        ("领导信息", "overview", None),
        ("政府信息公开指南", "overview", None),
        ("办事指南", "service", None),
        ("县长信箱", "interaction", None),
        ("财政预决算", "other", None),
        ("文件下载", "service", None),
    ],
)
def test_classify(name, kind, window):
    column_type = classify(name)
    assert (column_type.name, column_type.window_days()) == (kind, window)


def test_rules_are_validated(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[type]]\nname = "news"\nkeywords = ["动态"]\nwindow = "W-V4.no_such_days"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_days"):
        load_rules(bad)


def test_trs_pagination_and_table_rows():
    html = (
        "<html><body><table class='list'>"
        "<tr><td><a href='/zwdt/show_1.html'>县政府召开常务会议</a></td><td>2025年12月01日</td></tr>"
        "<tr><td><a href='/zwdt/show_2.html'>县长调研农业生产</a></td><td>2025年11月20日</td></tr></table>"
        "<div class='page'><a href='list_1_2.html'>下一页</a></div>"
        '<script>createPageHTML(4, 1, "index", "shtml");</script></body></html>'
    )
    listing = read_list_page("http://x/zwdt/list_1_1.html", html, date(2025, 12, 15))
    assert [i.date for i in listing.items] == [date(2025, 12, 1), date(2025, 11, 20)]
    assert listing.next_pages == ["http://x/zwdt/index_2.shtml", "http://x/zwdt/list_1_2.html"]


def test_month_day_items_take_the_year_of_their_url():
    html = (
        "<html><body><ul><li><a href='/tzgg/202412/t20241220_1.html'>关于年终工作安排的通知</a>[12-20]</li>"
        "<li><a href='/tzgg/202512/t20251201_2.html'>关于开展冬季安全检查的通知</a>[12-01]</li></ul></body></html>"
    )
    listing = read_list_page("http://x/tzgg/", html, date(2025, 12, 15))
    assert [i.date for i in listing.items] == [date(2024, 12, 20), date(2025, 12, 1)]


def test_year_less_dates_wrap_across_new_year():
    rows = ["01-05", "12-30", "12-01", "11-28"]
    html = "<ul>" + "".join(
        f"<li><a href='/x/show_{n}.html'>第{n}条工作信息标题</a>[{d}]</li>" for n, d in enumerate(rows)
    )
    listing = read_list_page("http://x/x/", html + "</ul>", date(2026, 1, 10))
    assert [i.date for i in listing.items] == [
        date(2026, 1, 5),
        date(2025, 12, 30),
        date(2025, 12, 1),
        date(2025, 11, 28),
    ]
    listing = read_list_page("http://x/x/", html.replace("01-05", "01-08") + "</ul>", date(2026, 12, 20))
    assert [i.date.year for i in listing.items] == [2026, 2025, 2025, 2025]  # 12-30 is after as_of
    wrapped = "<ul>" + "".join(
        f"<li><a href='/x/show_{n}.html'>第{n}条工作信息标题</a>[{d}]</li>"
        for n, d in enumerate(["12-10", "12-01", "11-28"])
    )
    listing = read_list_page("http://x/x/", wrapped + "</ul>", date(2025, 12, 15))
    assert [i.date for i in listing.items] == [date(2025, 12, 10), date(2025, 12, 1), date(2025, 11, 28)]


def test_year_wraps_do_not_cross_blocks():
    block = "<div><ul>{}</ul></div>"
    news = "".join(
        f"<li><a href='/a/{n}.html'>第{n}条政务动态信息</a>[{d}]</li>" for n, d in enumerate(["12-10", "12-01"])
    )
    notices = "".join(
        f"<li><a href='/b/{n}.html'>第{n}条通知公告信息</a>[{d}]</li>" for n, d in enumerate(["12-05", "09-27"])
    )
    html = "<html><body>" + block.format(news) + block.format(notices) + "</body></html>"
    listing = read_list_page("http://x/", html, date(2025, 12, 15))
    assert [i.date.year for i in listing.items] == [2025, 2025, 2025, 2025]
