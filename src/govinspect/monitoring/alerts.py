"""Alert rules, de-duplicated events, recovery messages and the daily digest, sent through Apprise.

Each rule looks at the current state (stored probes, the findings of each site's latest
inspection and freshness run, overdue error reports) and returns the problems active now,
each with a stable key. ``evaluate`` opens an ``AlertEvent`` for a new key (one alert), keeps
an open one quiet while the problem lasts, and clears it when the problem is gone (one recovery
message). A message that could not be sent is sent at the next evaluation: nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import apprise
from django.db import IntegrityError, transaction
from django.utils import timezone

from govinspect.monitoring.models import AlertChannel, AlertEvent, AlertRule, JobRun, Probe, Rule
from govinspect.registry.models import Site, Status

log = logging.getLogger(__name__)

DEFAULT_THRESHOLDS: dict[str, float | None] = {
    Rule.HOME_DOWN: 2,  # consecutive failed probes
    Rule.UNREACHABLE_RATIO: None,  # None: the W-V2 failure ratio of the catalogue
    Rule.SEVERE_ERROR: None,
    Rule.HOME_STALE: 14,  # days
    Rule.BLANK_COLUMNS: 5,  # more than this many blank columns
    Rule.HIDDEN_LINK: None,
    Rule.REPORT_OVERDUE: None,
}


@dataclass(frozen=True)
class Problem:
    rule: str
    key: str
    message: str
    site_id: int | None = None


# --- what each rule sees ----------------------------------------------------------------------


def _site_label(site: Site) -> str:
    return f"{site.name}（{site.site_code}，{site.home_url}）"


def home_down(threshold: float | None, now: datetime) -> list[Problem]:
    n = max(1, int(threshold or 1))
    out = []
    for site in Site.objects.filter(status=Status.OPEN):
        last = list(Probe.objects.filter(site=site).order_by("-time")[:n])
        if len(last) == n and all(p.error for p in last):
            out.append(
                Problem(Rule.HOME_DOWN, site.site_code, f"首页无法访问：{_site_label(site)}，{last[0].error}", site.pk)
            )
    return out


def unreachable_ratio(threshold: float | None, now: datetime) -> list[Problem]:
    from govinspect.monitoring.services import availability_of

    out = []
    for site in Site.objects.filter(status=Status.OPEN, probes__time__gte=now - timedelta(days=7)).distinct():
        a = availability_of(site, timezone.localdate(now))
        limit = a.failure_ratio_limit if threshold is None else threshold
        if a.probes and a.ratio >= limit:
            msg = f"近7天首页无法访问比例 {a.ratio:.1%}（{a.failures}/{a.probes}）超过 {limit:.0%}：{_site_label(site)}"
            out.append(Problem(Rule.UNREACHABLE_RATIO, site.site_code, msg, site.pk))
    return out


def current_findings(checks: Iterable[str]) -> dict[int, list[dict[str, Any]]]:
    """Per site: the not-dismissed findings of its latest inspected target, with the update
    checks replaced by the latest freshness run where it covered the site."""
    from govinspect.inspections.models import Finding, InspectionTarget

    checks = set(checks)
    latest: dict[int, int] = {}
    done = InspectionTarget.objects.filter(site__isnull=False, state=InspectionTarget.State.DONE)
    for site_id, inspection_id in done.order_by("finished_at", "id").values_list("site_id", "inspection_id"):
        latest[site_id] = inspection_id
    by_inspection: dict[int, list[int]] = {}
    for site_id, inspection_id in latest.items():
        by_inspection.setdefault(inspection_id, []).append(site_id)
    out: dict[int, list[dict[str, Any]]] = {}
    for inspection_id, site_ids in by_inspection.items():
        rows = (
            Finding.objects.filter(sightings__inspection_id=inspection_id, site_id__in=site_ids, check_id__in=checks)
            .exclude(status=Finding.Review.DISMISSED)
            .values("site_id", "check_id", "url", "target", "detail", "evidence")
        )
        for r in rows:
            out.setdefault(r["site_id"], []).append({"check": r["check_id"], **r})
    fresh = JobRun.objects.filter(job="freshness", state=JobRun.State.DONE).order_by("-finished_at").first()
    if fresh is not None:
        sites = dict(
            Site.objects.filter(home_url__in=list(fresh.result.get("findings", {}))).values_list("home_url", "pk")
        )
        for url, found in fresh.result.get("findings", {}).items():
            if url not in sites:
                continue
            kept = [f for f in out.get(sites[url], []) if not f["check"].startswith("update.")]
            out[sites[url]] = kept + [f for f in found if f["check"] in checks]
    return out


def _by_check(check_ids: set[str], rule: str, describe: Callable[[Site, list[dict[str, Any]]], str | None]):
    def evaluate(threshold: float | None, now: datetime) -> list[Problem]:
        found = current_findings(check_ids)
        sites = Site.objects.in_bulk(list(found))
        out = []
        for site_id, items in found.items():
            site = sites.get(site_id)
            if site is None or site.status != Status.OPEN:
                continue
            message = describe(site, [f for f in items if f["check"] in check_ids], threshold, now)
            if message:
                out.append(Problem(rule, site.site_code, message, site.pk))
        return out

    return evaluate


def _severe(site, items, threshold, now) -> str | None:
    if not items:
        return None
    words = "、".join(sorted({str(f["detail"].get("wrong", "")) for f in items if f["detail"].get("wrong")}))
    return f"发现严重表述错误 {len(items)} 处（{words}）：{_site_label(site)}"


def _stale(site, items, threshold, now) -> str | None:
    days_limit = int(threshold if threshold is not None else 14)
    for f in items:
        latest = f["detail"].get("latest")
        days = (timezone.localdate(now) - date.fromisoformat(latest)).days if latest else None
        if days is None or days > days_limit:
            since = f"{days} 天" if days is not None else "无可识别的更新日期"
            return f"首页超过 {days_limit} 天未更新（{since}）：{_site_label(site)}"
    return None


def _blank(site, items, threshold, now) -> str | None:
    limit = int(threshold if threshold is not None else 5)
    if len(items) > limit:
        names = "、".join(str(f["detail"].get("column", "")) for f in items[:8])
        return f"空白栏目 {len(items)} 个（超过 {limit} 个）：{names}…：{_site_label(site)}"
    return None


def _hidden(site, items, threshold, now) -> str | None:
    if not items:
        return None
    kinds = sorted({f["check"] for f in items})
    return f"疑似暗链或被篡改（{'、'.join(kinds)}，{len(items)} 处）：{_site_label(site)}"


def report_overdue(threshold: float | None, now: datetime) -> list[Problem]:
    try:
        from govinspect.error_reports.services import overdue_reports
    except ImportError:
        return []
    out = []
    for report in overdue_reports(now):
        name = report.site.name if report.site_id else ""
        msg = f"网民留言 {report.ticket} 已超过答复期限（{report.deadline}）：{name}"
        out.append(Problem(Rule.REPORT_OVERDUE, f"report:{report.pk}", msg, report.site_id))
    return out


RULES: dict[str, Callable[[float | None, datetime], list[Problem]]] = {
    Rule.HOME_DOWN: home_down,
    Rule.UNREACHABLE_RATIO: unreachable_ratio,
    Rule.SEVERE_ERROR: _by_check({"text.severe_error"}, Rule.SEVERE_ERROR, _severe),
    Rule.HOME_STALE: _by_check({"update.homepage_stale"}, Rule.HOME_STALE, _stale),
    Rule.BLANK_COLUMNS: _by_check({"update.column_blank"}, Rule.BLANK_COLUMNS, _blank),
    Rule.HIDDEN_LINK: _by_check({"security.hidden_link", "security.sensitive"}, Rule.HIDDEN_LINK, _hidden),
    Rule.REPORT_OVERDUE: report_overdue,
}


def ensure_rules() -> None:
    for rule, threshold in DEFAULT_THRESHOLDS.items():
        AlertRule.objects.get_or_create(rule=rule, defaults={"threshold": threshold})


# --- events ---------------------------------------------------------------------------------


def active_problems(now: datetime) -> dict[str, list[Problem]]:
    ensure_rules()
    out: dict[str, list[Problem]] = {}
    for rule in AlertRule.objects.filter(enabled=True):
        out[rule.rule] = RULES[rule.rule](rule.threshold, now)
    return out


def evaluate(now: datetime | None = None) -> tuple[list[AlertEvent], list[AlertEvent]]:
    """Open events for new problems, clear those gone. Returns (opened, cleared)."""
    now = now or timezone.now()
    opened: list[AlertEvent] = []
    cleared: list[AlertEvent] = []
    for rule, problems in active_problems(now).items():
        current = {p.key: p for p in problems}
        open_events = {e.key: e for e in AlertEvent.objects.filter(rule=rule, cleared_at__isnull=True)}
        for key, event in open_events.items():
            if key in current:
                AlertEvent.objects.filter(pk=event.pk).update(last_seen_at=now)
            else:
                event.cleared_at = now
                event.save(update_fields=["cleared_at"])
                cleared.append(event)
        for key, p in current.items():
            if key in open_events:
                continue
            try:
                with transaction.atomic():
                    event = AlertEvent.objects.create(
                        rule=rule, key=key, site_id=p.site_id, message=p.message, opened_at=now, last_seen_at=now
                    )
            except IntegrityError:
                continue  # another evaluator opened it at the same moment
            opened.append(event)
    return opened, cleared


def send(title: str, body: str, channels: Iterable[AlertChannel]) -> bool:
    """Send through Apprise to every channel; True when all accepted it."""
    urls = [c.url for c in channels]
    if not urls:
        return False
    ap = apprise.Apprise()
    for url in urls:
        if not ap.add(url):
            log.error("alert channel URL not understood by Apprise: %s", url.split("://")[0])
    return bool(len(ap)) and bool(ap.notify(title=title, body=body))


def _immediate() -> list[AlertChannel]:
    return list(AlertChannel.objects.filter(enabled=True, immediate=True))


def notify_pending(now: datetime | None = None) -> int:
    """Send the alerts and recovery messages not sent yet. Returns how many were sent."""
    now = now or timezone.now()
    channels = _immediate()
    if not channels:
        return 0
    sent = 0
    for event in AlertEvent.objects.filter(notified_at__isnull=True).order_by("opened_at", "id"):
        label = Rule(event.rule).label
        if send(f"【告警】{label}", event.message, channels):
            AlertEvent.objects.filter(pk=event.pk).update(notified_at=now)
            sent += 1
    pending_recovery = AlertEvent.objects.filter(
        cleared_at__isnull=False, recovery_notified_at__isnull=True, notified_at__isnull=False
    )
    for event in pending_recovery.order_by("cleared_at", "id"):
        label = Rule(event.rule).label
        body = f"已恢复：{event.message}（{timezone.localtime(event.cleared_at):%Y-%m-%d %H:%M}）"
        if send(f"【恢复】{label}", body, channels):
            AlertEvent.objects.filter(pk=event.pk).update(recovery_notified_at=now)
            sent += 1
    # a problem that cleared before its alert went out needs no message at all
    AlertEvent.objects.filter(cleared_at__isnull=False, notified_at__isnull=True).update(
        notified_at=now, recovery_notified_at=now
    )
    return sent


def evaluate_and_notify(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    opened, cleared = evaluate(now)
    return {"opened": len(opened), "cleared": len(cleared), "sent": notify_pending(now)}


def digest_text(now: datetime) -> str:
    since = now - timedelta(days=1)
    open_events = list(AlertEvent.objects.filter(cleared_at__isnull=True).order_by("rule", "key"))
    new = AlertEvent.objects.filter(opened_at__gte=since).count()
    recovered = list(AlertEvent.objects.filter(cleared_at__gte=since).order_by("rule", "key"))
    lines = [f"过去24小时新增告警 {new} 条，恢复 {len(recovered)} 条，当前未恢复 {len(open_events)} 条。", ""]
    if open_events:
        lines.append("当前未恢复：")
        lines += [f"- [{Rule(e.rule).label}] {e.message}" for e in open_events]
    if recovered:
        lines.append("已恢复：")
        lines += [f"- [{Rule(e.rule).label}] {e.message}" for e in recovered]
    return "\n".join(lines)


def send_digest(now: datetime | None = None) -> bool:
    now = now or timezone.now()
    channels = list(AlertChannel.objects.filter(enabled=True, digest=True))
    title = f"【每日汇总】网站监测告警 {timezone.localtime(now):%Y-%m-%d}"
    return send(title, digest_text(now), channels)
