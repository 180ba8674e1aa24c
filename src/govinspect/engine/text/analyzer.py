"""One entry point for both text checks: severe errors first, then typos outside them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from govinspect.engine.text.nearmiss import Flag
from govinspect.engine.text.severe import SevereErrorDetector
from govinspect.engine.text.typo import TypoDetector, TypoSettings
from govinspect.lexicons import Lexicons, cached_lexicons


@dataclass(frozen=True, slots=True)
class Analysis:
    severe: tuple[Flag, ...]
    typos: tuple[Flag, ...]

    @property
    def all(self) -> list[Flag]:
        return sorted((*self.severe, *self.typos), key=lambda f: f.start)


class TextAnalyzer:
    def __init__(self, lexicons: Lexicons, province_code: str = "51", settings: TypoSettings | None = None) -> None:
        self.severe = SevereErrorDetector(lexicons, province_code)
        self.typo = TypoDetector(lexicons, settings)

    def analyze(self, text: str) -> Analysis:
        return self.analyze_blocks([text])[0]

    def analyze_blocks(self, texts: list[str]) -> list[Analysis]:
        """Analyses of the blocks of one page. A confusion (the statistical kind of typo) seen
        twice on the page is dropped: a real term repeats (提质, 双控), a slip of the keyboard
        rarely does the same way twice."""
        out = []
        for text in texts:
            severe = self.severe.find(text)
            out.append((severe, self.typo.find(text, exclude=severe)))
        whole = "\n".join(texts)
        return [
            Analysis(tuple(severe), tuple(f for f in typos if f.kind != "confusion" or whole.count(f.wrong) < 2))
            for severe, typos in out
        ]

    _instances: dict[tuple[str | None, str], TextAnalyzer] = {}
    _lock = threading.Lock()

    @classmethod
    def default(cls, lexicon_dir: str | None = None, province_code: str = "51") -> TextAnalyzer:
        """A process-wide analyzer per lexicon directory and province (built on first use)."""
        key = (lexicon_dir, province_code)
        with cls._lock:
            if key not in cls._instances:
                cls._instances[key] = cls(cached_lexicons(lexicon_dir), province_code)
            return cls._instances[key]

    @classmethod
    def for_options(cls, options: dict[str, Any]) -> TextAnalyzer:
        return cls.default(options.get("lexicon_dir"), str(options.get("province_code", "51")))
