"""Error reports: intake, routing, transitions, deadlines, overdue queries and statistics.

Views, the CLI and the importer call these functions; none of them reads the request.

Deadline: ``ERROR_REPORT_ANSWER_DAYS`` working days (default 3) counted from the day after
receipt on the official calendar; the message is on time if it is 办结 (answered, or closed
without needing an answer) on or before that last working day, Beijing time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govinspect.accounts import audit
from govinspect.accounts.models import Role
from govinspect.accounts.scope import is_province_admin, profile_of, region_prefix, restrict_by_site
from govinspect.error_reports.calendar import add_working_days, working_days_between
from govinspect.error_reports.models import OPEN_STATES, Category, ErrorReport, Source, State
from govinspect.registry.models import Region, Site, Status

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand
AUDIT_FIELDS = ["state", "forwarded_at", "answer", "answered_at", "closed_at", "close_reason", "completed_at"]
MAX_DESCRIPTION = 2000
MAX_ANSWER = 5000

IMAGE_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"WEBP", 8, "image/webp", "webp"),
)


class TransitionError(Exception):
    """A state change that the report's current state does not allow (shown to the user)."""


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def answer_days() -> int:
    return int(getattr(settings, "ERROR_REPORT_ANSWER_DAYS", 3))


def max_screenshot_bytes() -> int:
    return int(getattr(settings, "ERROR_REPORT_MAX_SCREENSHOT_BYTES", 2 * 1024 * 1024))


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_tz()).date()


def deadline_for(received_at: dt.datetime, days: int | None = None) -> dt.date:
    return add_working_days(local_date(received_at), answer_days() if days is None else days)


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """(mime type, extension) from the file's first bytes; None for anything but PNG/JPEG/GIF/WebP."""
    for magic, offset, mime, ext in IMAGE_SIGNATURES:
        if data[offset : offset + len(magic)] == magic and (ext != "webp" or data[:4] == b"RIFF"):
            return mime, ext
    return None


def _random_code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _encode(digest: bytes, length: int) -> str:
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:length])


def new_ticket(now: dt.datetime) -> str:
    """JC + local date + 8 random characters, e.g. JC251009K7Q2M9XA."""
    return f"JC{timezone.localtime(now, local_tz()):%y%m%d}{_random_code(8)}"


def lookup_code_for(ticket: str, idempotency_key: uuid.UUID | None) -> str:
    """The reporter's lookup code. From a form submission it is derived from the form's secret
    idempotency key, so a repeated submission (double click, retry) can show it again."""
    if idempotency_key is None:
        return _random_code(8)
    return _encode(hmac.new(idempotency_key.bytes, ticket.encode(), hashlib.sha256).digest(), 8)


def lookup_hash(ticket: str, code: str) -> str:
    return hashlib.sha256(f"{ticket}:{code.strip().upper()}".encode()).hexdigest()


def client_hash(ip: str) -> str:
    """A short keyed digest of the client address: enough to spot a flood, not to identify anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:16] if ip else ""


_SITE_CACHE: dict[str, tuple[float, Site | None]] = {}
SITE_CACHE_SECONDS = 30.0


def find_site(site_code: str) -> Site | None:
    return Site.objects.select_related("organizer", "region").filter(site_code=site_code.strip()).first()


def clear_site_cache(**_kwargs: Any) -> None:
    """Connected to Site's post_save/post_delete (apps.py)."""
    _SITE_CACHE.clear()


def find_site_cached(site_code: str) -> Site | None:
    """find_site for the public form, remembered per process for a few seconds: the register
    changes rarely and every submission names a site (a change shows within SITE_CACHE_SECONDS)."""
    code = site_code.strip()
    now = time.monotonic()
    hit = _SITE_CACHE.get(code)
    if hit is not None and now - hit[0] < SITE_CACHE_SECONDS:
        return hit[1]
    site = find_site(code)
    if len(_SITE_CACHE) > 50_000:
        _SITE_CACHE.clear()
    _SITE_CACHE[code] = (now, site)
    return site


@dataclass
class Submission:
    site: Site
    category: str
    description: str
    page_url: str = ""
    contact: str = ""
    screenshot: bytes | None = None
    client_ip: str = ""
    idempotency_key: uuid.UUID | None = None


