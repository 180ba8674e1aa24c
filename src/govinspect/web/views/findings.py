"""The review queue, a finding's evidence (excerpt, archived page as text or in a sandboxed frame)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from govinspect.accounts import scope
from govinspect.errors import ConfigError
from govinspect.findings import CHECK_IDS
from govinspect.inspections.models import Finding
from govinspect.web import screenshot
from govinspect.web.evidence import read_archived
from govinspect.web.review import review_findings
from govinspect.web.views.common import get_scoped, paginate, require, scoped_findings

# The archived page is shown in <iframe sandbox> and served with a CSP that forbids scripts,
# plugins, forms and any network request: a government page (or an attacker's) cannot run here.
ARCHIVE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    qs = scoped_findings(request.user).select_related("site", "account", "last_seen")
    status = request.GET.get("status", Finding.Review.NEW)
    if status in Finding.Review.values:
        qs = qs.filter(status=status)
    check = request.GET.get("check", "")
    if check:
        qs = qs.filter(check_id=check)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(site__name__icontains=q) | qs.filter(site__site_code=q)
    page = paginate(request, qs.order_by("severity", "check_id", "id"))
    context = {
        "page": page,
        "status": status,
        "check": check,
        "q": q,
        "checks": sorted(CHECK_IDS),
        "statuses": Finding.Review.choices,
        "can_review": scope.can_review(request.user),
        "nav": "review",
    }
    return render(request, "web/review.html", context)


@login_required
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    require(scope.can_review(request.user))
    status = request.POST.get("status", "")
    reason = request.POST.get("reason", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 19]  # fits a bigint
    findings = list(scoped_findings(request.user).filter(pk__in=ids))
    if not findings:
        messages.error(request, "请选择要审核的问题")
    else:
        try:
            n = review_findings(findings, status, reason, request.user)
        except ConfigError as exc:
            messages.error(request, str(exc))
        else:
            label = "确认" if status == Finding.Review.CONFIRMED else "核减"
            messages.success(request, f"已{label} {n} 条问题，相关网站的结论和得分已重新计算")
    nxt = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(nxt if nxt and safe else "web:review")


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped(
        scoped_findings(request.user).select_related("site", "account", "first_seen", "last_seen"), pk=pk
    )
    archived = read_archived(finding.evidence_ref)
    context = {
        "finding": finding,
        "archived": archived,
        "archived_text": archived.text() if archived else "",
        "highlight": (finding.detail or {}).get("wrong") or (finding.detail or {}).get("word") or "",
        "tasks": finding.tasks.all(),
        "has_screenshot": screenshot.stored_path(finding) is not None,
        "screenshot_at_inspection": screenshot.taken_at_inspection(finding),
        "can_review": scope.can_review(request.user),
        "nav": "review",
    }
    return render(request, "web/finding.html", context)


@login_required
def finding_archive(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped(scoped_findings(request.user), pk=pk)
    archived = read_archived(finding.evidence_ref)
    if archived is None:
        return HttpResponse("未存档", status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(archived.body, content_type=archived.content_type)
    response["Content-Security-Policy"] = ARCHIVE_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def finding_screenshot_take(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped(scoped_findings(request.user), pk=pk)
    require(scope.can_review(request.user))
    archived = read_archived(finding.evidence_ref)
    if archived is None:
        messages.error(request, "该问题没有存档页面，无法截图")
    else:
        try:
            screenshot.render(archived, screenshot.render_path(finding))
        except ConfigError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已生成存档页面截图")
    return redirect("web:finding", pk=finding.pk)


@login_required
def finding_screenshot(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped(scoped_findings(request.user), pk=pk)
    path = screenshot.stored_path(finding)
    if path is None:
        return HttpResponse("无截图", status=404, content_type="text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), content_type="image/png")
