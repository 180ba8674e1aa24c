"""Rectification rechecks on a served sandbox: the engine's own findings stay present when the
defect is left alone and go when it is fixed, and only the finding's URLs are requested
(counted by the server, whose response caches are turned off so every request reaches it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from govinspect.engine.config import EngineConfig
from govinspect.engine.recheck import plan_for, recheck_finding
from govinspect.engine.run import inspect_site
from govinspect.engine.target import SiteTarget
from govinspect.findings import Finding
from govinspect.sandbox import SandboxServer, build

pytestmark = [pytest.mark.network, pytest.mark.slow]

URL_FAMILIES = (
    "links.broken",
    "text.typo",
    "privacy.leak",
    "meta.missing_tags",
    "policy.missing_elements",
    "policy.interpretation_unlinked",
    "update.column_stale",
    "update.column_blank",
    "update.homepage_stale",
    "identity.missing",
    "interaction.unanswered",
    "security.sensitive",
    "security.hidden_link",
)


class NoCache:
    def get(self, key):  # type: ignore[no-untyped-def]
        return None

    def put(self, key, value) -> None:  # type: ignore[no-untyped-def]
        pass


class Served:
    def __init__(self, root: Path, srv: SandboxServer, manifest: dict, findings: list[Finding]) -> None:
        self.root, self.srv, self.manifest, self.findings = root, srv, manifest, findings
        self.log: list[tuple[int, str]] = []  # (site index, path)

    def site_of(self, finding: Finding) -> dict:
        return next(s for s in self.manifest["sites"] if self.srv.url_for(s["site_code"]) == finding.site)

    def file_of(self, finding: Finding, url: str) -> Path:
        entry = self.site_of(finding)
        path = urlsplit(url).path
        path = path + "index.html" if path.endswith("/") else path
        return self.root / "sites" / entry["site_code"] / path.lstrip("/")

    def encoding(self, finding: Finding) -> str:
        return "gbk" if self.site_of(finding).get("encoding") == "gbk" else "utf-8"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("recheck-sandbox")
    manifest = build(root, seed=7, sites=6, pages_per_site=20)
    with SandboxServer(root, base_port=0) as srv:
        app = srv.app
        app.cache, app.responses = NoCache(), NoCache()  # every request reaches handle(), edits show at once
        as_of = date.fromisoformat(manifest["as_of"])
        findings: list[Finding] = []
        for entry in manifest["sites"]:
            if entry.get("availability"):
                continue
            result = _run(inspect_site(SiteTarget(srv.url_for(entry["site_code"])), EngineConfig(), as_of))
            findings += result.findings
        state = Served(root, srv, manifest, findings)
        handle = app.handle

        def counting(index: int, target: str):  # type: ignore[no-untyped-def]
            state.log.append((index, urlsplit(target).path))
            return handle(index, target)

        app.handle = counting
        yield state


def _run(coro):  # type: ignore[no-untyped-def]
    import asyncio

    return asyncio.run(coro)


def recheck(served: Served, finding: Finding):  # type: ignore[no-untyped-def]
    served.log.clear()
    as_of = date.fromisoformat(served.manifest["as_of"])
    return _run(
        recheck_finding(
            SiteTarget(finding.site),
            finding.check,
            finding.url,
            EngineConfig(),
            as_of,
            target=finding.target,
            detail=finding.detail,
            evidence=finding.evidence or "",
            fingerprint=finding.fingerprint,
        )
    )


def first(served: Served, check: str, **detail) -> Finding:  # type: ignore[no-untyped-def]
    for f in served.findings:
        if f.check == check and all(f.detail.get(k) == v for k, v in detail.items()):
            return f
    pytest.skip(f"the seeded sandbox has no {check} finding")


def allowed_paths(finding: Finding) -> set[str]:
    plan = plan_for(SiteTarget(finding.site), finding.check, finding.url, finding.target, finding.detail)
    paths = {urlsplit(u).path for u in plan.urls} | {"/robots.txt"}
    if finding.check == "links.broken" and finding.target:
        paths.add(urlsplit(finding.target).path)
    return paths


@pytest.mark.parametrize("check", URL_FAMILIES)
def test_an_unfixed_defect_is_still_there_and_only_its_urls_are_fetched(served, check):
    finding = first(served, check)
    result = recheck(served, finding)
    assert result.scope == "urls", result.reason
    assert finding.fingerprint in {f.fingerprint for f in result.findings}
    fetched = {path for _, path in served.log}
    extra = fetched - allowed_paths(finding)
    if check == "links.broken":  # the host's not-found page, learnt from a random path
        extra = {p for p in extra if not p.startswith("/govinspect-probe-")}
    if "导航页" in (finding.evidence or ""):  # a navigation-only home page is judged by the pages it links to
        extra = set()
    assert extra == set(), f"{check} fetched {sorted(extra)} beyond {sorted(allowed_paths(finding))}"
    assert len(served.log) == result.requests  # the engine's count is the server's
    assert result.requests <= len(allowed_paths(finding)) + 2


def test_a_fixed_broken_link_closes_after_a_handful_of_requests(served):
    finding = next(
        f
        for f in served.findings
        if f.check == "links.broken" and f.detail.get("status") == 404 and urlsplit(f.target or "").netloc in f.site
    )
    path = served.file_of(finding, finding.target or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<html><head><title>补充发布</title></head><body><p>已补充发布的页面</p></body></html>", "utf-8")
    try:
        result = recheck(served, finding)
    finally:
        path.unlink()
    assert result.scope == "urls"
    assert finding.fingerprint not in {f.fingerprint for f in result.findings}
    assert urlsplit(finding.target or "").path in {p for _, p in served.log}
    assert result.requests <= 5


def test_a_fixed_typo_closes(served):
    finding = first(served, "text.typo")
    path = served.file_of(finding, finding.url)
    original = path.read_bytes()
    encoding = served.encoding(finding)
    wrong, right = finding.detail["wrong"].encode(encoding), finding.detail["suggestion"].encode(encoding)
    assert wrong in original
    path.write_bytes(original.replace(wrong, right))
    try:
        result = recheck(served, finding)
    finally:
        path.write_bytes(original)
    assert result.scope == "urls" and result.visited == [finding.url]
    assert finding.fingerprint not in {f.fingerprint for f in result.findings}
    assert {p for _, p in served.log} <= {urlsplit(finding.url).path, "/robots.txt"}


def test_a_learnt_leader_name_is_rechecked_on_the_whole_site(served):
    finding = first(served, "text.severe_error", kind="leader_name")
    result = recheck(served, finding)
    assert result.scope == "site" and "领导" in result.reason
    assert finding.fingerprint in {f.fingerprint for f in result.findings}
    assert result.pages > 5


def test_a_stale_column_whose_page_now_redirects_is_still_judged(served):
    finding = first(served, "update.column_stale")
    index = next(s.index for s in served.srv.app.sites if served.srv.url_for(s.code) == finding.site)
    site = served.srv.app.sites[index]
    site.meta["redirects"]["/moved-column/"] = urlsplit(finding.url).path  # the old address answers 302
    moved = replace(finding, url=finding.site + "moved-column/")
    try:
        result = recheck(served, moved)
    finally:
        del site.meta["redirects"]["/moved-column/"]
    assert result.scope == "urls"
    assert moved.fingerprint in {f.fingerprint for f in result.findings}
    assert {p for _, p in served.log} <= {"/robots.txt", "/moved-column/", urlsplit(finding.url).path}
