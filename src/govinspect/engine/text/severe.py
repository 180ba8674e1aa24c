"""Severe expression errors (严重表述错误): near-misses of protected terms, a wrong post next
to a leader's name, and expressions that are wrong as such."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ahocorasick

from govinspect.engine.text import dictionary, places
from govinspect.engine.text.nearmiss import Flag, NearMissMatcher, Target, resolve_overlaps
from govinspect.lexicons import Leader, Lexicons

_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "县", "区", "州", "旗", "盟")
_ORGAN_SUFFIXES = "部署院局委办行会"
_HONORIFIC = "同志"
_PROSE_BEFORE_PLACE = frozenset("是在和与及或的对向为从到至往赴经由于同跟给把被让将")


def _place_core(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def place_target(name: str, guard: Callable[[str, int, int], bool] | None = None) -> Target | None:
    """A place is only matched with its suffix, and only its proper-name part may vary:
    成都市 -> 城都市, never 成都是."""
    core = _place_core(name)
    if len(core) < 2 or core == name:
        return None
    return Target(name, positions=tuple(range(min(len(core), 3))), guard=guard)


def term_target(term: str) -> Target:
    positions = None
    if len(term) <= 3 and term[-1] in _ORGAN_SUFFIXES:
        positions = tuple(range(len(term) - 1))  # 公安部: never 公安不 (公安不作为 is prose)
    return Target(term, positions=positions, deletions=len(term) >= 5, insertions=len(term) >= 6)


class SevereErrorDetector:
    """Finds severe expression errors in text. Built once per lexicon set (about a second)."""

    def __init__(self, lexicons: Lexicons, province_code: str = "51") -> None:
        self.lexicons = lexicons
        protected = lexicons.protected
        freq = dictionary.word_freq()
        place_names = places.all_place_names()
        extra = set(lexicons.phrasings) | lexicons.allowlist

        def known(s: str) -> bool:
            return freq.get(s, 0) > 0 or s in place_names or s in extra

        self._place_names = place_names
        self.leaders: dict[str, Leader] = {leader.name: leader for leader in protected.leaders}
        self.titles = sorted(protected.post_titles, key=len, reverse=True)
        targets: list[Target] = [term_target(t) for t in protected.terms]
        elsewhere = [name for code, name in places.province_codes().items() if code != province_code[:2]]
        elsewhere += [n for code, names in places.prefectures().items() if code != province_code[:2] for n in names]
        self._elsewhere = tuple(dict.fromkeys(c for c in (_place_core(n)[:2] for n in elsewhere) if len(c) == 2))
        for name in places.provinces():
            target = place_target(name, guard=self._not_another_place)
            if target:
                targets.append(target)
        for name in places.province_places(province_code):
            target = place_target(name, guard=self._not_elsewhere)
            if target:
                targets.append(target)
        for leader in protected.leaders:
            if len(leader.name) >= 3:
                guard = None if leader.canonical == "总书记" else self._near_post
                targets.append(Target(leader.name, guard=guard))
            elif len(leader.name) == 2:
                # 李强 -> 李墙 only next to a post: a two-character name is too short to trust alone
                targets.append(Target(leader.name, positions=(1,), guard=self._near_post))
        self.matcher = NearMissMatcher(targets, known)
        self._names = ahocorasick.Automaton()
        for name in self.leaders:
            self._names.add_word(name, name)
        for wrong, right in protected.improper:
            self._names.add_word(wrong, (wrong, right))
        if len(self._names):
            self._names.make_automaton()

    def _not_another_place(self, text: str, start: int, end: int) -> bool:
        """A near-miss made of a function word and a whole place name is that place in prose
        (渠县 is a county: 是渠县 is no misspelt 石渠县, 十渠县 is)."""
        return not any(
            text[k:end] in self._place_names and all(c in _PROSE_BEFORE_PLACE for c in text[start:k])
            for k in range(start + 1, end - 1)
        )

    def _not_elsewhere(self, text: str, start: int, end: int) -> bool:
        """A near-miss of one of our counties right after another province's or city's name is
        a place of theirs (邢台市信都区 is no misspelt 新都区); nor is one ending with a whole
        place name (是渠县)."""
        before = text[max(0, start - 12) : start]
        return not any(p in before for p in self._elsewhere) and self._not_another_place(text, start, end)

    def _near_post(self, text: str, start: int, end: int) -> bool:
        before, after = text[max(0, start - 12) : start], text[end : end + 12]
        return after.startswith(_HONORIFIC) or any(before.endswith(t) or after.startswith(t) for t in self.titles)

    def find(self, text: str) -> list[Flag]:
        flags = self.matcher.find(text)
        flags.extend(self._names_and_improper(text))
        allow = self.lexicons.allowlist
        return resolve_overlaps(f for f in flags if f.wrong not in allow)

    def _names_and_improper(self, text: str) -> Iterable[Flag]:
        if not len(self._names):
            return
        for end_incl, value in self._names.iter(text):
            end = end_incl + 1
            if isinstance(value, tuple):
                wrong, right = value
                yield Flag(end - len(wrong), end, wrong, right, "improper", right)
                continue
            leader = self.leaders[value]
            yield from self._wrong_posts(text, end - len(value), end, leader)

    def _wrong_posts(self, text: str, start: int, end: int, leader: Leader) -> Iterable[Flag]:
        allowed = leader.posts | leader.former_posts
        short = min(leader.posts, key=len) if leader.posts else leader.canonical
        before = next((t for t in self.titles if text.endswith(t, 0, start)), None)
        if before and before not in allowed:
            yield Flag(
                start - len(before),
                end,
                before + leader.name,
                leader.canonical + leader.name,
                "wrong_post",
                leader.name,
            )
        after = next((t for t in self.titles if text.startswith(t, end)), None)
        if after and after not in allowed:
            yield Flag(start, end + len(after), leader.name + after, leader.name + short, "wrong_post", leader.name)
