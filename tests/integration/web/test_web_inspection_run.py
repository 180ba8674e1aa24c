"""Starting an inspection from the web runs it in the background: progress is polled until done,
verdicts appear, and findings carry WARC evidence that the review page shows."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from govinspect.inspections.models import Finding, Inspection, Verdict
from web_sandbox import served_sandbox
from web_world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.network, pytest.mark.slow]


def test_start_watch_and_review_evidence(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    with served_sandbox(tmp_path / "sandbox") as sandbox:
        world = build_world(sandbox.homes, {})
        client = Client()
        client.force_login(world.users["province_admin"])
        client.post(
            reverse("web:inspection_start"),
            {"period": "2026Q1", "kind": "full", "as_of": "2025-12-15", "run": "1", "regions": ["510100"]},
        )
        inspection = Inspection.objects.get(period="2026Q1")
        url = reverse("web:inspection_progress", args=[inspection.pk])
        deadline = time.monotonic() + 120
        progress = client.get(url).json()
        while progress["status"] != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
            progress = client.get(url).json()
        assert progress["status"] == "done", progress
        assert progress["done"] == progress["total"] == 1
        assert Verdict.objects.filter(inspection=inspection, site=world.sites["cd"]).exists()
        with_evidence = Finding.objects.filter(last_seen=inspection, evidence_ref__isnull=False).first()
        assert with_evidence is not None
        page = client.get(reverse("web:finding", args=[with_evidence.pk])).content.decode()
        assert "archive-text" in page
