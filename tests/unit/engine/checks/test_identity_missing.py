"""identity.missing: footer marks of the home page (TRS and Hanweb shaped footers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govinspect.engine import identity
from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.identity.missing import IdentityMissing
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.parse import parse_html, parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import ConfigError

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "checks" / "identity"
HOME = "http://127.0.0.1:8101/"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


async def run(pages: dict[str, bytes | str], site_code: str = "", options: dict | None = None):
    config = EngineConfig(check_options={"identity.missing": options} if options else {})
    ctx = CheckContext(site=SiteTarget(home_url=HOME, site_code=site_code), as_of=date(2025, 12, 15), config=config)
    check = IdentityMissing(ctx)
    for url, html in pages.items():
        body = html if isinstance(html, bytes) else html.encode()
        check.observe(parse_page(url, body, headers={"content-type": "text/html"}, is_homepage=url == HOME))
    return list(await check.finish())


def items(findings) -> list[str]:
    return sorted(f.detail["item"] for f in findings)


async def test_complete_trs_footer_gives_no_finding():
    assert await run({HOME: fixture("trs_home_complete.html")}, site_code="5199000001") == []


async def test_hanweb_footer_in_gbk_lacks_police_filing_and_contact_and_shows_another_code():
    body = fixture("hanweb_home_partial.html").encode("gbk")
    findings = await run({HOME: body}, site_code="5199010002")
    assert items(findings) == ["contact", "police_filing", "site_code"]
    assert all(f.url == HOME and f.check == "identity.missing" for f in findings)
    (code,) = [f for f in findings if f.detail["item"] == "site_code"]
    assert code.detail["found"] == "5199010003" and code.detail["expected"] == "5199010002"


async def test_each_item_removed_is_reported_alone():
    html = fixture("trs_home_complete.html")
    cuts = {
        "party_government_mark": (html.index('<span id="_ideConac">'), html.index("</span>\n<p>主办") + 7),
        "organizer": (html.index("主办单位：某市人民政府办公室"), html.index("主办单位：某市人民政府办公室") + 15),
        "error_report_entry": (html.index('<script id="_jiucuo_"'), html.index('jiucuo.js"></script>') + 20),
    }
    for item, (lo, hi) in cuts.items():
        findings = await run({HOME: html[:lo] + html[hi:]}, site_code="5199000001")
        assert items(findings) == [item], item


async def test_icp_police_and_site_code_text_removed():
    html = fixture("trs_home_complete.html")
    html = html.replace('<a href="https://beian.miit.gov.cn/" target="_blank">蜀ICP备05000001号-1</a>', "")
    html = html.replace("网站标识码：5199000001", "")
    html = html.replace("http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=51010402000001", "/ga.html")
    html = html.replace("川公网安备 51010402000001号", "公安备案")
    assert items(await run({HOME: html})) == ["icp", "police_filing", "site_code"]


async def test_invalid_site_code_format():
    html = fixture("trs_home_complete.html").replace("网站标识码：5199000001", "网站标识码：51990001")
    (finding,) = await run({HOME: html})
    assert finding.detail == {
        "item": "site_code",
        "name": "网站标识码",
        "found": "51990001",
        "reason": "invalid_format",
    }


async def test_only_the_home_page_is_judged():
    other = HOME + "zwyw/202512/t20251212_2001.html"
    assert await run({other: "<html><body><p>正文</p></body></html>"}) == []
    findings = await run({HOME: fixture("trs_home_complete.html"), other: "<html><body><p>正文</p></body></html>"})
    assert findings == []


async def test_items_option():
    body = fixture("hanweb_home_partial.html").encode("gbk")
    assert items(await run({HOME: body}, options={"items": ["contact"]})) == ["contact"]
    with pytest.raises(ConfigError):
        await run({HOME: body}, options={"items": ["logo"]})


@pytest.mark.parametrize(
    ("footer", "item"),
    [
        ("京ICP备05070218号", "icp"),
        ("蜀ICP备 05003828号-1", "icp"),
        ("川公网安备51010402000001号", "police_filing"),
        ("公安机关备案号：51010402000001", "police_filing"),
        ("网站主办：某市人民政府办公室", "organizer"),
        ("主 办：某县人民政府", "organizer"),
        ("联系电话：(028)86000000", "contact"),
        ("电子邮箱：ban@example.gov.cn", "contact"),
        ("政务服务热线：12345", "contact"),
    ],
)
def test_footer_text_patterns(footer, item):
    page = parse_html(HOME, f"<html><body><div class='footer'><p>{footer}</p></div></body></html>")
    assert item in identity.find_marks(page).found


@pytest.mark.parametrize(
    ("footer", "code"),
    [
        ("网站标识码：5101000001 川公网安备 51010402000001号", "5101000001"),
        ("网站识别码:bm01000001", "bm01000001"),
        ("网 站 标 识 码 5101000001", "5101000001"),
    ],
)
def test_site_code_values(footer, code):
    page = parse_html(HOME, f"<html><body><div class='footer'><p>{footer}</p></div></body></html>")
    assert identity.find_marks(page).site_code == code


def test_site_code_formats():
    assert identity.valid_site_code("5101000001")
    assert identity.valid_site_code("bm01000001")
    assert not identity.valid_site_code("510100001")
    assert not identity.valid_site_code("bm0100001")


FOOTER_JS = (
    'document.write("<div class=\\"foot\\"><p>主办单位：某县人民政府办公室 联系电话：0816-2200000</p>");\n'
    'document.write("<p>网站标识码：5199010002 蜀ICP备12000002号 川公网安备 51012402000002号</p></div>");\n'
    "document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript "
    "src='https://dcs.conac.cn/js/23/000/0000/60429971/CA230000000604299710001.js'%3E%3C/script%3E\"));\n"
)
LOADED_FOOTER = (
    "<div class='footer'><p>主办：某县人民政府办公室　电话：0816-2200000</p>"
    "<p>网站标识码：5199010002　蜀ICP备12000002号　川公网安备 51012402000002号</p>"
    "<a href='https://bszs.conac.cn/sitename?method=show&amp;id=0A1B'><img src='https://dcs.conac.cn/image/red.png'></a>"
    "<a href='https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5199010002'>找错</a></div>"
)


class IncludeSite:
    """ctx.fetch over a dict; the checks see only what it returns."""

    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        self.files = files
        self.fetched: list[str] = []

    async def fetch(self, url: str, method: str = "GET"):
        from govinspect.errors import ConnectError

        self.fetched.append(url)
        if url not in self.files:
            raise ConnectError(url, "refused")
        ctype, body = self.files[url]
        return parse_page(url, body, headers={"content-type": ctype})


async def run_with_fetch(home_html: str, files: dict[str, tuple[str, bytes]]):
    site = IncludeSite(files)
    ctx = CheckContext(
        site=SiteTarget(home_url=HOME, site_code="5199010002"),
        as_of=date(2025, 12, 15),
        config=EngineConfig(),
        fetch=site.fetch,
    )
    check = IdentityMissing(ctx)
    check.observe(parse_page(HOME, home_html.encode(), headers={"content-type": "text/html"}, is_homepage=True))
    return list(await check.finish()), site.fetched


async def test_footer_written_by_a_script_in_gbk_is_read():
    home = (
        "<html><head><title>某县人民政府</title></head><body><div class='main'><p>要闻</p></div>"
        "<div id='bottom'><script src='/js/footer.js'></script>"
        "<script id='_jiucuo_' sitecode='5199010002' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
        "</div></body></html>"
    )
    files = {HOME + "js/footer.js": ("application/javascript; charset=gbk", FOOTER_JS.encode("gbk"))}
    findings, fetched = await run_with_fetch(home, files)
    assert fetched == [HOME + "js/footer.js"]
    assert findings == []


async def test_footer_loaded_by_jquery_and_an_unreadable_include():
    home = (
        "<html><head><title>某县人民政府</title><script>$(function(){$('#foot').load('/include/footer.html');});"
        "</script></head><body><div class='main'><p>要闻</p></div><div id='foot'></div>"
        "<iframe src='/include/bottom_old.html'></iframe></body></html>"
    )
    files = {HOME + "include/footer.html": ("text/html; charset=utf-8", LOADED_FOOTER.encode())}
    findings, fetched = await run_with_fetch(home, files)
    assert set(fetched) == {HOME + "include/footer.html", HOME + "include/bottom_old.html"}
    assert findings == []


async def test_nothing_fetched_when_the_home_page_shows_everything():
    findings, fetched = await run_with_fetch(fixture("trs_home_complete.html").replace("5199000001", "5199010002"), {})
    assert findings == [] and fetched == []


async def test_missing_items_stay_missing_when_includes_lack_them():
    home = "<html><body><div class='main'><p>要闻</p></div><script src='/js/footer.js'></script></body></html>"
    files = {HOME + "js/footer.js": ("application/javascript", b'document.write("<p>\\u7248\\u6743</p>");')}
    findings, _ = await run_with_fetch(home, files)
    assert items(findings) == sorted(identity.ITEMS)


async def test_sampled_pages_without_the_error_report_entry():
    home = fixture("trs_home_complete.html")
    lo, hi = home.index('<script id="_jiucuo_"'), home.index('jiucuo.js"></script>') + 20
    bare = home[:lo] + home[hi:]
    bare = bare.replace("主办单位：某市人民政府办公室", "某市人民政府办公室")
    pages = {HOME: home, HOME + "a/1.html": bare, HOME + "a/2.html": home, HOME + "a/3.html": bare}
    findings = await run(pages, site_code="5199000001", options={"sample_pages": 2})
    entries = [f for f in findings if f.detail["item"] == "error_report_entry"]
    assert [f.url for f in entries] == [HOME + "a/1.html"]
    (organizer,) = [f for f in findings if f.detail["item"] == "organizer"]
    assert organizer.url == HOME and organizer.detail["pages"] == [HOME + "a/1.html"]
    assert await run(pages, site_code="5199000001") == []  # sampling is off by default


async def test_indicators_come_from_the_catalogue(monkeypatch):
    from govinspect.engine.checks.identity import missing as module
    from govinspect.indicators import Catalogue, Item

    def item(item_id: str, name: str) -> Item:
        return Item(item_id, name, "deduct", 0.5, 3, ("identity.missing",), True)

    fake = Catalogue("test", 1, {"W-D4": item("W-D4", "网站标识"), "W-D5": item("W-D5", "我为政府网站找错")})
    monkeypatch.setattr(module, "catalogue", lambda: fake)
    home = fixture("trs_home_complete.html").replace("主办单位：某市人民政府办公室", "")
    lo, hi = home.index('<script id="_jiucuo_"'), home.index('jiucuo.js"></script>') + 20
    findings = await run({HOME: home[:lo] + home[hi:]}, site_code="5199000001")
    assert {f.detail["item"]: f.indicator for f in findings} == {"organizer": "W-D4", "error_report_entry": "W-D5"}
