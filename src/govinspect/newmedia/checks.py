"""The new-media checks, on a plain snapshot of an account (no Django, no wall clock).

- ``newmedia.stale`` (veto, NM-V1): no post in the ``stale_days`` (14) days before ``as_of``
  [P: 监测时间点前2周内无更新].
- ``newmedia.low_frequency`` (notice, NM-D1): fewer than ``min_posts`` posts in the
  ``frequency_days`` before ``as_of`` [U].
- ``newmedia.no_interaction`` (veto, NM-V2): the source says no auto-reply or messages closed, or
  every comment of the last ``interaction_days`` is unanswered (at least ``min_comments``) [P].
- ``text.severe_error``, ``security.sensitive`` (incl. classification marks), ``privacy.leak``
  (veto, NM-V3; a mobile number alone is a deduction, as on sites) and ``text.typo`` (notice)
  on post title and text [P].
- ``newmedia.duplicate_account`` (deduct, NM-D1): one organizer, several open accounts on one
  platform (国办发〔2018〕123号) [V rule, points unknown].
- ``newmedia.closed_but_active`` (deduct, NM-D1): closed or migrated in the register, still posting [P].
- ``newmedia.unfiled`` (deduct, NM-D1): listed on a site's 新媒体矩阵 but not in the register [P].

[P]/[U]: indicators.md §1.5 marks the national new-media table as only partly recovered; the
windows marked [U] are our own choices, kept in ``NewmediaSettings`` (and read from the indicator
catalogue's NM-* items when those carry thresholds).
Content checks read the posts published in the ``content_days`` before ``as_of`` (one quarter).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from govinspect.findings import Finding, Severity, excerpt, mask, normalize_url
from govinspect.newmedia.adapters import BEIJING

OPEN = "open"


@dataclass(frozen=True, slots=True)
class PostView:
    post_id: str
    published_at: datetime
    url: str
    title: str = ""
    text: str = ""
    comment_count: int | None = None
    reply_count: int | None = None
    comments: int = 0  # comments stored
    replied: int = 0  # of which replied


@dataclass(frozen=True, slots=True)
class AccountView:
    uri: str
    platform: str
    platform_id: str
    name: str
    organizer: str  # a key naming the organizer (its id or "region/name")
    status: str = OPEN
    closed_on: date | None = None
    auto_reply: bool | None = None
    messages_enabled: bool | None = None
    ingested: bool = True  # some source has been read for this account
    posts: tuple[PostView, ...] = ()


@dataclass(frozen=True, slots=True)
class NewmediaSettings:
    stale_days: int = 14  # NM-V1 [P]
    frequency_days: int = 30  # [U]
    min_posts: int = 4  # [U] fewer than about one post a week
    interaction_days: int = 90  # [U]
    min_comments: int = 3  # [U] below this, "no reply" says too little
    content_days: int = 90  # [U] one quarter
    closed_active_days: int = 30  # [U]
    single_platforms: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {"wechat", "weibo", "douyin", "toutiao", "kuaishou", "channels", "bilibili", "xiaohongshu"}
        )
    )


def account_uri(platform: str, platform_id: str) -> str:
    """The stable address of an account in findings: its URL if it has one, else newmedia://platform/id."""
    pid = platform_id.strip()
    if pid.lower().startswith(("http://", "https://")):
        return pid
    return f"newmedia://{platform}/{quote(pid, safe='-._~')}"


def post_url(uri: str, post_id: str, url: str = "") -> str:
    """A post's address in findings: its URL, else one made from the account URI and the post id."""
    if url:
        return url
    return f"{uri.rstrip('/')}/posts/{quote(post_id, safe='-._~')}"


def local_date(dt: datetime) -> date:
    return dt.astimezone(BEIJING).date()


def _finding(
    view_uri: str, check: str, severity: Severity, indicator: str | None, url: str | None = None, **kw: Any
) -> Finding:
    evidence = kw.pop("evidence", None)
    target = kw.pop("target", None)
    return Finding(
        view_uri, check, severity, url or view_uri, indicator=indicator, target=target, evidence=evidence, detail=kw
    )


def _until(posts: Iterable[PostView], as_of: date) -> list[PostView]:
    """Posts up to as_of: later ones are ignored so that a check is reproducible."""
    return [p for p in posts if local_date(p.published_at) <= as_of]


def check_stale(view: AccountView, as_of: date, s: NewmediaSettings) -> list[Finding]:
    posts = _until(view.posts, as_of)
    latest = max((local_date(p.published_at) for p in posts), default=None)
    if latest is not None and latest >= as_of - timedelta(days=s.stale_days):
        return []
    shown = latest.isoformat() if latest else None
    return [
        _finding(
            view.uri,
            "newmedia.stale",
            "veto",
            "NM-V1",
            evidence=f"最近发布：{shown or '无'}；检查日 {as_of.isoformat()}，监测期 {s.stale_days} 天",
            latest=shown,
            window_days=s.stale_days,
        )
    ]


