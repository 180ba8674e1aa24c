"""Date extraction: list items, labelled article dates, URLs, partial dates against as_of."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.engine.page.dates import (
    ArticleDate,
    article_date,
    iter_dates,
    labelled_date,
    latest_date,
    parse_date,
    suspicious_pubdate,
    url_date,
    url_month,
)

AS_OF = date(2025, 12, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-15", date(2025, 12, 15)),
        ("2025/12/1", date(2025, 12, 1)),
        ("2025.03.02", date(2025, 3, 2)),
        ("2024年3月2日", date(2024, 3, 2)),
        ("2024 年 3 月 2 日", date(2024, 3, 2)),
        ("２０２５－１２－１５", date(2025, 12, 15)),
        ("二〇二五年十二月一日", date(2025, 12, 1)),
        ("二〇二四年三月二十一日", date(2024, 3, 21)),
        ("发布：20251201", date(2025, 12, 1)),
        ("[12-10]", date(2025, 12, 10)),
        ("(12/14)", date(2025, 12, 14)),
        ("12月1日", date(2025, 12, 1)),
        ("[12-20]", date(2024, 12, 20)),  # a month-day after as_of belongs to the year before
        ("2025-12-15 10:30:00", date(2025, 12, 15)),
    ],
)
def test_formats(text, expected):
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text", ["电话：028-86012345", "版本 1.2.3", "2025-02-30", "增长3.5%", "0831-12"])
def test_not_dates(text):
    assert [f.value for f in iter_dates(text, AS_OF) if f.has_year] == []
    assert parse_date(text, AS_OF, partial=False) is None


def test_partial_dates_need_as_of_and_resolve_only_against_it():
    assert parse_date("[12-10]") is None
    assert parse_date("[12-10]", date(2026, 1, 5)) == date(2025, 12, 10)
    assert parse_date("[02-29]", date(2025, 3, 1)) == date(2024, 2, 29)


def test_latest_ignores_dates_after_as_of():
    assert latest_date("2025-12-01 2025-12-30 2025-11-01", AS_OF) == date(2025, 12, 1)


def test_urls():
    assert url_date("http://x.gov.cn/art/2025/12/1/art_1229_123.html") == date(2025, 12, 1)
    assert url_date("http://x.gov.cn/xxgk/202512/t20251201_123.html") == date(2025, 12, 1)
    assert url_date("http://x.gov.cn/2025-12/01/c_1.htm") == date(2025, 12, 1)
    assert url_date("http://x.gov.cn/zwgk/202511/abc.html") is None
    assert url_month("http://x.gov.cn/zwgk/202511/abc.html") == (2025, 11)
    assert url_date("http://x.gov.cn/col/col1229/index.html") is None


def test_article_date_order():
    url = "http://x.gov.cn/xxgk/202512/t20251203_1.html"
    meta = {"pubdate": "2025-12-02 09:00"}
    text = "来源：县政府办 发布时间：2025年12月1日 浏览次数：100\n相关链接 2025-12-14 某某会议"
    assert article_date(url, meta=meta, text=text, as_of=AS_OF) == ArticleDate(
        date(2025, 12, 2), "meta", date(2025, 12, 3)
    )
    assert article_date(url, text=text, as_of=AS_OF).value == date(2025, 12, 1)
    assert article_date(url, text="无日期", as_of=AS_OF, use_htmldate=False) == ArticleDate(
        date(2025, 12, 3), "url", date(2025, 12, 3)
    )
    assert article_date("http://x.gov.cn/a.html", text="无日期", as_of=AS_OF, use_htmldate=False) is None


def test_labelled_prefers_publication_over_written_date():
    text = "成文日期：2025-11-20 发布日期：2025-11-25"
    assert labelled_date(text) == date(2025, 11, 25)
    assert labelled_date("成文日期：二〇二五年十一月二十日") == date(2025, 11, 20)


def test_suspicious_publication_dates():
    forged = ArticleDate(date(2025, 12, 10), "meta", date(2025, 12, 12))
    assert suspicious_pubdate(forged, first_seen=date(2025, 12, 14)) == "earlier_than_url"
    assert suspicious_pubdate(ArticleDate(date(2025, 12, 20), "label"), first_seen=AS_OF) == "later_than_first_seen"
    assert suspicious_pubdate(ArticleDate(date(2025, 12, 12), "meta", date(2025, 12, 12)), AS_OF) is None


def test_chinese_label_wins_over_the_htmldate_fallback():
    """htmldate alone reads 2024年3月2日 as 2024-01-01; the label comes first here."""
    html = (
        "<html><body><div class='article'><p>发布时间：2024年3月2日</p><p>正文</p></div>"
        "<ul class='related'><li><a href='/a'>相关新闻</a> 2024-05-20</li></ul></body></html>"
    )
    text = "发布时间：2024年3月2日\n正文\n相关新闻 2024-05-20"
    found = article_date("http://x.gov.cn/a.html", text=text, html=html, as_of=AS_OF)
    assert found == ArticleDate(date(2024, 3, 2), "label")
