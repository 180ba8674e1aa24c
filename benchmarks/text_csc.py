"""Sentence-level precision/recall/F1 of the text checks on Chinese spelling-check sets, the
false-alarm rate on clean official documents, and characters per second per core.

Reads the reference data by path (never copied into the repository):

    .venv/bin/python benchmarks/text_csc.py [--data ../shared/data] [--only sighan,odw,law,med,clean,speed]
    .venv/bin/python benchmarks/text_csc.py --only sandbox [--seeds 1,2,3,4] [--sites 60]

Metrics (a sentence is the unit):
- detection: a flagged sentence is a true positive when it has errors and every flagged span
  covers at least one wrong character; any other flagged sentence is a false positive;
  recall = true positives / sentences with errors;
- correction: a flagged sentence is a true positive when applying our suggestions gives
  exactly the correct sentence; precision = true positives / flagged sentences.
Length-changing pairs (a missing or extra character) are skipped in the character sets.

``synthetic``: the commonest shape of a typo in official writing, made in the clean documents
(deterministically): in a sentence the detector leaves clean, one character of a frequent
two-character word (jieba frequency >= 1,000) is replaced by a common character whose usual
reading is that character's reading in the word, giving a non-word (关注 -> 观注, 申请 -> 申清).
Recall = replacements flagged with a span covering them; also how many of those flags carry the
original word, and flags elsewhere in the same sentences.

``sandbox`` (not in the default run): builds a sandbox province per seed in a temporary
directory, serves it on ephemeral ports, inspects it with only the two text checks and scores
them against its truth (precision, recall, misses).
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

from govinspect.engine.text.analyzer import TextAnalyzer
from govinspect.engine.text.nearmiss import Flag

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _pairs_plain(path: Path) -> Iterator[tuple[str, str]]:
    """wrong<TAB>correct (SIGHAN as distributed by pycorrector)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 2:
            yield cols[0].strip(), cols[1].strip()


