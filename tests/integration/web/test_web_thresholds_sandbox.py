"""A threshold override saved through the settings form changes what later inspections find: the
sandbox's Chengdu site shows nothing newer than 30 days on its home page (truth: W-V3 首页不更新
under the national 14-day window). With the window set to 45 days an inspection started from the
web finds nothing and its verdict has no W-V3 veto; once the override is removed, an inspection
run the way the command line and the scheduler run it finds the stale home page again."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from govinspect.inspections import services
from govinspect.inspections.models import Finding, Inspection, Verdict
from govinspect.inspections.runner import run_inspection
from web_sandbox import served_sandbox
from web_world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.network, pytest.mark.slow]

AS_OF = date(2025, 12, 15)  # the sandbox's reference day
STALE = "v:W-V3.thresholds.window_days"


def _wait(client: Client, inspection: Inspection) -> None:
    url = reverse("web:inspection_progress", args=[inspection.pk])
    deadline = time.monotonic() + 180
    progress = client.get(url).json()
    while progress["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.5)
        progress = client.get(url).json()
    assert progress["status"] == "done", progress


def _stale_home(inspection: Inspection, site) -> bool:  # type: ignore[no-untyped-def]
    return Finding.objects.filter(last_seen=inspection, site=site, check_id="update.homepage_stale").exists()


def _vetoes(inspection: Inspection, site) -> set[str]:  # type: ignore[no-untyped-def]
    return {v["item"] for v in Verdict.objects.get(inspection=inspection, site=site).vetoes}


def test_override_saved_in_settings_changes_later_inspections(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    with served_sandbox(tmp_path / "sandbox") as sandbox:
        truth = [f for f in sandbox.records["cd"] if f.check == "update.homepage_stale"]
        assert truth and truth[0].detail["latest"] == "2025-11-15"  # 30 days before AS_OF
        world = build_world(sandbox.homes, {})
        cd = world.sites["cd"]
        client = Client()
        client.force_login(world.users["province_admin"])

        saved = client.post(reverse("web:thresholds"), {STALE: "45", "note": "首页监测期试行45天"}, follow=True)
        assert "已保存" in saved.content.decode()
        client.post(
            reverse("web:inspection_start"),
            {"period": "2026Q1", "kind": "full", "as_of": AS_OF.isoformat(), "run": "1", "regions": ["510100"]},
        )
        lenient = Inspection.objects.get(period="2026Q1")
        _wait(client, lenient)
        assert not _stale_home(lenient, cd)
        assert "W-V3" not in _vetoes(lenient, cd)

        removed = client.post(reverse("web:thresholds"), {STALE: "", "note": "恢复全国标准"}, follow=True)
        assert "已保存" in removed.content.decode()
        strict = services.create_inspection("2026Q2", as_of=AS_OF, sites=[cd.site_code])
        run_inspection(strict, concurrency=2)
        assert _stale_home(strict, cd)
        assert "W-V3" in _vetoes(strict, cd)
