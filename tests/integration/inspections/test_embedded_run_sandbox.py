"""The embedded runner on a served sandbox (3 sites): the register pointed at it, findings stored
with fingerprints that match the ground truth, verdicts, the notice written."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services
from govinspect.inspections.models import Finding, Inspection, Verdict
from govinspect.inspections.runner import run_inspection
from govinspect.registry.models import Site
from govinspect.registry.services import load_sichuan
from govinspect.reports.notice import write_notice
from govinspect.sandbox import SandboxServer, build

pytestmark = [pytest.mark.slow, pytest.mark.network]


def test_embedded_run_on_sandbox(transactional_db, tmp_path):
    manifest = build(
        tmp_path / "sb", seed=5, sites=3, pages_per_site=20, rates={"unreachable": 0, "hang": 0, "trap_calendar": 0}
    )
    load_sichuan()
    with SandboxServer(tmp_path / "sb", base_port=0) as server:
        codes = [s["site_code"] for s in manifest["sites"]]
        for code in codes:
            Site.objects.filter(site_code=code).update(home_url=server.url_for(code))
        inspection = services.create_inspection(
            "2025Q4", as_of=date.fromisoformat(manifest["as_of"]), sites=codes, accounts=False
        )
        state = run_inspection(inspection, concurrency=3)
        truth = {t.fingerprint for t in server.truth()}
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE and state.sites_done == 3 and state.failed == 0
    stored = list(Finding.objects.filter(sightings__inspection=inspection).select_related("site"))
    scored = [f for f in stored if not f.check_id.startswith("crawl.")]
    assert scored and len(stored) == inspection.findings_seen
    matched = sum(
        FindingRecord(
            f.site.home_url, f.check_id, f.severity, f.url, target=f.target or None, detail=f.detail
        ).fingerprint
        == f.fingerprint
        and f.fingerprint in truth
        for f in scored
    )
    assert matched / len(scored) > 0.8  # stored fingerprints are the contract's, and mostly true
    assert Verdict.objects.filter(inspection=inspection).count() == 3
    files = write_notice(inspection, tmp_path / "reports")
    assert files.xlsx.is_file() and files.docx.is_file()
