"""interaction.no_channel / unanswered / perfunctory on synthetic message boards."""

from __future__ import annotations

from datetime import date

from sitecheck_kit import HOME, FakeSite, by_check, run_checks

from govinspect.engine.checks.interaction.messages import Message, perfunctory_reason
from govinspect.engine.checks.interaction.no_channel import NoChannel
from govinspect.engine.checks.interaction.perfunctory import Perfunctory
from govinspect.engine.checks.interaction.unanswered import Unanswered

CHECKS = (NoChannel, Unanswered, Perfunctory)
AS_OF = date(2025, 12, 15)
GOOD = (
    "您好！经核实，您反映的问题已转交县住建局相关科室办理，已于近日完成整改。具体政策可登录本网站“政策文件”栏目查阅，"
    "如有疑问请拨打咨询电话（工作日9:00-17:00）。感谢您对我们工作的关注和支持！"
)
NAV = '<div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a><a href="/hdjl/">互动交流</a></div>'
QUESTION = "我家附近的道路已经破损很久了，下雨天积水严重，影响居民出行，请问什么时候能够维修？希望有关部门尽快处理。"


def detail(asked: str, reply: str = "", answered: str = "", unit: str = "县住建局") -> str:
    rows = [("留言标题", "关于道路维修的咨询"), ("留言时间", asked), ("留言内容", QUESTION)]
    if reply:
        rows += [("答复单位", unit), ("答复时间", answered), ("答复内容", reply)]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<html><head><meta name="ColumnName" content="咨询投诉"><title>关于道路维修的咨询</title></head>'
        f'<body>{NAV}<div class="main"><table class="message">{table}</table></div></body></html>'
    )


MESSAGES = {
    "m1": detail("2025-08-01"),  # unanswered 136 days
    "m2": detail("2025-11-01"),  # unanswered 44 days
    "m3": detail("2024-06-01"),  # outside the year
    "m4": detail("2025-07-01", GOOD, "2025-07-05"),
    "m5": detail("2025-07-02", "已收悉。", "2025-07-03"),
    "m6": detail("2025-07-03", "您好，此事不属于我单位职责范围，请咨询相关部门。", "2025-07-04"),
    "m7": detail("2025-07-04", "感谢您的留言，我们会认真研究。", "2025-07-05"),
    "m8": detail("2025-07-05", GOOD, "2025-07-06"),
}


def board_site(home_extra: str = "") -> FakeSite:
    rows = "".join(
        f'<li><a href="/hdjl/{k}.html">关于道路维修的咨询{k}</a><span>2025-07-01</span></li>' for k in MESSAGES
    )
    pages: dict[str, str | bytes] = {
        HOME: f"<html><body>{NAV}<div class='main'>{home_extra}</div></body></html>",
        HOME + "hdjl/": f'<html><head><meta name="ColumnName" content="咨询投诉"></head><body>{NAV}'
        f'<div class="main"><ul>{rows}</ul></div></body></html>',
    }
    pages.update({f"{HOME}hdjl/{k}.html": v for k, v in MESSAGES.items()})
    return FakeSite(pages)


async def test_unanswered_within_the_year_over_90_days():
    found = by_check(await run_checks(CHECKS, board_site(), AS_OF))
    unanswered = found["interaction.unanswered"]
    assert [(f.url, f.detail["asked"]) for f in unanswered] == [(HOME + "hdjl/m1.html", "2025-08-01")]
    assert unanswered[0].detail["column"] == "咨询投诉"
    assert "interaction.no_channel" not in found


async def test_perfunctory_replies_and_reasons():
    found = by_check(await run_checks(CHECKS, board_site(), AS_OF))
    reasons = {f.target.rsplit("/", 1)[-1]: f.detail["reason"] for f in found["interaction.perfunctory"]}
    assert reasons == {"m5.html": "too_short", "m6.html": "deflection", "m7.html": "template"}


def test_repeated_short_reply_and_substantive_reply():
    good = Message(url="u", column="c", asked=AS_OF, reply=GOOD, question_chars=len(QUESTION))
    assert perfunctory_reason(good) is None
    short = Message(url="u", column="c", asked=AS_OF, reply="请见政策文件。", question_chars=200)
    assert perfunctory_reason(short) == "too_short"


async def test_no_channel():
    site = FakeSite(
        {
            HOME: '<html><body><div class="nav"><a href="/">首页</a><a href="/xf/">网上信访</a>'
            '<a href="/zwdt/">政务动态</a></div></body></html>'
        }
    )
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert [f.url for f in found["interaction.no_channel"]] == [HOME]


async def test_channel_that_does_not_load_is_no_channel():
    site = FakeSite({HOME: f"<html><body>{NAV}</body></html>"})  # /hdjl/ is not served
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert len(found["interaction.no_channel"]) == 1
    assert HOME + "hdjl/" in site.fetched


async def test_clean_board_gives_no_finding():
    site = board_site()
    for key in list(MESSAGES):
        site.pages[f"{HOME}hdjl/{key}.html"] = detail("2025-10-01", GOOD + key, "2025-10-03")
    assert await run_checks(CHECKS, site, AS_OF) == []


async def test_list_only_board_with_status_column():
    rows = (
        '<tr><td><a href="/hdjl/a.html">咨询养老保险缴费问题</a></td><td>2025-06-01</td><td>未回复</td></tr>'
        '<tr><td><a href="/hdjl/b.html">咨询公积金提取问题</a></td><td>2025-06-02</td><td>已回复</td></tr>'
    )
    site = FakeSite(
        {
            HOME: f"<html><body>{NAV}</body></html>",
            HOME + "hdjl/": f'<html><head><meta name="ColumnName" content="县长信箱"></head><body>{NAV}'
            f"<table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>{rows}</table></body></html>",
        }
    )
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert [(f.url, f.detail["asked"], f.detail["column"]) for f in found["interaction.unanswered"]] == [
        (HOME + "hdjl/a.html", "2025-06-01", "县长信箱")
    ]


async def test_gbk_board():
    site = board_site()
    gbk = FakeSite(site.pages, encoding="gbk")
    found = by_check(await run_checks(CHECKS, gbk, AS_OF))
    assert [f.detail["asked"] for f in found["interaction.unanswered"]] == ["2025-08-01"]


async def test_list_row_with_a_reply_date_is_answered():
    rows = (
        '<tr><td><a href="/hdjl/a.html">咨询养老保险缴费问题</a></td><td>2025-06-01</td><td>2025-06-05</td></tr>'
        '<tr><td><a href="/hdjl/b.html">咨询公积金提取问题</a></td><td>2025-06-02</td><td></td></tr>'
    )
    site = FakeSite(
        {
            HOME: f"<html><body>{NAV}</body></html>",
            HOME + "hdjl/": f'<html><head><meta name="ColumnName" content="咨询投诉"></head><body>{NAV}'
            f"<table><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>{rows}</table></body></html>",
        }
    )
    found = by_check(await run_checks(CHECKS, site, AS_OF))
    assert [f.url for f in found["interaction.unanswered"]] == [HOME + "hdjl/b.html"]
