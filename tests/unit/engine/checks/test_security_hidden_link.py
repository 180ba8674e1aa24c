"""security.hidden_link: hiding techniques (inline and in <style>), severity by spam signal, and the
hidden links that must not be reported (same site, benign hosts, menus, image links)."""

from __future__ import annotations

from datetime import date

import pytest
from sitecheck_kit import FakeSite, run_checks

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.security.hidden_link import HiddenLink, registered_domain
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget

HOME = "http://127.0.0.1:8101/"
URL = HOME + "art/2026/1/1/a.html"


def findings(body: str, head: str = "", encoding: str = "utf-8", home: str = HOME, url: str = URL):
    html = f"<html><head>{head}</head><body><p>正文</p>{body}</body></html>"
    page = parse_page(url, html.encode(encoding), headers={"content-type": f"text/html; charset={encoding}"})
    ctx = CheckContext(site=SiteTarget(home_url=home), as_of=date(2026, 11, 26), config=EngineConfig())
    return list(HiddenLink(ctx).check_page(page))


def summary(found) -> list[tuple[str, str, str]]:
    return [(f.severity, f.target, f.detail["anchor"]) for f in found]


@pytest.mark.parametrize(
    "style", ["display:none", "display: none;", "position:absolute;left:-9999px", "visibility:hidden"]
)
def test_hidden_gambling_link_is_a_veto(style):
    found = findings(f'<div style="{style}"><a href="http://127.0.0.1:8199/pj/7.html">澳门葡京</a></div>')
    assert summary(found) == [("veto", "http://127.0.0.1:8199/pj/7.html", "澳门葡京")]
    f = found[0]
    assert f.check == "security.hidden_link" and f.indicator == "W-V1" and f.url == URL
    assert f.detail["signal"].startswith("word:澳门葡京") and f.detail["hidden_by"]
    assert "澳门葡京" in f.evidence


def test_rules_of_style_blocks_and_scripts_are_applied():
    head = "<style>.f{font-size:1px}\n#box, .other{height:0;overflow:hidden} ul.m li{color:red}</style>"
    body = (
        '<div class="f"><a href="http://a.example.com/">赌球网站大全</a></div>'
        '<div id="box"><a href="http://b.example.com/">普通</a></div>'
        '<div id="js"><a href="http://www.pornhub.com/">视频</a></div>'
        "<script>document.getElementById('js').style.display='none';</script>"
    )
    found = {f.target: (f.severity, f.detail["hidden_by"]) for f in findings(body, head=head)}
    assert found == {
        "http://a.example.com/": ("veto", "font-size:1px on div.f"),
        "http://b.example.com/": ("deduct", "height:0;overflow:hidden on div#box"),
        "http://www.pornhub.com/": ("veto", "hidden by script on div#js"),
    }


def test_strong_hiding_without_signal_is_a_deduction_and_weak_hiding_without_signal_is_not_reported():
    body = (
        '<div style="position:absolute;top:-1200px"><a href="http://c.example.com/x">新闻</a></div>'
        '<marquee height="1" width="1"><a href="http://d.example.com/">友情</a></marquee>'
        '<div style="background:#ffffff"><a style="color:#FFF" href="http://e.example.com/">白字</a></div>'
        '<div class="dropdown" style="display:none"><a href="http://www.example.org/">某市政府</a></div>'
        '<select hidden><option>x</option></select><div hidden><a href="http://f.example.net/">链接</a></div>'
    )
    assert {(f.severity, f.target) for f in findings(body)} == {
        ("deduct", "http://c.example.com/x"),
        ("deduct", "http://d.example.com/"),
        ("deduct", "http://e.example.com/"),
    }


def test_spam_host_pattern_is_a_veto_even_with_a_plain_anchor():
    found = findings('<div style="display:none"><a href="https://www.xpj8888.com/">新闻中心</a></div>')
    assert summary(found) == [("veto", "https://www.xpj8888.com/", "新闻中心")]
    assert found[0].detail["signal"] == "host:www.xpj8888.com(gambling)"


def test_things_that_are_not_hidden_links():
    head = "<style>.menu ul{display:none} .menu:hover ul{display:block} .logo{font-size:0}</style>"
    body = (
        '<a class="skip" style="position:absolute;left:-999px" href="#main">跳转到主要内容</a>'
        '<div style="display:none"><a href="/xxgk/index.html">本站栏目</a>'
        '<a href="http://127.0.0.1:8101/m/index.html">移动版</a></div>'
        '<div style="display:none"><a href="https://www.cnzz.com/stat/website.php?web_id=1">站长统计</a>'
        '<a href="https://bszs.conac.cn/sitename?method=show">党政机关</a>'
        '<a href="https://www.sc.gov.cn/">四川省人民政府</a></div>'
        '<div class="menu"><ul><li><a href="http://www.example.com/">友情链接</a></li></ul></div>'
        '<div class="logo"><a href="http://www.example.net/"><img src="logo.png" alt="合作单位"></a></div>'
        '<a href="http://visible.example.com/">可见的外部链接</a>'
        '<div style="background:url(bg.png) #fff"><a style="color:#fff" href="http://g.example.com/">导航</a></div>'
    )
    assert findings(body, head=head) == []


