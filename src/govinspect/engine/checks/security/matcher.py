"""Multi-pattern matching of the prohibited-content lexicon (Aho-Corasick) with context rules.

Text is normalised like the lexicon (NFKC, lower case, spaces removed, line breaks kept as
sentence ends) with a map back to the original offsets, so "百 家 乐" and full-width "ＢＥＴ３６５"
match while excerpts quote the page as written.

A hit is legitimate, and dropped, when it lies inside an allowed phrase (打击赌博违法犯罪) or
an official word (打击, 整治, 警惕 …) stands in the same sentence within the window.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import ahocorasick

from govinspect.lexicons.sensitive import SensitiveLexicon

_SENTENCE_ENDS = frozenset("。！？；!?;\n")


@dataclass(frozen=True, slots=True)
class SensitiveHit:
    word: str  # the lexicon term
    category: str
    start: int  # offsets in the original text
    end: int


def _automaton(words: dict[str, object]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word, value in words.items():
        automaton.add_word(word, (len(word), value))
    automaton.make_automaton()
    return automaton


class SensitiveMatcher:
    def __init__(self, lexicon: SensitiveLexicon) -> None:
        self.lexicon = lexicon
        self._terms = _automaton({t: (t, c.id) for c in lexicon.categories for t in c.terms})
        self._allowed = _automaton({p: p for p in lexicon.allowed_phrases})
        self._official = _automaton({w: w for w in lexicon.official_words})

    def find(self, text: str, *, context: bool = True) -> list[SensitiveHit]:
        """Every prohibited term in ``text`` not excused by its context (``context=False``:
        every term, for measuring what the context rules drop)."""
        if not text or self._terms is None:
            return []
        norm, index = _normalise(text)
        hits = []
        allowed = list(self._spans(self._allowed, norm))
        for end_at, (length, (word, category)) in self._terms.iter(norm):
            start = end_at - length + 1
            end = end_at + 1
            if context and any(s <= start and end <= e for s, e in allowed):
                continue
            if context and self._official_nearby(norm, start, end):
                continue
            hits.append(SensitiveHit(word, category, index[start], index[end - 1] + 1))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits

    def first_per_sentence(self, text: str) -> list[SensitiveHit]:
        """The leftmost hit of each sentence: one spam passage is one problem, not one per word."""
        out: list[SensitiveHit] = []
        last_sentence = -1
        for hit in self.find(text):
            sentence = _sentence_start(text, hit.start)
            if sentence != last_sentence:
                out.append(hit)
                last_sentence = sentence
        return out

    def matches(self, text: str) -> bool:
        return bool(self.find(text))

    @staticmethod
    def _spans(automaton: ahocorasick.Automaton | None, norm: str):
        if automaton is None:
            return
        for end_at, (length, _value) in automaton.iter(norm):
            yield end_at - length + 1, end_at + 1

    def _official_nearby(self, norm: str, start: int, end: int) -> bool:
        if self._official is None:
            return False
        window = self.lexicon.window
        lo = start
        while lo > 0 and start - lo < window and norm[lo - 1] not in _SENTENCE_ENDS:
            lo -= 1
        hi = end
        while hi < len(norm) and hi - end < window and norm[hi] not in _SENTENCE_ENDS:
            hi += 1
        return any(not (s + lo < end and start < e + lo) for s, e in self._spans(self._official, norm[lo:hi]))


def _normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            chars.append("\n")
            index.append(i)
            continue
        if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff":
            continue
        folded = unicodedata.normalize("NFKC", ch).lower() if not ("\u4e00" <= ch <= "\u9fff") else ch
        for f in folded:
            if not f.isspace():
                chars.append(f)
                index.append(i)
    return "".join(chars), index


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _SENTENCE_ENDS:
        i -= 1
    return i
