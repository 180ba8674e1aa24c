"""Adapters: every source format, and malformed input giving row errors without losing valid rows."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from govinspect.newmedia.adapters import (
    BEIJING,
    AccountInfo,
    PostRecord,
    RowError,
    guess_format,
    parse,
    parse_time,
)

NM = 'xmlns:nm="https://govinspect.example/ns/newmedia"'


def _item(n: int, day: int = 1) -> str:
    return (
        f"<item><title>标题{n}</title><link>https://weibo.com/u/1/p/{n}</link><guid>p{n}</guid>"
        f"<pubDate>Mon, {day:02d} Dec 2025 09:00:00 +0800</pubDate>"
        f"<description>&lt;p&gt;正文{n}&lt;/p&gt;</description>"
        f"<nm:comment_count>3</nm:comment_count><nm:reply_count>1</nm:reply_count></item>"
    )


def _rss(items: str, encoding: str = "UTF-8", channel_extra: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0" {NM}><channel><title>某某发布</title>'
        f"<link>https://weibo.com/u/1</link><nm:platform>weibo</nm:platform>{channel_extra}{items}</channel></rss>"
    )


def _split(records):
    posts = [r for r in records if isinstance(r, PostRecord)]
    errors = [r for r in records if isinstance(r, RowError)]
    return posts, errors


def test_rss_items_become_posts_with_counts_and_plain_text():
    posts, errors = _split(list(parse(_rss(_item(1) + _item(2, 2)).encode(), "feed.xml")))
    assert errors == []
    assert [p.post_id for p in posts] == ["p1", "p2"]
    p = posts[0]
    assert p.account.split("\n") == ["weibo:https://weibo.com/u/1", "weibo:name:某某发布"]
    assert p.text == "正文1" and p.title == "标题1"
    assert p.comment_count == 3 and p.reply_count == 1
    assert p.published_at == datetime(2025, 12, 1, 9, 0, tzinfo=BEIJING)


def test_rss_channel_auto_reply_flag_is_account_info():
    records = list(parse(_rss(_item(1), channel_extra="<nm:auto_reply>false</nm:auto_reply>").encode(), "f.xml"))
    info = [r for r in records if isinstance(r, AccountInfo)]
    assert info and info[0].auto_reply is False


def test_broken_xml_keeps_items_before_the_break_and_reports_it():
    broken = _rss(_item(1) + _item(2) + "<item><title>坏<b></title>" + _item(3))
    posts, errors = _split(list(parse(broken.encode(), "feed.xml")))
    assert {p.post_id for p in posts} == {"p1", "p2", "p3"}  # even the item after the break
    assert any(e.field == "xml" for e in errors)
    assert any(e.field == "guid" and "坏" in e.raw for e in errors)  # the broken item itself


def test_truncated_feed_keeps_complete_items():
    text = _rss(_item(1) + _item(2))
    posts, errors = _split(list(parse(text[: text.index("<item><title>标题2") + 30].encode(), "feed.xml")))
    assert "p1" in {p.post_id for p in posts}
    assert errors


def test_wrong_declared_encoding_is_reported_and_text_still_read():
    data = _rss(_item(1)).encode("gbk")  # declared UTF-8, written in GBK
    posts, errors = _split(list(parse(data, "feed.xml")))
    assert posts and posts[0].text == "正文1"
    assert any(e.field == "encoding" and "gb18030" in e.message for e in errors)


def test_declared_gbk_feed_reads_without_error():
    data = _rss(_item(1), encoding="GBK").encode("gbk")
    posts, errors = _split(list(parse(data, "feed.xml")))
    assert posts[0].title == "标题1" and errors == []


def test_item_without_date_or_id_is_a_row_error_and_others_survive():
    bad_date = "<item><title>无日期</title><guid>x1</guid></item>"
    bad_id = "<item><title>无ID</title><pubDate>Mon, 01 Dec 2025 09:00:00 +0800</pubDate></item>"
    bad_time = "<item><title>坏日期</title><guid>x2</guid><pubDate>昨天</pubDate></item>"
    posts, errors = _split(list(parse(_rss(bad_date + _item(1) + bad_id + bad_time).encode(), "f.xml")))
    assert [p.post_id for p in posts] == ["p1"]
    assert sorted(e.field for e in errors) == ["guid", "pubDate", "pubDate"]
    assert all(e.row for e in errors)


def test_xml_entities_are_not_expanded():
    evil = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<rss version="2.0" {NM}><channel><link>https://weibo.com/u/1</link>'
        "<item><title>&x;</title><guid>e1</guid><pubDate>2025-12-01</pubDate><description>t</description></item>"
        "</channel></rss>"
    )
    posts, _ = _split(list(parse(evil.encode(), "f.xml")))
    assert all("root:" not in p.title for p in posts)


def test_atom_entries():
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>某某</title>'
        '<link href="https://www.douyin.com/user/abc"/><entry><id>v1</id><title>视频一</title>'
        '<link href="https://www.douyin.com/video/1"/><published>2025-12-03T10:00:00Z</published>'
        "<summary>内容</summary></entry></feed>"
    )
    posts, errors = _split(list(parse(atom.encode(), "a.atom")))
    assert errors == [] and posts[0].post_id == "v1"
    assert posts[0].account.split("\n") == ["https://www.douyin.com/user/abc", "name:某某"]
    assert posts[0].published_at.astimezone(BEIJING).hour == 18


def test_jsonl_rows_errors_and_account_records():
    lines = [
        {"type": "account", "platform": "app", "account_id": "cn.app", "auto_reply": False},
        {
            "platform": "app",
            "account_id": "cn.app",
            "post_id": "1",
            "published_at": "2025-12-01 08:00",
            "text": "正文",
            "comments": [{"text": "问", "replied": True, "reply_text": "答"}, "好"],
        },
        {"platform": "app", "account_id": "cn.app", "published_at": "2025-12-01", "text": "缺ID"},
        {"platform": "app", "account_id": "cn.app", "post_id": "2", "text": "缺时间"},
        {"platform": "app", "post_id": "3", "published_at": "2025-12-01", "text": "缺账号"},
        {
            "platform": "app",
            "account_id": "cn.app",
            "post_id": "4",
            "published_at": "2025-12-01",
            "text": "x",
            "comment_count": -1,
        },
    ]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{not json\n[1]\n"
    records = list(parse(data.encode(), "import.jsonl"))
    posts, errors = _split(records)
    assert [p.post_id for p in posts] == ["1"]
    assert posts[0].comments and posts[0].comments[0].replied and not posts[0].comments[1].replied
    assert [e.row for e in errors] == [3, 4, 5, 6, 7, 8]
    assert [e.field for e in errors[:4]] == ["post_id", "published_at", "account_id", "comment_count"]
    assert isinstance(records[0], AccountInfo) and records[0].auto_reply is False


def test_csv_with_chinese_headers_gbk_and_a_bad_row():
    text = (
        "平台,账号ID,发布ID,发布时间,标题,正文,评论数\n"
        "weibo,https://weibo.com/u/1,a1,2025年12月1日 08:30,标题,正文,2\n"
        "weibo,https://weibo.com/u/1,a2,不是日期,标题,正文,2\n"
        "weibo,https://weibo.com/u/1,a3,2025-12-02,标题,正文,两条\n"
        "weibo,https://weibo.com/u/1,a4,2025-12-03,标题,正文,1\n"
    )
    posts, errors = _split(list(parse(text.encode("gbk"), "import.csv")))
    assert [p.post_id for p in posts] == ["a1", "a4"]
    assert posts[0].published_at == datetime(2025, 12, 1, 8, 30, tzinfo=BEIJING)
    assert [e.row for e in errors if e.row] == [3, 4]
    assert any(e.field == "encoding" for e in errors)  # read as GB18030, and said so


def test_row_error_excerpt_is_masked():
    data = json.dumps({"platform": "app", "post_id": "1", "text": "手机13812345678"}, ensure_ascii=False)
    _, errors = _split(list(parse(data.encode(), "x.jsonl")))
    assert "13812345678" not in errors[0].raw and "138****5678" in errors[0].raw


def test_html_list_page():
    page = (
        "<html><body><ul class='list'><li><a href='/a/1.html'>通知一</a><span>2025-12-01</span></li>"
        "<li><a href='/a/2.html'>通知二</a><span>2025年12月2日</span></li><li><a href='/x'>无日期</a></li>"
        "</ul></body></html>"
    )
    posts, errors = _split(list(parse(page.encode(), "http://example.gov.cn/list.html", account="app:cn.app")))
    assert [p.post_id for p in posts] == ["http://example.gov.cn/a/1.html", "http://example.gov.cn/a/2.html"]
    assert len(errors) == 1 and errors[0].field == "published_at"
    _, errors = _split(list(parse(page.encode(), "list.html")))
    assert errors and errors[0].field == "account"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-01T08:00:00+08:00", datetime(2025, 12, 1, 8, tzinfo=BEIJING)),
        ("2025-12-01 08:00", datetime(2025, 12, 1, 8, tzinfo=BEIJING)),
        ("Mon, 01 Dec 2025 00:00:00 GMT", datetime(2025, 12, 1, 8, tzinfo=BEIJING)),
        ("2025年12月1日", datetime(2025, 12, 1, tzinfo=BEIJING)),
        (1764547200, datetime(2025, 12, 1, 8, tzinfo=BEIJING)),
        ("1764547200000", datetime(2025, 12, 1, 8, tzinfo=BEIJING)),
    ],
)
def test_parse_time(value, expected):
    assert parse_time(value) == expected


def test_parse_time_rejects_nonsense():
    with pytest.raises(ValueError):
        parse_time("上周")


def test_guess_format():
    assert guess_format("a.jsonl", b"") == "jsonl"
    assert guess_format("feed", b"<?xml version='1.0'?><rss>") == "rss"
    assert guess_format("x", b'{"a": 1}') == "jsonl"
    assert guess_format("x", b"<!DOCTYPE html><html>") == "html"
