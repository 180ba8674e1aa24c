"""New-media inspection services: what the inspections app and the CLI call.

``inspect_accounts(accounts, as_of)`` yields each account with its findings. Findings' ``site``
is the account's URI (``checks.account_uri``), ``url`` the post's URL or that URI. Thresholds
come from the indicator catalogue's NM-* items when they are there (``window_days`` of NM-V1 and
NM-V2, ``content_days``, ``frequency_days``, ``min_posts`` …), else from ``NewmediaSettings``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet

from govinspect.errors import ConfigError
from govinspect.findings import Finding, normalize_url
from govinspect.inspections.models import Inspection
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
from govinspect.newmedia.models import AccountSource, Post
from govinspect.registry.models import Account, Filing, Site, Status

log = logging.getLogger(__name__)
CHUNK = 300

__all__ = ["account_uri", "inspect_accounts", "register_check", "settings_from_catalogue", "unfiled_findings"]


def settings_from_catalogue() -> NewmediaSettings:
    """Thresholds of the NM-* catalogue items where present; the module defaults otherwise."""
    s = NewmediaSettings()
    try:
        from govinspect.indicators.load import catalogue

        cat = catalogue()
    except (ImportError, ConfigError) as exc:  # pragma: no cover - depends on the catalogue file
        log.warning("indicator catalogue unavailable (%s); new-media defaults used", exc)
        return s
    names = {
        ("NM-V1", "window_days"): "stale_days",
        ("NM-V2", "window_days"): "interaction_days",
        ("NM-V2", "min_comments"): "min_comments",
        ("NM-V3", "content_days"): "content_days",
        ("NM-D1", "frequency_days"): "frequency_days",
        ("NM-D1", "min_posts"): "min_posts",
        ("NM-D1", "closed_active_days"): "closed_active_days",
    }
    values = {}
    for (item_id, threshold), attr in names.items():
        if item_id in cat and threshold in cat[item_id].thresholds:
            values[attr] = cat[item_id].days(threshold)
    return replace(s, **values)


@cache
def _detectors() -> ContentDetectors:
    return ContentDetectors()


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=BEIJING)


def _views(accounts: Sequence[Account], as_of: date, s: NewmediaSettings) -> list[AccountView]:
    ids = [a.id for a in accounts]
    horizon = max(s.content_days, s.interaction_days, s.frequency_days, s.stale_days, s.closed_active_days)
    lo = datetime.combine(as_of - timedelta(days=horizon + 1), time(0), tzinfo=BEIJING)
    hi = _end_of(as_of)
    posts: dict[int, list[PostView]] = {i: [] for i in ids}
    rows = (
        Post.objects.filter(account_id__in=ids, published_at__gte=lo, published_at__lt=hi)
        .annotate(n=Count("comments"), r=Count("comments", filter=Q(comments__replied=True)))
        .values_list(
            "account_id", "post_id", "published_at", "url", "title", "text", "comment_count", "reply_count", "n", "r"
        )
    )
    uris = {a.id: account_uri(a.platform, a.platform_id) for a in accounts}
    for acc, pid, when, url, title, text, cc, rc, n, r in rows:
        posts[acc].append(PostView(pid, when, post_url(uris[acc], pid, url), title, text, cc, rc, n, r))
    older = (
        Post.objects.filter(account_id__in=ids, published_at__lt=lo)
        .values("account_id")
        .annotate(last=Max("published_at"))
    )
    latest_old = {row["account_id"]: row["last"] for row in older}
    sources = {
        a: (auto, msg)
        for a, auto, msg in AccountSource.objects.filter(account_id__in=ids).values_list(
            "account_id", "auto_reply", "messages_enabled"
        )
    }
    closed = dict(
        Filing.objects.filter(account_id__in=ids, kind=Filing.Kind.CLOSE)
        .values("account_id")
        .annotate(d=Max("date"))
        .values_list("account_id", "d")
    )
    views = []
    for a in accounts:
        uri = account_uri(a.platform, a.platform_id)
        own = posts[a.id]
        if a.id in latest_old:
            own.append(PostView("", latest_old[a.id], uri))  # only its date matters (stale evidence)
        auto, msg = sources.get(a.id, (None, None))
        views.append(
            AccountView(
                uri=uri,
                platform=a.platform,
                platform_id=a.platform_id,
                name=a.name,
                organizer=str(a.organizer_id),
                status=a.status,
                closed_on=closed.get(a.id),
                auto_reply=auto,
                messages_enabled=msg,
                ingested=a.id in sources or bool(own),
                posts=tuple(own),
            )
        )
    return views


def _organizer_views(accounts: Sequence[Account]) -> list[AccountView]:
    """Every account of the organizers involved (light views: no posts), for duplicate detection."""
    organizers = {a.organizer_id for a in accounts}
    out = []
    for pk_chunk in _chunks(sorted(organizers), 500):
        for platform, pid, name, org, status in Account.objects.filter(organizer_id__in=pk_chunk).values_list(
            "platform", "platform_id", "name", "organizer_id", "status"
        ):
            out.append(AccountView(account_uri(platform, pid), platform, pid, name, str(org), status))
    return out


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def inspect_accounts(
    accounts: Iterable[Account],
    as_of: date,
    *,
    settings: NewmediaSettings | None = None,
    content: bool = True,
) -> Iterator[tuple[Account, list[Finding]]]:
    """Each account with its findings at ``as_of`` (the NM checks of ``checks``).

    Accounts for which no source has been ingested yield no finding (there is no evidence
    either way); see ``AccountSource``.
    """
    s = settings or settings_from_catalogue()
    accounts = list(accounts)
    duplicates = check_duplicates(_organizer_views(accounts), s)
    detectors = _detectors() if content else None
    for chunk in _chunks(accounts, CHUNK):
        for account, view in zip(chunk, _views(chunk, as_of, s), strict=True):
            findings = inspect_view(view, as_of, s, detectors)
            if account.status == "open":
                findings += duplicates.get(view.uri, [])
            yield account, findings


def unfiled_findings(entries: Iterable[MatrixEntry]) -> list[Finding]:
    """newmedia.unfiled for the accounts listed on sites' 新媒体矩阵 pages, against the whole register."""
    views = [
        AccountView(account_uri(p, pid), p, pid, name, "", status)
        for p, pid, name, status in Account.objects.values_list("platform", "platform_id", "name", "status")
    ]
    return find_unfiled(entries, views)


