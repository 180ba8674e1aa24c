"""Alerts end to end: rules on stored probes and findings, sent through Apprise to a local SMTP
server (aiosmtpd) and a local JSON webhook receiver; de-duplicated, recovered, digested."""

from __future__ import annotations

import email
import json
import socket
import threading
from datetime import date, timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Sighting
from govinspect.monitoring import alerts
from govinspect.monitoring.models import AlertChannel, AlertEvent, Probe, Rule
from govinspect.registry.models import Organizer, Region, Site

pytestmark = [pytest.mark.network, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@pytest.fixture
def mailbox():
    box, port = Mailbox(), _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def site():
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="四川省测试厅", region=region)
    return Site.objects.create(
        site_code="5100000001",
        name="四川省测试厅网站",
        home_url="http://127.0.0.1:9/",
        organizer=org,
        category="provincial_department",
    )


def _probe(site: Site, when, error: str = "") -> Probe:
    return Probe.objects.create(site=site, time=when, status=None if error else 200, latency=0.1, error=error)


def test_alert_recovery_and_digest_reach_smtp_and_webhook(site, mailbox, webhook):
    box, smtp_port = mailbox
    hooks, hook_port = webhook
    AlertChannel.objects.create(
        name="值班邮箱",
        url=f"mailto://127.0.0.1:{smtp_port}?from=monitor@example.gov.cn&to=duty@example.gov.cn&mode=insecure",
    )
    AlertChannel.objects.create(name="webhook", url=f"json://127.0.0.1:{hook_port}/hook")
    now = timezone.now()
    _probe(site, now - timedelta(minutes=50), "connect")
    _probe(site, now - timedelta(minutes=5), "timeout")

    first = alerts.evaluate_and_notify(now)
    # home page down (2 failed in a row) and the W-V2 ratio (2 of 2) over the threshold
    assert first == {"opened": 2, "cleared": 0, "sent": 2}
    assert sorted(s.split("】")[1] for s in box.subjects()) == sorted(
        [Rule.HOME_DOWN.label, Rule.UNREACHABLE_RATIO.label]
    )
    assert len(hooks) == 2 and all("四川省测试厅网站" in h["message"] for h in hooks)
    assert any("timeout" in h["message"] for h in hooks)

    again = alerts.evaluate_and_notify(now + timedelta(minutes=10))
    assert again == {"opened": 0, "cleared": 0, "sent": 0}  # still down: no second alert
    assert len(box.messages) == 2 and len(hooks) == 2

    for i in range(60):  # the site answers again; the ratio falls to 2/62
        _probe(site, now + timedelta(minutes=11 + i), "")
    later = now + timedelta(hours=2)
    recovered = alerts.evaluate_and_notify(later)
    assert recovered == {"opened": 0, "cleared": 2, "sent": 2}
    assert sum(s.startswith("【恢复】") for s in box.subjects()) == 2
    assert sum(h["title"].startswith("【恢复】") for h in hooks) == 2
    assert AlertEvent.objects.filter(cleared_at__isnull=True).count() == 0

    assert alerts.send_digest(later)
    digest = box.messages[-1]
    assert str(digest["Subject"]).startswith("【每日汇总】")
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "新增告警 2 条，恢复 2 条，当前未恢复 0 条" in text
    assert hooks[-1]["title"].startswith("【每日汇总】")


def test_unsent_alert_is_sent_when_the_channel_answers_again(site, webhook):
    hooks, hook_port = webhook
    channel = AlertChannel.objects.create(name="webhook", url=f"json://127.0.0.1:{_free_port()}/down")
    now = timezone.now()
    _probe(site, now - timedelta(minutes=40), "connect")
    _probe(site, now, "connect")
    assert alerts.evaluate_and_notify(now)["sent"] == 0  # nobody listening: kept for later
    assert AlertEvent.objects.filter(notified_at__isnull=True).count() == 2
    channel.url = f"json://127.0.0.1:{hook_port}/hook"
    channel.save()
    assert alerts.evaluate_and_notify(now + timedelta(minutes=10))["sent"] == 2
    assert len(hooks) == 2


def _inspected(site: Site, findings: list[tuple[str, dict]]) -> Inspection:
    ins = Inspection.objects.create(period="2025Q4", as_of=date(2025, 12, 31), status="done")
    InspectionTarget.objects.create(inspection=ins, site=site, state="done", finished_at=timezone.now())
    for n, (check, detail) in enumerate(findings):
        f = Finding.objects.create(
            fingerprint=f"{check}-{n}-{ins.pk}",
            site=site,
            check_id=check,
            severity="veto",
            url=site.home_url,
            detail=detail,
            first_seen=ins,
            last_seen=ins,
        )
        Sighting.objects.create(inspection=ins, finding=f)
    return ins


def test_finding_rules_follow_the_latest_inspection(site):
    now = timezone.now()
    stale = (timezone.localdate(now) - timedelta(days=40)).isoformat()
    _inspected(
        site,
        [
            ("text.severe_error", {"wrong": "习近平总书记", "suggestion": ""}),
            ("security.hidden_link", {"anchor": "x"}),
            ("update.homepage_stale", {"latest": stale}),
        ]
        + [("update.column_blank", {"column": f"栏目{i}"}) for i in range(6)],
    )
    opened, _ = alerts.evaluate(now)
    assert {e.rule for e in opened} == {Rule.SEVERE_ERROR, Rule.HIDDEN_LINK, Rule.HOME_STALE, Rule.BLANK_COLUMNS}
    # a newer inspection with 5 blank columns and nothing else: those alerts clear
    _inspected(site, [("update.column_blank", {"column": f"栏目{i}"}) for i in range(5)])
    opened, cleared = alerts.evaluate(now + timedelta(hours=1))
    assert not opened
    assert {e.rule for e in cleared} == {Rule.SEVERE_ERROR, Rule.HIDDEN_LINK, Rule.HOME_STALE, Rule.BLANK_COLUMNS}
