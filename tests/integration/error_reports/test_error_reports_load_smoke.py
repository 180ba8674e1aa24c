"""A 3-second run of benchmarks/error_reports_load.py: gunicorn + PostgreSQL + Redis on loopback,
every accepted submission stored once, resubmissions answered with the same ticket, the abusive
client rate-limited. The numbers themselves are the benchmark's business, not asserted here."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.network]
SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "error_reports_load.py"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_short_load_run_keeps_every_submission_once() -> None:
    pytest.importorskip("gunicorn")
    if not (_listening(5432) and _listening(6379)):
        pytest.skip("PostgreSQL and Redis on 127.0.0.1 are needed")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--duration", "3", "--workers", "2", "--concurrency", "8"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "checks: OK" in result.stdout
