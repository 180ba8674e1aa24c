"""Local leaders' names: a misspelt name is a severe expression error too.

No list can hold every local official, so a site teaches us its own: names listed with a post
(a 领导信息 page: ``王建国　局长``), in a biography (``王建国，男，汉族``) or labelled
(``姓名：王建国``), or seen next to a post at least three times, are taken as right. A name
seen next to a post that differs from such a name by one character of the same reading or a
similar shape, with the same surname, is flagged (``局长王建果出席``). Two real officials
whose names differ by one non-confusable character are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from govinspect.engine.text import chars

# Local posts (a national leader's posts are in protected_terms.toml).
LOCAL_POSTS = (
    "党组书记",
    "党委书记",
    "党工委书记",
    "纪委书记",
    "副书记",
    "书记",
    "秘书长",
    "副秘书长",
    "副主任",
    "主任",
    "副局长",
    "局长",
    "副市长",
    "市长",
    "副县长",
    "县长",
    "副区长",
    "区长",
    "副州长",
    "州长",
    "副省长",
    "省长",
    "副厅长",
    "厅长",
    "副乡长",
    "乡长",
    "副镇长",
    "镇长",
    "副主席",
    "主席",
    "副部长",
    "部长",
    "副处长",
    "处长",
    "副院长",
    "院长",
    "检察长",
    "副检察长",
    "副庭长",
    "庭长",
    "副所长",
    "所长",
    "副校长",
    "校长",
    "副行长",
    "行长",
    "副关长",
    "关长",
    "党组成员",
    "主任委员",
    "副主任委员",
    "调研员",
    "巡视员",
)
# The commonest surnames (single-character); a name must start with one of them.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
    "阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣"
    "巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_POSTS_RE = "|".join(sorted(set(LOCAL_POSTS), key=len, reverse=True))
_AFTER_NAME = (
    r"(?=同志|出席|主持|参加|讲话|指出|强调|表示|介绍|带队|调研|一行|率队|会见|陪同|深入|前往|看望|慰问|"
    r"致辞|宣布|作|在|到|对|就|为|向|与|和|及|等|、|，|,|。|；|;|：|:|\s|$)"
)
_MENTION = re.compile(rf"(?:{_POSTS_RE})([\u4e00-\u9fff]{{2,3}}?){_AFTER_NAME}")
_LISTING = re.compile(rf"(?:^|[\s\u3000、，,；;])([\u4e00-\u9fff]{{2,3}})[\s\u3000]*[:：]?[\s\u3000]+(?:{_POSTS_RE})")
# a biography line (王建国，男，汉族，1970年5月生) or a labelled name (姓名：王建国)
_BIOGRAPHY = re.compile(r"(?:^|[^\u4e00-\u9fff]|简历[:：]?)([\u4e00-\u9fff]{2,3})[，,、]\s*[男女](?=[，,、（(\s]|$)")
_LABELLED = re.compile(r"姓\s*名[:：]\s*([\u4e00-\u9fff]{2,3})(?![\u4e00-\u9fff])")
_MAX_MENTIONS = 20_000


@dataclass(frozen=True, slots=True)
class Mention:
    url: str
    name: str
    evidence: str


@dataclass
class NameBook:
    """What one site says about its officials' names (small: names and first mentions)."""

    listed: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    mentions: dict[tuple[str, str], Mention] = field(default_factory=dict)

    def observe(self, url: str, text: str) -> None:
        from govinspect.findings import excerpt

        for pattern in (_LISTING, _BIOGRAPHY, _LABELLED):
            for m in pattern.finditer(text):
                if _plausible(m[1]):
                    self.listed.add(m[1])
        for m in _MENTION.finditer(text):
            name = m[1]
            if not _plausible(name):
                continue
            self.counts[name] += 1
            key = (url, name)
            if key not in self.mentions and len(self.mentions) < _MAX_MENTIONS:
                self.mentions[key] = Mention(url, name, excerpt(text, m.start(1), m.end(1)))

    def near_misses(self) -> list[tuple[Mention, str]]:
        """(mention of a wrong name, the right name)."""
        trusted = self.listed | {n for n, c in self.counts.items() if c >= 3}
        by_shape: dict[tuple[str, int], list[str]] = {}
        for name in trusted:
            by_shape.setdefault((name[0], len(name)), []).append(name)
        out = []
        for (_, name), mention in self.mentions.items():
            if name in trusted:
                continue
            right = next((t for t in by_shape.get((name[0], len(name)), ()) if _one_confusable_apart(name, t)), None)
            if right and self.counts[name] < max(2, self.counts[right]) + (1 if right in self.listed else 0):
                out.append((mention, right))
        return out


def name_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the personal names the text shows as such: after a post (副局长许海滔),
    before one in a list, in a biography or labelled."""
    return [
        (m.start(1), m.end(1))
        for pattern in (_MENTION, _LISTING, _BIOGRAPHY, _LABELLED)
        for m in pattern.finditer(text)
        if _plausible(m[1])
    ]


def _plausible(name: str) -> bool:
    return name[0] in SURNAMES and all(chars.is_han(c) for c in name)


def _one_confusable_apart(a: str, b: str) -> bool:
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 and diff[0] > 0 and chars.confusable(a[diff[0]], b[diff[0]])
