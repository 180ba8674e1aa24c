"""The daily freshness job on a served one-site sandbox: only the update checks run, their
findings are kept in the run's result and feed the home-page-stale and blank-column rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govinspect.monitoring import alerts, services
from govinspect.monitoring.models import JobRun
from govinspect.registry.models import Organizer, Region, Site
from govinspect.sandbox import SandboxServer, build

pytestmark = [pytest.mark.network, pytest.mark.slow]


def test_freshness_job_keeps_update_findings(db, tmp_path):
    manifest = build(tmp_path / "sb", seed=4, sites=2, pages_per_site=20, rates={"unreachable": 0, "hang": 0})
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    with SandboxServer(tmp_path / "sb", base_port=0) as server:
        for i, s in enumerate(manifest["sites"]):
            Site.objects.create(
                site_code=s["site_code"],
                name=f"网站{i}",
                home_url=server.url_for(s["site_code"]),
                organizer=org,
                category="provincial_department",
            )
        run = JobRun.objects.create(job="freshness", params={"max_pages": 30})
        done = services.run_job(run.pk, "t")
        truth = [t for t in server.truth() if t.check.startswith("update.")]
    assert done.state == JobRun.State.DONE, done.error
    found = done.result["findings"]
    assert set(found) == {s.home_url for s in Site.objects.all()}
    checks = {f["check"] for items in found.values() for f in items}
    assert checks <= services.FRESHNESS_CHECKS  # nothing but the update checks ran
    assert bool(checks) == bool(truth)
    current = alerts.current_findings(services.FRESHNESS_CHECKS)
    assert sum(len(v) for v in current.values()) == sum(len(v) for v in found.values())
    assert timezone.localdate().isoformat() == done.result["as_of"]
