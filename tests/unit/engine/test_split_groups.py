"""How a large site's checks are split into shards (engine.shared.split): whole families, every
enabled check in exactly one group, the crawl's notices from shard 0 only, a deterministic merge."""

from __future__ import annotations

from govinspect.engine.checks.registry import all_checks
from govinspect.engine.config import EngineConfig
from govinspect.engine.shared.split import check_groups, family, merge, shard_config, shard_findings
from govinspect.findings import Finding

SITE = "http://www.example.gov.cn/"


def _finding(check: str, url: str = SITE) -> Finding:
    return Finding(site=SITE, check=check, severity="notice", url=url)


def test_groups_partition_the_enabled_checks_by_family():
    groups = check_groups(EngineConfig(), 3)
    assert len(groups) == 3 and all(groups)
    every = [c for g in groups for c in g]
    assert sorted(every) == sorted(all_checks())  # each check once
    families = [{family(c) for c in g} for g in groups]
    for i, a in enumerate(families):
        for b in families[i + 1 :]:
            assert not a & b  # a family is never split


def test_groups_follow_the_config_and_never_exceed_the_families():
    config = EngineConfig(enabled_checks=frozenset({"text.typo", "text.severe_error", "links.broken"}))
    groups = check_groups(config, 5)
    assert sorted(map(sorted, groups)) == [["links.broken"], ["text.severe_error", "text.typo"]]
    assert check_groups(EngineConfig(), 1) == [frozenset(all_checks())]
    assert check_groups(EngineConfig(), 3) == check_groups(EngineConfig(), 3)


def test_shard_config_enables_its_group_only():
    config = EngineConfig(disabled_checks=frozenset({"links.broken"}))
    group = frozenset({"text.typo"})
    assert shard_config(config, group).enabled_checks == group
    assert shard_config(config, group).disabled_checks == frozenset()


def test_crawl_notices_come_from_shard_zero_only():
    found = [_finding("crawl.error"), _finding("text.typo")]
    assert [f.check for f in shard_findings(found, 0)] == ["crawl.error", "text.typo"]
    assert [f.check for f in shard_findings(found, 1)] == ["text.typo"]


def _part(checks: list[str], **kw) -> dict:
    return {
        "findings": [_finding(c).to_dict() for c in checks],
        "pages": kw.get("pages", 0),
        "stats": kw.get("stats", {}),
        "errors": kw.get("errors", []),
        "failed": kw.get("failed", False),
    }


def test_merge_unites_findings_and_takes_the_crawl_from_shard_zero():
    merged = merge(
        [
            _part(
                ["crawl.error", "text.typo"],
                pages=40,
                stats={"crawl": {"pages": 40}, "check_errors": 1},
                errors=["x: timeout"],
            ),
            _part(
                ["links.broken"],
                pages=40,
                stats={"crawl": {"pages": 39}, "check_errors": 2},
                errors=["x: timeout", "y"],
            ),
        ]
    )
    assert [f.check for f in merged["findings"]] == ["crawl.error", "text.typo", "links.broken"]
    assert merged["pages"] == 40 and merged["stats"]["crawl"] == {"pages": 40}
    assert merged["stats"]["check_errors"] == 3 and merged["stats"]["shards"] == 2
    assert merged["errors"] == ["x: timeout", "y"] and merged["failed"] is False


def test_a_failed_shard_fails_the_site():
    merged = merge([_part(["text.typo"]), _part([], failed=True, errors=["inspection failed: boom"])])
    assert merged["failed"] and merged["findings"] == [] and merged["errors"] == ["inspection failed: boom"]