def check_frequency(view: AccountView, as_of: date, s: NewmediaSettings) -> list[Finding]:
    posts = _until(view.posts, as_of)
    recent_from = as_of - timedelta(days=s.stale_days)
    if not any(local_date(p.published_at) >= recent_from for p in posts):
        return []  # stale: newmedia.stale says it
    lo = as_of - timedelta(days=s.frequency_days)
    count = sum(1 for p in posts if local_date(p.published_at) > lo)
    if count >= s.min_posts:
        return []
    return [
        _finding(
            view.uri,
            "newmedia.low_frequency",
            "notice",
            "NM-D1",
            evidence=f"{s.frequency_days} 天内发布 {count} 条（少于 {s.min_posts} 条）",
            posts=count,
            window_days=s.frequency_days,
            min_posts=s.min_posts,
        )
    ]


def check_interaction(view: AccountView, as_of: date, s: NewmediaSettings) -> list[Finding]:
    reasons = []
    if view.auto_reply is False:
        reasons.append("no_auto_reply")
    if view.messages_enabled is False:
        reasons.append("messages_closed")
    lo = as_of - timedelta(days=s.interaction_days)
    comments = replied = 0
    for p in _until(view.posts, as_of):
        if local_date(p.published_at) <= lo:
            continue
        comments += max(p.comment_count or 0, p.comments)
        replied += max(p.reply_count or 0, p.replied)
    if comments >= s.min_comments and replied == 0:
        reasons.append("comments_unanswered")
    if not reasons:
        return []
    labels = {"no_auto_reply": "未设置自动回复", "messages_closed": "未开放留言", "comments_unanswered": "评论无回复"}
    return [
        _finding(
            view.uri,
            "newmedia.no_interaction",
            "veto",
            "NM-V2",
            evidence=f"{'、'.join(labels[r] for r in reasons)}；"
            f"{s.interaction_days} 天内评论 {comments} 条，回复 {replied} 条",
            reasons=reasons,
            comments=comments,
            replied=replied,
        )
    ]


def check_closed_active(view: AccountView, as_of: date, s: NewmediaSettings) -> list[Finding]:
    if view.status == OPEN:
        return []
    lo = as_of - timedelta(days=s.closed_active_days)
    if view.closed_on is not None:
        lo = max(lo, view.closed_on)
    recent = [p for p in _until(view.posts, as_of) if local_date(p.published_at) > lo]
    if not recent:
        return []
    last = max(recent, key=lambda p: p.published_at)
    return [
        _finding(
            view.uri,
            "newmedia.closed_but_active",
            "deduct",
            "NM-D1",
            evidence=f"登记状态：{view.status}；关停后仍发布 {len(recent)} 条，最近 {local_date(last.published_at)}",
            status=view.status,
            closed_on=view.closed_on.isoformat() if view.closed_on else None,
            posts=len(recent),
            latest=local_date(last.published_at).isoformat(),
        )
    ]


# --- content -------------------------------------------------------------------------------------

# Classification marks (密级标志, GB/T 7156): a published post carrying one is a secret leak.
_SECRET_MARK = re.compile(r"(绝密|机密|秘密)\s*[★☆*]\s*(?:\d+\s*年|长期)?")


class ContentDetectors:
    """The site checks' detectors, called as libraries on post text."""

    def __init__(self, province_code: str = "51") -> None:
        from govinspect.engine.checks.security.matcher import SensitiveMatcher
        from govinspect.engine.text.analyzer import TextAnalyzer
        from govinspect.lexicons.sensitive import cached_sensitive_lexicon

        self.analyzer = TextAnalyzer.default(province_code=province_code)
        self.sensitive = SensitiveMatcher(cached_sensitive_lexicon(None))

    def findings(self, uri: str, post: PostView, as_of: date) -> list[Finding]:
        from govinspect.engine.pii import find_personal_numbers, masked_excerpt

        url = post.url
        out: list[Finding] = []
        seen: set[tuple[str, str]] = set()
        blocks = [t for t in (post.title, post.text) if t and t.strip()]
        for text, analysis in zip(blocks, self.analyzer.analyze_blocks(blocks), strict=True):
            for flag in analysis.severe:
                if ("s", flag.wrong) not in seen:
                    seen.add(("s", flag.wrong))
                    out.append(
                        _finding(
                            uri,
                            "text.severe_error",
                            "veto",
                            "NM-V3",
                            url,
                            evidence=excerpt(text, flag.start, flag.end),
                            wrong=flag.wrong,
                            suggestion=flag.suggestion,
                            kind=flag.kind,
                        )
                    )
            for flag in analysis.typos:
                if ("t", flag.wrong) not in seen:
                    seen.add(("t", flag.wrong))
                    out.append(
                        _finding(
                            uri,
                            "text.typo",
                            "notice",
                            None,
                            url,
                            evidence=excerpt(text, flag.start, flag.end),
                            wrong=flag.wrong,
                            suggestion=flag.suggestion,
                            kind=flag.kind,
                        )
                    )
            for hit in self.sensitive.first_per_sentence(text):
                if ("w", hit.word) not in seen:
                    seen.add(("w", hit.word))
                    out.append(
                        _finding(
                            uri,
                            "security.sensitive",
                            "veto",
                            "NM-V3",
                            url,
                            evidence=excerpt(text, hit.start, hit.end),
                            word=hit.word,
                            category=hit.category,
                        )
                    )
            for m in _SECRET_MARK.finditer(text):
                word = m.group(1) + "★"
                if ("w", word) not in seen:
                    seen.add(("w", word))
                    out.append(
                        _finding(
                            uri,
                            "security.sensitive",
                            "veto",
                            "NM-V3",
                            url,
                            evidence=excerpt(text, m.start(), m.end()),
                            word=word,
                            category="secret",
                        )
                    )
            numbers = find_personal_numbers(text, as_of=as_of)
            for number in numbers:
                if ("p", number.masked) not in seen:
                    seen.add(("p", number.masked))
                    severity: Severity = "deduct" if number.kind == "mobile" else "veto"
                    out.append(
                        _finding(
                            uri,
                            "privacy.leak",
                            severity,
                            "NM-V3",
                            url,
                            evidence=masked_excerpt(text, number, numbers),
                            kind=number.kind,
                            masked=number.masked,
                        )
                    )
        return out


