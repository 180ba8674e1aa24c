"""Inspections: list, start one (province administrator), watch its progress, see its result."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import close_old_connections, connections
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govinspect.accounts import audit, scope
from govinspect.errors import GovinspectError
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.inspections.services import create_inspection
from govinspect.registry.models import Site
from govinspect.web.views.common import get_scoped, paginate, require, scoped_inspections, scoped_verdicts


def _run_in_background(inspection_id: int) -> None:
    """The embedded runner in a thread of this process (for a province, one machine is enough;
    with Celery configured the lead's task runs it instead)."""

    def work() -> None:
        from govinspect.inspections.runner import run_inspection
        from govinspect.web.lexicons import engine_config

        close_old_connections()
        try:
            # WARC evidence for the review page's archived view and screenshots.
            config = replace(engine_config(), warc_dir=str(Path(settings.DATA_DIR) / "warc" / str(inspection_id)))
            run_inspection(Inspection.objects.get(pk=inspection_id), config)
        finally:
            # the thread ends here: its own connection goes with it (close_old_connections
            # would keep it open for CONN_MAX_AGE, holding the database)
            connections.close_all()

    threading.Thread(target=work, name=f"inspection-{inspection_id}", daemon=True).start()


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    page = paginate(request, scoped_inspections(request.user).order_by("-created_at"))
    context = {
        "page": page,
        "kinds": Inspection.Kind.choices,
        "categories": Site.Category.choices,
        "regions": scope.visible_regions(request.user).exclude(level="county"),
        "can_start": scope.is_province_admin(request.user),
        "nav": "inspections",
    }
    return render(request, "web/inspections.html", context)


@login_required
@require_POST
def inspection_start(request: HttpRequest) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    p = request.POST
    try:
        as_of = date.fromisoformat(p["as_of"]) if p.get("as_of") else None
        inspection = create_inspection(
            p.get("period", "").strip(),
            kind=p.get("kind", Inspection.Kind.FULL),
            as_of=as_of,
            sample=int(p["sample"]) if p.get("sample", "").isdigit() else None,
            regions=[r for r in p.getlist("regions") if r],
            categories=[c for c in p.getlist("categories") if c],
            accounts=bool(p.get("accounts")),
        )
    except (GovinspectError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("web:inspections")
    audit.record(request.user, "inspection.create", inspection, None, audit.snapshot(inspection))
    if p.get("run"):
        _run_in_background(inspection.pk)
    messages.success(request, f"已创建检查 {inspection}")
    return redirect("web:inspection", pk=inspection.pk)


def progress(inspection: Inspection) -> dict:
    states = dict(InspectionTarget.objects.filter(inspection=inspection).values_list("state").annotate(n=Count("id")))
    inspection.refresh_from_db()
    total = inspection.sites_total + inspection.accounts_total
    done = states.get("done", 0) + states.get("failed", 0)
    return {
        "status": inspection.status,
        "status_label": inspection.get_status_display(),
        "total": total,
        "done": done,
        "failed": states.get("failed", 0),
        "running": states.get("running", 0),
        "percent": round(done * 100 / total, 1) if total else 100.0,
        "findings": inspection.findings_seen,
    }


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_scoped(scoped_inspections(request.user), pk=pk)
    verdicts = scoped_verdicts(request.user).filter(inspection=inspection)
    counts = verdicts.aggregate(
        sites=Count("id", filter=Q(site__isnull=False)),
        sites_passed=Count("id", filter=Q(site__isnull=False, passed=True)),
        accounts=Count("id", filter=Q(account__isnull=False)),
        accounts_passed=Count("id", filter=Q(account__isnull=False, passed=True)),
    )
    failed = verdicts.filter(passed=False, site__isnull=False).select_related("site")[:200]
    context = {
        "inspection": inspection,
        "progress": progress(inspection),
        "counts": counts,
        "failed": failed,
        "nav": "inspections",
    }
    return render(request, "web/inspection.html", context)


@login_required
def inspection_progress(request: HttpRequest, pk: int) -> JsonResponse:
    inspection = get_scoped(scoped_inspections(request.user), pk=pk)
    return JsonResponse(progress(inspection))