@dataclass
class Receipt:
    report: ErrorReport
    code: str  # the lookup code ("" when it cannot be shown again)
    created: bool


def submit(sub: Submission, received_at: dt.datetime | None = None) -> Receipt:
    """Store a report from the public. The same idempotency key twice gives the same ticket."""
    # A resubmission is found by the unique index (IntegrityError below), not by a query first:
    # one round trip less on the hot path, and no window between look and insert.
    if sub.category not in Category.values:
        raise ValueError(f"unknown category {sub.category!r}")
    now = received_at or timezone.now()
    for _attempt in range(5):
        ticket = new_ticket(now)
        code = lookup_code_for(ticket, sub.idempotency_key)
        report = ErrorReport(
            ticket=ticket,
            lookup_hash=lookup_hash(ticket, code),
            idempotency_key=sub.idempotency_key,
            source=Source.WEB,
            site=sub.site,
            page_url=sub.page_url,
            category=sub.category,
            description=sub.description[:MAX_DESCRIPTION],
            contact=sub.contact,
            client_hash=client_hash(sub.client_ip),
            received_at=now,
            deadline=deadline_for(now),
        )
        if sub.screenshot:
            _attach_screenshot(report, sub.screenshot)
        # One INSERT, no audit entry: receipt is not a state change by anyone; the row itself
        # records when (received_at) and from where (client_hash). Every later change is audited.
        try:
            with transaction.atomic():
                report.save(force_insert=True)
        except IntegrityError:
            if report.screenshot:
                report.screenshot.delete(save=False)
            if sub.idempotency_key is not None:
                existing = ErrorReport.objects.filter(idempotency_key=sub.idempotency_key).first()
                if existing is not None:  # a concurrent duplicate won the race
                    return Receipt(existing, lookup_code_for(existing.ticket, sub.idempotency_key), False)
            continue  # a ticket collision: draw again
        return Receipt(report, code, True)
    raise RuntimeError("could not allocate a unique ticket")


def _attach_screenshot(report: ErrorReport, data: bytes) -> None:
    sniffed = sniff_image(data)
    if sniffed is None:
        raise ValueError("screenshot is not a PNG, JPEG, GIF or WebP image")
    if len(data) > max_screenshot_bytes():
        raise ValueError("screenshot too large")
    mime, ext = sniffed
    report.screenshot_type = mime
    report.screenshot.save(f"{report.ticket}.{ext}", ContentFile(data), save=False)


def find_for_lookup(ticket: str, code: str) -> ErrorReport | None:
    """The report when ticket and code match (constant-time comparison), else None."""
    report = ErrorReport.objects.select_related("site").filter(ticket=ticket.strip().upper()).first()
    candidate = lookup_hash(ticket.strip().upper(), code)
    if report is None or not hmac.compare_digest(report.lookup_hash, candidate):
        return None
    return report


# --- who may do what -------------------------------------------------------------------------


def visible_reports(user: Any) -> QuerySet[ErrorReport]:
    return restrict_by_site(ErrorReport.objects.select_related("site", "site__organizer", "site__region"), user)


def _role(user: Any) -> str | None:
    if is_province_admin(user):
        return Role.PROVINCE_ADMIN
    profile = profile_of(user)
    return profile.role if profile else None


def can_forward(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.INSPECTOR)


def can_answer(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.CITY_ADMIN, Role.ORGANIZER)


def can_close(user: Any) -> bool:
    return can_forward(user)


def _check_scope(report: ErrorReport, user: Any) -> None:
    if user is not None and not visible_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied("out of scope")


def _transition(report: ErrorReport, user: Any, action: str, allowed: tuple[str, ...], change: Any) -> ErrorReport:
    """Lock the row, check the state, apply ``change(locked)``, save and audit, atomically."""
    with transaction.atomic():
        locked = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if locked.state not in allowed:
            raise TransitionError(f"留言当前状态为“{locked.get_state_display()}”，不能执行此操作。")
        before = audit.snapshot(locked, AUDIT_FIELDS)
        change(locked)
        if user is not None and getattr(user, "is_authenticated", False):
            locked.handled_by = user
        locked.save()
        audit.record(user, action, locked, before, audit.snapshot(locked, AUDIT_FIELDS))
    return locked


