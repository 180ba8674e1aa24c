"""Build the sandbox province: static files per site, ``sites.json``, ``truth.jsonl``, ``negatives.jsonl``.

Order of work per site (builder.py, render.py): look (template, encoding…) → columns and dated
items → URLs → seeded defects (defects.py, recording truth as they are placed) → freshness truth
computed from the final dates → rendering. Truth URLs use the default ports ``base_port + index``
(see truth.py).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from govinspect.findings import Finding, write_jsonl
from govinspect.sandbox import content as C
from govinspect.sandbox.builder import AS_OF, DEFAULT_BASE_PORT, BuildContext, SiteBuilder
from govinspect.sandbox.defects import DEFAULT_RATES, SITE_BEHAVIOURS, apply_defects
from govinspect.sandbox.matrix import by_site_code
from govinspect.sandbox.render import Writer
from govinspect.sandbox.sites import SiteSpec, register_sites, spread_sample

__all__ = ["AS_OF", "DEFAULT_BASE_PORT", "build"]

FORMAT_VERSION = 1


_SEEDED_WORDS = tuple(
    [w for w, _, _ in C.TYPOS + C.SEVERE_TERMS]
    + [w for _, w, _ in C.SENSITIVE]
    + [w for w, _ in C.SENSITIVE_LEGIT]
    + ["赌", "色情", "http"]
)


def _clean_sentence(line: str) -> bool:
    """A corpus sentence that cannot collide with seeded defects or negatives (no numbers, no seeded words)."""
    if any(c in line for c in "<>{}\t\"'&") or re.search(r"\d{5,}", line):
        return False
    return not any(w in line for w in _SEEDED_WORDS)


def _load_corpus(path: Path | None) -> list[str]:
    """Clean official sentences for article text (optional, read at build time only)."""
    if path is None:
        return []
    out: list[str] = []
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if not f.is_file() or f.suffix not in (".txt", ".json", ".jsonl", ".tsv"):
            continue
        for line in f.read_text(encoding="utf-8", errors="ignore").splitlines():
            line = line.strip()
            if 20 <= len(line) <= 120 and line.endswith("。") and _clean_sentence(line):
                try:
                    line.encode("gbk")
                except UnicodeEncodeError:
                    continue
                out.append(line)
            if len(out) >= 5000:
                return out
    return out


def build(
    out_dir: str | Path,
    seed: int = 1,
    sites: int | Sequence[SiteSpec] | None = None,
    pages_per_site: int = 60,
    as_of: date = AS_OF,
    base_port: int = DEFAULT_BASE_PORT,
    rates: dict[str, float] | None = None,
    corpus: Path | None = None,
    matrix: str | Path | Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Write the sandbox to ``out_dir`` and return the manifest (also written as ``sites.json``).

    ``sites``: None = the whole Sichuan register; an int = that many register sites spread over
    the province; or explicit SiteSpecs. ``matrix``: the new-media sandbox's ``matrix.jsonl`` (or
    its rows): the sites it names get a 新媒体矩阵 page listing those accounts (sandbox.matrix).
    """
    started = time.monotonic()
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not (out / "sites.json").exists():
        from govinspect.errors import ConfigError

        raise ConfigError(f"{out} is not empty and holds no sandbox (sites.json); refusing to write into it")
    if isinstance(sites, int) or sites is None:
        register = register_sites()
        specs = register if sites is None else spread_sample(register, sites)
    else:
        specs = list(sites)
    merged = dict(DEFAULT_RATES)
    merged.update(rates or {})
    behaviours = SITE_BEHAVIOURS(specs, seed, merged)
    ctx = BuildContext(
        out=out,
        seed=seed,
        as_of=as_of,
        base_port=base_port,
        pages_per_site=pages_per_site,
        rates=merged,
        specs=specs,
        behaviours=behaviours,
        corpus=_load_corpus(corpus),
    )
    _clear(out)
    matrix_sites = by_site_code(matrix) if matrix is not None else {}
    truth: list[Finding] = []
    negatives: list[Finding] = []
    entries = []
    carry: list[str] = []
    files = 0
    reachable = ctx.reachable()
    forced = _forced_kinds(reachable)
    for index, spec in enumerate(specs):
        builder = SiteBuilder(ctx, index)
        entry = {
            "index": index,
            "site_code": spec.site_code,
            "name": spec.name,
            "organizer": spec.organizer,
            "region_code": spec.region_code,
            "category": spec.category,
            "port_offset": index,
            "home_url": builder.home,
        }
        if builder.behaviour.get("availability"):
            kind = builder.behaviour["availability"]
            builder.record(
                "availability.unreachable",
                builder.home,
                failures=3,
                probes=3,
                error={"refused": "connection refused", "reset": "connection reset", "hang": "no answer within 15 s"}[
                    kind
                ],
            )
            entry.update(builder.behaviour)
            entries.append(entry)
            truth.extend(builder.truth)
            continue
        builder.plan()
        builder.add_attachments()
        carry = apply_defects(builder, forced.get(index, []) + carry)
        builder.finish_truth()
        builder.matrix = matrix_sites.get(spec.site_code)
        writer = Writer(out, spec.site_code, "gbk" if builder.behaviour["encoding"] == "gbk" else "utf-8")
        entry.update(builder.render(writer))
        entry.update(
            {"template": builder.look.template, "date_format": builder.look.date_format, "files": writer.files}
        )
        files += writer.files
        entries.append(entry)
        truth.extend(builder.truth)
        negatives.extend(builder.negatives)
    manifest = {
        "format": FORMAT_VERSION,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "base_port": base_port,
        "pages_per_site": pages_per_site,
        "external_port_offset": len(specs),
        "rates": merged,
        "unplaced_defects": carry,
        "sites": entries,
        "files": files,
        "truth": len(truth),
        "negatives": len(negatives),
        "build_seconds": round(time.monotonic() - started, 2),
    }
    truth = _unique(truth)
    seeded = {f.fingerprint for f in truth}
    # a negative never names a seeded defect (e.g. a near-miss equal to a phrase elsewhere)
    negatives = [n for n in _unique(negatives) if n.fingerprint not in seeded]
    manifest["truth"], manifest["negatives"] = len(truth), len(negatives)
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        write_jsonl(truth, fh)
    with open(out / "negatives.jsonl", "w", encoding="utf-8") as fh:
        write_jsonl(negatives, fh)
    (out / "sites.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _unique(findings: list[Finding]) -> list[Finding]:
    """One record per fingerprint (two placements of one error on one page are one finding)."""
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.fingerprint not in seen:
            seen.add(f.fingerprint)
            out.append(f)
    return out


def _forced_kinds(reachable: list[int]) -> dict[int, list[str]]:
    """Every content defect kind placed at least once: kind k goes to reachable site k mod n."""
    from govinspect.sandbox.defects import CONTENT_KINDS

    out: dict[int, list[str]] = {}
    if not reachable:
        return out
    for k, kind in enumerate(CONTENT_KINDS):
        out.setdefault(reachable[k % len(reachable)], []).append(kind)
    return out


def _clear(out: Path) -> None:
    import shutil

    for name in ("sites", "index"):
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)
