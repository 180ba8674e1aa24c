"""False alarms of security.sensitive's matcher and of the personal-number detectors on the
1,193 clean official documents of ../shared/data/csc/ecspell/gov_doc_plaintext_web_data
(national notices, policies, reports; read by path, nothing copied). Every sensitive hit is
listed with its sentence for review (an official text that discusses a crackdown is a false
alarm); personal numbers are listed masked only. Also characters per second.

    .venv/bin/python benchmarks/privacy_clean_docs.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from govinspect.engine.checks.security.matcher import SensitiveMatcher
from govinspect.engine.pii import find_personal_numbers, masked_excerpt
from govinspect.findings import excerpt
from govinspect.lexicons.sensitive import load_sensitive_lexicon


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = ap.parse_args()
    folder = args.data / "csc" / "ecspell" / "gov_doc_plaintext_web_data"
    if not folder.is_dir():
        raise SystemExit(f"no clean documents at {folder}")
    matcher = SensitiveMatcher(load_sensitive_lexicon())
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    sensitive = [(i, h, t) for i, t in enumerate(texts) for h in matcher.first_per_sentence(t)]
    t_sensitive = time.perf_counter() - t0
    raw = [(h, t) for t in texts for h in matcher.find(t, context=False)]
    t0 = time.perf_counter()
    numbers = [(i, n, t) for i, t in enumerate(texts) for n in find_personal_numbers(t)]
    t_pii = time.perf_counter() - t0
    print(f"{len(texts)} documents, {chars / 1e6:.1f} M characters")
    print(
        f"security.sensitive matcher: {len(sensitive)} hits "
        f"({len(sensitive) / chars * 10000:.3f} per 10,000 characters), {chars / t_sensitive / 1e6:.2f} M char/s"
    )
    for _i, hit, text in sensitive[:20]:
        print(f"   {hit.word} ({hit.category}): {excerpt(text, hit.start, hit.end, width=20)}")
    print(f"  lexicon terms present before the context rules: {len(raw)}; dropped as official usage:")
    for hit, text in raw[:15]:
        print(f"   {hit.word} ({hit.category}): {excerpt(text, hit.start, hit.end, width=20)}")
    kinds = Counter(n.kind for _i, n, _t in numbers)
    print(
        f"personal numbers: {len(numbers)} ({dict(kinds)}) in {len({i for i, _n, _t in numbers})} documents, "
        f"{chars / t_pii / 1e6:.2f} M char/s"
    )
    for i, n, text in numbers[:20]:
        found = [m for j, m, _t in numbers if j == i]
        print(f"   {n.kind} {n.masked}: {masked_excerpt(text, n, found, width=20)}")


if __name__ == "__main__":
    main()