def forward(report: ErrorReport, user: Any, at: dt.datetime | None = None) -> ErrorReport:
    """转办: the office passes the message to the site's organizer."""
    if user is not None:
        if not can_forward(user):
            raise PermissionDenied("only the supervising office forwards messages")
        _check_scope(report, user)
    when = at or timezone.now()

    def change(r: ErrorReport) -> None:
        r.state = State.FORWARDED
        r.forwarded_at = when

    return _transition(report, user, "error_report.forwarded", (State.RECEIVED,), change)


def answer(report: ErrorReport, user: Any, text: str, at: dt.datetime | None = None) -> ErrorReport:
    """答复: published on the lookup page. An answered message may be answered again (amended);
    the first answer's time is the one the deadline is measured by."""
    text = text.strip()
    if not text:
        raise TransitionError("答复内容不能为空。")
    if user is not None:
        if not can_answer(user):
            raise PermissionDenied("not allowed to answer")
        _check_scope(report, user)
    when = at or timezone.now()

    def change(r: ErrorReport) -> None:
        if r.forwarded_at is None and r.state == State.RECEIVED:
            r.forwarded_at = when  # answered straight away by the organizer: routing was automatic
        r.state = State.ANSWERED
        r.answer = text[:MAX_ANSWER]
        r.answered_at = r.answered_at or when
        r.completed_at = r.completed_at or when

    allowed = (State.RECEIVED, State.FORWARDED, State.ANSWERED)
    return _transition(report, user, "error_report.answered", allowed, change)


def close(report: ErrorReport, user: Any, reason: str = "", at: dt.datetime | None = None) -> ErrorReport:
    """办结. An unanswered message can be closed only with a reason (无效、重复留言)."""
    reason = reason.strip()
    if user is not None:
        if not can_close(user):
            raise PermissionDenied("only the supervising office closes messages")
        _check_scope(report, user)
    if report.state in OPEN_STATES and not reason:
        raise TransitionError("未答复的留言须说明办结理由（如无效留言、重复留言）。")
    when = at or timezone.now()

    def change(r: ErrorReport) -> None:
        r.state = State.CLOSED
        r.closed_at = when
        r.close_reason = reason[:200]
        r.completed_at = r.completed_at or when

    return _transition(report, user, "error_report.closed", (*OPEN_STATES, State.ANSWERED), change)


def history(report: ErrorReport) -> list[Any]:
    from govinspect.accounts.models import AuditEntry

    return list(
        AuditEntry.objects.filter(object_type=report._meta.label_lower, object_id=str(report.pk)).order_by("at", "id")
    )


# --- deadlines and statistics ------------------------------------------------------------------


def _as_of_date(as_of: dt.date | dt.datetime | None) -> dt.date:
    if as_of is None:
        return local_date(timezone.now())
    return local_date(as_of) if isinstance(as_of, dt.datetime) else as_of


def _as_of_moment(as_of: dt.date | dt.datetime | None) -> dt.datetime:
    if as_of is None:
        return timezone.now()
    if isinstance(as_of, dt.datetime):
        return as_of
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=local_tz())  # end of that day


def region_filter(region: Region | str | None, field: str = "site__region") -> Q:
    if region is None or region == "":
        return Q()
    if isinstance(region, str):
        found = Region.objects.filter(code=region).first()
        prefix = region_prefix(found) if found else region.rstrip("0") or region
        # codes like 510100 stand for 5101…; keep an even-length prefix
        if not found and len(prefix) % 2:
            prefix += "0"
    else:
        prefix = region_prefix(region)
    return Q(**{f"{field}__code__startswith": prefix})


def overdue_reports(as_of: dt.date | dt.datetime | None = None, region: Region | str | None = None) -> QuerySet:
    """Open messages whose answer deadline has passed (for the list highlight and the alerts)."""
    return (
        ErrorReport.objects.filter(state__in=OPEN_STATES, deadline__lt=_as_of_date(as_of))
        .filter(region_filter(region))
        .select_related("site", "site__organizer", "site__region")
        .order_by("deadline", "received_at")
    )


