"""Settings (province administrator): lexicons editable with history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from govinspect.accounts import scope
from govinspect.errors import ConfigError
from govinspect.web import lexicons
from govinspect.web.models import LEXICON_NAMES, LexiconVersion
from govinspect.web.views.common import get_scoped, require


@login_required
def settings_index(request: HttpRequest) -> HttpResponse:
    require(scope.is_province_admin(request.user))
    stats = {
        row["name"]: row
        for row in LexiconVersion.objects.values("name").annotate(n=Count("id"), last=Max("created_at"))
    }
    rows = [(name, label, stats.get(name)) for name, label in LEXICON_NAMES]
    return render(request, "web/settings.html", {"rows": rows, "nav": "settings"})


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
