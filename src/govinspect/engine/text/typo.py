"""General typo (错别字) detection, tuned for precision.

Four sources, most certain first:
1. our list of commonly misused words (``misused_words.tsv``), matched exactly;
2. near-misses of official phrasings (``official_phrasings.txt``, four characters or more);
3. confusion over jieba's dictionary, the rule-based idea of pycorrector: a character that
   jieba leaves alone (a single-character token) is suspect when replacing it by a
   same-reading or similar-shape character turns the surrounding 2-4 characters, not a word,
   into a frequent dictionary word, and the local segmentation gets much more probable;
4. a two-character rule for the commonest shape of a typo, one character of a frequent word
   replaced (观注, 申清, 综和): two neighbouring characters that no word covers, where one
   of them is mostly used in one word (申 starts 申请 in 44% of jieba's two-character uses,
   综 starts 综合 in 96%, 注 ends 关注 in 70%) and the other reads like (or looks like) the
   missing character of that word. The kept character predicting the word is the evidence
   that lets the segmentation gain be lower than for the general confusion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from govinspect.engine.text import chars, dictionary, names, places
from govinspect.engine.text.nearmiss import Flag, NearMissMatcher, Target, resolve_overlaps
from govinspect.lexicons import Lexicons, MisusedWord


@dataclass(frozen=True, slots=True)
class TypoSettings:
    min_word_freq: int = 200  # the corrected word must be at least this frequent
    min_word_freq_long: int = 200  # the same for a word of 3-4 characters (idioms are rarer)
    min_gain: float = 10.0  # log-probability gain of the local segmentation (3-4 characters)
    min_gain_pair: float = 11.0  # the same for a two-character word (more chances, stricter)
    suspect_top: int = 4000  # the suspect character is among the commonest (rare ones are names)
    context: int = 3  # characters each side scored with the window
    max_window: int = 4
    # the two-character rule (4.)
    min_gain_collocation: float = 9.0
    min_share: float = 0.4  # the word's share of the kept character's two-character uses
    min_word_freq_collocation: int = 500
    bound_ratio: float = 0.1  # a character standing alone in less than this share of its uses is bound


# A place name's last character: 瓦窑沟乡, 会仪镇 are names, not typos of 窑洞, 会议.
_PLACE_SUFFIXES = frozenset("乡镇村县区街旗盟")

# Before a pair, the head of a personal name (a surname) or of a numbered abbreviation (五交化).
_NAME_HEADS = names.SURNAMES | frozenset("一二三四五六七八九十两双")


def _parallel(run: str, i: int) -> bool:
    """True when run[i:i+2] is a half of a parallel four-character phrase (自查自改, 边学边改)."""
    return (i >= 2 and (run[i - 2] == run[i] or run[i - 1] == run[i + 1])) or (
        i + 3 < len(run) and (run[i] == run[i + 2] or run[i + 1] == run[i + 3])
    )


# Characters that stand alone in ordinary text far more often than they are typos; a
# confusion involving them needs a frequent 3-4 character word to be believed.
_FUNCTION_CHARS = frozenset(
    "的地得了着过是在和与及或而且并也都就还又再才只把被给对向从往于以为因由所之其这那些个们吗呢吧啊"
)


def _idioms(freq: dict[str, int], least: int) -> frozenset[str]:
    """Four-character phrases (成语 mostly) of pypinyin's phrase dictionary that jieba's
    frequencies leave out: an idiom is a strong candidate whatever its count (一丝不狗)."""
    from pypinyin.phrases_dict import phrases_dict

    return frozenset(
        p for p in phrases_dict if len(p) == 4 and all(chars.is_han(c) for c in p) and freq.get(p, 0) < least
    )


def _char_uses(freq: dict[str, int]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Summed frequencies of the two-character words each character starts, of those it ends,
    and of all words holding it (itself alone included)."""
    first: dict[str, int] = defaultdict(int)
    second: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for word, f in freq.items():
        if f <= 0:
            continue
        if len(word) == 2:
            first[word[0]] += f
            second[word[1]] += f
        for ch in set(word):
            total[ch] += f
    return dict(first), dict(second), dict(total)


