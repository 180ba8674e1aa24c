"""System checks of the monitoring settings (ids govinspect.E111…)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

RUNNERS = ("embedded", "celery")


@register()
def check_runner(app_configs=None, **kwargs) -> list[Error]:
    problems = []
    if settings.RUNNER not in RUNNERS:
        problems.append(
            Error(
                f"GOVINSPECT_RUNNER must be one of {', '.join(RUNNERS)}, not {settings.RUNNER!r}", id="govinspect.E111"
            )
        )
    if settings.RUNNER == "celery" and not settings.BROKER_URL.startswith(("redis://", "rediss://", "amqp://")):
        problems.append(Error("GOVINSPECT_BROKER_URL must be a redis:// or amqp:// URL", id="govinspect.E112"))
    return problems
