"""search.*: a fake site search with the behaviours real sites show."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from pypinyin import lazy_pinyin
from rapidfuzz.distance import Levenshtein
from sitecheck_kit import HOME, FakeSite, by_check, run_checks

from govinspect.engine.checks.search.checks import NoPinyin, NoTypoTolerance, SearchMissing, TitleNotFound
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import parse_page

CHECKS = (SearchMissing, TitleNotFound, NoPinyin, NoTypoTolerance)
AS_OF = date(2025, 12, 15)
TITLES = [
    ("县政府召开第十二次常务会议", "2025-12-12"),
    ("全县安全生产工作推进会召开", "2025-12-10"),
    ("关于做好冬季森林防火工作的通知", "2025-12-08"),
    ("副县长调研乡村振兴重点项目建设", "2025-12-05"),
    ("我县开展消防安全宣传月活动", "2025-11-20"),
    ("县农业农村局部署秋冬种生产工作", "2025-11-10"),
]
FORM = (
    '<form class="search" action="/search" method="get"><input type="text" name="q">'
    '<input type="submit" value="搜索"></form>'
)
NAV = f'<div class="header">{FORM}</div><div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a></div>'


class SearchSite(FakeSite):
    def __init__(self, mode: str = "full", form: str = FORM, encoding: str = "utf-8") -> None:
        rows = "".join(f'<li><a href="/zwdt/{i}.html">{t}</a><span>{d}</span></li>' for i, (t, d) in enumerate(TITLES))
        nav = NAV.replace(FORM, form)
        super().__init__(
            {
                HOME: f"<html><body>{nav}<div class='main'><ul>{rows}</ul></div></body></html>",
                HOME + "zwdt/": f"<html><head><meta name='ColumnName' content='政务动态'></head><body>{nav}"
                f"<div class='main'><ul>{rows}</ul></div></body></html>",
            },
            encoding=encoding,
        )
        self.mode = mode
        self.nav = nav

    def matches(self, title: str, q: str) -> bool:
        if q in title:
            return True
        pinyin_ok = self.mode not in ("no_pinyin", "exact") and q.isascii() and q in "".join(lazy_pinyin(title))
        if self.mode in ("no_typo", "exact"):
            return pinyin_ok
        typo_ok = any(Levenshtein.distance(q, title[i : i + len(q)]) <= 1 for i in range(len(title) - len(q) + 1))
        return pinyin_ok or typo_ok

    async def fetch(self, url: str, method: str = "GET") -> Page:
        parts = urlsplit(url)
        if parts.path != "/search":
            return await super().fetch(url, method)
        self.fetched.append(url)
        if self.mode == "missing":
            return parse_page(url, b"<html><body>Not Found</body></html>", status=404)
        q = parse_qs(parts.query, encoding=self.encoding)["q"][0]
        indexed = TITLES[4:] if self.mode == "stale" else TITLES
        hits = [t for t, _ in indexed if self.matches(t, q)]
        rows = "".join(f"<li><a href='/r'>{t}</a></li>" for t in hits) or "<p>没有找到相关结果</p>"
        body = f"<html><body>{self.nav}<div class='main'>搜索：{q}<ul>{rows}</ul></div></body></html>"
        return parse_page(
            url, body.encode(self.encoding), headers={"content-type": f"text/html; charset={self.encoding}"}
        )


async def run(site: SearchSite) -> dict:
    return by_check(await run_checks(CHECKS, site, AS_OF))


async def test_full_search_is_clean_and_polite():
    site = SearchSite("full")
    assert await run(site) == {}
    assert len([u for u in site.fetched if "/search" in u]) <= 9


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("no_pinyin", {"search.no_pinyin"}),
        ("no_typo", {"search.no_typo_tolerance"}),
        ("exact", {"search.no_pinyin", "search.no_typo_tolerance"}),
        ("missing", {"search.missing"}),
    ],
)
async def test_search_modes(mode, expected):
    assert set(await run(SearchSite(mode))) == expected


async def test_stale_index_reports_the_four_recent_titles():
    found = await run(SearchSite("stale"))
    assert set(found) == {"search.title_not_found"}
    assert [f.detail["query"] for f in found["search.title_not_found"]] == [t for t, _ in TITLES[:4]]
    assert all(f.url == HOME for f in found["search.title_not_found"])


async def test_no_form_is_missing():
    found = await run(SearchSite("full", form=""))
    assert [f.check for fs in found.values() for f in fs] == ["search.missing"]


async def test_gbk_site_queries_in_gbk():
    site = SearchSite("full", encoding="gbk")
    assert await run(site) == {}
    assert any("%" in u and "/search" in u for u in site.fetched)


async def test_script_built_search_is_not_judged():
    form = FORM.replace('action="/search" method="get"', 'onsubmit="return go()"')
    site = SearchSite("full", form=form)
    assert await run(site) == {}  # no endpoint we can know: no verdict, and no query sent
    assert not [u for u in site.fetched if "search" in u]


async def test_endpoint_that_ignores_the_query_is_not_judged():
    class Ignoring(SearchSite):
        def matches(self, title: str, q: str) -> bool:
            return False

    site = Ignoring("full")
    found = await run(site)
    assert found == {}


async def test_titles_tied_with_the_fourth_join_the_sample(monkeypatch):
    import test_search as me

    tied = [*TITLES[:4], ("我县举办乡村振兴业务培训班", TITLES[3][1]), *TITLES[4:]]
    monkeypatch.setattr(me, "TITLES", tied)
    site = SearchSite("stale")  # the index lacks the 4 newest: the tied 5th is indexed and found
    found = await run(site)
    assert [f.detail["query"] for f in found["search.title_not_found"]] == [t for t, _ in TITLES[:4]]
    queried = [u for u in site.fetched if "/search" in u]
    assert len(queried) <= 11
