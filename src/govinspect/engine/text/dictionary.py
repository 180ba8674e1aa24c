"""Word frequencies and segmentation from jieba's packaged dictionary.

jieba's global tokenizer is shared with other parts of the process (search indexing), so we
never add words to it: our own extra words (protected terms, official phrasings, allow-list)
are kept beside it and consulted by the scoring here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator
from functools import cache

_MAX_WORD = 8


@cache
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt


def word_freq() -> dict[str, int]:
    """jieba's word -> frequency table (prefixes of words are present with frequency 0)."""
    return _tokenizer().FREQ


def total_freq() -> int:
    return int(_tokenizer().total)


@cache
def proper_names() -> frozenset[str]:
    """Words jieba's dictionary tags as person or place names (nr, nrt, nrfg, ns)."""
    names = set()
    with _tokenizer().get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3 and parts[2] in ("nr", "nrt", "nrfg", "ns"):
                names.add(parts[0])
    return frozenset(names)


def freq(word: str) -> int:
    return word_freq().get(word, 0)


def tokens(text: str) -> Iterator[tuple[int, str]]:
    """(offset, token) from jieba's precise mode without the HMM (unknown words stay split
    into single characters, which is what the typo detector looks for)."""
    pos = 0
    for tok in _tokenizer().cut(text, HMM=False):
        yield pos, tok
        pos += len(tok)


class Scorer:
    """Best segmentation log-probability of short strings (a unigram model over jieba's
    frequencies plus our own extra words)."""

    def __init__(self, extra_words: Iterable[str] = (), extra_freq: int = 2000) -> None:
        self.freq = word_freq()
        self.log_total = math.log(total_freq())
        self.extra = {w: extra_freq for w in extra_words}
        self.unknown = -self.log_total - 4.0  # a character jieba does not know at all

    def word_logp(self, word: str) -> float | None:
        f = self.freq.get(word, 0) or self.extra.get(word, 0)
        if f:
            return math.log(f) - self.log_total
        return None

    def score(self, text: str) -> float:
        n = len(text)
        best = [0.0] + [-math.inf] * n
        for i in range(n):
            if best[i] == -math.inf:
                continue
            for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
                lp = self.word_logp(text[i:j])
                if lp is None:
                    if j == i + 1:
                        lp = self.unknown
                    else:
                        continue
                if best[i] + lp > best[j]:
                    best[j] = best[i] + lp
        return best[n]
