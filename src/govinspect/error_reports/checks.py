"""System checks of the error-report settings (ids govinspect.E101…, W101…)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils import timezone

from govinspect.error_reports.calendar import covers
from govinspect.error_reports.ratelimit import Limit


@register()
def check_error_report_settings(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    problems = []
    days = getattr(settings, "ERROR_REPORT_ANSWER_DAYS", 3)
    if not isinstance(days, int) or days < 1:
        message = f"ERROR_REPORT_ANSWER_DAYS must be a positive integer, not {days!r}"
        problems.append(Error(message, id="govinspect.E101"))
    for name in ("ERROR_REPORT_SUBMIT_RATE", "ERROR_REPORT_LOOKUP_RATE"):
        try:
            Limit.parse(getattr(settings, name, "1/1"))
        except ValueError as exc:
            problems.append(Error(f"GOVINSPECT_{name}: {exc}", id="govinspect.E102"))
    year = timezone.now().year
    if not covers(year) or (not covers(year + 1) and timezone.now().month == 12):
        problems.append(
            Warning(
                f"chinesecalendar does not know the official holidays of {year if not covers(year) else year + 1}: "
                "answer deadlines count Monday-Friday only.",
                hint="Upgrade the chinesecalendar package.",
                id="govinspect.W101",
            )
        )
    return problems