def check_content(view: AccountView, as_of: date, s: NewmediaSettings, detectors: ContentDetectors) -> list[Finding]:
    lo = as_of - timedelta(days=s.content_days)
    out: list[Finding] = []
    for post in _until(view.posts, as_of):
        if local_date(post.published_at) > lo:
            out.extend(detectors.findings(view.uri, post, as_of))
    return out


# --- across accounts -------------------------------------------------------------------------------


def check_duplicates(views: Sequence[AccountView], s: NewmediaSettings) -> dict[str, list[Finding]]:
    """One organizer with several open accounts on one platform: every account but the first
    (by URI) gets a finding whose target is the first one."""
    groups: dict[tuple[str, str], list[AccountView]] = defaultdict(list)
    for v in views:
        if v.status == OPEN and v.platform in s.single_platforms:
            groups[(v.organizer, v.platform)].append(v)
    out: dict[str, list[Finding]] = defaultdict(list)
    for (_organizer, platform), group in groups.items():
        if len(group) < 2:
            continue
        group = sorted(group, key=lambda v: normalize_url(v.uri))
        first = group[0]
        for other in group[1:]:
            out[other.uri].append(
                _finding(
                    other.uri,
                    "newmedia.duplicate_account",
                    "deduct",
                    "NM-D1",
                    target=first.uri,
                    evidence=f"同一主办单位在{platform}平台开设 {len(group)} 个账号：{first.name}、{other.name}",
                    platform=platform,
                    accounts=len(group),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class MatrixEntry:
    """An account listed on a site's 新媒体矩阵 page."""

    site: str  # the site's home URL
    page: str  # the matrix page's URL
    platform: str
    name: str
    platform_id: str = ""


def find_unfiled(entries: Iterable[MatrixEntry], views: Sequence[AccountView]) -> list[Finding]:
    """Accounts a site lists that the register does not hold (by platform id, else by platform and name).
    site = the listing site, url = the matrix page, target = the account's URI (or name when no id)."""
    ids = {(v.platform, v.platform_id.strip()) for v in views}
    ids |= {(v.platform, normalize_url(v.platform_id)) for v in views if "://" in v.platform_id}
    names = {(v.platform, v.name.strip()) for v in views}
    out: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for e in entries:
        pid = e.platform_id.strip()
        if pid and ((e.platform, pid) in ids or (e.platform, normalize_url(pid)) in ids):
            continue
        if not pid and (e.platform, e.name.strip()) in names:
            continue
        target = account_uri(e.platform, pid) if pid else f"newmedia://{e.platform}/name/{e.name.strip()}"
        if (e.page, target) in done:
            continue
        done.add((e.page, target))
        out.append(
            Finding(
                e.site,
                "newmedia.unfiled",
                "deduct",
                e.page,
                indicator="NM-D1",
                target=target,
                evidence=mask(f"新媒体矩阵列出「{e.name}」（{e.platform}），登记库中没有该账号"),
                detail={"platform": e.platform, "name": e.name},
            )
        )
    return out


def inspect_view(
    view: AccountView, as_of: date, s: NewmediaSettings, detectors: ContentDetectors | None
) -> list[Finding]:
    """All single-account checks. A closed account is only checked for still posting; an account
    no source was read for is not judged (no evidence either way)."""
    if view.status != OPEN:
        return check_closed_active(view, as_of, s)
    if not view.ingested:
        return []
    out = check_stale(view, as_of, s) + check_frequency(view, as_of, s) + check_interaction(view, as_of, s)
    if detectors is not None:
        out += check_content(view, as_of, s, detectors)
    return out
