"""Screenshots at inspection time: an inspection that archives its pages (WARC) ends with one
headless Chromium rendering the pages that carry findings, one picture per distinct page within
the caps, referenced by the findings; the finding page shows it without a click. Without
Chromium the step logs once and skips; switched off, it does nothing."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from govinspect.engine.config import EngineConfig
from govinspect.inspections import services
from govinspect.inspections.models import Finding
from govinspect.inspections.runner import run_inspection
from govinspect.web import screenshot
from web_sandbox import served_sandbox
from web_world import PASSWORD, build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.network, pytest.mark.slow]

AS_OF = date(2025, 12, 15)  # the sandbox's reference day
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def inspected(settings, tmp_path):
    """A two-site sandbox inspected the way the web starts inspections (WARC archive on)."""
    if screenshot.chromium_path() is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INSPECTION_SCREENSHOTS = True
    settings.INSPECTION_SCREENSHOTS_PER_SITE = 2
    settings.INSPECTION_SCREENSHOTS_PER_INSPECTION = 100
    with served_sandbox(tmp_path / "sandbox") as sandbox:
        world = build_world(sandbox.homes, {})
        inspection = services.create_inspection("2026Q1", as_of=AS_OF, accounts=False)
        config = EngineConfig(warc_dir=str(tmp_path / "warc"))
        run_inspection(inspection, config, concurrency=2)
        yield world, inspection, tmp_path


def _shots(media: Path, inspection) -> list[Path]:  # type: ignore[no-untyped-def]
    return sorted((media / "screenshots" / str(inspection.pk)).glob("*.png"))


def test_inspection_screenshots_the_pages_with_findings(client, inspected):
    _world, inspection, tmp_path = inspected
    shots = _shots(tmp_path / "media", inspection)
    assert shots, "no screenshot was taken"
    for shot in shots:
        data = shot.read_bytes()
        assert data.startswith(PNG) and len(data) > 1000

    archived = Finding.objects.filter(sightings__inspection=inspection, evidence_ref__isnull=False)
    with_shot = [f for f in archived if (f.evidence_ref or {}).get("screenshot")]
    assert with_shot
    # one picture per distinct page: findings on the same page share it, different pages do not
    by_picture: dict[str, set[str]] = {}
    for f in with_shot:
        by_picture.setdefault(f.evidence_ref["screenshot"], set()).add(f.url)
    assert all(len(urls) == 1 for urls in by_picture.values())
    assert len(by_picture) == len(shots)
    # the caps: at most 2 pages per site, and a site's vetoes are pictured before its deductions
    site_of = {f.evidence_ref["screenshot"]: f.site_id for f in with_shot}
    pictured_sites = Counter(site_of[name] for name in by_picture)
    assert max(pictured_sites.values()) <= 2
    veto_sites = {f.site_id for f in archived if f.severity == "veto"}
    for site_id in veto_sites:
        assert any(f.evidence_ref.get("screenshot") for f in archived if f.site_id == site_id and f.severity == "veto")

    finding = with_shot[0]
    assert client.login(username="prov", password=PASSWORD)
    page = client.get(reverse("web:finding", args=[finding.pk])).content.decode()
    assert 'id="screenshot"' in page and "检查时截取" in page
    picture = client.get(reverse("web:finding_screenshot", args=[finding.pk]))
    assert picture.status_code == 200 and b"".join(picture.streaming_content).startswith(PNG)


def test_without_chromium_the_capture_logs_once_and_skips(inspected, monkeypatch, caplog):
    _world, inspection, _tmp_path = inspected
    monkeypatch.setattr(screenshot, "chromium_path", lambda: None)
    monkeypatch.setattr(screenshot, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="govinspect.web.screenshot"):
        first = screenshot.capture_inspection(inspection)
        second = screenshot.capture_inspection(inspection)
    assert first.pages == second.pages == 0 and "Chromium" in first.skipped
    assert sum("Chromium" in r.getMessage() for r in caplog.records) == 1


def test_switched_off_nothing_is_rendered(inspected, settings):
    _world, inspection, _tmp_path = inspected
    settings.INSPECTION_SCREENSHOTS = False
    assert screenshot.capture_inspection(inspection).skipped == "disabled"
    assert screenshot.archive_config(EngineConfig(), inspection).warc_dir is None
    settings.INSPECTION_SCREENSHOTS = True
    assert screenshot.archive_config(EngineConfig(), inspection).warc_dir.endswith(f"warc/{inspection.pk}")
