"""The jobs, defined once: what each does, how often it runs by default.

Both runners (the embedded scheduler and Celery beat) read the ``Schedule`` rows these create;
an operator edits the rows (the admin, the web app), not this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govinspect.monitoring.models import Job

DAY = 86_400


@dataclass(frozen=True)
class Default:
    name: str
    job: str
    every_seconds: int
    jitter_seconds: int = 0
    params: dict[str, Any] = field(default_factory=dict)


# Probes every 45 min ± 15 min: gaps of 30–60 min, so 24 to 48 probes a day per site at random
# times (W-V2 asks for at least 20, at intervals).
DEFAULTS: tuple[Default, ...] = (
    Default("availability-probes", Job.PROBE, 2_700, 900),
    Default("daily-freshness", Job.FRESHNESS, DAY, 1_800),
    Default("weekly-inspection", Job.INSPECTION, 7 * DAY, 3_600),
    Default("newmedia-polling", Job.NEWMEDIA, 6 * 3_600, 900, {"sources": []}),
    Default("weekly-report", Job.REPORT, 7 * DAY),
    Default("alert-evaluation", Job.ALERTS, 600),
    Default("daily-digest", Job.DIGEST, DAY),
)

MIN_PROBES_PER_DAY = 20


def probes_per_day_bounds(every_seconds: int, jitter_seconds: int) -> tuple[float, float]:
    """The fewest and most probes a day a probe schedule can make."""
    longest = every_seconds + jitter_seconds
    shortest = max(1, every_seconds - jitter_seconds)
    return DAY / longest, DAY / shortest
