"""The sandbox's 新媒体矩阵 pages: rendered for the sites matrix.jsonl names, linked from the home
page, read back exactly by engine.newmedia_matrix in every template; the truth is unchanged."""

from __future__ import annotations

import json

import pytest

from govinspect.engine import newmedia_matrix as NM
from govinspect.engine.page.parse import parse_html
from govinspect.registry.sichuan import sichuan_register
from govinspect.sandbox import build
from govinspect.sandbox import matrix as M
from govinspect.sandbox.sites import register_sites

ACCOUNTS = (
    M.Listed("wechat", "某某发布", "gh_0123456789ab"),
    M.Listed("weibo", "某某发布", "https://weibo.com/u/9468704613"),
    M.Listed("douyin", "某某融媒号", "https://www.douyin.com/user/MS4wLjABAAAAunfiled0123"),
    M.Listed("toutiao", "某某人社", ""),  # listed by name only
    M.Listed("channels", "某某文旅", "sph16976db201"),
    M.Listed("app", "某某发布APP", "cn.gov.sc.appc73ccc4d"),
    M.Listed("other", "某某政务", "https://m.gov.cn/d50860addad86a64"),
    M.Listed("bilibili", "某某青年", "https://space.bilibili.com/110500114"),
    M.Listed("kuaishou", "某某应急", "https://www.kuaishou.com/profile/3xed30db3db2ecd"),
    M.Listed("xiaohongshu", "某某交通", ""),
)


@pytest.mark.parametrize("template", ["trs", "hanweb", "table"])
@pytest.mark.parametrize("site_code", ["5100000001", "5101000014"])  # different labels per site
def test_every_layout_reads_back_exactly(template, site_code):
    html = f"<html><head><title>{M.heading(template)}_某某网站</title></head><body>"
    html += M.body_html(template, site_code, ACCOUNTS) + "</body></html>"
    found = NM.read(parse_html("http://127.0.0.1:8101/xmtjz/index.html", html))
    assert found is not None
    assert [(x.platform, x.name, x.platform_id) for x in found.listings] == [
        (a.platform, a.name, a.account_id) for a in ACCOUNTS
    ]


def _rows(specs):
    homes = {s.site_code: s.home_url for s in sichuan_register().sites}
    rows = []
    for spec in specs[:2]:
        home = homes[spec.site_code]
        for a in ACCOUNTS[:4]:
            rows.append(
                {
                    "site": home,
                    "page": home + "xmtjz/index.html",
                    "platform": a.platform,
                    "name": a.name,
                    "account_id": a.account_id,
                }
            )
    return rows


def test_build_renders_linked_matrix_pages_and_keeps_the_truth(tmp_path):
    specs = [s for s in register_sites()[:40:13]][:3]
    rates = {"unreachable": 0, "hang": 0}
    plain = build(tmp_path / "plain", seed=3, sites=specs, pages_per_site=15, rates=rates)
    with_matrix = build(tmp_path / "nm", seed=3, sites=specs, pages_per_site=15, rates=rates, matrix=_rows(specs))
    assert (tmp_path / "plain" / "truth.jsonl").read_bytes() == (tmp_path / "nm" / "truth.jsonl").read_bytes()
    assert with_matrix["truth"] == plain["truth"]
    negatives = [json.loads(x) for x in (tmp_path / "nm" / "negatives.jsonl").read_text().splitlines()]
    extra = [n for n in negatives if n["url"].endswith("/xmtjz/index.html")]
    assert len(negatives) == plain["negatives"] + len(extra)
    assert {n["check"] for n in extra} == {"links.broken"} and len(extra) == 2 * 2  # weibo, douyin per site
    for entry in with_matrix["sites"]:
        listed = entry["site_code"] in {s.site_code for s in specs[:2]}
        assert (entry.get("matrix_page") == "/xmtjz/index.html") is listed
        site = tmp_path / "nm" / "sites" / entry["site_code"]
        encoding = "gbk" if entry["encoding"] == "gbk" else "utf-8"
        home = (site / "index.html").read_bytes().decode(encoding)
        assert ('href="/xmtjz/index.html"' in home) is listed
        if listed:
            page = (site / "xmtjz" / "index.html").read_bytes().decode(encoding)
            found = NM.read(parse_html(entry["home_url"] + "xmtjz/index.html", page))
            assert found is not None
            assert [(x.platform, x.name, x.platform_id) for x in found.listings] == [
                (a.platform, a.name, a.account_id) for a in ACCOUNTS[:4]
            ]
            if entry["template"] == "trs":
                assert (site / "images" / "xmt" / "qr1.png").is_file()


def test_relative_path_below_a_home_with_a_path():
    assert M._relative_path("http://a.gov.cn/sub/", "http://a.gov.cn/sub/xmtjz/index.html") == "/xmtjz/index.html"
    assert M._relative_path("http://a.gov.cn/", "http://a.gov.cn/xmtjz/index.html") == "/xmtjz/index.html"
