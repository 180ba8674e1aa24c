"""Settings (province administrator): lexicons and threshold overrides, editable with history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from govinspect.accounts import scope
from govinspect.errors import ConfigError
from govinspect.indicators.load import national_catalogue, province_catalogue
from govinspect.web import lexicons, thresholds
from govinspect.web.models import LEXICON_NAMES, LexiconVersion, ThresholdOverrideVersion
from govinspect.web.views.common import get_scoped, require


@login_required
def settings_index(request: HttpRequest) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    stats = {
        row["name"]: row
        for row in LexiconVersion.objects.values("name").annotate(n=Count("id"), last=Max("created_at"))
    }
    rows = [(name, label, stats.get(name)) for name, label in LEXICON_NAMES]
    province = _province()
    context = {
        "rows": rows,
        "threshold_versions": ThresholdOverrideVersion.objects.filter(province=province).count(),
        "threshold_latest": thresholds.latest(province),
        "threshold_overrides": len(thresholds.current(province)),
        "nav": "settings",
    }
    return render(request, "web/settings.html", context)


@login_required
def lexicon_edit(request: HttpRequest, name: str) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    if name not in lexicons.NAMES:
        raise Http404("未知的词表")
    content = None
    if request.method == "POST":
        content = request.POST.get("content", "")
        try:
            lexicons.save(name, content, request.POST.get("note", ""), request.user)
        except ConfigError as exc:
            messages.error(request, f"未保存：{exc}")
        else:
            messages.success(request, "已保存；此后发起的检查和复核使用新词表")
            return redirect("web:lexicon", name=name)
    context = {
        "name": name,
        "label": lexicons.NAMES[name],
        "content": lexicons.current(name) if content is None else content,
        "versions": LexiconVersion.objects.filter(name=name).select_related("author")[:50],
        "nav": "settings",
    }
    return render(request, "web/lexicon.html", context)


@login_required
def lexicon_version(request: HttpRequest, pk: int) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    version = get_scoped(LexiconVersion.objects.select_related("author"), pk=pk)
    return render(request, "web/lexicon_version.html", {"version": version, "nav": "settings"})


def _province() -> str:
    return str(settings.PROVINCE_CODE)[:2]


def _threshold_rows(province: str, overrides: dict[str, float], posted: dict[str, str] | None) -> list[dict]:
    national, inherited = national_catalogue(), thresholds.inherited_catalogue(province)
    try:
        effective = province_catalogue(province)
    except ConfigError:  # an override the catalogue no longer accepts: shown, and fixed by saving
        effective = None
    rows = []
    for field in thresholds.fields():
        key = field.key
        file_value = thresholds.value_in(inherited, key)
        national_value = thresholds.value_in(national, key)
        rows.append(
            {
                "field": field,
                "name": f"v:{key}",
                "national": thresholds.shown(national_value),
                "file": thresholds.shown(file_value) if file_value != national_value else "",
                "overridden": key in overrides,
                "input": posted.get(f"v:{key}", "") if posted is not None else thresholds.shown(overrides.get(key)),
                "effective": thresholds.shown(thresholds.value_in(effective, key)) if effective else "",
            }
        )
    return rows


@login_required
def threshold_edit(request: HttpRequest) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    province = _province()
    posted = None
    if request.method == "POST":
        posted = {k: v for k, v in request.POST.items() if k.startswith("v:")}
        try:
            thresholds.save(province, request.POST, request.POST.get("note", ""), request.user)
        except ConfigError as exc:
            messages.error(request, f"未保存：{exc}")
        else:
            messages.success(request, "已保存为新版本；此后发起的检查和评分使用新阈值")
            return redirect("web:thresholds")
    context = {
        "rows": _threshold_rows(province, thresholds.current(province), posted),
        "province": province,
        "province_file": thresholds.load.province_file(province),
        "latest": thresholds.latest(province),
        "note": request.POST.get("note", "") if posted is not None else "",
        "nav": "settings",
    }
    return render(request, "web/thresholds.html", context)


def _with_changes(versions: list[ThresholdOverrideVersion], previous: ThresholdOverrideVersion | None) -> list:
    """Each version (newest first) with what it changed against the one before it."""
    out = []
    for n, version in enumerate(versions):
        before_version = versions[n + 1] if n + 1 < len(versions) else previous
        before = thresholds.from_toml(before_version.content) if before_version else {}
        out.append((version, thresholds.diff(before, thresholds.from_toml(version.content))))
    return out


@login_required
def threshold_history(request: HttpRequest) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    province = _province()
    versions = list(ThresholdOverrideVersion.objects.filter(province=province).select_related("author")[:101])
    shown, older = versions[:100], (versions[100] if len(versions) > 100 else None)
    context = {"versions": _with_changes(shown, older), "more": older is not None, "nav": "settings"}
    return render(request, "web/threshold_history.html", context)


@login_required
def threshold_version(request: HttpRequest, pk: int) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    version = get_scoped(ThresholdOverrideVersion.objects.select_related("author"), pk=pk)
    previous = (
        ThresholdOverrideVersion.objects.filter(province=version.province)
        .filter(created_at__lte=version.created_at)
        .exclude(pk=version.pk)
        .exclude(created_at=version.created_at, id__gt=version.pk)
        .order_by("-created_at", "-id")
        .first()
    )
    ((_, changes),) = _with_changes([version], previous)
    context = {"version": version, "changes": changes, "previous": previous, "nav": "settings"}
    return render(request, "web/threshold_version.html", context)
