"""Threshold overrides edited by the province administrator: every value listed with its national,
province-file and overridden value; saves validated, versioned, audited; the effective catalogue
used by the scoring of inspections created afterwards (not by those created before)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govinspect.accounts.models import AuditEntry
from govinspect.findings import Finding as FindingRecord
from govinspect.indicators.load import national_catalogue, province_catalogue
from govinspect.inspections import services
from govinspect.inspections.models import InspectionTarget, Verdict
from govinspect.web import thresholds
from govinspect.web.models import ThresholdOverrideVersion
from web_world import PASSWORD, XSS

pytestmark = pytest.mark.django_db

STALE = "v:W-V3.thresholds.window_days"
CAP = "v:W-D7.cap"


@pytest.fixture
def prov(client, world):  # type: ignore[no-untyped-def]
    assert client.login(username="prov", password=PASSWORD)
    return client


def _save(client, values: dict[str, str], note: str = "按省里通知调整"):  # type: ignore[no-untyped-def]
    return client.post(reverse("web:thresholds"), {**values, "note": note}, follow=True)


def test_page_lists_every_editable_value(prov):
    page = prov.get(reverse("web:thresholds")).content.decode()
    assert page.count('name="v:') == len(thresholds.fields())
    for item_id in ("W-V2", "W-V3", "W-V4", "W-V6", "W-D14", "W-D7"):
        assert item_id in page
    assert "failure_ratio" in page and "scoring.pass_score" in page and "首页不更新" in page
    # every threshold of the catalogue is editable, and the caps of the W- deduction/bonus items
    national = national_catalogue()
    keys = {f.key for f in thresholds.fields()}
    assert {f"{i.id}.thresholds.{n}" for i in national.items.values() for n in i.thresholds} <= keys
    assert "W-V3.cap" not in keys and "W-D13.cap" in keys and "W-B1.cap" in keys


def test_save_versions_audits_and_changes_the_effective_catalogue(prov):
    response = _save(prov, {STALE: "30"})
    assert "已保存" in response.content.decode()
    assert province_catalogue("51")["W-V3"].days("window_days") == 30
    assert national_catalogue()["W-V3"].days("window_days") == 14
    (first,) = ThresholdOverrideVersion.objects.all()
    assert first.author.username == "prov" and first.province == "51"
    assert "window_days = 30" in first.content
    entry = AuditEntry.objects.get(action="thresholds.edit")
    assert entry.before == {"W-V3.thresholds.window_days": None}
    assert entry.after == {"W-V3.thresholds.window_days": 30, "note": "按省里通知调整"}
    # the form shows the override; a second version drops it and caps W-D7
    assert 'value="30"' in prov.get(reverse("web:thresholds")).content.decode()
    _save(prov, {STALE: "", CAP: "0.5"}, note="恢复首页监测期，下调可用性扣分上限")
    assert ThresholdOverrideVersion.objects.count() == 2
    effective = province_catalogue("51")
    assert effective["W-V3"].days("window_days") == 14 and effective["W-D7"].cap == 0.5
    history = prov.get(reverse("web:threshold_history")).content.decode()
    assert "（取消覆盖）" in history and "<ins>0.5</ins>" in history and "<del>30</del>" in history
    assert "恢复首页监测期" in history
    latest = ThresholdOverrideVersion.objects.first()
    version_page = prov.get(reverse("web:threshold_version", args=[latest.pk])).content.decode()
    assert "<del>30</del>" in version_page and "cap = 0.5" in version_page
    settings_page = prov.get(reverse("web:settings")).content.decode()
    assert "当前覆盖 1 项，2 个版本" in settings_page


@pytest.mark.parametrize(
    "values, message",
    [
        ({STALE: "两周"}, "须为数字"),
        ({STALE: "14.5"}, "须为整数"),
        ({STALE: "0"}, "须在 1–3650"),
        ({STALE: "nan"}, "须为有限的数字"),
        ({"v:W-V2.thresholds.failure_ratio": "1.5"}, "须在 0–1"),
        ({"v:W-V2.thresholds.failure_ratio": "-0.1"}, "须在 0–1"),
        ({"v:W-V3.thresholds.window_dayz": "30"}, "未知的设置项：W-V3.thresholds.window_dayz"),
        ({"v:W-V3.cap": "3"}, "未知的设置项"),  # a veto item has no cap
        ({CAP: "0.05"}, "不能低于每处分值 0.1"),
        ({"v:scoring.pass_score": "90"}, "合格分数线不能高于"),
        ({STALE: "14"}, "没有改动"),  # equal to the national value: not an override
    ],
)
def test_invalid_values_are_refused_in_chinese(prov, values, message):
    response = _save(prov, values)
    page = response.content.decode()
    assert "未保存" in page and message in page
    assert not ThresholdOverrideVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="thresholds.edit").exists()
    for key, text in values.items():  # what was typed is shown again
        if key.removeprefix("v:") in thresholds.by_key():
            assert f'value="{text}"' in page


def test_note_is_required(prov):
    page = _save(prov, {STALE: "30"}, note="  ").content.decode()
    assert "请填写修改说明" in page and not ThresholdOverrideVersion.objects.exists()


def test_the_note_is_escaped_everywhere_it_is_shown(prov):
    _save(prov, {STALE: "30"}, note=XSS)
    version = ThresholdOverrideVersion.objects.get()
    for url in (reverse("web:threshold_history"), reverse("web:threshold_version", args=[version.pk])):
        page = prov.get(url).content.decode()
        assert XSS not in page and "&lt;script&gt;" in page


def test_scoring_uses_the_overrides_of_inspections_created_afterwards(prov, world):
    before = Verdict.objects.get(inspection=world.inspection, site=world.sites["cd"])
    assert before.deductions["W-D7"] == 0.6  # three broken home-page links × 0.2, cap 1
    assert "已保存" in _save(prov, {CAP: "0.3"}).content.decode()
    later = services.create_inspection("2026Q1", kind="full", assess="full", as_of=world.inspection.as_of)
    home = world.sites["cd"].home_url
    broken = [
        FindingRecord(
            site=home,
            check="links.broken",
            severity="deduct",
            url=home,
            target=f"{home}missing-{i}.html",
            detail={"status": 404, "where": "homepage", "kind": "link"},
        )
        for i in range(3)
    ]
    for target in InspectionTarget.objects.filter(inspection=later, site=world.sites["cd"]):
        services.persist(target, broken, pages=5)
    after = Verdict.objects.get(inspection=later, site=world.sites["cd"])
    assert after.deductions["W-D7"] == 0.3
    services.rescore(world.inspection)  # the earlier inspection keeps the thresholds of its time
    assert Verdict.objects.get(pk=before.pk).deductions["W-D7"] == 0.6


@pytest.mark.parametrize("role", ["no_role", "city_admin", "inspector", "organizer", "other_organizer"])
def test_other_roles_are_refused(client, world, role):
    version = ThresholdOverrideVersion.objects.create(province="51", content="", note="t")
    client.force_login(world.users[role])
    for url in (
        reverse("web:thresholds"),
        reverse("web:threshold_history"),
        reverse("web:threshold_version", args=[version.pk]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(reverse("web:thresholds"), {STALE: "30", "note": "越权"})
    assert response.status_code == 403
    assert ThresholdOverrideVersion.objects.count() == 1
    assert province_catalogue("51")["W-V3"].days("window_days") == 14


def test_anonymous_is_sent_to_login(client, world):
    response = client.post(reverse("web:thresholds"), {STALE: "30", "note": "匿名"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ThresholdOverrideVersion.objects.exists()


def test_scheduled_jobs_read_the_overrides_in_force(prov, monkeypatch):
    from govinspect.indicators.load import catalogue
    from govinspect.monitoring import services as monitoring
    from govinspect.monitoring.models import JobRun

    seen: list[float] = []

    def job(params, now):  # type: ignore[no-untyped-def]
        seen.append(catalogue()["W-V2"].threshold("timeout_seconds"))  # what the probes read
        return {}

    monkeypatch.setitem(monitoring.HANDLERS, "probe", job)
    monitoring.run_job(JobRun.objects.create(job="probe").pk)
    _save(prov, {"v:W-V2.thresholds.timeout_seconds": "20"})
    monitoring.run_job(JobRun.objects.create(job="probe").pk)
    assert seen == [15, 20]
    assert catalogue()["W-V2"].threshold("timeout_seconds") == 15  # only inside the job
