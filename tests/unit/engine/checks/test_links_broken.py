import asyncio
import json
from datetime import date
from pathlib import Path

import pytest

from govinspect.engine.checks.base import CheckContext
from govinspect.engine.checks.links.broken import BrokenLinks, kind_of
from govinspect.engine.checks.links.cache import LinkCache, LinkResult
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.page.model import Link
from govinspect.engine.page.parse import parse_html, parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import DNSError

HOME = "http://127.0.0.1:8101/"
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "checks" / "links_broken"
NOT_FOUND = "<html><head><title>信息提示</title></head><body><p>抱歉，您请求的信息暂时无法显示。</p></body></html>"
OK_PAGE = "<html><head><title>正常页面</title></head><body><p>" + "政务公开内容。" * 80 + "</p></body></html>"


class FakeWeb:
    """Answers by path; records (method, url) of every request."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    async def fetch(self, url: str, method: str = "GET", max_bytes: int | None = None):
        self.calls.append((method, url))
        await asyncio.sleep(0)
        if url.startswith(("http://ext.example/gone", "https://dcs.conac.cn")):
            raise DNSError(url, "no such host")
        path = url.split("127.0.0.1:8101", 1)[-1] if "127.0.0.1:8101" in url else url
        status, body, redirects, final = 200, OK_PAGE, (), url
        if "govinspect-probe" in path or path == "/soft/deleted.html":
            body = NOT_FOUND
        elif path in ("/art/2025/1/1/missing.html", "/images/gone.jpg", "/files/申报表.xls"):
            status, body = 404, "<html><title>404</title></html>"
        elif path == "/js/gone.js":
            status = 500
        elif path == "/files/ok.docx" and method == "HEAD":
            status = 405
        elif path == "/redirect/old.html":
            status, redirects, final = 404, (url,), HOME + "redirect/new.html"
        ctype = "text/html; charset=utf-8"
        if path.endswith((".jpg", ".css", ".js", ".docx", ".xls")) and status < 400:
            ctype = "application/octet-stream"
        raw = b"" if method == "HEAD" else body.encode()
        return parse_page(
            final, raw, status=status, headers={"content-type": ctype}, requested_url=url, redirects=redirects
        )


def make_check(web: FakeWeb, shared: dict | None = None, options: dict | None = None) -> BrokenLinks:
    options = {"offline": False, **(options or {})}
    ctx = CheckContext(
        site=SiteTarget(HOME),
        as_of=date(2025, 12, 1),
        config=EngineConfig(check_options={"links.broken": options}),
        fetch=web.fetch,
        shared=shared if shared is not None else {},
    )
    return BrokenLinks(ctx)


def fixture_page(name: str, url: str, encoding: str = "utf-8"):
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_page(url, html.encode(encoding), headers={"content-type": "text/html"})


def absolute(target: str) -> str:
    return target if target.startswith("http") else HOME.rstrip("/") + target


async def test_gbk_article_finds_exactly_the_seeded_broken_links():
    web = FakeWeb()
    page = fixture_page("article_gbk.html", HOME + "art/2025/1/3/art_1_9.html", encoding="gbk")
    assert page.encoding == "gb18030"
    findings = await make_check(web).check_page(page)
    expected = [json.loads(line) for line in (FIXTURES / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    got = {f.target: f for f in findings}
    assert set(got) == {absolute(e["target"]) for e in expected}
    for e in expected:
        f = got[absolute(e["target"])]
        assert {k: f.detail[k] for k in e["detail"]} == e["detail"], f.detail
        assert f.url == page.url and f.check == "links.broken" and f.severity == "deduct"
    assert "往期通知" in got[HOME + "art/2025/1/1/missing.html"].evidence
    # HEAD first, then GET when HEAD is refused; pages are fetched with GET for soft-404s
    assert ("HEAD", HOME + "files/ok.docx") in web.calls and ("GET", HOME + "files/ok.docx") in web.calls
    assert ("HEAD", HOME + "art/2025/1/2/ok.html") not in web.calls
    assert not any("never-checked" in u or "search/do" in u or "mailto" in u for _, u in web.calls)


async def test_clean_page_gives_no_finding():
    web = FakeWeb()
    page = fixture_page("clean.html", HOME + "art/2025/1/2/ok.html")
    assert await make_check(web).check_page(page) == []


async def test_homepage_links_say_where_homepage():
    web = FakeWeb()
    page = parse_html(HOME, '<div class="c"><a href="/art/2025/1/1/missing.html">坏</a></div>', is_homepage=True)
    (finding,) = await make_check(web).check_page(page)
    assert finding.detail["where"] == "homepage" and finding.url == HOME


async def test_one_request_per_url_across_pages_and_sites():
    web = FakeWeb()
    shared: dict = {}
    pages = [parse_html(f"{HOME}p{i}.html", '<p><a href="http://ext.example/ok.html">外</a></p>') for i in range(20)]
    checks = [make_check(web, shared) for _ in range(3)]  # three "sites" of one run
    await asyncio.gather(*(c.check_page(p) for c in checks for p in pages))
    assert web.calls.count(("GET", "http://ext.example/ok.html")) == 1


async def test_repeated_block_links_are_checked_once_per_site():
    web = FakeWeb()
    check = make_check(web)
    blocks = RepeatedBlocks()
    html = '<div class="nav"><a href="/art/2025/1/1/missing.html">坏导航</a></div><p>正文{n}</p>'
    first = blocks.mark(parse_html(HOME + "a.html", html.format(n=1)))
    second = blocks.mark(parse_html(HOME + "b.html", html.format(n=2)))
    assert len(await check.check_page(first)) == 1
    assert await check.check_page(second) == []


async def test_crawled_pages_feed_the_cache():
    web = FakeWeb()
    check = make_check(web)
    crawled = parse_page(HOME + "gone.html", b"<title>404</title>", status=404, headers={"content-type": "text/html"})
    assert await check.check_page(crawled) == []
    page = parse_html(HOME + "x.html", '<p><a href="/gone.html">失效</a></p>')
    (finding,) = await check.check_page(page)
    assert finding.detail["status"] == 404
    assert ("GET", HOME + "gone.html") not in web.calls


async def test_external_links_can_be_switched_off():
    web = FakeWeb()
    page = parse_html(HOME + "x.html", '<p><a href="http://ext.example/gone.html">外</a></p>')
    assert await make_check(web, options={"external": False}).check_page(page) == []
    assert not any("ext.example" in url for _, url in web.calls)


async def test_link_cache_single_flight_and_errors():
    cache = LinkCache()
    calls = 0

    async def check():
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return LinkResult(200)

    results = await asyncio.gather(*(cache.get("u", check) for _ in range(10)))
    assert calls == 1 and all(r.status == 200 for r in results)

    async def boom():
        raise ValueError("x")

    with pytest.raises(ValueError):
        await cache.get("v", boom)
    assert cache.peek("v") is None


async def test_link_cache_is_bounded():
    cache = LinkCache(capacity=5)
    for i in range(20):
        cache.put(str(i), LinkResult(200))
    assert len(cache) == 5 and cache.peek("19") is not None and cache.peek("0") is None


async def test_cancelled_request_lets_a_waiter_retry():
    cache = LinkCache()
    started = asyncio.Event()

    async def slow():
        started.set()
        await asyncio.sleep(10)
        return LinkResult(200)

    async def fast():
        return LinkResult(404)

    first = asyncio.create_task(cache.get("u", slow))
    await started.wait()
    second = asyncio.create_task(cache.get("u", fast))
    await asyncio.sleep(0)
    first.cancel()
    assert (await second).status == 404


@pytest.mark.parametrize(
    ("tag", "url", "attrs", "kind"),
    [
        ("a", HOME + "f/a.pdf", (), "attachment"),
        ("img", HOME + "i.png", (), "img"),
        ("script", HOME + "a.js", (), "script"),
        ("link", HOME + "a.css", (("rel", "stylesheet"),), "css"),
        ("iframe", HOME + "v.html", (), "iframe"),
        ("a", "http://other.example/", (), "external"),
        ("datastore", HOME + "art/1.html", (), "a"),
    ],
)
def test_kind_of(tag, url, attrs, kind):
    assert kind_of(Link(url=url, tag=tag, attrs=attrs), {"127.0.0.1:8101"}) == kind


async def test_offline_dns_failures_are_unverifiable_not_broken():
    web = FakeWeb()
    page = parse_html(
        HOME + "x.html",
        '<p><a href="http://ext.example/gone.html">外</a><a href="/art/2025/1/1/missing.html">内</a></p>',
    )
    check = make_check(web, options={"offline": True})
    (finding,) = await check.check_page(page)
    assert finding.target.endswith("missing.html") and check.unverifiable == 1


async def test_a_host_that_does_not_resolve_is_asked_once():
    web = FakeWeb()
    shared: dict = {}
    check = make_check(web, shared)
    await check.check_page(parse_html(HOME + "x.html", '<p><a href="http://ext.example/gone.html">外</a></p>'))
    links = "".join(f'<a href="http://ext.example/gone{i}.html">{i}</a>' for i in range(5))
    findings = await make_check(web, shared).check_page(parse_html(HOME + "y.html", f"<p>{links}</p>"))
    assert len(findings) == 5 and all(f.detail["error"] == "dns" for f in findings)
    assert sum(1 for _, url in web.calls if "ext.example" in url) == 1


async def test_attachment_answered_by_an_html_not_found_page_is_a_soft_404():
    class SoftWeb(FakeWeb):
        async def fetch(self, url, method="GET", max_bytes=None):
            if url.endswith("/files/gone.docx"):
                self.calls.append((method, url))
                body = b"" if method == "HEAD" else NOT_FOUND.encode()
                return parse_page(url, body, headers={"content-type": "text/html; charset=utf-8"})
            return await super().fetch(url, method, max_bytes)

    web = SoftWeb()
    page = parse_html(HOME + "x.html", '<p>附件：<a href="/files/gone.docx">申报表.docx</a></p>')
    (finding,) = await make_check(web).check_page(page)
    assert finding.detail == {"where": "page", "kind": "attachment", "status": 200, "error": "soft_404"}


def test_a_site_that_redirects_unknown_paths_home():
    from govinspect.engine.checks.links.soft404 import NotFoundPrint, matches

    known = NotFoundPrint("首页", 3000, HOME)
    to_home = parse_page(
        HOME,
        b"<title>x</title>",
        requested_url=HOME + "gone.html",
        redirects=(HOME + "gone.html",),
        headers={"content-type": "text/html"},
    )
    index = parse_page(
        HOME,
        b"<title>x</title>",
        requested_url=HOME + "index.html",
        redirects=(HOME + "index.html",),
        headers={"content-type": "text/html"},
    )
    assert matches(to_home, known)
    assert not matches(index, known)


@pytest.mark.parametrize(
    ("title", "body", "soft"),
    [
        ("404", "<p>页面找不到了</p>", True),
        ("页面不存在", "<p>" + "内容" * 2000 + "</p>", True),
        ("第404号文件", "<p>" + "根据国务院令第404号，现通知如下。" * 100 + "</p>", False),
        ("国务院令第404号", "<p>短</p>", False),
        ("政务公开", "<p>" + "正文" * 500 + "</p>", False),
    ],
)
def test_soft_404_phrases(title, body, soft):
    from govinspect.engine.checks.links.soft404 import by_phrases

    page = parse_html(HOME + "x.html", f"<title>{title}</title><body>{body}</body>")
    assert by_phrases(page) is soft
