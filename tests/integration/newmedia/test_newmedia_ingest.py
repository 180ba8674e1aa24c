"""Ingestion into the database: de-duplication, idempotent re-ingestion, row errors kept, nothing valid lost."""

from __future__ import annotations

import json

import pytest

from govinspect.newmedia.ingest import ingest_bytes, ingest_many
from govinspect.newmedia.models import AccountSource, Comment, IngestError, IngestRun, Post

pytestmark = pytest.mark.django_db


def _jsonl(rows) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n").encode()


def _row(n: int, account: str = "cn.gov.app", platform: str = "app", **kw):
    return {
        "platform": platform,
        "account_id": account,
        "post_id": f"p{n}",
        "published_at": f"2025-12-{n + 1:02d} 09:00",
        "title": f"标题{n}",
        "text": f"正文{n}",
        **kw,
    }


def test_ingest_twice_is_idempotent(accounts):
    data = _jsonl(
        [_row(i, comment_count=2, comments=[{"text": "问", "replied": True, "reply_text": "答"}]) for i in range(5)]
    )
    first = ingest_bytes(data, "a.jsonl")
    assert (first.rows, first.created, first.updated, first.errors) == (5, 5, 0, [])
    second = ingest_bytes(data, "a.jsonl")
    assert (second.created, second.updated) == (0, 5)
    assert Post.objects.count() == 5 and Comment.objects.count() == 5
    assert IngestRun.objects.count() == 2


def test_reingestion_updates_counts_and_replaces_comments(accounts):
    ingest_bytes(_jsonl([_row(1, comment_count=1, comments=[{"text": "问"}])]), "a.jsonl")
    ingest_bytes(
        _jsonl([_row(1, comment_count=3, reply_count=1, comments=[{"text": "问", "reply_text": "答"}])]), "a.jsonl"
    )
    post = Post.objects.get()
    assert (post.comment_count, post.reply_count) == (3, 1)
    assert list(post.comments.values_list("replied", flat=True)) == [True]


def test_duplicates_unknown_accounts_and_broken_rows_are_row_errors(accounts):
    rows = [_row(1), _row(1, text="again"), _row(2, account="cn.gov.unknown"), _row(3), {"platform": "app"}]
    data = _jsonl(rows) + b"{broken\n"
    summary = ingest_bytes(data, "a.jsonl")
    assert sorted(Post.objects.values_list("post_id", flat=True)) == ["p1", "p3"]
    assert Post.objects.get(post_id="p1").text == "正文1"  # the first copy is kept
    errors = {(e.row, e.field) for e in IngestError.objects.all()}
    assert errors == {(2, "post_id"), (3, "account"), (5, "account_id"), (6, "")}
    run = IngestRun.objects.get(id=summary.run_id)
    assert (run.rows, run.created, run.error_count) == (4, 2, 4) and run.finished_at


def test_rss_feed_resolved_by_channel_link_and_account_source(accounts):
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:nm="https://govinspect.example/ns/newmedia">'
        "<channel><title>某某发布</title><link>https://WEIBO.com/u/1</link><nm:auto_reply>false</nm:auto_reply>"
        "<item><title>一</title><guid>w1</guid><pubDate>Mon, 01 Dec 2025 09:00:00 +0800</pubDate>"
        "<nm:comments><nm:comment><nm:text>问</nm:text><nm:reply>答</nm:reply></nm:comment></nm:comments></item>"
        "<item><title>二</title><guid>w2</guid><pubDate>Tue, 02 Dec 2025 09:00:00 +0800</pubDate></item>"
        "</channel></rss>"
    ).encode()
    summary = ingest_bytes(feed, "weibo.xml")
    assert summary.created == 2 and not summary.errors
    weibo = accounts["weibo"]
    assert weibo.posts.count() == 2
    assert Comment.objects.get().replied is True
    assert AccountSource.objects.get(account=weibo).auto_reply is False


def test_ingest_many_keeps_good_sources_when_one_is_unreadable(accounts, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_bytes(_jsonl([_row(1), _row(2)]))
    summaries = list(ingest_many([good, tmp_path / "missing.jsonl"]))
    assert [s.created for s in summaries] == [2, 0]
    assert summaries[1].errors and Post.objects.count() == 2


def test_name_reference_needs_a_unique_name(accounts):
    rows = [
        {"platform": "wechat", "account_name": "某某厅", "post_id": "n1", "published_at": "2025-12-01", "text": "x"}
    ]
    assert ingest_bytes(_jsonl(rows), "n.jsonl").created == 1
    assert accounts["wechat"].posts.count() == 1


def test_bridge_feed_found_by_its_title_when_the_link_differs(accounts):
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>某某发布的微博</title>'
        "<link>https://weibo.com/1234567/</link><item><title>一</title><link>https://weibo.com/1234567/Abc</link>"
        "<pubDate>Mon, 01 Dec 2025 09:00:00 +0800</pubDate></item></channel></rss>"
    ).encode()
    summary = ingest_bytes(feed, "rsshub.xml")
    assert summary.created == 1 and not summary.errors
    assert accounts["weibo"].posts.get().post_id == "https://weibo.com/1234567/Abc"


def test_same_post_in_two_sources_of_one_run(accounts, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(_jsonl([_row(1, comment_count=1), _row(2)]))
    b.write_bytes(_jsonl([_row(1, comment_count=4)]))  # a later export of the same post
    summaries = list(ingest_many([a, b]))
    assert [(s.created, s.updated) for s in summaries] == [(2, 0), (0, 1)]
    assert Post.objects.get(post_id="p1").comment_count == 4
    runs = list(IngestRun.objects.order_by("id").values_list("rows", "created", "updated"))
    assert runs == [(2, 2, 0), (1, 0, 1)]
