"""Public pages (report, lookup) and the handling pages (login, scoped to the user)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from govinspect.error_reports import services
from govinspect.error_reports.forms import AnswerForm, CloseForm, LookupForm, ReportForm
from govinspect.error_reports.models import OPEN_STATES, Category, ErrorReport, State
from govinspect.error_reports.ratelimit import allow, client_ip, limit_for
from govinspect.findings import mask

LOGIN_URL = reverse_lazy("error_reports:login")
# The form's fields (2000 characters of Chinese text at most) fit in far less than this.
FORM_OVERHEAD = 64 * 1024


def mask_contact(contact: str) -> str:
    if "@" in contact:
        name, _, domain = contact.partition("@")
        return (name[:1] + "***@" + domain) if name else "***@" + domain
    masked = mask(contact)
    if masked == contact and len(contact) > 4:  # not a mobile number: keep the ends only
        return contact[:2] + "*" * (len(contact) - 4) + contact[-2:]
    return masked


def _message(request: HttpRequest, title: str, text: str, status: int, back: str = "") -> HttpResponse:
    return render(request, "error_reports/message.html", {"title": title, "text": text, "back": back}, status=status)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {"site_code": request.GET.get("site_code", "")[:10], "page_url": request.GET.get("url", "")[:1000]}
        site = services.find_site(initial["site_code"]) if initial["site_code"] else None
        return render(request, "error_reports/report.html", {"form": ReportForm(initial=initial), "site": site})

    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > services.max_screenshot_bytes() + FORM_OVERHEAD:
        return _message(request, "提交内容过大", "截图不能超过 2MB。", 413)
    if not allow("submit", client_ip(request), limit_for("ERROR_REPORT_SUBMIT_RATE", "10/600")):
        return render(
            request,
            "error_reports/message.html",
            {"title": "提交过于频繁", "text": "您的提交过于频繁，请稍后再试。"},
            status=429,
        )
    form = ReportForm(request.POST, request.FILES)
    if form.is_bot():
        return _message(request, "提交失败", "请刷新页面后重新提交。", 400)
    if not form.is_valid():
        site = getattr(form, "site", None)
        return render(request, "error_reports/report.html", {"form": form, "site": site}, status=400)
    data = form.cleaned_data
    receipt = services.submit(
        services.Submission(
            site=form.site,
            category=data["category"],
            description=data["description"],
            page_url=data["page_url"],
            contact=data["contact"].strip(),
            screenshot=data["screenshot"],
            client_ip=client_ip(request),
            idempotency_key=data["token"],
        )
    )
    response = render(request, "error_reports/receipt.html", {"report": receipt.report, "code": receipt.code})
    response["X-Ticket"] = receipt.report.ticket
    return response


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = LookupForm(initial={"ticket": request.GET.get("ticket", "")})
        return render(request, "error_reports/lookup.html", {"form": form})
    if not allow("lookup", client_ip(request), limit_for("ERROR_REPORT_LOOKUP_RATE", "30/600")):
        return render(
            request, "error_reports/message.html", {"title": "查询过于频繁", "text": "请稍后再试。"}, status=429
        )
    form = LookupForm(request.POST)
    found = None
    status = 400
    if form.is_valid():
        found = services.find_for_lookup(form.cleaned_data["ticket"], form.cleaned_data["code"])
        status = 200 if found else 404
        if found is None:
            form.add_error(None, "留言编号或查询码不正确。")
    context = {"form": form, "report": found}
    return render(request, "error_reports/lookup.html", context, status=status)


class LoginView(auth_views.LoginView):
    template_name = "error_reports/login.html"

    def get_default_redirect_url(self) -> str:
        return reverse("error_reports:manage")


@login_required(login_url=LOGIN_URL)
def manage(request: HttpRequest) -> HttpResponse:
    qs = services.visible_reports(request.user)
    state = request.GET.get("state", "")
    if state == "overdue":
        qs = qs.filter(state__in=OPEN_STATES, deadline__lt=services._as_of_date(None))
    elif state in State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-received_at", "-id"), 50).get_page(request.GET.get("page"))
    today = services._as_of_date(None)
    rows = [
        {"report": r, "overdue": r.state in OPEN_STATES and r.deadline < today, "contact": mask_contact(r.contact)}
        for r in page
    ]
    context = {
        "rows": rows,
        "page": page,
        "state": state,
        "states": State.choices,
        "categories": dict(Category.choices),
    }
    return render(request, "error_reports/manage_list.html", context)


def _get_visible(request: HttpRequest, ticket: str) -> ErrorReport:
    report = services.visible_reports(request.user).filter(ticket=ticket).first()
    if report is None:
        raise Http404("no such report")
    return report


@login_required(login_url=LOGIN_URL)
def detail(request: HttpRequest, ticket: str) -> HttpResponse:
    report = _get_visible(request, ticket)
    context = {
        "report": report,
        "overdue": services.is_overdue(report),
        "history": services.history(report),
        "answer_form": AnswerForm(initial={"answer": report.answer}),
        "close_form": CloseForm(),
        "can_forward": services.can_forward(request.user) and report.state == State.RECEIVED,
        "can_answer": services.can_answer(request.user) and report.state != State.CLOSED,
        "can_close": services.can_close(request.user) and report.state != State.CLOSED,
        "error": request.GET.get("error", ""),
    }
    return render(request, "error_reports/manage_detail.html", context)


@login_required(login_url=LOGIN_URL)
@require_POST
def act(request: HttpRequest, ticket: str, action: str) -> HttpResponse:
    report = _get_visible(request, ticket)
    try:
        if action == "forward":
            services.forward(report, request.user)
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise services.TransitionError("答复内容不能为空，且不超过 5000 字。")
            services.answer(report, request.user, form.cleaned_data["answer"])
        elif action == "close":
            form = CloseForm(request.POST)
            form.is_valid()
            services.close(report, request.user, form.cleaned_data.get("reason", ""))
        else:
            raise Http404("no such action")
    except PermissionDenied:
        raise
    except services.TransitionError as exc:
        context = {"title": "无法执行", "text": str(exc), "back": reverse("error_reports:detail", args=[ticket])}
        return render(request, "error_reports/message.html", context, status=409)
    return redirect("error_reports:detail", ticket=ticket)


@login_required(login_url=LOGIN_URL)
def screenshot(request: HttpRequest, ticket: str) -> HttpResponse:
    report = _get_visible(request, ticket)
    if not report.screenshot:
        raise Http404("no screenshot")
    content_type = report.screenshot_type or "application/octet-stream"
    response = FileResponse(report.screenshot.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
