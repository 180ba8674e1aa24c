"""Downloads: the notice (docx) and its attachment table (xlsx), the annual reports (xlsx)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from govinspect.accounts import scope
from govinspect.inspections.models import Inspection
from govinspect.web.views.common import get_scoped, require, scoped_inspections


def can_download_reports(user) -> bool:  # type: ignore[no-untyped-def]
    """The notice and annual reports cover the whole province: its administrators only."""
    return scope.is_province_admin(user)


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    inspections = scoped_inspections(request.user).filter(status=Inspection.Status.DONE).order_by("-as_of")
    years = sorted({i.as_of.year for i in inspections}, reverse=True)
    context = {
        "inspections": inspections,
        "years": years,
        "can_download": can_download_reports(request.user),
        "can_rectification": scope.can_review(request.user) or scope.can_edit_register(request.user),
        "nav": "reports",
    }
    return render(request, "web/reports.html", context)


def _out_dir() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def _send(path: Path) -> FileResponse:
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
def notice(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    require(can_download_reports(request.user))
    inspection = get_scoped(scoped_inspections(request.user), pk=pk)
    from govinspect.reports.notice import write_notice

    files = write_notice(inspection, _out_dir())
    return _send(files.docx if part == "docx" else files.xlsx)


@login_required
def annual(request: HttpRequest, year: int, index: int) -> HttpResponse:
    require(can_download_reports(request.user))
    from govinspect.reports.annual import write_annual_reports

    paths = write_annual_reports(year, _out_dir())
    return _send(paths[min(max(index, 0), len(paths) - 1)])