class TypoDetector:
    def __init__(self, lexicons: Lexicons, settings: TypoSettings | None = None) -> None:
        self.settings = settings or TypoSettings()
        self.lexicons = lexicons
        freq = dictionary.word_freq()
        self.freq = freq
        self.extra_words = set(lexicons.phrasings) | lexicons.allowlist | set(lexicons.protected.terms)
        self.idioms = _idioms(freq, self.settings.min_word_freq_long)
        self.scorer = dictionary.Scorer(self.extra_words | self.idioms, extra_freq=self.settings.min_word_freq_long)
        self._misused = ahocorasick.Automaton()
        for entry in lexicons.misused:
            self._misused.add_word(entry.wrong, entry)
        if len(self._misused):
            self._misused.make_automaton()
        place_names = places.all_place_names()

        def known(s: str) -> bool:
            return freq.get(s, 0) > 0 or s in self.extra_words or s in place_names

        phrasings = [p for p in lexicons.phrasings if len(p) >= 4 and all(chars.is_han(c) for c in p)]
        # the shortest phrasing is the unit reported (营商环竟, not 优化营商环竟)
        shortest = [p for p in phrasings if not any(q != p and q in p for q in phrasings)]
        self.phrasings = NearMissMatcher((Target(p) for p in shortest), known)
        self._index = self._build_index()
        self._first_uses, self._second_uses, self._all_uses = _char_uses(freq)
        self._suspects = chars.common_chars(self.settings.suspect_top)
        self._words = (
            frozenset(w for w, f in freq.items() if f > 0 and 2 <= len(w) <= 4)
            | {w for w in self.extra_words if 2 <= len(w) <= 4}
            | self.idioms
        )

    def _build_index(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = defaultdict(list)
        s = self.settings
        # a person's or place name is no likely correction of ordinary text (徐丽华 -> 徐立华)
        names = dictionary.proper_names()
        for word, f in self.freq.items():
            least = s.min_word_freq if len(word) == 2 else s.min_word_freq_long
            if f >= least and 2 <= len(word) <= s.max_window and word not in names:
                for j in range(len(word)):
                    index[word[:j] + "?" + word[j + 1 :]].append(word)
        for word in self.idioms:
            for j in range(4):
                index[word[:j] + "?" + word[j + 1 :]].append(word)
        return {k: tuple(v) for k, v in index.items()}

    def find(self, text: str, exclude: Iterable[Flag] = ()) -> list[Flag]:
        flags = list(self._misused_flags(text))
        flags.extend(f for f in self.phrasings.find(text))
        taken = list(exclude) + flags
        # a person's name is no word: 许海滔 after 副局长 is no typo of 海水 (names are checked
        # against the site's own officials by text.severe_error)
        people = [Flag(a, b, "", "", "confusion") for a, b in names.name_spans(text)]
        for offset, run in chars.han_runs(text):
            if len(run) <= 4:
                continue  # names in lists (刘世杰　广州…), headings: too little context to judge
            for f in self._confusions(run):
                shifted = Flag(f.start + offset, f.end + offset, f.wrong, f.suggestion, f.kind, f.target)
                if not any(shifted.overlaps(t) for t in taken) and not any(shifted.overlaps(p) for p in people):
                    flags.append(shifted)
        allow = self.lexicons.allowlist
        return resolve_overlaps(f for f in flags if f.wrong not in allow and not any(f.overlaps(e) for e in exclude))

    def _misused_flags(self, text: str) -> Iterable[Flag]:
        if not len(self._misused):
            return
        for end_incl, entry in self._misused.iter(text):
            entry: MisusedWord
            end = end_incl + 1
            start = end - len(entry.wrong)
            if any(self._covers(text, start, end, e) for e in entry.exceptions):
                continue
            yield Flag(start, end, entry.wrong, entry.right, "misused", entry.right)

    @staticmethod
    def _covers(text: str, start: int, end: int, longer: str) -> bool:
        lo = max(0, end - len(longer))
        pos = text.find(longer, lo, start + len(longer))
        return pos != -1 and pos <= start and pos + len(longer) >= end

    def _uncovered(self, run: str) -> list[int]:
        """Positions no dictionary word of 2-4 characters covers: where a typo can hide.
        (A cheaper stand-in for jieba's single-character tokens.)"""
        words = self._words
        n = len(run)
        covered = bytearray(n)
        for a in range(n - 1):
            for size in (2, 3, 4):
                if a + size > n:
                    break
                if run[a : a + size] in words:
                    covered[a : a + size] = b"\x01" * size
        return [i for i in range(n) if not covered[i]]

    def _confusions(self, run: str) -> Iterable[Flag]:
        uncovered = self._uncovered(run)
        done: set[int] = set()
        for flag in self._window_confusions(run, uncovered):
            done.update(range(flag.start, flag.end))
            yield flag
        lone = set(uncovered)
        for i in uncovered:
            if i + 1 in lone and i not in done and i + 1 not in done and self._isolated(run, i, lone):
                flag = self._collocation(run, i)
                if flag is not None:
                    done.update((i, i + 1))
                    yield flag

    def _bound(self, ch: str) -> bool:
        """True for a character that rarely stands alone as a word (综, 申, 乌)."""
        return self.freq.get(ch, 0) < self.settings.bound_ratio * self._all_uses.get(ch, 1)

    def _isolated(self, run: str, i: int, lone: set[int]) -> bool:
        """True when run[i:i+2] is a stretch of its own, not part of a longer unknown name,
        abbreviation or parallel phrase: not between two lone characters (铁布肯乌散乡), no bound
        lone character beside it (可依规), no surname or numeral before it (副局长李凡荣, 五交化),
        no place suffix after it (会仪镇), no repeated character around it (自查自改)."""
        before, after = i - 1, i + 2
        # a function word beside the pair (并, 对, 和) stands alone by right: it ends the stretch
        lone_before = before >= 0 and before in lone and run[before] not in _FUNCTION_CHARS
        lone_after = after < len(run) and after in lone and run[after] not in _FUNCTION_CHARS
        if lone_before and (lone_after or self._bound(run[before]) or run[before] in _NAME_HEADS):
            return False
        if after < len(run) and (run[after] in _PLACE_SUFFIXES or (lone_after and self._bound(run[after]))):
            return False
        return not _parallel(run, i)

    def _collocation(self, run: str, i: int) -> Flag | None:
        """Rule 4 on run[i:i+2], two characters no word covers."""
        s = self.settings
        pair = run[i : i + 2]
        first, second = self._first_uses, self._second_uses
        best: tuple[float, str] | None = None
        for j in (0, 1):
            wrong = pair[j]
            if wrong not in self._suspects or wrong in self.extra_words:
                continue
            kept = pair[1 - j]
            kept_total = (second if j == 0 else first).get(kept, 0)
            for cand in self._index.get(pair[:j] + "?" + pair[j + 1 :], ()):
                f = self.freq.get(cand, 0)
                if (
                    f < s.min_word_freq_collocation
                    or f < s.min_share * kept_total
                    or not chars.typed_for(wrong, cand, j)
                ):
                    continue
                gain = self._gain(run, i, 2, cand)
                if gain >= s.min_gain_collocation and (best is None or gain > best[0]):
                    best = (gain, cand)
        if best is None:
            return None
        return Flag(i, i + 2, pair, best[1], "confusion", best[1])

    def _window_confusions(self, run: str, uncovered: list[int]) -> Iterable[Flag]:
        s = self.settings
        n = len(run)
        for i in uncovered:
            if run[i] not in self._suspects or run[i] in self.extra_words:
                continue
            near = chars.symmetric_confusables(run[i])
            smallest = 3 if run[i] in _FUNCTION_CHARS else 2
            best: tuple[float, int, int, str] | None = None
            for size in range(smallest, s.max_window + 1):
                for a in range(max(0, i - size + 1), min(i, n - size) + 1):
                    window = run[a : a + size]
                    j = i - a
                    for cand in self._index.get(window[:j] + "?" + window[j + 1 :], ()):
                        if cand[j] not in near:
                            continue
                        found = self._judge(run, a, size, cand)
                        if found is not None and (best is None or found > best[0]):
                            best = (found, a, size, cand)
            if best is not None:
                _, a, size, cand = best
                yield Flag(a, a + size, run[a : a + size], cand, "confusion", cand)

    def _judge(self, run: str, a: int, size: int, cand: str) -> float | None:
        s = self.settings
        gain = self._gain(run, a, size, cand)
        return gain if gain >= (s.min_gain_pair if size == 2 else s.min_gain) else None

    def _gain(self, run: str, a: int, size: int, cand: str) -> float:
        """Log-probability gain of the local segmentation when run[a:a+size] becomes cand."""
        s = self.settings
        lo, hi = max(0, a - s.context), min(len(run), a + size + s.context)
        before = run[lo:hi]
        after = before[: a - lo] + cand + before[a - lo + size :]
        return self.scorer.score(after) - self.scorer.score(before)
