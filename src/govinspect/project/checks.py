"""Django system checks for govinspect's own settings (ids govinspect.E001…)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_settings(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    problems = []
    if not settings.DEBUG and settings.SECRET_KEY.startswith("insecure-"):
        problems.append(
            Warning(
                "GOVINSPECT_SECRET_KEY is not set: sessions use a development key.",
                hint="Set GOVINSPECT_SECRET_KEY (or GOVINSPECT_SECRET_KEY_FILE) in production.",
                id="govinspect.W001",
            )
        )
    if not str(settings.PROVINCE_CODE).isdigit() or len(str(settings.PROVINCE_CODE)) != 2:
        problems.append(
            Error(
                f"GOVINSPECT_PROVINCE must be a 2-digit GB/T 2260 code, not {settings.PROVINCE_CODE!r}",
                id="govinspect.E001",
            )
        )
    return problems