def _pairs_labelled(path: Path) -> Iterator[tuple[str, str]]:
    """label<TAB>wrong<TAB>correct (ECSpell: the label is the number of wrong characters)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3:
            yield cols[1].strip(), cols[2].strip()


def apply(text: str, flags: list[Flag]) -> str:
    out = text
    for f in sorted(flags, key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f.suggestion + out[f.end :]
    return out


def evaluate(analyzer: TextAnalyzer, pairs: list[tuple[str, str]], show: int = 0) -> dict[str, float]:
    det_tp = det_fp = cor_tp = flagged = positives = skipped = 0
    shown = 0
    for wrong, right in pairs:
        if len(wrong) != len(right):
            skipped += 1
            continue
        errors = {i for i, (a, b) in enumerate(zip(wrong, right, strict=True)) if a != b}
        positives += bool(errors)
        flags = analyzer.analyze(wrong).all
        if not flags:
            continue
        flagged += 1
        good = bool(errors) and all(any(f.start <= i < f.end for i in errors) for f in flags)
        det_tp += good
        det_fp += not good
        cor_tp += bool(errors) and apply(wrong, flags) == right
        if not good and shown < show:
            shown += 1
            print("   FP:", [(f.wrong, f.suggestion, f.kind) for f in flags], wrong[:60])
    return _scores(det_tp, det_fp, cor_tp, flagged, positives) | {"skipped": skipped, "sentences": len(pairs)}


def _scores(det_tp: int, det_fp: int, cor_tp: int, flagged: int, positives: int) -> dict[str, float]:
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    dp = det_tp / (det_tp + det_fp) if det_tp + det_fp else 0.0
    dr = det_tp / positives if positives else 0.0
    cp = cor_tp / flagged if flagged else 0.0
    cr = cor_tp / positives if positives else 0.0
    return {
        "positives": positives,
        "flagged": flagged,
        "det_p": dp,
        "det_r": dr,
        "det_f1": f1(dp, dr),
        "cor_p": cp,
        "cor_r": cr,
        "cor_f1": f1(cp, cr),
    }


def misused_list(analyzer: TextAnalyzer, path: Path) -> tuple[int, int, int, int]:
    """ECSpell's list of common wrong forms (right-wrong a line, measured only): how many of the
    wrong forms are flagged inside a neutral sentence, and how many of those with the right form;
    and whether the right form in the same sentence stays clean."""
    flagged = corrected = false = 0
    pairs = [line.strip().split("-", 1) for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    pairs = [(r, w) for r, w in (p for p in pairs if len(p) == 2) if r and w]
    for right, wrong in pairs:
        flags = analyzer.analyze(f"这是关于{wrong}的说明。").all
        flagged += bool(flags)
        corrected += any(f.suggestion.endswith(right) or right in f.suggestion for f in flags)
        false += bool(analyzer.analyze(f"这是关于{right}的说明。").all)
    return len(pairs), flagged, corrected, false


def clean_documents(data: Path) -> list[str]:
    files = sorted(glob.glob(str(data / "csc" / "ecspell" / "gov_doc_plaintext_web_data" / "*.txt")))
    return [Path(f).read_text(encoding="utf-8", errors="replace") for f in files]


def false_alarms(analyzer: TextAnalyzer, docs: list[str], show: int = 0) -> dict[str, float]:
    chars = flags = severe = 0
    shown = 0
    for doc in docs:
        chars += len(doc)
        result = analyzer.analyze(doc)
        flags += len(result.all)
        severe += len(result.severe)
        for f in result.all:
            if shown < show:
                shown += 1
                print("   flag:", f.kind, f.wrong, "->", f.suggestion, "|", doc[max(0, f.start - 8) : f.end + 8])
    return {
        "documents": len(docs),
        "characters": chars,
        "flags": flags,
        "severe": severe,
        "per_10k": flags / chars * 10_000 if chars else 0.0,
    }


def _homophones() -> dict[str, list[str]]:
    """Common characters (the 3,500 commonest) by their usual toneless reading."""
    from govinspect.engine.text import chars

    out: dict[str, list[str]] = {}
    for ch in sorted(chars.common_chars(3500)):
        out.setdefault(chars.main_reading(ch), []).append(ch)
    return out


def synthetic(analyzer: TextAnalyzer, docs: list[str], n: int = 2000, seed: int = 0) -> dict[str, float]:
    from govinspect.engine.text import chars, dictionary

    rng = random.Random(seed)
    by_reading = _homophones()
    freq = dictionary.word_freq()
    sentences = [s for doc in docs for s in re.split(r"[。！？；\n]", doc) if 12 <= len(s) <= 80]
    rng.shuffle(sentences)
    made = caught = corrected = elsewhere = 0
    for sentence in sentences:
        if made >= n:
            break
        words = [(o, t) for o, t in dictionary.tokens(sentence) if len(t) == 2 and freq.get(t, 0) >= 1000]
        if not words or analyzer.analyze(sentence).all:
            continue
        offset, word = rng.choice(words)
        j = rng.randrange(2)
        reading = chars.word_readings(word)[j]
        options = [c for c in by_reading.get(reading, ()) if c != word[j]]
        options = [c for c in options if freq.get(word[:j] + c + word[j + 1 :], 0) == 0]
        if not options:
            continue
        pos = offset + j
        wrong = sentence[:pos] + rng.choice(options) + sentence[pos + 1 :]
        made += 1
        flags = analyzer.analyze(wrong).all
        hit = [f for f in flags if f.start <= pos < f.end]
        caught += bool(hit)
        corrected += any(apply(wrong, [f]) == sentence for f in hit)
        elsewhere += len(flags) - len(hit)
    return {"made": made, "caught": caught, "corrected": corrected, "elsewhere": elsewhere}


def sandbox(seed: int, sites: int) -> dict[str, dict]:
    import asyncio
    import json
    import tempfile
    from datetime import date

    from govinspect.engine.config import EngineConfig
    from govinspect.engine.run import inspect_sites
    from govinspect.engine.target import SiteTarget
    from govinspect.sandbox import SandboxServer, build
    from govinspect.sandbox.score import score

    checks = frozenset({"text.severe_error", "text.typo"})
    config = EngineConfig(enabled_checks=checks, check_external_links=False).with_limits(retries=0)

    async def run(urls: list[str], as_of: date) -> list:
        return [f async for r in inspect_sites([SiteTarget(u) for u in urls], config, as_of) for f in r.findings]

    with tempfile.TemporaryDirectory(prefix="text-sandbox-") as tmp:
        build(tmp, seed=seed, sites=sites, pages_per_site=60)
        manifest = json.loads((Path(tmp) / "sites.json").read_text(encoding="utf-8"))
        codes = [site["site_code"] for site in manifest["sites"] if not site.get("availability")]
        with SandboxServer(tmp, base_port=0) as srv:
            urls = [srv.url_for(code) for code in codes]
            findings = asyncio.run(run(urls, date.fromisoformat(manifest["as_of"])))
            truth = [t for t in srv.truth() if t.check in checks and t.site in urls]
            negatives = srv.negatives()
    result = score(findings, truth, negatives, checks=checks)
    missed: dict[str, int] = {}
    for m in result["missed"]:
        key = f"{m['check']} {m['detail'].get('wrong', '')}"
        missed[key] = missed.get(key, 0) + 1
    false = [
        f"{f['check']} {f['detail'].get('wrong', '')} | {(f.get('evidence') or '')[:60]}"
        for f in result["false_positives"]
    ]
    return {"checks": result["checks"], "missed": missed, "false": false}


def speed(analyzer: TextAnalyzer, docs: list[str], limit: int = 2_000_000) -> float:
    text, total = [], 0
    for doc in docs:
        text.append(doc)
        total += len(doc)
        if total >= limit:
            break
    start = time.process_time()
    for doc in text:
        analyzer.analyze(doc)
    return total / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("GOVINSPECT_SHARED_DATA", DEFAULT_DATA)))
    parser.add_argument("--only", default="sighan,odw,law,med,words,clean,synthetic,speed")
    parser.add_argument("--show", type=int, default=0, help="print this many false positives per set")
    parser.add_argument("--seeds", default="1,2,3,4", help="sandbox seeds (with --only sandbox)")
    parser.add_argument("--sites", type=int, default=60, help="sandbox sites per seed (0: all 664)")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if "sandbox" in wanted:
        for seed in (int(x) for x in args.seeds.split(",")):
            r = sandbox(seed, args.sites or None)
            for check, row in r["checks"].items():
                print(
                    f"sandbox seed {seed} ({args.sites or 'all'} sites) {check}: expected {row['expected']}, "
                    f"found {row['found']}, P {row['precision']:.3f} R {row['recall']:.3f}"
                )
            print(f"sandbox seed {seed} missed: {r['missed'] or 'nothing'}")
            for line in r["false"]:
                print(f"sandbox seed {seed} false positive: {line}")
        wanted.discard("sandbox")
        if not wanted:
            return
    csc = args.data / "csc"
    t0 = time.perf_counter()
    analyzer = TextAnalyzer.default()
    print(f"build: {time.perf_counter() - t0:.1f} s")
    sets = {
        "sighan": ("SIGHAN-2015 test", _pairs_plain(csc / "examples__data__sighan_2015__test.tsv")),
        "odw": (
            "ECSpell official-document train",
            _pairs_labelled(csc / "ecspell" / "csc_evaluation__data__document_writing__train.txt"),
        ),
        "law": ("ECSpell law test", _pairs_labelled(csc / "ecspell" / "Data__domains_data__law.test")),
        "med": ("ECSpell med test", _pairs_labelled(csc / "ecspell" / "Data__domains_data__med.test")),
    }
    for key, (name, pairs) in sets.items():
        if key in wanted:
            r = evaluate(analyzer, list(pairs), show=args.show)
            print(
                f"{name}: {r['sentences']} sentences ({r['positives']} with errors, {r['skipped']} skipped), "
                f"flagged {r['flagged']}; detection P {r['det_p']:.3f} R {r['det_r']:.3f} F1 {r['det_f1']:.3f}; "
                f"correction P {r['cor_p']:.3f} R {r['cor_r']:.3f} F1 {r['cor_f1']:.3f}"
            )
    if "words" in wanted:
        n, flagged, corrected, false = misused_list(
            analyzer, csc / "ecspell" / "csc_evaluation__data__wordlist__常见错字错词.txt"
        )
        print(
            f"ECSpell common wrong forms: {n} pairs; wrong form flagged {flagged}, with the right suggestion "
            f"{corrected}; right form flagged {false}"
        )
    if wanted & {"clean", "synthetic", "speed"}:
        docs = clean_documents(args.data)
        if "clean" in wanted:
            r = false_alarms(analyzer, docs, show=args.show)
            print(
                f"clean official documents: {r['documents']} files, {r['characters']} characters, "
                f"{r['flags']} flags ({r['severe']} severe) = {r['per_10k']:.3f} per 10,000 characters"
            )
        if "synthetic" in wanted:
            r = synthetic(analyzer, docs)
            print(
                f"synthetic same-reading typos in clean documents: {r['made']} made, caught {r['caught']} "
                f"(recall {r['caught'] / max(1, r['made']):.3f}), with the original word {r['corrected']}; "
                f"{r['elsewhere']} flags elsewhere in those sentences"
            )
        if "speed" in wanted:
            print(f"speed: {speed(analyzer, docs):,.0f} characters/s per core (CPU time, one process)")


if __name__ == "__main__":
    main()
