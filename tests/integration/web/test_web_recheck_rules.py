"""What a recheck judges by: the thresholds in force for the finding's inspection (a later override
must not close a task by itself), and never a new-media problem the site engine cannot see."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from govinspect.errors import ConfigError
from govinspect.indicators import catalogue
from govinspect.inspections.models import Finding
from govinspect.rectification import services
from govinspect.rectification.services import create_tasks
from govinspect.web import thresholds

pytestmark = pytest.mark.django_db


def _task(world, key="cd:links.broken"):  # type: ignore[no-untyped-def]
    finding = world.findings[key]
    finding.status = Finding.Review.CONFIRMED
    finding.save()
    (task,) = create_tasks([finding])
    return task


def test_recheck_uses_the_inspections_thresholds_not_a_later_override(world, monkeypatch):
    task = _task(world)
    seen: list[int] = []
    monkeypatch.setattr(
        services,
        "_run_recheck",
        lambda finding, config: seen.append(catalogue()["W-V3"].days("window_days"))
        or SimpleNamespace(findings=[], pages=1, scope="urls", reason="", visited=[], requests=1, fetched=[],
                           elapsed=0.0),
    )
    admin = world.users["province_admin"]
    before = thresholds.save("51", {"v:W-V3.thresholds.window_days": "30"}, "检查前的调整", admin)
    before.created_at = task.finding.last_seen.created_at - timedelta(seconds=1)
    before.save()
    thresholds.save("51", {"v:W-V3.thresholds.window_days": "45"}, "之后的调整", admin)
    services.recheck(task)
    assert seen == [30]  # the window in force for the inspection: neither national 14 nor the later 45


def test_newmedia_findings_are_not_rechecked_by_the_site_engine(world):
    finding = world.findings["cd:links.broken"]
    unfiled = Finding.objects.create(
        **{f.name: getattr(finding, f.name) for f in Finding._meta.fields if f.name not in ("id", "fingerprint")},
        fingerprint="f" * 40,
    )
    unfiled.check_id = "newmedia.unfiled"
    unfiled.status = Finding.Review.CONFIRMED
    unfiled.save()
    (task,) = create_tasks([unfiled])
    with pytest.raises(ConfigError, match="政务新媒体"):
        services.recheck(task)
