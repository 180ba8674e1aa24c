"""The embedded scheduler runs the probe job when its schedule is due: probes stored in the
database, the next run moved 30–60 minutes ahead at random, W-V2 figures from the stored rows."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from govinspect.monitoring import services
from govinspect.monitoring.models import Job, JobRun, Probe, Schedule
from govinspect.monitoring.scheduler import EmbeddedScheduler
from govinspect.registry.models import Organizer, Region, Site

pytestmark = [pytest.mark.network]


@pytest.fixture
def home_server():
    class Home(BaseHTTPRequestHandler):
        def do_GET(self):
            body = "<html><body>首页</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Home)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scheduler_runs_due_probe_job(transactional_db, home_server):
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    up = Site.objects.create(
        site_code="5100000001", name="正常", home_url=home_server, organizer=org, category="provincial_department"
    )
    down = Site.objects.create(
        site_code="5100000002",
        name="故障",
        home_url=f"http://127.0.0.1:{_closed_port()}/",
        organizer=org,
        category="provincial_department",
    )
    assert services.ensure_schedules() == 7 and services.ensure_schedules() == 0
    Schedule.objects.exclude(job=Job.PROBE).update(enabled=False)
    before = timezone.now()
    Schedule.objects.filter(job=Job.PROBE).update(next_run_at=before - timedelta(seconds=1))

    asyncio.run(EmbeddedScheduler(tick=0.1).run(rounds=1))

    run = JobRun.objects.get(job=Job.PROBE)
    assert run.state == JobRun.State.DONE and run.result == {"probes": 2, "failures": 1}
    assert Probe.objects.get(site=up).ok and Probe.objects.get(site=down).error == "connect"
    nxt = Schedule.objects.get(job=Job.PROBE).next_run_at
    assert before + timedelta(minutes=29) < nxt < before + timedelta(minutes=61)
    assert services.due_runs() == []  # not due again until then
    figures = services.availability_of(down, timezone.localdate())
    assert (figures.probes, figures.failures, figures.veto) == (1, 1, True)


def test_probe_file_of_the_probe_command_is_imported(db, tmp_path):
    from datetime import UTC, datetime

    from govinspect.engine.probe import JsonlProbeStore, ProbeRecord

    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    site = Site.objects.create(
        site_code="5100000001",
        name="网站",
        home_url="http://gov.example.cn/",
        organizer=org,
        category="provincial_department",
    )
    when = datetime(2025, 12, 1, 2, 0, tzinfo=UTC)
    JsonlProbeStore(tmp_path / "p.jsonl").append(
        [
            ProbeRecord(when, "http://GOV.example.cn", 200, 0.2),
            ProbeRecord(when, "http://other.example.cn/", None, None, "dns"),
        ]
    )
    assert services.import_probe_file(tmp_path / "p.jsonl") == 1
    assert Probe.objects.get(site=site).status == 200


def test_scheduler_beside_a_server_starts_and_stops(transactional_db):
    from govinspect.monitoring.scheduler import start_in_thread

    Schedule.objects.all().delete()
    scheduler, thread = start_in_thread(tick=0.05)
    scheduler.loop.call_soon_threadsafe(scheduler.stop)
    thread.join(10)
    assert not thread.is_alive()
    assert Schedule.objects.count() == 7  # the defaults were created on start


def test_serve_runs_the_schedules_with_the_embedded_runner_only(transactional_db, settings):
    from govinspect.cli.serve import start_monitor, stop_monitor

    settings.RUNNER = "celery"
    assert start_monitor() is None  # beat and the workers run them
    settings.RUNNER = "embedded"
    assert start_monitor(no_monitor=True) is None
    Schedule.objects.all().delete()
    started = start_monitor()
    assert started is not None
    stop_monitor(started)
    assert not started[1].is_alive()
    assert Schedule.objects.count() == 7