@dataclass
class RegisterCheck:
    """What ``register_check`` stored in an inspection."""

    unfiled: int = 0  # newmedia.unfiled findings, each owned by the listing site
    closed_but_active: int = 0  # findings of closed accounts still posting
    new_sightings: int = 0
    outside: int = 0  # listings of sites this inspection does not cover (not stored)
    unplaced: list[str] = field(default_factory=list)  # listing sites not in the register (not stored)


def _site_index(aliases: Mapping[str, str] | None) -> tuple[dict[str, int], dict[str, int]]:
    """Register sites by normalised home URL (and alias URL → site code), and by host."""
    by_url: dict[str, int] = {}
    by_host: dict[str, int] = {}
    codes: dict[str, int] = {}
    for pk, code, home, extra in Site.objects.values_list("pk", "site_code", "home_url", "extra_hosts"):
        codes[code] = pk
        by_url[normalize_url(home)] = pk
        for host in [urlsplit(home).hostname or "", *(extra or ())]:
            if host:
                by_host.setdefault(host.lower(), pk)
    for url, code in (aliases or {}).items():
        if code in codes:
            by_url[normalize_url(url)] = codes[code]
    return by_url, by_host


def _listing_site(url: str, by_url: dict[str, int], by_host: dict[str, int]) -> int | None:
    return by_url.get(normalize_url(url)) or by_host.get((urlsplit(url).hostname or "").lower())


def _in_scope(inspection: Inspection, accounts: QuerySet[Account]) -> QuerySet[Account]:
    from govinspect.inspections.services import regions_with_descendants

    codes = (inspection.scope or {}).get("regions") or []
    if not codes:
        return accounts
    return accounts.filter(region_id__in=regions_with_descendants(codes))  # as create_inspection scopes


