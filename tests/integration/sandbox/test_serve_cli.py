"""`govinspect sandbox serve --timeout` prints the address table and stops by itself."""

from __future__ import annotations

import time

import pytest

from govinspect.cli.main import main
from govinspect.sandbox import build

pytestmark = pytest.mark.network


def test_serve_prints_table_and_stops(tmp_path, capsys):
    build(tmp_path, seed=4, sites=3, pages_per_site=12)
    started = time.monotonic()
    assert main(["sandbox", "serve", "--dir", str(tmp_path), "--base-port", "0", "--timeout", "0.5"]) == 0
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4  # three sites and the external host
    assert all("http://127.0.0.1:" in line for line in out)
    assert out[-1].startswith("external")
