"""update.homepage_stale / column_stale / column_blank on small synthetic sites."""

from __future__ import annotations

from datetime import date

import pytest
from sitecheck_kit import HOME, FakeSite, by_check, run_checks

from govinspect.engine.checks.update.column_blank import ColumnBlank
from govinspect.engine.checks.update.column_stale import ColumnStale
from govinspect.engine.checks.update.homepage_stale import HomepageStale

CHECKS = (HomepageStale, ColumnStale, ColumnBlank)
AS_OF = date(2025, 12, 15)

NAV = """<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
<li><a href="/tzgg/">通知公告</a></li><li><a href="/zcwj/">政策文件</a></li><li><a href="/rsxx/">人事信息</a></li>
<li><a href="/gywm/">走进本县</a></li></ul></div>"""
FOOTER = '<div class="footer">主办单位：某某县人民政府办公室 网站标识码：5101000001 2019-01-01</div>'


def list_page(name: str, rows: list[tuple[str, str, str]], extra: str = "") -> str:
    items = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in rows)
    return (
        f'<html><head><meta name="ColumnName" content="{name}"><title>{name}</title></head><body>{NAV}'
        f'<div class="main"><ul class="list">{items}</ul>{extra}</div>{FOOTER}</body></html>'
    )


def home(rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<li><a href="{u}">{t}</a> <span>{d}</span></li>' for u, t, d in rows)
    return (
        f'<html><head><title>某某县人民政府</title></head><body>{NAV}<div class="news"><h3>工作动态</h3>'
        f'<a href="/gzdt/">更多</a><ul>{items}</ul></div>{FOOTER}</body></html>'
    )


def make_site(**overrides: str) -> FakeSite:
    pages = {
        HOME: home(
            [
                ("/gzdt/202512/t20251210_1.html", "县政府召开常务会议研究部署工作", "2025-12-10"),
                ("/tzgg/202506/t20250601_2.html", "关于开展安全生产检查的通知", "2025-06-01"),
            ]
        ),
        HOME + "gzdt/": list_page(
            "工作动态",
            [
                ("/gzdt/202512/t20251210_1.html", "县政府召开常务会议研究部署工作", "[12-10]"),
                ("/gzdt/202512/t20251201_3.html", "副县长调研农业生产工作", "2025年12月1日"),
            ],
        ),
        HOME + "tzgg/": list_page(
            "通知公告",
            [
                ("/tzgg/202506/t20250601_2.html", "关于开展安全生产检查的通知", "2025-06-01"),
                ("/tzgg/202505/t20250501_4.html", "关于端午节放假安排的通知", "2025/05/01"),
            ],
        ),
        HOME + "zcwj/": list_page("政策文件", [], extra="<p>暂无信息</p>"),
        HOME + "rsxx/": list_page(
            "人事信息",
            [
                ("/rsxx/202503/t20250301_5.html", "某某同志任职前公示公告", "2025-03-01"),
                ("/rsxx/202502/t20250201_6.html", "2025年公开招聘工作人员公告", "2025-02-01"),
            ],
        ),
        HOME + "gywm/": "<html><body>"
        + NAV
        + "<div class='main'><p>"
        + "本县位于四川盆地西部，" * 30
        + "</p></div>"
        + FOOTER
        + "</body></html>",
    }
    pages.update(overrides)
    return FakeSite(pages)


async def test_stale_and_blank_columns_are_found():
    found = by_check(await run_checks(CHECKS, make_site(), AS_OF))
    stale = {f.detail["column"]: f for f in found.get("update.column_stale", [])}
    assert set(stale) == {"通知公告"}
    assert stale["通知公告"].detail == {
        "column": "通知公告",
        "type": "notice",
        "latest": "2025-06-01",
        "window_days": 180,
    }
    assert stale["通知公告"].url == HOME + "tzgg/"
    blank = found.get("update.column_blank", [])
    assert [(f.detail["column"], f.url) for f in blank] == [("政策文件", HOME + "zcwj/")]
    assert "update.homepage_stale" not in found


async def test_windows_follow_as_of_not_the_clock():
    # the same site a year later: everything is stale, the 365-day personnel column too
    found = by_check(await run_checks(CHECKS, make_site(), date(2026, 12, 20)))
    stale = {f.detail["column"] for f in found["update.column_stale"]}
    assert stale == {"工作动态", "通知公告", "人事信息"}
    assert found["update.homepage_stale"][0].detail == {"latest": "2025-12-10"}


async def test_identical_findings_whatever_the_day_tests_run(monkeypatch):
    """Only as_of matters: patching the wall clock changes nothing."""
    import datetime as real

    first = [f.to_dict() for f in await run_checks(CHECKS, make_site(), AS_OF)]

    class FrozenDate(real.date):
        @classmethod
        def today(cls):  # a different day of running
            return cls(2031, 1, 1)

    monkeypatch.setattr(real, "date", FrozenDate)
    second = [f.to_dict() for f in await run_checks(CHECKS, make_site(), AS_OF)]
    assert first == second


async def test_homepage_stale_with_old_items():
    site = make_site(
        **{HOME: home([("/gzdt/202511/t20251101_1.html", "县政府召开常务会议研究部署工作", "2025-11-01")])}
    )
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert [f.detail for f in found["update.homepage_stale"]] == [{"latest": "2025-11-01"}]
    assert found["update.homepage_stale"][0].url == HOME


async def test_navigation_only_home_is_judged_by_second_level_pages():
    portal = f"<html><body>{NAV}<div class='main'><a href='/gzdt/'>进入工作动态</a></div>{FOOTER}</body></html>"
    found = by_check(await run_checks(CHECKS, make_site(**{HOME: portal}), AS_OF))
    assert "update.homepage_stale" not in found  # 工作动态 (second level) updated on 12-10
    found = by_check(await run_checks(CHECKS, make_site(**{HOME: portal}), date(2026, 3, 1)))
    assert found["update.homepage_stale"][0].detail == {"latest": "2025-12-10"}


async def test_clean_site_gives_no_finding():
    fresh = list_page(
        "通知公告",
        [
            ("/tzgg/202512/t20251212_9.html", "关于元旦放假安排的通知", "2025-12-12"),
            ("/tzgg/202512/t20251205_8.html", "关于征求意见的公告", "2025-12-05"),
        ],
    )
    policy = list_page(
        "政策文件",
        [
            ("/zcwj/202511/t20251120_7.html", "某某县人民政府关于印发某某办法的通知", "2025-11-20"),
            ("/zcwj/202510/t20251020_6.html", "某某县人民政府办公室关于某某的通知", "2025-10-20"),
        ],
    )
    site = make_site(**{HOME + "tzgg/": fresh, HOME + "zcwj/": policy})
    assert await run_checks(CHECKS, site, AS_OF) == []


async def test_columns_the_crawl_missed_are_fetched_politely():
    site = make_site()
    findings = await run_checks(
        CHECKS, site, AS_OF, crawl=[HOME], options={"update.column_stale": {"max_extra_fetches": 3}}
    )
    assert len(site.fetched) == 3
    assert all(u.startswith(HOME) for u in site.fetched)
    assert {f.check for f in findings} <= {"update.column_stale", "update.column_blank"}


async def test_gbk_site():
    site = make_site()
    gbk = FakeSite(site.pages, encoding="gbk")
    found = by_check(await run_checks(CHECKS, gbk, AS_OF))
    assert {f.detail["column"] for f in found["update.column_stale"]} == {"通知公告"}


async def test_hanweb_datastore_column():
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2025/{m}/1/art_12_{m}.html">第{m}期工作简报发布</a>'
        f"<span>2025-{m:02d}-01</span></li>]]></record>"
        for m in (3, 2, 1)
    )
    hanweb = (
        f"<html><body>{NAV}<div id='div12'><script type='text/xml'><datastore><recordset>{records}"
        f"</recordset></datastore></script></div>{FOOTER}</body></html>"
    )
    site = make_site(**{HOME + "gzdt/": hanweb})
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    stale = {f.detail["column"]: f.detail for f in found["update.column_stale"]}
    assert stale["工作动态"]["latest"] == "2025-03-01" and stale["工作动态"]["window_days"] == 14


@pytest.mark.parametrize("marker", ["暂无信息", "暂无数据"])
async def test_blank_markers(marker):
    site = make_site(**{HOME + "rsxx/": list_page("人事信息", [], extra=f"<div>{marker}</div>")})
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert {f.detail["column"] for f in found["update.column_blank"]} == {"政策文件", "人事信息"}


async def test_home_reached_through_a_redirect_is_the_home_page():
    from sitecheck_kit import context

    from govinspect.engine.page.parse import parse_page

    site = make_site(
        **{HOME: home([("/gzdt/202511/t20251101_1.html", "县政府召开常务会议研究部署工作", "2025-11-01")])}
    )
    ctx = context(site, AS_OF)
    check = HomepageStale(ctx)
    body = site.pages[HOME].encode()
    redirected = parse_page(HOME + "index.html", body, headers={"content-type": "text/html"}, requested_url=HOME)
    check.observe(redirected)
    (finding,) = await check.finish()
    assert finding.url == HOME and finding.detail == {"latest": "2025-11-01"}