def is_overdue(report: ErrorReport, as_of: dt.date | dt.datetime | None = None) -> bool:
    return report.state in OPEN_STATES and report.deadline < _as_of_date(as_of)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def error_report_stats(
    period_start: dt.date,
    period_end: dt.date,
    region: Region | str | None = None,
    as_of: dt.date | dt.datetime | None = None,
) -> dict[str, Any]:
    """The figures a notice quotes for messages received from ``period_start`` to ``period_end``
    (inclusive, Beijing dates), as known at ``as_of`` (default: now).

    - ``received``: messages received in the period;
    - ``closed``: of those, 办结 by ``as_of`` (answered, or closed as needing no answer);
    - ``closed_on_time``: 办结 on or before their deadline;
    - ``on_time_rate``: closed_on_time / messages whose outcome is known (办结, or past the
      deadline unanswered), a percentage rounded to 0.1 (Decimal), None when none is due;
    - ``average_handling_hours``: mean calendar hours from receipt to 办结 (Decimal, 0.1), or None;
    - ``overdue``: the messages not handled on time (late, or open past the deadline);
    - ``pending``: open messages still within their deadline.
    """
    tz = local_tz()
    start = dt.datetime.combine(period_start, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    moment = _as_of_moment(as_of)
    today = local_date(moment)
    rows = (
        ErrorReport.objects.filter(received_at__gte=start, received_at__lt=min(end, moment))
        .filter(region_filter(region))
        .values(
            "ticket",
            "received_at",
            "deadline",
            "completed_at",
            "state",
            "site__site_code",
            "site__name",
            "site__organizer__name",
            "site__region__code",
        )
        .order_by("received_at", "id")
    )
    received = closed = on_time = due = 0
    hours: list[float] = []
    overdue: list[dict[str, Any]] = []
    for row in rows:
        received += 1
        completed = row["completed_at"] if row["completed_at"] and row["completed_at"] <= moment else None
        if completed is not None:
            closed += 1
            due += 1
            hours.append((completed - row["received_at"]).total_seconds() / 3600)
            if local_date(completed) <= row["deadline"]:
                on_time += 1
                continue
        elif row["deadline"] < today:
            due += 1
        else:
            continue
        overdue.append(
            {
                "ticket": row["ticket"],
                "site_code": row["site__site_code"],
                "site_name": row["site__name"],
                "organizer": row["site__organizer__name"],
                "region_code": row["site__region__code"],
                "received_at": row["received_at"],
                "deadline": row["deadline"],
                "completed_at": completed,
                "working_days_late": working_days_between(
                    row["deadline"], local_date(completed) if completed else today
                ),
            }
        )
    average = Decimal(sum(hours) / len(hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if hours else None
    return {
        "period_start": period_start,
        "period_end": period_end,
        "region": region.code if isinstance(region, Region) else (region or None),
        "as_of": moment,
        "received": received,
        "closed": closed,
        "closed_on_time": on_time,
        "due": due,
        "pending": received - due,
        "on_time_rate": _percent(on_time, due),
        "average_handling_hours": average,
        "overdue": overdue,
    }


def error_report_stats_by_city(
    period_start: dt.date, period_end: dt.date, as_of: dt.date | dt.datetime | None = None
) -> list[tuple[Region, dict[str, Any]]]:
    """error_report_stats for each city (市州), in code order; county sites count for their city."""
    cities = Region.objects.filter(level=Region.Level.CITY).order_by("code")
    return [(city, error_report_stats(period_start, period_end, city, as_of)) for city in cities]


def notice_statistics(period_start: dt.date, period_end: dt.date, region: Region | str | None = None) -> dict:
    """The entry point ``govinspect.reports.notice`` looks for (same figures as error_report_stats)."""
    return error_report_stats(period_start, period_end, region)


def quarter_bounds(period: str) -> tuple[dt.date, dt.date]:
    """'2025Q4' → (2025-10-01, 2025-12-31); '2025H2' and '2025' work too."""
    text = period.strip().upper()
    try:
        year = int(text[:4])
        if len(text) == 4:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        kind, number = text[4], int(text[5:])
        if kind == "Q" and 1 <= number <= 4:
            months = (3 * number - 2, 3 * number)
        elif kind == "H" and number in (1, 2):
            months = (1, 6) if number == 1 else (7, 12)
        else:
            raise ValueError
    except (ValueError, IndexError):
        raise ValueError(f"period must look like 2025Q4, 2025H2 or 2025, not {period!r}") from None
    last = dt.date(year + (months[1] == 12), months[1] % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, months[0], 1), last


def open_sites() -> QuerySet[Site]:
    return Site.objects.filter(status=Status.OPEN)
