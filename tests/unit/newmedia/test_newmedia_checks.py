"""The new-media checks on plain account snapshots (no database)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest

from govinspect.findings import mask_id_card
from govinspect.newmedia.adapters import BEIJING
from govinspect.newmedia.checks import (
    AccountView,
    ContentDetectors,
    MatrixEntry,
    NewmediaSettings,
    PostView,
    account_uri,
    check_duplicates,
    find_unfiled,
    inspect_view,
    post_url,
)
from govinspect.sandbox.content import fake_id_card

AS_OF = date(2025, 12, 15)
S = NewmediaSettings()
URI = "https://weibo.com/u/123"


def _post(days_ago: int, n: int = 0, text: str = "今天天气很好。", comments: int = 0, replies: int = 0) -> PostView:
    when = datetime.combine(AS_OF - timedelta(days=days_ago), time(10), tzinfo=BEIJING)
    return PostView(f"p{n}", when, f"{URI}/p/{n}", "标题", text, comments, replies)


def _view(posts, **kw) -> AccountView:
    base = {"uri": URI, "platform": "weibo", "platform_id": URI, "name": "某某发布", "organizer": "1"}
    return AccountView(**{**base, **kw}, posts=tuple(posts))


def _checks(view, detectors=None):
    return {f.check: f for f in inspect_view(view, AS_OF, S, detectors)}


def _healthy(n: int = 10, **kw):
    return [_post(2 + 3 * i, i, **kw) for i in range(n)]


def test_account_uri_and_post_url():
    assert account_uri("weibo", "https://weibo.com/u/1") == "https://weibo.com/u/1"
    assert account_uri("wechat", "gh_abc") == "newmedia://wechat/gh_abc"
    assert account_uri("app", "cn gov/x") == "newmedia://app/cn%20gov%2Fx"
    assert post_url("newmedia://wechat/gh_abc", "p 1") == "newmedia://wechat/gh_abc/posts/p%201"
    assert post_url("x", "1", "https://mp.weixin.qq.com/s/1") == "https://mp.weixin.qq.com/s/1"


def test_healthy_account_has_no_finding():
    assert _checks(_view(_healthy())) == {}


@pytest.mark.parametrize(("newest", "stale"), [(13, False), (14, False), (15, True), (40, True)])
def test_stale_window_boundary(newest, stale):
    posts = [_post(newest + i, i) for i in range(6)]
    found = _checks(_view(posts))
    assert ("newmedia.stale" in found) is stale
    if stale:
        f = found["newmedia.stale"]
        assert f.severity == "veto" and f.indicator == "NM-V1" and f.site == URI and f.url == URI
        assert f.detail["latest"] == (AS_OF - timedelta(days=newest)).isoformat()
        assert "newmedia.low_frequency" not in found  # one veto says it


def test_no_post_at_all_is_stale_when_the_account_was_read():
    assert "newmedia.stale" in _checks(_view([]))
    assert _checks(_view([], ingested=False)) == {}  # no source read: no evidence either way


def test_posts_after_as_of_are_ignored():
    future = PostView("f", datetime(2026, 1, 1, tzinfo=BEIJING), "u")
    assert "newmedia.stale" in _checks(_view([_post(30), future]))


def test_low_frequency():
    posts = [_post(3, 0), _post(20, 1), _post(45, 2), _post(60, 3)]
    f = _checks(_view(posts))["newmedia.low_frequency"]
    assert f.severity == "notice" and f.detail["posts"] == 2
    assert "newmedia.low_frequency" not in _checks(_view(_healthy()))


def test_no_interaction_from_unanswered_comments_and_source_flags():
    unanswered = _checks(_view(_healthy(comments=2)))["newmedia.no_interaction"]
    assert unanswered.severity == "veto" and unanswered.detail["reasons"] == ["comments_unanswered"]
    assert "newmedia.no_interaction" not in _checks(_view(_healthy(comments=2, replies=1)))
    assert "newmedia.no_interaction" not in _checks(_view(_healthy()))  # no comments: nothing to answer
    few = [_post(2, 0, comments=2), *_healthy()[1:]]
    assert "newmedia.no_interaction" not in _checks(_view(few))  # 2 < min_comments
    flags = _checks(_view(_healthy(), auto_reply=False))["newmedia.no_interaction"]
    assert flags.detail["reasons"] == ["no_auto_reply"]


def test_closed_account_still_posting():
    closed = _view(_healthy(), status="closed", closed_on=AS_OF - timedelta(days=100))
    found = _checks(closed)
    assert set(found) == {"newmedia.closed_but_active"}
    assert found["newmedia.closed_but_active"].severity == "deduct"
    silent = _view([_post(120 + i, i) for i in range(5)], status="closed", closed_on=AS_OF - timedelta(days=100))
    assert _checks(silent) == {}  # closed and silent: as it should be, and not "stale"
    recent_close = _view(_healthy(), status="closed", closed_on=AS_OF - timedelta(days=3))
    assert _checks(recent_close)["newmedia.closed_but_active"].detail["posts"] == 1  # only posts after closing


def test_duplicate_accounts_of_one_organizer_on_one_platform():
    a = _view([], uri="newmedia://wechat/gh_a", platform="wechat", platform_id="gh_a", name="甲")
    b = _view([], uri="newmedia://wechat/gh_b", platform="wechat", platform_id="gh_b", name="乙")
    other_org = _view([], uri="newmedia://wechat/gh_c", platform="wechat", platform_id="gh_c", organizer="2")
    closed = _view([], uri="newmedia://wechat/gh_d", platform="wechat", platform_id="gh_d", status="closed")
    apps = [_view([], uri=f"newmedia://app/{i}", platform="app", platform_id=str(i)) for i in range(2)]
    weibo = _view([])
    out = check_duplicates([b, a, other_org, closed, weibo, *apps], S)
    assert list(out) == ["newmedia://wechat/gh_b"]
    f = out["newmedia://wechat/gh_b"][0]
    assert f.target == "newmedia://wechat/gh_a" and f.severity == "deduct" and f.indicator == "NM-D1"


def test_unfiled_matrix_entries():
    views = [_view([]), _view([], uri="newmedia://wechat/gh_a", platform="wechat", platform_id="gh_a", name="甲发布")]
    site, page = "http://www.example.gov.cn/", "http://www.example.gov.cn/xmt/index.html"
    entries = [
        MatrixEntry(site, page, "weibo", "某某发布", "https://WEIBO.com/u/123"),  # filed (same URL normalised)
        MatrixEntry(site, page, "wechat", "甲发布"),  # filed, by name
        MatrixEntry(site, page, "douyin", "未备案号", "https://www.douyin.com/user/x"),
        MatrixEntry(site, page, "douyin", "未备案号", "https://www.douyin.com/user/x"),  # listed twice: one finding
        MatrixEntry(site, page, "kuaishou", "无ID号"),
    ]
    found = find_unfiled(entries, views)
    assert [(f.site, f.url, f.target) for f in found] == [
        (site, page, "https://www.douyin.com/user/x"),
        (site, page, "newmedia://kuaishou/name/无ID号"),
    ]


@pytest.fixture(scope="module")
def detectors():
    return ContentDetectors()


def test_content_checks_on_post_text(detectors):
    number = fake_id_card(random.Random(5))  # valid check digit, made at test time
    posts = [
        _post(2, 0, "要大力弘扬社会主意核心价值观，推进诚信建设。"),
        _post(3, 1, "希望大家再接再励，在新的起点上取得更大成绩。"),
        _post(4, 2, "最新六合彩开奖结果，免费资料大全，点击查看。"),
        _post(5, 3, f"获奖人员：张三，身份证号{number}。"),
        _post(6, 4, "本文件密级：机密★1年，仅限内部传阅。"),
        *_healthy()[5:],
    ]
    found = inspect_view(_view(posts), AS_OF, S, detectors)
    by = {(f.check, f.url): f for f in found}
    assert by[("text.severe_error", f"{URI}/p/0")].detail["wrong"] == "社会主意核心价值观"
    assert by[("text.severe_error", f"{URI}/p/0")].indicator == "NM-V3"
    assert by[("text.typo", f"{URI}/p/1")].severity == "notice"
    assert by[("security.sensitive", f"{URI}/p/2")].detail["word"] == "六合彩"
    leak = by[("privacy.leak", f"{URI}/p/3")]
    assert leak.severity == "veto" and leak.detail["masked"] == mask_id_card(number)
    assert number not in (leak.evidence or "")
    assert by[("security.sensitive", f"{URI}/p/4")].detail == {"word": "机密★", "category": "secret"}


def test_clean_and_legitimate_text_gives_no_content_finding(detectors):
    posts = [
        _post(2, 0, "要大力弘扬社会主义核心价值观，推进诚信建设。依法严厉打击赌博违法犯罪活动。"),
        _post(3, 1, "身份证号：510104********1234，联系电话：138****5678，监督电话：028-61234567。"),
        _post(4, 2, "按照保密规定，涉及秘密的文件不得在政务新媒体发布。"),
        *_healthy()[3:],
    ]
    assert inspect_view(_view(posts), AS_OF, S, detectors) == []


def test_content_outside_the_quarter_is_not_read(detectors):
    posts = [*_healthy(), _post(120, 99, "要大力弘扬社会主意核心价值观。")]
    assert inspect_view(_view(posts), AS_OF, S, detectors) == []
