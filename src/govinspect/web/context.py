"""Template context for every page: the user's role label and links to optional sections."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from govinspect.accounts import scope
from govinspect.accounts.models import Role


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def navigation(request: HttpRequest) -> dict[str, str]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if scope.is_province_admin(user):
        label = Role.PROVINCE_ADMIN.label
    else:
        profile = scope.profile_of(user)
        label = profile.get_role_display() if profile else "未分配角色"
    return {
        "role_label": label,
        "error_reports_url": _url("error_reports:manage"),
        "settings_url": _url("web:settings") if scope.is_province_admin(user) else "",
    }
