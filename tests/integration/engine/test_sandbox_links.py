"""govinspect's crawl and links.broken against the sandbox province: every seeded broken link
and soft 404 found, nothing the truth does not list, no negative matched."""

from datetime import date

import pytest

from govinspect.engine.config import EngineConfig
from govinspect.engine.run import inspect_sites
from govinspect.engine.target import SiteTarget
from govinspect.sandbox import SandboxServer, build

pytestmark = [pytest.mark.network, pytest.mark.slow]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox")
    manifest = build(root, seed=11, sites=8, pages_per_site=40)
    with SandboxServer(root, base_port=0) as srv:
        yield srv, manifest


async def test_links_broken_matches_the_sandbox_truth(sandbox):
    srv, manifest = sandbox
    reachable = [s for s in manifest["sites"] if not s.get("availability")]
    targets = [SiteTarget(srv.url_for(s["site_code"])) for s in reachable]
    config = EngineConfig(enabled_checks=frozenset({"links.broken"})).with_limits(per_host_connections=8)
    as_of = date.fromisoformat(manifest["as_of"])
    findings = []
    async for result in inspect_sites(targets, config, as_of, concurrency=4):
        assert result.stats["check_errors"] == 0, result.errors
        findings.extend(f for f in result.findings if f.check == "links.broken")
    sites = {t.home_url for t in targets}
    truth = {f.fingerprint for f in srv.truth() if f.check == "links.broken" and f.site in sites}
    negatives = {f.fingerprint for f in srv.negatives() if f.check == "links.broken" and f.site in sites}
    found = {f.fingerprint for f in findings}
    assert truth, "the sandbox seeds broken links"
    assert truth - found == set(), "missed seeded broken links"
    assert found - truth == set(), [f.to_dict() for f in findings if f.fingerprint not in truth]
    assert not found & negatives
    assert any(f.detail.get("error") == "soft_404" for f in findings) or not any(s.get("soft404") for s in reachable)
