"""The account page: register data, verdicts, findings, posts timeline and ingestion status.

Out-of-scope accounts answer 404 exactly as sites do (``get_scoped`` over ``visible_accounts``).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govinspect.accounts import scope
from govinspect.inspections.models import Finding, Verdict
from govinspect.newmedia.adapters import BEIJING
from govinspect.newmedia.models import AccountSource, IngestError, IngestRun, Post
from govinspect.registry.models import Account
from govinspect.web.views.common import get_scoped, paginate

CHART_WEEKS = 26  # the posting-frequency chart: this many weeks up to the newest post
RUN_ERRORS_SHOWN = 20


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_posts(account: Account, weeks: int = CHART_WEEKS) -> list[dict[str, Any]]:
    """Posts per week (Monday, Beijing time) up to the newest post's week: at most ``weeks`` weeks,
    from the oldest post's week when that is more recent; empty weeks included, so that a silence
    shows as a gap. [] for an account without posts."""
    span = Post.objects.filter(account=account).aggregate(lo=Min("published_at"), hi=Max("published_at"))
    if span["hi"] is None:
        return []
    last = _monday(span["hi"].astimezone(BEIJING).date())
    first = max(last - timedelta(weeks=weeks - 1), _monday(span["lo"].astimezone(BEIJING).date()))
    weeks = (last - first).days // 7 + 1
    since = datetime.combine(first, datetime.min.time(), tzinfo=BEIJING)
    counts = Counter(
        _monday(t.astimezone(BEIJING).date())
        for t in Post.objects.filter(account=account, published_at__gte=since).values_list("published_at", flat=True)
    )
    return [
        {"week": (first + timedelta(weeks=i)).isoformat(), "posts": counts.get(first + timedelta(weeks=i), 0)}
        for i in range(weeks)
    ]


def ingestion(account: Account) -> dict[str, Any]:
    """What was read for the account: its source record, the source's latest runs and their row errors."""
    source = AccountSource.objects.filter(account=account).first()
    runs: list[IngestRun] = []
    errors: list[IngestError] = []
    if source is not None and source.feed:
        runs = list(IngestRun.objects.filter(source=source.feed).order_by("-started_at", "-id")[:5])
        if runs:
            errors = list(IngestError.objects.filter(run=runs[0]).order_by("row", "id")[:RUN_ERRORS_SHOWN])
    return {"source": source, "runs": runs, "errors": errors, "error_total": runs[0].error_count if runs else 0}


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped(scope.visible_accounts(request.user).select_related("region", "organizer"), pk=pk)
    history = list(Verdict.objects.filter(account=account).select_related("inspection").order_by("-inspection__as_of"))
    findings = Finding.objects.filter(account=account).select_related("last_seen").order_by("status", "check_id", "id")
    posts = (
        Post.objects.filter(account=account)
        .annotate(stored=Count("comments"), answered=Count("comments", filter=Q(comments__replied=True)))
        .order_by("-published_at", "-id")
    )
    weeks = weekly_posts(account)
    context = {
        "account": account,
        "filings": account.filings.order_by("-date", "-id"),
        "verdict": history[0] if history else None,
        "history": history,
        "findings": findings,
        "page": paginate(request, posts),
        "weeks": weeks,
        "chart": {"weeks": weeks},
        "ingest": ingestion(account),
        "nav": "accounts",
    }
    return render(request, "web/account_detail.html", context)
