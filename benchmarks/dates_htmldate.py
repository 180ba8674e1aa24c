"""Article publication-date accuracy on htmldate's 1,000-page evaluation set, ours side by
side with htmldate itself.

    .venv/bin/python benchmarks/dates_htmldate.py [--data ../shared/data/dates] [--limit N]

pages.tar.xz is extracted to a temporary directory at run time (never into the repo).
Scoring as htmldate's own evaluation: per page, no date → FN, the gold date → TP, another
date → FP; accuracy = TP / pages. Three runs:
- htmldate: find_date(html, url, original_date=True, extensive_search=True)
- ours: govinspect.engine.page.dates.article_date (meta → labels → URL → htmldate fallback)
- ours without htmldate (use_htmldate=False): what our own rules reach alone.
"""

from __future__ import annotations

import argparse
import json
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path

from govinspect.engine.page.dates import article_date, htmldate_date
from govinspect.engine.page.parse import parse_page

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dates"
AS_OF = date(2026, 6, 1)  # after every page of the set (dates after as_of are not accepted)


def locate(root: Path, name: str) -> Path | None:
    for sub in ("test_set", "cache", "eval"):
        for base in (root / sub, *root.glob(f"*/{sub}"), *root.glob(f"*/*/{sub}")):
            path = base / name
            if path.exists():
                return path
    return None


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.seconds = 0.0

    def add(self, found: date | None, gold: str) -> None:
        if found is None:
            self.fn += 1
        elif found.isoformat() == gold:
            self.tp += 1
        else:
            self.fp += 1

    def row(self, name: str, n: int) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        return (
            f"{name:<24} P {p:.3f}  R {r:.3f}  Acc {self.tp / n:.3f}  F {f:.3f}  "
            f"({self.tp} TP, {self.fp} FP, {self.fn} FN; {1000 * self.seconds / n:.1f} ms/page)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="first N pages only")
    ap.add_argument("--show-diff", action="store_true", help="print pages where ours and htmldate disagree")
    args = ap.parse_args()
    gold: dict[str, dict[str, str]] = {}
    for name in ("eval_default.json", "eval_mediacloud_2020.json"):
        gold.update(json.loads((args.data / name).read_text(encoding="utf-8")))
    entries = list(gold.items())[: args.limit or None]
    scores = {"htmldate": Score(), "ours": Score(), "ours_no_htmldate": Score()}
    sources: dict[str, int] = {}
    missing = 0
    with tempfile.TemporaryDirectory(prefix="govinspect-dates-") as tmp:
        t0 = time.perf_counter()
        with tarfile.open(args.data / "pages.tar.xz") as tar:
            tar.extractall(tmp, filter="data")
        print(f"extracted in {time.perf_counter() - t0:.1f}s")
        for url, entry in entries:
            path = locate(Path(tmp), entry["file"])
            if path is None:
                missing += 1
                continue
            raw = path.read_bytes()
            t = time.perf_counter()
            page = parse_page(url, raw, headers={"content-type": "text/html"})
            ours = article_date(url, meta=page.meta, text=page.text, html=page.html, as_of=AS_OF)
            scores["ours"].seconds += time.perf_counter() - t
            scores["ours"].add(ours.value if ours else None, entry["date"])
            sources[ours.source if ours else "none"] = sources.get(ours.source if ours else "none", 0) + 1
            t = time.perf_counter()
            alone = article_date(url, meta=page.meta, text=page.text, as_of=AS_OF, use_htmldate=False)
            scores["ours_no_htmldate"].seconds += time.perf_counter() - t
            scores["ours_no_htmldate"].add(alone.value if alone else None, entry["date"])
            t = time.perf_counter()
            theirs = htmldate_date(page.html, url)
            scores["htmldate"].seconds += time.perf_counter() - t
            scores["htmldate"].add(theirs, entry["date"])
            mine = ours.value if ours else None
            if args.show_diff and mine != theirs:
                source = ours.source if ours else "-"
                print(f"  diff {url} gold={entry['date']} ours={mine} ({source}) htmldate={theirs}")
    n = len(entries) - missing
    print(f"{n} pages scored ({missing} not found in the archive)")
    for name, score in scores.items():
        print(score.row(name, n))
    print("ours, by source:", json.dumps(sources, sort_keys=True))


if __name__ == "__main__":
    main()
