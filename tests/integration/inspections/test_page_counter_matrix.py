"""PageCounter keeps one entry per account and site, on the same page whatever the crawl order:
the declared 新媒体矩阵 page before pages showing a 政务新媒体 sidebar block."""

from __future__ import annotations

import itertools

from govinspect.engine.page.parse import parse_html
from govinspect.inspections.runner import MATRIX_STAT, PageCounter

HOME = "http://www.example.gov.cn/"
SIDEBAR = '<div class="side"><h3>政务新媒体</h3><ul><li>新浪微博：某某发布</li><li>抖音：某某融媒</li></ul></div>'


def _pages():
    return [
        parse_html(HOME, f"<html><head><title>某某市</title></head><body>{SIDEBAR}</body></html>"),
        parse_html(HOME + "art/1.html", f"<html><head><title>通知</title></head><body>{SIDEBAR}</body></html>"),
        parse_html(
            HOME + "zwgk/xmtjz/index.html",
            "<html><head><title>新媒体矩阵_某某市</title></head><body><table>"
            "<tr><th>平台</th><th>账号名称</th></tr><tr><td>新浪微博</td><td>某某发布</td></tr></table></body></html>",
        ),
    ]


def test_one_entry_per_account_on_a_stable_page():
    results = []
    for order in itertools.permutations(range(3)):
        pages = _pages()
        counter = PageCounter(HOME)
        for i in order:
            counter(pages[i])
        results.append(counter.stats()[MATRIX_STAT])
    assert all(r == results[0] for r in results)
    assert sorted((e["platform"], e["name"], e["page"]) for e in results[0]) == [
        ("douyin", "某某融媒", HOME),  # only in the sidebar: the shortest URL
        ("weibo", "某某发布", HOME + "zwgk/xmtjz/index.html"),  # the declared page wins
    ]


def test_no_matrix_no_stat():
    counter = PageCounter(HOME)
    counter(parse_html(HOME, "<html><head><title>某某市</title></head><body><p>首页</p></body></html>"))
    assert MATRIX_STAT not in counter.stats()
