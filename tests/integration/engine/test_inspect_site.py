"""The pipeline end to end on a loopback site: crawl, checks, findings, WARC evidence, CLI."""

import json
from datetime import date

import pytest
from warcio.archiveiterator import ArchiveIterator

from govinspect.cli.main import main as cli_main
from govinspect.engine import run as run_module
from govinspect.engine.checks.base import PageCheck, SiteCheck
from govinspect.engine.checks.links.broken import BrokenLinks
from govinspect.engine.config import EngineConfig
from govinspect.engine.run import inspect_site, inspect_sites
from govinspect.engine.target import SiteTarget

pytestmark = pytest.mark.network

AS_OF = date(2025, 12, 1)
LINKS_ONLY = EngineConfig(enabled_checks=frozenset({"links.broken"}))


def broken(findings):
    return {
        (f.url.rsplit("/", 1)[-1] or "/", f.target.rsplit("/", 1)[-1], f.detail.get("status"), f.detail.get("error"))
        for f in findings
        if f.check == "links.broken"
    }


async def test_inspect_site_finds_broken_links_soft_404_and_redirect_to_404(test_site, tmp_path):
    base, _ = test_site
    seen = []
    result = await inspect_site(SiteTarget(base + "/"), LINKS_ONLY, AS_OF, warc_dir=tmp_path, on_page=seen.append)
    assert broken(result.findings) == {
        ("/", "missing.html", 404, None),
        ("/", "gone.png", 404, None),
        ("/", "gone.html", 404, None),  # external
        ("a.html", "soft.html", 200, "soft_404"),
        ("a.html", "redir", 404, None),
    }
    urls = {p.url for p in seen}
    assert base + "/hidden.html" in urls  # seeded from sitemap.xml only
    assert result.pages == len(seen) == 9
    assert result.stats["check_errors"] == 0
    assert result.stats["crawl"]["sitemap_seeds"] == 1
    # every finding points at its page's WARC record
    by_offset = {}
    for f in result.findings:
        ref = f.evidence_ref
        assert ref and ref["warc"].endswith(".warc.gz")
        by_offset[ref["offset"]] = f.url
    with open(result.findings[0].evidence_ref["warc"], "rb") as fh:
        records = {}
        for record in ArchiveIterator(fh):
            records[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read()
    assert set(records) == {base + "/", base + "/a.html"}
    assert "失效文章".encode() in records[base + "/"]


class Crashing(PageCheck):
    id = "meta.missing_tags"

    def check_page(self, page):
        raise RuntimeError("boom")


class CrashingSite(SiteCheck):
    id = "update.homepage_stale"

    def observe(self, page):
        raise KeyError("observe")

    async def finish(self):
        raise ValueError("finish")


async def test_a_crashing_check_never_stops_the_crawl(test_site, monkeypatch):
    base, _ = test_site
    monkeypatch.setattr(run_module, "enabled_checks", lambda *a: [Crashing, CrashingSite, BrokenLinks])
    result = await inspect_site(SiteTarget(base + "/"), EngineConfig(), AS_OF)
    assert result.pages == 9
    assert len(broken(result.findings)) == 5
    by_check = result.stats["check_errors_by_check"]
    assert by_check["meta.missing_tags"] == 6  # every 2xx HTML page
    assert by_check["update.homepage_stale"] == 7  # 6 observe() + 1 finish()
    assert any("CheckError" not in e and "boom" in e for e in result.errors)


async def test_inspect_sites_shares_one_fetcher_and_cache(test_site):
    base, ext = test_site
    targets = [SiteTarget(base + "/"), SiteTarget(ext + "/ok.html")]
    results = [r async for r in inspect_sites(targets, LINKS_ONLY, AS_OF, concurrency=2)]
    assert {r.site for r in results} == {base + "/", ext + "/ok.html"}
    site = next(r for r in results if r.site == base + "/")
    assert len(broken(site.findings)) == 5


async def test_unreachable_home_is_a_crawl_error():
    config = LINKS_ONLY.with_limits(retries=0)
    result = await inspect_site(SiteTarget("http://127.0.0.1:9/"), config, AS_OF)
    assert result.pages == 0
    (finding,) = result.findings
    assert finding.check == "crawl.error" and finding.severity == "notice"
    assert finding.detail["error"] == "connect"


def test_cli_writes_the_findings_contract(test_site_thread, tmp_path, capsys):
    base = test_site_thread
    out = tmp_path / "f.jsonl"
    code = cli_main(
        ["inspect", base + "/", "--as-of", "2025-12-01", "--out", str(out), "--checks", "links.broken", "-q"]
    )
    assert code == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and all(line["check"] == "links.broken" for line in lines)
    assert {"site", "check", "severity", "url", "target", "detail"} <= set(lines[0])


def test_cli_usage_errors(capsys):
    assert cli_main(["inspect", "not-a-url"]) == 2
    assert cli_main(["inspect", "http://127.0.0.1:9/", "--checks", "no.such"]) == 2
    with pytest.raises(SystemExit) as exc:
        cli_main(["inspect", "http://127.0.0.1:9/", "--as-of", "yesterday"])
    assert exc.value.code == 2


def test_cli_unreachable_exit_code(tmp_path):
    code = cli_main(
        [
            "inspect",
            "http://127.0.0.1:9/",
            "--checks",
            "links.broken",
            "-q",
            "--retries",
            "0",
            "--out",
            str(tmp_path / "f.jsonl"),
        ]
    )
    assert code == 4
