"""The two text checks against a small sandbox province: scored on its ground truth.

Rates are raised so a dozen sites carry enough seeded errors to measure; the detectors were
not tuned on the sandbox's lists (they catch what they catch because the errors are real).
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from govinspect.engine.config import EngineConfig
from govinspect.engine.run import inspect_site
from govinspect.engine.target import SiteTarget
from govinspect.sandbox import SandboxServer, build
from govinspect.sandbox.score import score

pytestmark = [pytest.mark.network, pytest.mark.slow]

CHECKS = frozenset({"text.severe_error", "text.typo"})


async def _inspect(urls: list[str], as_of: date) -> list:
    config = EngineConfig(enabled_checks=CHECKS, check_external_links=False).with_limits(
        max_pages=200, retries=0, site_deadline=60
    )
    results = await asyncio.gather(*(inspect_site(SiteTarget(u), config, as_of) for u in urls))
    return [f for r in results for f in r.findings]


def test_text_checks_on_the_sandbox(tmp_path):
    manifest = build(
        tmp_path, seed=5, sites=10, pages_per_site=30, rates={"typo": 1.0, "severe_term": 0.6, "severe_name": 0.6}
    )
    reachable = [s["site_code"] for s in manifest["sites"] if not s.get("availability")]
    with SandboxServer(tmp_path, base_port=0) as srv:
        urls = [srv.url_for(code) for code in reachable]
        findings = asyncio.run(_inspect(urls, date.fromisoformat(manifest["as_of"])))
        truth = [t for t in srv.truth() if t.check in CHECKS and t.site in urls]
        negatives = srv.negatives()
    result = score(findings, truth, negatives, checks=CHECKS)
    severe, typo = result["checks"]["text.severe_error"], result["checks"]["text.typo"]
    assert severe["expected"] >= 3 and typo["expected"] >= 5
    assert severe["negatives_hit"] == typo["negatives_hit"] == 0
    assert severe["precision"] == 1.0 and severe["recall"] >= 0.8
    assert typo["precision"] >= 0.9 and typo["recall"] >= 0.5
