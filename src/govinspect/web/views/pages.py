"""Dashboard, sites and accounts (every list and object through govinspect.accounts.scope)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govinspect.accounts import scope
from govinspect.findings import CHECK_IDS
from govinspect.indicators.load import province_catalogue
from govinspect.inspections.models import Finding, Inspection, Verdict
from govinspect.rectification.models import ACTIVE
from govinspect.registry.models import Account, Site
from govinspect.web import labels
from govinspect.web.views.common import (
    get_scoped,
    latest_inspection,
    paginate,
    scoped_findings,
    scoped_tasks,
    scoped_verdicts,
)

OPEN_REVIEW = (Finding.Review.NEW, Finding.Review.CONFIRMED)


def _rate(passed: int, total: int) -> float | None:
    return round(passed * 100 / total, 2) if total else None


def dashboard_data(user) -> dict:  # type: ignore[no-untyped-def]
    """Numbers behind the dashboard, all within the user's scope."""
    inspection = latest_inspection()
    verdicts = scoped_verdicts(user).filter(site__isnull=False)
    by_city: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    category_label = dict(Site.Category.choices)
    if inspection is not None:
        rows = verdicts.filter(inspection=inspection).values_list(
            "passed",
            "site__region__code",
            "site__region__name",
            "site__region__parent__name",
            "site__region__level",
            "site__category",
        )
        for passed, _code, name, parent, level, category in rows:
            city = name if level != "county" else (parent or name)
            for bucket in (by_city[city], by_category[category_label.get(category, category)]):
                bucket[0] += int(passed)
                bucket[1] += 1
    trend = []
    periods = (
        verdicts.values("inspection__period")
        .annotate(total=Count("id"), passed=Count("id", filter=Q(passed=True)))
        .order_by("inspection__period")
    )
    for row in periods:
        trend.append({"period": row["inspection__period"], "rate": _rate(row["passed"], row["total"])})
    open_findings = scoped_findings(user).filter(status__in=OPEN_REVIEW)
    by_check = Counter()
    by_severity = Counter()
    for check_id, severity in open_findings.values_list("check_id", "severity"):
        by_check[check_id] += 1
        by_severity[severity] += 1
    down = []
    if inspection is not None:
        down = list(
            open_findings.filter(check_id="availability.unreachable", last_seen=inspection)
            .select_related("site")
            .order_by("site__site_code")[:20]
        )
    tasks = scoped_tasks(user)
    today = timezone.localdate()
    return {
        "inspection": inspection,
        "city": [{"name": k, "rate": _rate(*v), "passed": v[0], "total": v[1]} for k, v in sorted(by_city.items())],
        "category": [
            {"name": k, "rate": _rate(*v), "passed": v[0], "total": v[1]} for k, v in sorted(by_category.items())
        ],
        "trend": trend,
        "by_check": [(labels.CHECKS.get(c, c), n) for c, n in by_check.most_common()],
        "by_severity": [(labels.SEVERITIES.get(s, s), n) for s, n in sorted(by_severity.items())],
        "overdue": tasks.filter(status__in=ACTIVE, deadline__lt=today).count(),
        "open_tasks": tasks.filter(status__in=ACTIVE).count(),
        "new_findings": open_findings.filter(status=Finding.Review.NEW).count(),
        "down": down,
        "sites": scope.visible_sites(user).count(),
        "accounts": scope.visible_accounts(user).count(),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard_data(request.user)
    charts = {k: data[k] for k in ("city", "category", "trend", "by_check", "by_severity")}
    return render(request, "web/dashboard.html", {**data, "charts": charts, "nav": "dashboard"})


def _in_region(qs, user, code: str):  # type: ignore[no-untyped-def]
    region = scope.visible_regions(user).filter(code=code).first() if code else None
    return qs.filter(region__code__startswith=scope.region_prefix(region)) if region else qs


def _latest_verdicts(site_ids: list[int], inspection: Inspection | None) -> dict[int, Verdict]:
    if inspection is None:
        return {}
    return {v.site_id: v for v in Verdict.objects.filter(inspection=inspection, site_id__in=site_ids)}


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    qs = scope.visible_sites(request.user).select_related("region", "organizer")
    inspection = latest_inspection()
    f = {k: request.GET.get(k, "").strip() for k in ("q", "region", "category", "verdict", "check")}
    if f["q"]:
        qs = qs.filter(Q(name__icontains=f["q"]) | Q(site_code__icontains=f["q"]) | Q(home_url__icontains=f["q"]))
    qs = _in_region(qs, request.user, f["region"])
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["verdict"] in ("passed", "failed") and inspection is not None:
        qs = qs.filter(verdicts__inspection=inspection, verdicts__passed=f["verdict"] == "passed")
    if f["check"]:
        qs = qs.filter(findings__check_id=f["check"], findings__status__in=OPEN_REVIEW).distinct()
    page = paginate(request, qs.order_by("site_code"))
    verdicts = _latest_verdicts([s.pk for s in page], inspection)
    rows = [(s, verdicts.get(s.pk)) for s in page]
    context = {
        "page": page,
        "rows": rows,
        "f": f,
        "regions": scope.visible_regions(request.user).exclude(level="county"),
        "categories": Site.Category.choices,
        "checks": sorted(CHECK_IDS),
        "inspection": inspection,
        "nav": "sites",
    }
    return render(request, "web/sites.html", context)


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_scoped(scope.visible_sites(request.user).select_related("region", "organizer"), pk=pk)
    history = list(Verdict.objects.filter(site=site).select_related("inspection").order_by("-inspection__as_of"))
    verdict = history[0] if history else None
    items = []
    if verdict is not None:
        cat = province_catalogue(verdict.inspection.province)
        for item_id, points in sorted((verdict.deductions or {}).items()):
            name = cat[item_id].name if item_id in cat else item_id
            items.append({"id": item_id, "name": name, "points": points, "kind": "扣分"})
        for item_id, points in sorted((verdict.bonus or {}).items()):
            name = cat[item_id].name if item_id in cat else item_id
            items.append({"id": item_id, "name": name, "points": points, "kind": "加分"})
    findings = Finding.objects.filter(site=site).select_related("last_seen").order_by("status", "check_id", "id")
    columns = [
        f for f in findings if f.check_id in ("update.column_stale", "update.column_blank", "update.homepage_stale")
    ]
    availability = [f for f in findings if f.check_id == "availability.unreachable"]
    context = {
        "site": site,
        "verdict": verdict,
        "items": items,
        "history": history,
        "findings": findings,
        "columns": columns,
        "availability": availability,
        "tasks": scoped_tasks(request.user).filter(finding__site=site).select_related("finding"),
        "nav": "sites",
    }
    return render(request, "web/site_detail.html", context)


@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    qs = scope.visible_accounts(request.user).select_related("region", "organizer")
    f = {k: request.GET.get(k, "").strip() for k in ("q", "region", "platform")}
    if f["q"]:
        qs = qs.filter(Q(name__icontains=f["q"]) | Q(platform_id__icontains=f["q"]))
    qs = _in_region(qs, request.user, f["region"])
    if f["platform"]:
        qs = qs.filter(platform=f["platform"])
    page = paginate(request, qs.order_by("region__code", "name"))
    inspection = latest_inspection()
    verdicts = (
        {v.account_id: v for v in Verdict.objects.filter(inspection=inspection, account_id__in=[a.pk for a in page])}
        if inspection
        else {}
    )
    context = {
        "page": page,
        "rows": [(a, verdicts.get(a.pk)) for a in page],
        "inspection": inspection,
        "f": f,
        "regions": scope.visible_regions(request.user).exclude(level="county"),
        "platforms": Account.Platform.choices,
        "nav": "accounts",
    }
    return render(request, "web/accounts.html", context)
