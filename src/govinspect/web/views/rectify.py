"""Rectification tasks: list (overdue flagged), a task, mark fixed, re-inspect, region report."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govinspect.accounts import scope
from govinspect.accounts.models import Role
from govinspect.errors import ConfigError, GovinspectError
from govinspect.rectification import services
from govinspect.rectification.models import ACTIVE, Task
from govinspect.rectification.report import write_rectification_report
from govinspect.web.lexicons import engine_config
from govinspect.web.views.common import get_scoped, paginate, require, role_of, scoped_tasks


def can_claim(user, task: Task) -> bool:  # type: ignore[no-untyped-def]
    """The organizer (or an administrator) reports a fix."""
    return role_of(user) in (Role.ORGANIZER, Role.PROVINCE_ADMIN, Role.CITY_ADMIN)


def can_recheck(user) -> bool:  # type: ignore[no-untyped-def]
    return scope.can_review(user) or role_of(user) == Role.ORGANIZER


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    qs = scoped_tasks(request.user).select_related("finding", "finding__site", "finding__account", "organizer")
    status = request.GET.get("status", "")
    if status == "active":
        qs = qs.filter(status__in=ACTIVE)
    elif status in Task.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("overdue"):
        qs = services.overdue(qs)
    page = paginate(request, qs.order_by("deadline", "id"))
    context = {
        "page": page,
        "status": status,
        "statuses": Task.Status.choices,
        "today": timezone.localdate(),
        "nav": "rectify",
    }
    return render(request, "web/tasks.html", context)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_scoped(scoped_tasks(request.user).select_related("finding", "finding__site", "organizer"), pk=pk)
    context = {
        "task": task,
        "overdue": task.is_overdue(timezone.localdate()),
        "can_claim": can_claim(request.user, task) and task.status in (Task.Status.OPEN, Task.Status.REOPENED),
        "can_recheck": can_recheck(request.user) and task.status in ACTIVE,
        "nav": "rectify",
    }
    return render(request, "web/task.html", context)


@login_required
@require_POST
def task_fixed(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_scoped(scoped_tasks(request.user), pk=pk)
    require(can_claim(request.user, task))
    try:
        services.mark_fixed(task, request.user, request.POST.get("note", ""))
    except ConfigError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已报告整改，请发起复核检查")
    return redirect("web:task", pk=task.pk)


@login_required
@require_POST
def task_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_scoped(scoped_tasks(request.user).select_related("finding", "finding__site"), pk=pk)
    require(can_recheck(request.user))
    try:
        services.recheck(task, request.user, config=engine_config())
    except GovinspectError as exc:
        messages.error(request, str(exc))
    else:
        if task.status == Task.Status.VERIFIED_CLOSED:
            messages.success(request, "复核通过：问题已不存在，任务已销号")
        else:
            messages.warning(request, "复核未通过：问题仍然存在，任务已重新打开")
    return redirect("web:task", pk=task.pk)


@login_required
def task_report(request: HttpRequest) -> HttpResponse:
    require(scope.can_review(request.user) or scope.can_edit_register(request.user))
    buf = io.BytesIO()
    write_rectification_report(scoped_tasks(request.user), buf)
    buf.seek(0)
    name = f"整改情况-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buf, as_attachment=True, filename=name)
