"""Helpers of the distributed tests: the processes of one test (driver steps, Celery workers)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("monitoring_driver.py")


@dataclass
class Cluster:
    """The environment of one test's processes (driver steps and workers)."""

    env: dict[str, str]
    tmp: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def step(self, name: str, timeout: float = 240, **arg) -> dict:
        done = subprocess.run(
            [sys.executable, str(DRIVER), name, json.dumps(arg)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.tmp,
        )
        if done.returncode != 0:
            raise AssertionError(f"driver step {name} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govinspect.cli.main",
                "worker",
                "--concurrency",
                "1",
                "--hostname",
                f"{name}@govinspect-test",
                "--loglevel",
                "INFO",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.tmp,
            start_new_session=True,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.workers.append(proc)
        return proc

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            proc.log.close()  # type: ignore[attr-defined]
        self.workers.clear()

    def worker_log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob("*.log"))


def embedded_then_two_workers(cluster: Cluster, sandbox: dict, workers: tuple[str, str]) -> dict:
    """The sandbox inspected by the embedded runner, then by two Celery workers: the findings must be
    identical by fingerprint, every site done once, nothing counted twice. Returns the workers' result."""
    common = {"codes": sandbox["codes"], "as_of": sandbox["as_of"]}
    embedded = cluster.step("embedded", period="2025Q3", **common)
    for name in workers:
        cluster.start_worker(name)
    dispatched = cluster.step("dispatch", period="2025Q4", **common)
    assert dispatched["tasks"] == 3
    waited = cluster.step("wait", inspection=dispatched["inspection"], seconds=120)
    assert waited["status"] == "done", cluster.worker_log()
    a = cluster.step("result", inspection=embedded["inspection"])
    b = cluster.step("result", inspection=dispatched["inspection"])
    assert a["fingerprints"], "the sandbox has seeded defects"
    assert set(b["fingerprints"]) == set(a["fingerprints"])
    assert b["sites_done"] == 3 and b["failed"] == 0
    assert b["findings_seen"] == b["sightings"] == len(b["fingerprints"])  # nothing counted twice
    log = cluster.worker_log()
    assert all(f"{name}@govinspect-test" in log for name in workers)
    return b


def make_env(tmp: Path, db_url: str, broker: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVINSPECT_", "DJANGO_"))}
    env.update(
        GOVINSPECT_DATABASE_URL=db_url,
        GOVINSPECT_BROKER_URL=broker,
        GOVINSPECT_RUNNER="celery",
        GOVINSPECT_DATA_DIR=str(tmp / "data"),
        DJANGO_SETTINGS_MODULE="govinspect.project.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(x) for x in task.read_text().split()]
    return out
