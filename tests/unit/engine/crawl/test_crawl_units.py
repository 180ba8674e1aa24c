import gzip
from datetime import date

import pytest

from govinspect.engine.crawl.dedupe import SeenSet
from govinspect.engine.crawl.normalize import crawl_url, has_session_id, host_of, url_key
from govinspect.engine.crawl.sitemap import parse_sitemap, sitemap_urls
from govinspect.engine.crawl.traps import TrapDetector


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Example.GOV.cn:80/a/../b/./c.html#x", "http://www.example.gov.cn/b/c.html"),
        ("https://h:443", "https://h/"),
        ("http://h:8080/x?b=2&a=1", "http://h:8080/x?b=2&a=1"),
        ("http://h/wsdc/index.jsp;jsessionid=ABC123?x=1", "http://h/wsdc/index.jsp;jsessionid=ABC123?x=1"),
        ("http://h/dir/", "http://h/dir/"),
        ("http://h/dir/..", "http://h/"),
        ("mailto:a@b.c", None),
        ("ftp://h/x", None),
        ("http://[bad", None),
    ],
)
def test_crawl_url(raw, expected):
    assert crawl_url(raw) == expected


def test_session_ids_are_kept_for_fetching_but_not_for_identity():
    assert crawl_url("http://h/a?PHPSESSID=zz&id=3", strip_session=True) == "http://h/a?id=3"
    assert crawl_url("http://h/w.jsp;jsessionid=1", strip_session=True) == "http://h/w.jsp"
    assert url_key("http://h/w.jsp;jsessionid=1") == url_key("http://h/w.jsp;jsessionid=2") == url_key("http://h/w.jsp")
    assert url_key("http://h/a?sid=1&id=3") == url_key("http://h/a?id=3")


def test_url_key_ignores_query_order_and_is_64_bit():
    assert url_key("http://h/x?a=1&b=2") == url_key("http://h/x?b=2&a=1")
    assert url_key("http://h/x") != url_key("http://h/y")
    assert 0 <= url_key("http://h/x") < 2**64


def test_session_ids_and_hosts():
    assert has_session_id("http://h/a.jsp;jsessionid=1")
    assert has_session_id("http://h/a?sid=9")
    assert not has_session_id("http://h/a?id=9")
    assert host_of("http://H:80/x") == "h"
    assert host_of("http://h:8101/x") == "h:8101"


def test_seen_set_merges_and_finds_everything():
    seen = SeenSet(buffer=100)
    keys = [url_key(f"http://h/{i}") for i in range(1000)]
    assert all(seen.add(k) for k in keys)
    assert not any(seen.add(k) for k in keys)
    assert len(seen) == 1000
    assert all(k in seen for k in keys)
    assert url_key("http://h/other") not in seen
    assert seen.nbytes < 1000 * 8 + 100 * 60 + 64


def test_seen_set_is_small_per_url():
    seen = SeenSet()
    for i in range(100_000):
        seen.add(url_key(f"http://h/art/{i}.html"))
    assert seen.nbytes < 100_000 * 8 * 1.1 + 65_536 * 60


AS_OF = date(2025, 11, 30)


@pytest.mark.parametrize(
    "url",
    [
        "http://h/art/2025/1/2/art_1_2931.html",
        "http://h/c.jsp?id=123456",
        "http://h/list.html?page=12",
        "http://h/bmrl/index.html?ym=2025-12",
        "http://h/archive/1999/05/x.html",
    ],
)
def test_ordinary_urls_are_not_traps(url):
    assert TrapDetector(AS_OF).check(url) is None


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://h/bmrl/index.html?ym=2026-03", "calendar"),
        ("http://h/cal/2031/05/", "calendar"),
        ("http://h/cal.jsp?year=2090&month=1", "calendar"),
        ("http://h/a/b/a/b/x.html", "repeating_path"),
        ("http://h/x/x/x/", "repeating_path"),
        ("http://h/" + "d/" * 25, "too_deep"),
        ("http://h/" + "/".join(f"s{i}" for i in range(25)), "too_deep"),
        ("http://h/q?" + "&".join(f"p{i}=1" for i in range(20)), "query_explosion"),
    ],
)
def test_traps_are_detected(url, kind):
    detector = TrapDetector(AS_OF)
    trap = detector.check(url)
    assert trap is not None and trap.kind == kind
    assert detector.traps == [trap]


def test_a_calendar_is_reported_once_and_then_stopped():
    detector = TrapDetector(AS_OF)
    results = [detector.check(f"http://h/cal/{2027 + i // 12}/{i % 12 + 1:02d}/") for i in range(30)]
    assert all(r is not None for r in results)
    assert len(detector.traps) == 1
    # in-range months of the same calendar are no longer followed either
    assert detector.check("http://h/cal/2025/06/").kind == "stopped"


def test_query_explosion_and_date_query_limits():
    detector = TrapDetector(AS_OF, query_limit=50, calendar_limit=10)
    assert all(detector.check(f"http://h/list?page={i}") is None for i in range(50))
    assert detector.check("http://h/list?page=51").kind == "query_explosion"
    days = [detector.check(f"http://h/rl?date=2025-{m:02d}-{d:02d}") for m in (1, 2) for d in range(1, 8)]
    assert any(d is not None and d.kind == "calendar" for d in days)


def test_session_ids_are_reported_once():
    detector = TrapDetector(AS_OF)
    detector.check("http://h/a.jsp", raw_url="http://h/a.jsp;jsessionid=1")
    detector.check("http://h/b.jsp", raw_url="http://h/b.jsp;jsessionid=2")
    assert [t.kind for t in detector.traps] == ["session_id"]


SITEMAP = b"""<?xml version="1.0"?><urlset><url><loc> http://h/a.html </loc></url>
<url><loc>http://h/b.html?x=1&amp;y=2</loc></url><url><loc>/relative</loc></url></urlset>"""
INDEX = b"""<sitemapindex><sitemap><loc>http://h/s1.xml</loc></sitemap><sitemap><loc>http://h/s2.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_parse_sitemap():
    assert parse_sitemap(SITEMAP) == (False, ["http://h/a.html", "http://h/b.html?x=1&y=2"])
    assert parse_sitemap(INDEX)[0] is True
    assert parse_sitemap(gzip.compress(SITEMAP))[1][0] == "http://h/a.html"


async def test_sitemap_urls_follows_indexes_and_survives_failures():
    bodies = {"http://h/sitemap.xml": INDEX, "http://h/s1.xml": SITEMAP, "http://h/s2.xml.gz": gzip.compress(SITEMAP)}

    async def fetch(url):
        if url not in bodies:
            raise OSError("gone")
        return 200, bodies[url]

    urls = await sitemap_urls(fetch, ["http://h/sitemap.xml", "http://h/missing.xml"], limit=3)
    assert urls == ["http://h/a.html", "http://h/b.html?x=1&y=2", "http://h/a.html"]
