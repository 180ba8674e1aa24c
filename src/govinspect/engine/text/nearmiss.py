"""Near-misses of fixed strings: one character replaced by a confusable one, missing, or extra.

Every target's substitution and deletion variants are enumerated up front into one
Aho-Corasick automaton (with the exact forms, so the correct text is recognised and never
flagged). An extra character is found from an intact half of the target: a target of six
characters or more keeps one of its halves whole when a single character is inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import ahocorasick

from govinspect.engine.text import chars, dictionary

Kind = Literal["homophone", "shape", "missing", "extra", "wrong_post", "improper", "misused", "confusion"]

_NO_EDIT = set("、，,。；;：:·．.-—（）()《》“”\"' 和与及的之")


@dataclass(frozen=True, slots=True)
class Flag:
    start: int
    end: int
    wrong: str
    suggestion: str
    kind: Kind
    target: str = ""  # the protected term or word the wrong form misses

    def overlaps(self, other: Flag) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    positions: tuple[int, ...] | None = None  # where a substitution may happen (None: anywhere)
    deletions: bool = False  # flag a missing character
    insertions: bool = False  # flag an extra character
    guard: Callable[[str, int, int], bool] | None = field(default=None, compare=False)
    # guard(text, start, end) -> True to keep a flag (e.g. a post next to a name)


_NO_INSERT = set("了着过得地等们")  # 全面建成了小康社会 is grammar, not a wrong term

_EXACT, _SUB, _DEL, _HEAD, _TAIL = range(5)


class NearMissMatcher:
    """Finds near-misses of targets in text; ``known`` strings are never flagged as variants."""

    def __init__(self, targets: Iterable[Target], known: Callable[[str], bool], min_insert_len: int = 6) -> None:
        self._targets: list[Target] = list(dict.fromkeys(targets))
        exact = {t.text for t in self._targets}
        self._auto = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, int]]] = {}

        def add(key: str, kind: int, index: int) -> None:
            entries.setdefault(key, []).append((kind, index))

        for i, t in enumerate(self._targets):
            add(t.text, _EXACT, i)
            for variant in self._substitutions(t):
                if variant not in exact and not known(variant):
                    add(variant, _SUB, i)
            if t.deletions:
                for j in range(1, len(t.text) - 1):
                    if t.text[j] in _NO_EDIT:
                        continue
                    variant = t.text[:j] + t.text[j + 1 :]
                    if variant not in exact and not known(variant):
                        add(variant, _DEL, i)
            if t.insertions and len(t.text) >= min_insert_len:
                h = len(t.text) // 2
                add(t.text[:h], _HEAD, i)
                add(t.text[h:], _TAIL, i)
        for key, value in entries.items():
            self._auto.add_word(key, (key, tuple(value)))
        self._empty = not entries
        if not self._empty:
            self._auto.make_automaton()

    @staticmethod
    def _substitutions(t: Target) -> Iterable[str]:
        positions = range(len(t.text)) if t.positions is None else t.positions
        for j in positions:
            ch = t.text[j]
            if not chars.is_han(ch):
                continue
            for c in chars.confusables(ch):
                yield t.text[:j] + c + t.text[j + 1 :]

    def find(self, text: str) -> list[Flag]:
        if self._empty or not text:
            return []
        exact_spans: list[tuple[int, int]] = []
        flags: list[Flag] = []
        for end_incl, (key, payloads) in self._auto.iter(text):
            end = end_incl + 1
            start = end - len(key)
            for kind, index in payloads:
                t = self._targets[index]
                if kind == _EXACT:
                    exact_spans.append((start, end))
                elif kind == _SUB:
                    flags.append(self._sub_flag(text, start, end, t))
                elif kind == _DEL:
                    flags.append(Flag(start, end, text[start:end], t.text, "missing", t.text))
                else:
                    flag = self._insertion(text, start, end, t, head=kind == _HEAD)
                    if flag:
                        flags.append(flag)
        out = []
        for f in flags:
            if any(
                s < f.end and f.start < e and (s < f.start or e > f.end or (s, e) == (f.start, f.end))
                for s, e in exact_spans
            ):
                continue  # part of a correct term that reaches beyond it: not a near-miss
            if not _aligned(text, f.start, f.end):
                continue
            t_guard = next((t.guard for t in self._targets if t.text == f.target and t.guard), None)
            if t_guard and not t_guard(text, f.start, f.end):
                continue
            out.append(f)
        return out

    @staticmethod
    def _sub_flag(text: str, start: int, end: int, t: Target) -> Flag:
        wrong = text[start:end]
        j = next(k for k in range(len(wrong)) if wrong[k] != t.text[k])
        kind: Kind = "homophone" if wrong[j] in chars.same_reading(t.text[j]) else "shape"
        return Flag(start, end, wrong, t.text, kind, t.text)

    @staticmethod
    def _insertion(text: str, start: int, end: int, t: Target, head: bool) -> Flag | None:
        n = len(t.text) + 1
        lo = start if head else end - n
        if lo < 0 or lo + n > len(text):
            return None
        window = text[lo : lo + n]
        if window[0] != t.text[0] or window[-1] != t.text[-1] or text.startswith(t.text, lo):
            return None
        for j in range(1, n - 1):
            if window[:j] + window[j + 1 :] == t.text:
                extra = window[j]
                if extra in _NO_EDIT or extra in _NO_INSERT or not chars.is_han(extra):
                    return None
                return Flag(lo, lo + n, window, t.text, "extra", t.text)
        return None


def _aligned(text: str, start: int, end: int, margin: int = 8) -> bool:
    """True when jieba puts word boundaries at both ends of [start, end): a window that cuts a
    word in two (住房城乡建设部|门, 现代化国|际, 学|习习近平) is ordinary text, not a near-miss."""
    lo, hi = max(0, start - margin), min(len(text), end + margin)
    bounds = {lo + off for off, _ in dictionary.tokens(text[lo:hi])} | {hi}
    return start in bounds and end in bounds


def resolve_overlaps(flags: Iterable[Flag]) -> list[Flag]:
    """Keep the longest of overlapping flags (the most specific target), in text order."""
    kept: list[Flag] = []
    for f in sorted(flags, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(f.overlaps(k) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)
