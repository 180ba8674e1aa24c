"""Helpers every view uses: scoped lookups (out of scope is 404), role gates, pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from govinspect.accounts import scope
from govinspect.inspections.models import Finding, Inspection, Verdict
from govinspect.rectification.models import Task

PAGE_SIZE = 50


def scoped_findings(user) -> QuerySet[Finding]:  # type: ignore[no-untyped-def]
    """Findings of visible sites plus findings of visible accounts."""
    sites = scope.visible_sites(user).values("pk")
    accounts = scope.visible_accounts(user).values("pk")
    return Finding.objects.filter(site__in=sites) | Finding.objects.filter(account__in=accounts)


def scoped_verdicts(user) -> QuerySet[Verdict]:  # type: ignore[no-untyped-def]
    sites = scope.visible_sites(user).values("pk")
    accounts = scope.visible_accounts(user).values("pk")
    return Verdict.objects.filter(site__in=sites) | Verdict.objects.filter(account__in=accounts)


def scoped_tasks(user) -> QuerySet[Task]:  # type: ignore[no-untyped-def]
    return scope.restrict(Task.objects.all(), user)


def scoped_inspections(user) -> QuerySet[Inspection]:  # type: ignore[no-untyped-def]
    """Inspections are visible to every role with a profile (their content is scoped elsewhere)."""
    if scope.is_province_admin(user) or scope.profile_of(user) is not None:
        return Inspection.objects.all()
    return Inspection.objects.none()


def get_scoped(queryset: QuerySet, **lookup: Any) -> Model:
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("不存在或无权查看") from None


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("无权执行此操作")


def role_of(user) -> str:  # type: ignore[no-untyped-def]
    if scope.is_province_admin(user):
        return "province_admin"
    profile = scope.profile_of(user)
    return profile.role if profile else ""


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def latest_inspection() -> Inspection | None:
    return Inspection.objects.filter(status=Inspection.Status.DONE).order_by("-as_of", "-created_at").first() or (
        Inspection.objects.order_by("-created_at").first()
    )
