"""The new-media sandbox: simulated posts for every Sichuan account, with seeded defects and truth.

``build(out, seed)`` writes (deterministic by seed; no Django):

- ``feeds/rss/<platform>/<n>.xml``: one RSS feed per account of the platforms feed bridges serve
  (wechat, weibo, douyin, toutiao, bilibili), with the ``nm:`` extension for comment counts;
- ``feeds/jsonl/<region>.jsonl``: the other platforms' accounts as JSON Lines imports (one file
  per city/prefecture, account records first), ``feeds/csv/xiaohongshu.csv`` as a CSV import;
- ``register.jsonl``: changes the sandbox makes to the shipped register (a second account of an
  organizer on one platform; accounts closed earlier this year), applied by ``apply_register``;
- ``matrix.jsonl``: accounts listed on sites' 新媒体矩阵 pages (registered ones and unfiled ones);
- ``truth.jsonl`` / ``negatives.jsonl``: every seeded defect, and things that must not be flagged,
  in the findings format; ``manifest.json``: seed, as_of, counts.

By default exactly four accounts fail a veto, two in 甘孜 (5133xx) and two provincial, as in the
notice 川办便函〔2025〕368号 (3722 accounts, 4 with prominent problems, pass rate 99.89%).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from govinspect.findings import Finding, mask_bank_card, mask_id_card, mask_mobile
from govinspect.newmedia.adapters import BEIJING, NM_NS
from govinspect.newmedia.checks import NewmediaSettings, account_uri, post_url
from govinspect.registry.sichuan import AccountRow, sichuan_register
from govinspect.sandbox import content as C

AS_OF = date(2025, 12, 15)
RSS_PLATFORMS = ("wechat", "weibo", "douyin", "toutiao", "bilibili")
CSV_PLATFORMS = ("xiaohongshu",)
VETO_KINDS = ("stale", "no_interaction", "no_auto_reply", "severe", "sensitive", "privacy_id", "privacy_bank", "secret")
# non-veto defects: how many accounts get each (an account gets at most one)
DEFECT_COUNTS = {"typo": 60, "privacy_mobile": 15, "low_frequency": 40}
NEGATIVE_COUNTS = {"stale_boundary": 30, "text": 40, "numbers": 30, "replied": 40}
DUPLICATES = 8
CLOSED_ACTIVE = 6
CLOSED_SILENT = 6
MATRIX_SITES = 30
UNFILED = 10

# New-media prose (short, like posts), written for this sandbox: {org}, {region}, {topic}, {n}.
POST_TITLES = [
    "{org}召开{topic}工作推进会",
    "{region}{topic}工作取得新进展",
    "关注｜{topic}，这些新变化与你有关",
    "一图读懂{topic}政策要点",
    "{org}开展{topic}主题宣传活动",
    "提醒！{topic}相关事项办理指南来了",
]
POST_SENTENCES = [
    "近日，{org}组织召开专题会议，研究部署{topic}重点工作。",
    "会议强调，要坚持以人民为中心，扎实推进{topic}各项任务落地见效。",
    "今年以来，{region}累计投入资金{n}万元，持续提升{topic}工作水平。",
    "下一步，{org}将进一步完善工作机制，加强统筹协调，形成工作合力。",
    "活动现场发放宣传资料{n}余份，解答群众咨询，受到广泛好评。",
    "欢迎广大群众积极参与，共同营造良好氛围。",
    "具体办理流程可通过当地政务服务中心窗口咨询。",
]
TOPICS = [
    "乡村振兴",
    "安全生产",
    "生态环境保护",
    "防汛减灾",
    "就业创业",
    "医疗保障",
    "养老服务",
    "消防安全",
    "食品安全",
    "文化旅游",
    "政务公开",
    "科技创新",
]

COMMENTS = ["请问什么时候开始办理？", "点赞！", "希望多发布这类信息。", "这个政策怎么申请？", "已转发。", "辛苦了！"]
REPLIES = ["您好，可拨打12345政务服务便民热线咨询。", "感谢关注，详见政策原文。", "您好，已转相关科室办理。"]
SECRET_SENTENCES = ["本文件密级：机密★1年，仅限内部传阅。", "（绝密★长期）会议纪要全文如下。"]


@dataclass
class Sim:
    """One simulated account: its register row, URI, posts and what its source says."""

    row: AccountRow
    index: int
    uri: str
    region_name: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    auto_reply: bool | None = None
    defect: str = ""


def _rng(seed: int, *parts: object) -> random.Random:
    h = hashlib.sha256("|".join(map(str, (seed, *parts))).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def _ensure_reply(sim: Sim) -> None:
    """Someone answers: the newest commented post has a reply (healthy interaction)."""
    for p in sorted(sim.posts, key=lambda p: p["published_at"], reverse=True):
        if p["comment_count"]:
            p["reply_count"] = max(p["reply_count"], 1)
            if p["comments"]:
                p["comments"][0].update(replied=True, reply_text=REPLIES[0])
            return


def _at(as_of: date, days_ago: float, rng: random.Random) -> datetime:
    base = datetime.combine(as_of, time(0), tzinfo=BEIJING) - timedelta(days=int(days_ago))
    return base + timedelta(hours=rng.randint(8, 21), minutes=rng.randrange(60))


class Builder:
    def __init__(self, seed: int, as_of: date, posts_per_account: int) -> None:
        self.seed, self.as_of, self.n_posts = seed, as_of, posts_per_account
        self.truth: list[Finding] = []
        self.negatives: list[Finding] = []
        self.register_ops: list[dict[str, Any]] = []
        self.matrix: list[dict[str, Any]] = []
        reg = sichuan_register()
        self.regions = {r.code: r.name for r in reg.regions}
        self.sims = [
            Sim(a, i, account_uri(a.platform, a.platform_id), self.regions.get(a.region_code, ""))
            for i, a in enumerate(reg.accounts)
        ]
        self.sites = [s for s in reg.sites if s.status == "open"]

    # --- posts ---------------------------------------------------------------------------------------

    def _post(
        self,
        sim: Sim,
        rng: random.Random,
        n: int,
        when: datetime,
        text: str = "",
        title: str = "",
        comments: int = 0,
        replied: int = 0,
    ) -> dict[str, Any]:
        org = sim.row.organizer
        values = {"org": org, "region": sim.region_name, "topic": rng.choice(TOPICS)}
        title = title or rng.choice(POST_TITLES).format(**values, n=rng.randrange(120, 9800))
        body = text or "".join(
            rng.choice(POST_SENTENCES).format(**values, n=rng.randrange(120, 9800)) for _ in range(rng.randint(2, 3))
        )
        post_id = f"{hashlib.sha1(f'{sim.uri}|{n}'.encode()).hexdigest()[:10]}{n:03d}"
        url = self._native_url(sim, post_id)
        listed = [
            {
                "text": rng.choice(COMMENTS),
                "time": (when + timedelta(hours=2 + k)).isoformat(),
                "replied": k < replied,
                "reply_text": rng.choice(REPLIES) if k < replied else "",
            }
            for k in range(comments)
        ]
        return {
            "post_id": post_id,
            "published_at": when,
            "title": title,
            "text": body,
            "url": url,
            "comment_count": comments,
            "reply_count": replied,
            "comments": listed,
        }

    @staticmethod
    def _native_url(sim: Sim, post_id: str) -> str:
        pid = sim.row.platform_id
        if sim.row.platform == "wechat":
            return f"https://mp.weixin.qq.com/s/{post_id}"
        if pid.startswith("http"):
            return f"{pid.rstrip('/')}/p/{post_id}"
        return ""  # app / channels: the source gives no URL; findings use post_url()

    def posts_for(self, sim: Sim) -> None:
        """A healthy timeline: latest post within 5 days, gaps of at most a week, some comments answered."""
        rng = _rng(self.seed, "posts", sim.uri)
        mean = rng.uniform(0.5, 3.5)
        days = rng.uniform(0, 5)
        commenting = rng.random() < 0.7
        for n in range(self.n_posts):
            comments = rng.choice((0, 0, 1, 2, 3, 5)) if commenting else 0
            replied = sum(1 for _ in range(comments) if rng.random() < 0.6)
            sim.posts.append(self._post(sim, rng, n, _at(self.as_of, days, rng), comments=comments, replied=replied))
            days += rng.uniform(0.3, min(7.0, 2 * mean))
        sim.posts.sort(key=lambda p: p["published_at"], reverse=True)

    def url_of(self, sim: Sim, post: dict[str, Any]) -> str:
        return post_url(sim.uri, post["post_id"], post["url"])

    def record(
        self,
        sim: Sim,
        check: str,
        severity: str,
        indicator: str | None,
        url: str | None = None,
        target: str | None = None,
        **detail: Any,
    ) -> None:
        self.truth.append(
            Finding(sim.uri, check, severity, url or sim.uri, indicator=indicator, target=target, detail=detail)
        )  # type: ignore[arg-type]

    def negative(self, sim: Sim, check: str, url: str | None = None, target: str | None = None, **detail: Any) -> None:
        self.negatives.append(Finding(sim.uri, check, "notice", url or sim.uri, target=target, detail=detail))

    # --- defects -------------------------------------------------------------------------------------

    def _recent(self, sim: Sim, rng: random.Random, max_days: int = 20) -> dict[str, Any]:
        lo = datetime.combine(self.as_of - timedelta(days=max_days), time(0), tzinfo=BEIJING)
        return rng.choice([p for p in sim.posts if p["published_at"] >= lo])

    def _insert(self, sim: Sim, rng: random.Random, sentence: str) -> dict[str, Any]:
        post = self._recent(sim, rng)
        post["text"] = post["text"] + sentence
        return post

    def veto(self, sim: Sim, kind: str) -> None:
        rng = _rng(self.seed, "veto", sim.uri)
        sim.defect = kind
        if kind == "stale":
            shift = timedelta(days=rng.randint(16, 60)) - (self.as_of - sim.posts[0]["published_at"].date())
            for p in sim.posts:
                p["published_at"] -= shift
            self.record(sim, "newmedia.stale", "veto", "NM-V1", latest=sim.posts[0]["published_at"].date().isoformat())
        elif kind in ("no_interaction", "no_auto_reply"):
            if kind == "no_auto_reply":
                sim.auto_reply = False
            for p in sim.posts:
                p["comment_count"] = p["comment_count"] or rng.choice((0, 1, 2, 4))
                p["reply_count"] = 0
                p["comments"] = [dict(c, replied=False, reply_text="") for c in p["comments"]]
            self.record(sim, "newmedia.no_interaction", "veto", "NM-V2")
        elif kind == "severe":
            wrong, right, sentence = rng.choice(C.SEVERE_TERMS)
            post = self._insert(sim, rng, sentence.format(w=wrong))
            self.record(
                sim, "text.severe_error", "veto", "NM-V3", self.url_of(sim, post), wrong=wrong, suggestion=right
            )
        elif kind == "sensitive":
            category, word, sentence = rng.choice(C.SENSITIVE)
            post = self._insert(sim, rng, sentence.format(w=word))
            self.record(
                sim, "security.sensitive", "veto", "NM-V3", self.url_of(sim, post), word=word, category=category
            )
        elif kind == "secret":
            sentence = rng.choice(SECRET_SENTENCES)
            word = next(w for w in ("绝密", "机密", "秘密") if w in sentence) + "★"
            post = self._insert(sim, rng, sentence)
            self.record(
                sim, "security.sensitive", "veto", "NM-V3", self.url_of(sim, post), word=word, category="secret"
            )
        else:
            self._privacy(sim, rng, {"privacy_id": "id_card", "privacy_bank": "bank_card"}[kind])

    def _privacy(self, sim: Sim, rng: random.Random, kind: str) -> None:
        if kind == "id_card":
            number = C.fake_id_card(rng)
            sentence, masked, severity = (
                f"获奖人员：{C.leader_name(rng)}，身份证号{number}。",
                mask_id_card(number),
                "veto",
            )
        elif kind == "bank_card":
            number = C.fake_bank_card(rng)
            sentence, masked, severity = f"补贴发放至银行卡号{number}。", mask_bank_card(number), "veto"
        else:
            number = C.fake_mobile(rng)
            sentence, masked, severity = f"联系人：{C.leader_name(rng)}，手机{number}。", mask_mobile(number), "deduct"
        post = self._insert(sim, rng, sentence)
        self.record(sim, "privacy.leak", severity, "NM-V3", self.url_of(sim, post), kind=kind, masked=masked)

    def defect(self, sim: Sim, kind: str) -> None:
        rng = _rng(self.seed, "defect", sim.uri)
        sim.defect = kind
        if kind == "typo":
            wrong, right, sentence = rng.choice(C.TYPOS)
            post = self._insert(sim, rng, sentence.format(w=wrong))
            self.record(sim, "text.typo", "notice", None, self.url_of(sim, post), wrong=wrong, suggestion=right)
        elif kind == "privacy_mobile":
            self._privacy(sim, rng, "mobile")
        elif kind == "low_frequency":
            keep = rng.randint(1, 3)  # posts in the last 30 days, the newest within 10 days
            recent = sorted(rng.sample(range(3, 29), keep - 1)) if keep > 1 else []
            ages = [rng.randint(1, 10), *recent]
            old = 31 + rng.uniform(0, 3)
            for i, p in enumerate(sim.posts):
                if i < len(ages):
                    p["published_at"] = _at(self.as_of, sorted(ages)[i], rng)
                else:
                    p["published_at"] = _at(self.as_of, old, rng)
                    old += rng.uniform(3, 12)
            self.record(sim, "newmedia.low_frequency", "notice", "NM-D1", posts=keep)

    def negative_case(self, sim: Sim, kind: str) -> None:
        rng = _rng(self.seed, "negative", sim.uri)
        sim.defect = "negative:" + kind
        if kind == "stale_boundary":  # the newest post 10-13 days old, then one every 3 days: not stale
            newest = rng.randint(10, 13)
            for i, p in enumerate(sim.posts):
                p["published_at"] = _at(self.as_of, newest + 3 * i, rng)
            self.negative(sim, "newmedia.stale")
        elif kind == "text":
            _, right, sentence = rng.choice(C.TYPOS)
            post = self._insert(sim, rng, sentence.format(w=right))
            self.negative(sim, "text.typo", self.url_of(sim, post), wrong=right)
            word, legit = rng.choice(C.SENSITIVE_LEGIT)
            post["text"] += legit
            self.negative(sim, "security.sensitive", self.url_of(sim, post), word=word)
            _, term, sentence = rng.choice(C.SEVERE_TERMS)
            post["text"] += sentence.format(w=term)
            self.negative(sim, "text.severe_error", self.url_of(sim, post), wrong=term)
        elif kind == "numbers":
            masked_id, masked_mobile = mask_id_card(C.fake_id_card(rng)), mask_mobile(C.fake_mobile(rng))
            landline = C.fake_landline(rng)
            sentence = f"公示对象：{C.leader_name(rng)}，身份证号：{masked_id}，电话：{masked_mobile}。"
            post = self._insert(sim, rng, sentence + f"监督电话：{landline}。")
            url = self.url_of(sim, post)
            self.negative(sim, "privacy.leak", url, kind="id_card", masked=masked_id)
            self.negative(sim, "privacy.leak", url, kind="mobile", masked=masked_mobile)
            self.negative(sim, "privacy.leak", url, kind="mobile", masked=mask_mobile(landline))
        elif kind == "replied":  # many comments, a few answered: interaction works
            for p in sim.posts:
                p["comment_count"] = max(p["comment_count"], 3)
            self.negative(sim, "newmedia.no_interaction")

    # --- register changes, matrix --------------------------------------------------------------------

    def duplicates(self, rng: random.Random, free: list[Sim]) -> None:
        by_org: dict[str, list[Sim]] = defaultdict(list)
        for sim in self.sims:
            by_org[sim.row.organizer + "|" + sim.row.region_code].append(sim)
        candidates = [
            s
            for s in free
            if s.row.platform not in ("wechat", "app", "other")
            and any(o.row.platform == "wechat" for o in by_org[s.row.organizer + "|" + s.row.region_code])
        ]
        for sim in rng.sample(candidates, DUPLICATES):
            first = next(o for o in by_org[sim.row.organizer + "|" + sim.row.region_code] if o.row.platform == "wechat")
            new_id = "gh_" + hashlib.sha1(f"dup|{sim.uri}".encode()).hexdigest()[:12]
            old = sim.row
            self.register_ops.append(
                {
                    "op": "retarget",
                    "platform": old.platform,
                    "platform_id": old.platform_id,
                    "new_platform": "wechat",
                    "new_platform_id": new_id,
                    "new_name": old.name + "服务号",
                }
            )
            sim.row = AccountRow("wechat", old.name + "服务号", new_id, old.organizer, old.region_code)
            sim.uri = account_uri("wechat", new_id)
            sim.defect = "duplicate"
            a, b = sorted((sim, first), key=lambda s: s.uri)
            self.record(b, "newmedia.duplicate_account", "deduct", "NM-D1", target=a.uri)

    def closed(self, rng: random.Random) -> list[Sim]:
        out = []
        donors = rng.sample(self.sims, CLOSED_ACTIVE + CLOSED_SILENT)
        for k, donor in enumerate(donors):
            digits = str(int(hashlib.sha1(f"closed|{k}|{self.seed}".encode()).hexdigest()[:12], 16))[:9]
            pid = f"https://weibo.com/u/9{digits}"
            row = AccountRow(
                "weibo", donor.row.name + "（旧）", pid, donor.row.organizer, donor.row.region_code, "closed"
            )
            closed_on = self.as_of - timedelta(days=rng.randint(60, 200))
            sim = Sim(row, len(self.sims) + k, account_uri("weibo", pid), donor.region_name)
            self.posts_for(sim)
            if k < CLOSED_ACTIVE:
                self.record(sim, "newmedia.closed_but_active", "deduct", "NM-D1", status="closed")
            else:  # silent since it was closed
                for p in sim.posts:
                    p["published_at"] -= timedelta(days=(self.as_of - closed_on).days + 5)
                self.negative(sim, "newmedia.closed_but_active")
                self.negative(sim, "newmedia.stale")
            self.register_ops.append(
                {
                    "op": "add_closed",
                    "platform": "weibo",
                    "platform_id": pid,
                    "name": row.name,
                    "organizer": row.organizer,
                    "region_code": row.region_code,
                    "closed_on": closed_on.isoformat(),
                }
            )
            out.append(sim)
        return out

    def matrix_pages(self, rng: random.Random) -> None:
        by_region: dict[str, list[Sim]] = defaultdict(list)
        for sim in self.sims:
            by_region[sim.row.region_code].append(sim)
        sites = rng.sample([s for s in self.sites if by_region.get(s.region_code)], MATRIX_SITES)
        for i, site in enumerate(sites):
            page = site.home_url.rstrip("/") + "/xmtjz/index.html"
            for sim in by_region[site.region_code][:6]:
                by_name = rng.random() < 0.3
                self.matrix.append(
                    {
                        "site": site.home_url,
                        "page": page,
                        "platform": sim.row.platform,
                        "name": sim.row.name,
                        "account_id": "" if by_name else sim.row.platform_id,
                    }
                )
                target = sim.uri if not by_name else f"newmedia://{sim.row.platform}/name/{sim.row.name}"
                self.negatives.append(Finding(site.home_url, "newmedia.unfiled", "notice", page, target=target))
            if i < UNFILED:
                name = self.regions.get(site.region_code, "") + rng.choice(["融媒", "青年", "普法", "应急"]) + "号"
                pid = f"https://www.douyin.com/user/MS4wLjABAAAAunfiled{hashlib.sha1(page.encode()).hexdigest()[:12]}"
                self.matrix.append(
                    {"site": site.home_url, "page": page, "platform": "douyin", "name": name, "account_id": pid}
                )
                self.truth.append(
                    Finding(
                        site.home_url,
                        "newmedia.unfiled",
                        "deduct",
                        page,
                        indicator="NM-D1",
                        target=account_uri("douyin", pid),
                    )
                )

    # --- the whole province ----------------------------------------------------------------------------

    def run(self, vetoes: dict[str, int]) -> list[Sim]:
        for sim in self.sims:
            self.posts_for(sim)
        rng = _rng(self.seed, "plan")
        chosen: set[int] = set()
        # distinct veto kinds first (four accounts show four kinds of veto), then any
        total = sum(vetoes.values())
        kinds = rng.sample(VETO_KINDS, min(total, len(VETO_KINDS)))
        kinds += [rng.choice(VETO_KINDS) for _ in range(total - len(kinds))]
        for prefix, count in vetoes.items():
            pool = [s for s in self.sims if s.row.region_code.startswith(prefix) if s.index not in chosen]
            for sim in rng.sample(pool, count):
                chosen.add(sim.index)
                self.veto(sim, kinds.pop())
        free = [s for s in self.sims if s.index not in chosen]
        rng.shuffle(free)
        for kind, count in DEFECT_COUNTS.items():
            for sim in free[:count]:
                self.defect(sim, kind)
            free = free[count:]
        for kind, count in NEGATIVE_COUNTS.items():
            for sim in free[:count]:
                self.negative_case(sim, kind)
            free = free[count:]
        self.duplicates(rng, free)
        extra = self.closed(rng)
        self.matrix_pages(rng)
        for sim in [*self.sims, *extra]:
            if sim.defect not in ("no_interaction", "no_auto_reply"):
                _ensure_reply(sim)
        return self.sims + extra


# --- writing ----------------------------------------------------------------------------------------


def _rss(sim: Sim) -> str:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:nm="{NM_NS}"><channel>'
        f"<title>{escape(sim.row.name)}</title><link>{escape(sim.row.platform_id)}</link>"
        f"<nm:platform>{sim.row.platform}</nm:platform><description>{escape(sim.row.organizer)}</description>"
    )
    if sim.auto_reply is not None:
        head += f"<nm:auto_reply>{str(sim.auto_reply).lower()}</nm:auto_reply>"
    items = []
    for p in sim.posts:
        comments = "".join(
            f"<nm:comment><nm:text>{escape(c['text'])}</nm:text><nm:time>{c['time']}</nm:time>"
            + (f"<nm:reply>{escape(c['reply_text'])}</nm:reply>" if c["replied"] else "")
            + "</nm:comment>"
            for c in p["comments"]
        )
        items.append(
            f"<item><title>{escape(p['title'])}</title><link>{escape(p['url'])}</link>"
            f'<guid isPermaLink="false">{p["post_id"]}</guid>'
            f"<pubDate>{p['published_at'].strftime('%a, %d %b %Y %H:%M:%S +0800')}</pubDate>"
            f"<description>{escape('<p>' + p['text'] + '</p>')}</description>"
            f"<nm:comment_count>{p['comment_count']}</nm:comment_count>"
            f"<nm:reply_count>{p['reply_count']}</nm:reply_count><nm:comments>{comments}</nm:comments></item>"
        )
    return head + "".join(items) + "</channel></rss>\n"


def _jsonl_rows(sim: Sim) -> list[dict[str, Any]]:
    base = {"platform": sim.row.platform, "account_id": sim.row.platform_id}
    rows: list[dict[str, Any]] = []
    if sim.auto_reply is not None:
        rows.append({"type": "account", **base, "auto_reply": sim.auto_reply})
    for p in sim.posts:
        rows.append({**base, **p, "published_at": p["published_at"].isoformat()})
    return rows


def build(
    out: str | Path,
    seed: int = 1,
    as_of: date = AS_OF,
    posts_per_account: int = 50,
    vetoes: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Write the sandbox into ``out``; returns the manifest."""
    out = Path(out)
    vetoes = {"5133": 2, "510000": 2} if vetoes is None else vetoes
    b = Builder(seed, as_of, posts_per_account)
    sims = b.run(vetoes)
    files = 0
    jsonl: dict[str, list[dict[str, Any]]] = defaultdict(list)
    csv_rows: list[dict[str, Any]] = []
    for sim in sims:
        if sim.row.platform in RSS_PLATFORMS:
            path = out / "feeds" / "rss" / sim.row.platform / f"{sim.index:05d}.xml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_rss(sim), encoding="utf-8")
            files += 1
        elif sim.row.platform in CSV_PLATFORMS and sim.auto_reply is None:
            csv_rows.extend(_jsonl_rows(sim))
        else:
            jsonl[sim.row.region_code[:4]].extend(_jsonl_rows(sim))
    for prefix, rows in sorted(jsonl.items()):
        _write_jsonl(out / "feeds" / "jsonl" / f"{prefix}.jsonl", rows)
        files += 1
    if csv_rows:
        _write_csv(out / "feeds" / "csv" / "xiaohongshu.csv", csv_rows)
        files += 1
    _write_jsonl(out / "register.jsonl", b.register_ops)
    _write_jsonl(out / "matrix.jsonl", b.matrix)
    _write_jsonl(out / "truth.jsonl", [f.to_dict() for f in b.truth])
    _write_jsonl(out / "negatives.jsonl", [f.to_dict() for f in b.negatives])
    manifest = {
        "seed": seed,
        "as_of": as_of.isoformat(),
        "accounts": len(b.sims),
        "closed_accounts": len(sims) - len(b.sims),
        "posts": sum(len(s.posts) for s in sims),
        "feed_files": files,
        "truth": len(b.truth),
        "negatives": len(b.negatives),
        "veto_accounts": sorted({f.site for f in b.truth if f.severity == "veto"}),
        "settings": {"stale_days": NewmediaSettings().stale_days},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    names = [
        "platform",
        "account_id",
        "post_id",
        "published_at",
        "title",
        "text",
        "url",
        "comment_count",
        "reply_count",
        "comments",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(row[k], ensure_ascii=False) if k == "comments" else row[k] for k in names})


def feed_files(directory: str | Path) -> list[Path]:
    root = Path(directory) / "feeds"
    return sorted(p for p in root.rglob("*") if p.suffix in (".xml", ".jsonl", ".csv"))


def read_truth(directory: str | Path, negatives: bool = False) -> list[Finding]:
    path = Path(directory) / ("negatives.jsonl" if negatives else "truth.jsonl")
    return [Finding.from_dict(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