def register_check(
    inspection: Inspection,
    entries: Iterable[MatrixEntry] = (),
    *,
    aliases: Mapping[str, str] | None = None,
    settings: NewmediaSettings | None = None,
) -> RegisterCheck:
    """Store in ``inspection`` the new-media findings no account target carries (the runner
    inspects the register's open accounts only):

    - ``newmedia.unfiled`` for the matrix ``entries`` of the sites this inspection covers: the
      account is in no register, so the finding belongs to the site whose 新媒体矩阵 page lists
      it (site FK, ``url`` = that page). It deducts nothing from the site (NM-D1 is an account
      item; site scores count W-* items only) and no account verdict exists for it: it is a
      register problem for the site's organizer to settle (file the account or delist it).
    - ``newmedia.closed_but_active`` for the closed accounts in the inspection's regions (account
      FK, no target, no verdict: a closed account is not among the accounts inspected).

    ``aliases``: listing-site URL → site code, for a register whose home URLs moved (the demo
    points them at the sandbox). Idempotent: findings are upserted by fingerprint."""
    from govinspect.inspections.models import InspectionTarget
    from govinspect.inspections.services import finding_row, upsert_findings

    done = RegisterCheck()
    covered = set(
        InspectionTarget.objects.filter(inspection=inspection, site__isnull=False).values_list("site_id", flat=True)
    )
    by_url, by_host = _site_index(aliases)
    placed: list[tuple[Finding, int | None, int | None]] = []
    for f in unfiled_findings(entries):
        site_id = _listing_site(f.site, by_url, by_host)
        if site_id is None:
            done.unplaced.append(f.site)
        elif site_id in covered:
            placed.append((f, site_id, None))
            done.unfiled += 1
        else:
            done.outside += 1
    if inspection.kind == Inspection.Kind.FULL and (inspection.scope or {}).get("accounts", True):
        closed = _in_scope(inspection, Account.objects.exclude(status=Status.OPEN)).order_by("pk")
        for account, findings in inspect_accounts(closed, inspection.as_of, settings=settings, content=False):
            for f in findings:
                if f.check == "newmedia.closed_but_active":
                    placed.append((f, None, account.pk))
                    done.closed_but_active += 1
    rows = {f.fingerprint: finding_row(f, inspection, site_id, account_id) for f, site_id, account_id in placed}
    with transaction.atomic():
        done.new_sightings = upsert_findings(inspection, list(rows.values()))
        Inspection.objects.filter(pk=inspection.pk).update(findings_seen=F("findings_seen") + done.new_sightings)
    return done


def apply_sandbox_register(directory: str | Path) -> dict[str, int]:
    """Load the Sichuan register if the database has none, then apply the sandbox's register.jsonl
    (second accounts on one platform, accounts closed earlier); idempotent."""
    import json

    from govinspect.registry.models import Organizer, Status
    from govinspect.registry.services import load_sichuan

    if not Account.objects.exists():
        load_sichuan()
    done = {"retarget": 0, "add_closed": 0}
    path = Path(directory) / "register.jsonl"
    with transaction.atomic():
        for line in path.read_text(encoding="utf-8").splitlines():
            op = json.loads(line)
            if op["op"] == "retarget":
                n = Account.objects.filter(platform=op["platform"], platform_id=op["platform_id"]).update(
                    platform=op["new_platform"], platform_id=op["new_platform_id"], name=op["new_name"]
                )
                done["retarget"] += n
            elif op["op"] == "add_closed":
                organizer = Organizer.objects.get(name=op["organizer"], region__code=op["region_code"])
                account, created = Account.objects.get_or_create(
                    platform=op["platform"],
                    platform_id=op["platform_id"],
                    defaults={"name": op["name"], "organizer": organizer, "status": Status.CLOSED},
                )
                if created:
                    Filing.objects.create(
                        date=date.fromisoformat(op["closed_on"]),
                        kind=Filing.Kind.CLOSE,
                        account=account,
                        note="sandbox",
                    )
                    done["add_closed"] += 1
    return done


def read_matrix(path: str | Path) -> list[MatrixEntry]:
    """新媒体矩阵 listings from JSON Lines or CSV (site, page, platform, name, account_id)."""
    import csv
    import json

    p = Path(path)
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for i, row in enumerate(rows, start=1):
        missing = [k for k in ("site", "page", "platform", "name") if not row.get(k)]
        if missing:
            raise ConfigError(f"{p}:{i}: matrix row lacks {', '.join(missing)}")
        out.append(MatrixEntry(row["site"], row["page"], row["platform"], row["name"], row.get("account_id") or ""))
    return out