def test_subdomains_of_the_site_are_the_same_site():
    body = '<div style="position:absolute;left:-9999px"><a href="http://m.cdpz.gov.cn.example/">x</a></div>'
    assert registered_domain("www.chengdu.gov.cn") == "chengdu.gov.cn"
    assert registered_domain("127.0.0.1") == "127.0.0.1"
    site = "http://www.example-city.com/"
    inner = '<div style="position:absolute;left:-9999px"><a href="http://news.example-city.com/a">新闻</a></div>'
    assert findings(inner, home=site, url=site + "a.html") == []
    assert len(findings(body, home=site, url=site + "a.html")) == 1


def test_gbk_page_and_one_finding_per_target():
    body = '<div style="display:none"><a href="http://h.example.com/">网上赌场</a><a href="http://h.example.com/">网上赌场</a></div>'
    found = findings(body, encoding="gbk")
    assert summary(found) == [("veto", "http://h.example.com/", "网上赌场")]


def test_page_without_links_or_html_gives_nothing():
    assert findings("<p>没有链接</p>") == []


def _menu_site() -> FakeSite:
    page = (
        "<html><body><p>正文</p>"
        '<div class="dropdown" style="display:none">'
        '<a href="http://taken.example.com/">某协会</a>'
        '<a href="http://clean.example.org/">某学会</a>'
        '<a href="http://gone.example.net/">某期刊</a></div>'
        '<div style="display:none"><a href="http://127.0.0.1:8199/pj/1.html">百家乐官网</a></div>'
        "</body></html>"
    )
    return FakeSite(
        {
            HOME: page,
            "http://taken.example.com/": "<html><head><title>澳门葡京娱乐</title></head>"
            "<body>真人荷官在线</body></html>",
            "http://clean.example.org/": "<html><head><title>某学会</title></head><body>学术交流</body></html>",
        }
    )


async def test_site_check_confirms_menu_links_by_what_their_target_serves():
    site = _menu_site()
    found = await run_checks([HiddenLink], site, date(2026, 11, 26))
    got = {(f.target, f.severity, f.detail.get("signal")) for f in found}
    assert got == {
        ("http://127.0.0.1:8199/pj/1.html", "veto", "word:百家乐(gambling)"),
        ("http://taken.example.com/", "veto", "target:澳门葡京(gambling)"),
    }
    assert sorted(site.fetched) == [
        "http://clean.example.org/",
        "http://gone.example.net/",
        "http://taken.example.com/",
    ]
    assert all(f.url == HOME for f in found)


async def test_no_target_fetch_when_external_links_are_off_or_over_the_limit():
    site = _menu_site()
    ctx = CheckContext(
        site=SiteTarget(home_url=HOME),
        as_of=date(2026, 11, 26),
        config=EngineConfig(check_external_links=False),
        fetch=site.fetch,
    )
    check = HiddenLink(ctx)
    check.observe(site.page(HOME))
    assert [f.target for f in await check.finish()] == ["http://127.0.0.1:8199/pj/1.html"]
    assert site.fetched == []
    limited = _menu_site()
    await run_checks(
        [HiddenLink], limited, date(2026, 11, 26), options={"security.hidden_link": {"max_target_fetches": 1}}
    )
    assert len(limited.fetched) == 1


async def test_hidden_links_of_a_repeated_block_are_reported_on_their_first_page_only():
    footer = '<div class="footer" style="display:none"><a href="http://spam.example.com/">百家乐</a></div>'
    pages = {
        HOME: f"<html><body><p>首页</p>{footer}</body></html>",
        HOME + "a.html": f"<html><body><p>文章一</p>{footer}</body></html>",
        HOME + "b.html": f"<html><body><p>文章二</p>{footer}</body></html>",
    }
    site = FakeSite(pages)
    tracker = RepeatedBlocks()
    ctx = CheckContext(site=SiteTarget(home_url=HOME), as_of=date(2026, 11, 26), config=EngineConfig())
    check = HiddenLink(ctx)
    for url in pages:
        check.observe(tracker.mark(site.page(url)))
    found = await check.finish()
    assert [(f.url, f.target) for f in found] == [(HOME, "http://spam.example.com/")]
