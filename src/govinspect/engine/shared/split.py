"""A large site inspected in shards: every shard runs the whole crawl, each only its group of checks.

Why not shard pages: the checks are not independent per page. Site checks (``observe`` then
``finish``) must see every page; page checks keep state across pages (``security.hidden_link``
reports a repeated hidden link once, ``links.broken`` settles links the crawl fetches later);
the repeated-block marks depend on the pages seen before; the surveys of ``CheckContext.per_site``
are built from all pages. Sharding by *check family* keeps each check's view of the site exactly
what it is in an unsplit run: each shard crawls the same site (the HTTP exchanges are made once
and shared through Redis, ``exchanges.SharingFetcher``, so the host is not asked more often) and
runs only its families' checks, whose findings are then a disjoint part of the site's findings.
Shard 0 also reports the crawl's own notices (``crawl.*``) and its statistics.

Families share nothing across each other (no check imports another family; the ``per_site``
surveys and the text-analysis memo stay within a family), so the union of the shards' findings
is what the unsplit run finds. The cost: every shard parses every page (parsing is ~30% of the
CPU of an unsplit site), so splitting pays when the checks' CPU, not the host's polite rate,
bounds the site.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from govinspect.engine.checks.registry import enabled_checks
from govinspect.engine.config import EngineConfig
from govinspect.findings import Finding

CRAWL_CHECKS = "crawl."  # the crawl's own notices: reported by shard 0 only
# rough CPU weight of a family's checks on a typical page (for balancing the groups only)
FAMILY_WEIGHT = {"text": 4, "links": 3, "privacy": 2, "security": 2, "policy": 2}


def family(check_id: str) -> str:
    return check_id.split(".", 1)[0]


def check_groups(config: EngineConfig, shards: int) -> list[frozenset[str]]:
    """The enabled checks in ``shards`` groups of whole families (greedy by weight; deterministic).
    Fewer groups when there are fewer families; no group is empty."""
    ids = [cls.id for cls in enabled_checks(config.enabled_checks, config.disabled_checks)]
    families: dict[str, list[str]] = {}
    for check_id in ids:
        families.setdefault(family(check_id), []).append(check_id)
    order = sorted(families, key=lambda f: (-FAMILY_WEIGHT.get(f, 1), f))
    n = max(1, min(shards, len(order)))
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for fam in order:
        i = min(range(n), key=lambda j: (load[j], j))
        groups[i] += families[fam]
        load[i] += FAMILY_WEIGHT.get(fam, 1)
    return [frozenset(g) for g in groups]


def shard_config(config: EngineConfig, group: Iterable[str]) -> EngineConfig:
    return replace(config, enabled_checks=frozenset(group), disabled_checks=frozenset())


def shard_findings(findings: Iterable[Finding], shard: int) -> list[Finding]:
    """What shard ``shard`` contributes: the crawl's notices only from shard 0."""
    return [f for f in findings if shard == 0 or not f.check.startswith(CRAWL_CHECKS)]


def merge(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The site's outcome from its shards' outcomes (in shard order; each a dict of ``findings``
    (Finding dicts), ``pages``, ``stats``, ``errors``, ``failed``). Shard 0 gives the pages and
    the crawl statistics; errors are concatenated without repeats (the crawl's are in every shard)."""
    if any(p.get("failed") for p in parts):
        errs = [e for p in parts for e in p.get("errors", [])]
        return {"findings": [], "pages": 0, "stats": {}, "errors": list(dict.fromkeys(errs))[:200], "failed": True}
    findings = [Finding.from_dict(d) for p in parts for d in p["findings"]]
    stats = dict(parts[0].get("stats") or {})
    stats["check_errors"] = sum(int((p.get("stats") or {}).get("check_errors", 0)) for p in parts)
    stats["findings_by_check"] = dict(Counter(f.check for f in findings))
    stats["shards"] = len(parts)
    stats["elapsed"] = max(float((p.get("stats") or {}).get("elapsed", 0.0)) for p in parts)
    errs = [e for p in parts for e in p.get("errors", [])]
    return {
        "findings": findings,
        "pages": int(parts[0].get("pages", 0)),
        "stats": stats,
        "errors": list(dict.fromkeys(errs))[:200],
        "failed": False,
    }
