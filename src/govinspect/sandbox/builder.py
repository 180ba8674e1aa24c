"""One simulated site, planned and seeded: look, columns and dated items, URLs, truth.

Each site has its own RNG seeded by the build seed and its site code, so a site does not change
when others are added. Truth URLs use the default ports ``base_port + index`` (see truth.py).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from govinspect.findings import Finding, mask
from govinspect.sandbox import content as C
from govinspect.sandbox import layout as L
from govinspect.sandbox.attachments import KINDS as ATTACHMENT_KINDS
from govinspect.sandbox.model import COLUMN_DEFS, Attachment, Column, Item
from govinspect.sandbox.render import RenderMixin
from govinspect.sandbox.sites import SiteSpec

AS_OF = date(2025, 12, 15)
DEFAULT_BASE_PORT = 8101

SEVERITY = {
    "availability.unreachable": "veto",
    "update.homepage_stale": "veto",
    "update.column_stale": "deduct",
    "update.column_blank": "deduct",
    "links.broken": "deduct",
    "text.severe_error": "veto",
    "text.typo": "deduct",
    "security.sensitive": "veto",
    "security.hidden_link": "veto",
    "privacy.leak": "deduct",
    "policy.missing_elements": "deduct",
    "policy.interpretation_unlinked": "deduct",
    "interaction.no_channel": "veto",
    "interaction.unanswered": "veto",
    "interaction.perfunctory": "deduct",
    "service.guide_incomplete": "deduct",
    "search.missing": "deduct",
    "search.no_pinyin": "notice",
    "search.no_typo_tolerance": "notice",
    "search.title_not_found": "deduct",
    "identity.missing": "deduct",
    "meta.missing_tags": "deduct",
}

# freshness when a column is healthy: newest item this many days before as_of, average gap
_FRESH = {
    "news": (0, 4, 3),
    "notice": (0, 40, 15),
    "policy": (0, 90, 25),
    "personnel": (0, 150, 40),
    "planning": (0, 150, 60),
    "guide": (30, 300, 25),
    "message": (1, 12, 9),
}
_SHARE = {
    "zwdt": 0.30,
    "tzgg": 0.11,
    "zcwj": 0.11,
    "zcjd": 0.06,
    "rsxx": 0.05,
    "ghjh": 0.04,
    "bsfw": 0.09,
    "hdjl": 0.10,
}
_TRS_DIRS = {
    "zwdt": "/zwgk/zwdt/",
    "tzgg": "/zwgk/tzgg/",
    "zcwj": "/xxgk/zcwj/",
    "zcjd": "/xxgk/zcjd/",
    "rsxx": "/xxgk/rsxx/",
    "ghjh": "/xxgk/ghjh/",
    "jggk": "/zwgk/jggk/",
    "ldxx": "/zwgk/ldxx/",
    "bsfw": "/bsfw/bszn/",
    "hdjl": "/hdjl/lyxx/",
}


@dataclass
class BuildContext:
    out: Path
    seed: int
    as_of: date
    base_port: int
    pages_per_site: int
    rates: dict[str, float]
    specs: list[SiteSpec]
    behaviours: dict[int, dict[str, Any]]
    corpus: list[str] = field(default_factory=list)
    attachment_cache: dict[tuple[str, int], bytes] = field(default_factory=dict)

    def origin(self, index: int) -> str:
        return f"http://127.0.0.1:{self.base_port + index}"

    @property
    def external_origin(self) -> str:
        return self.origin(len(self.specs))

    def reachable(self) -> list[int]:
        return [i for i in range(len(self.specs)) if not self.behaviours[i].get("availability")]


class SiteBuilder(RenderMixin):
    """Plans, seeds and renders one site."""

    def __init__(self, ctx: BuildContext, index: int) -> None:
        self.ctx = ctx
        self.index = index
        self.spec = ctx.specs[index]
        self.rng = random.Random(f"{ctx.seed}:{self.spec.site_code}")
        self.origin = ctx.origin(index)
        self.home = self.origin + "/"
        self.behaviour: dict[str, Any] = dict(ctx.behaviours[index])
        self.truth: list[Finding] = []
        self.negatives: list[Finding] = []
        self.columns: dict[str, Column] = {}
        self.home_extra: list[str] = []  # non-repeated home-page block (专题专栏)
        self.redirects: dict[str, str] = {}
        self.leaders: list[tuple[str, str]] = []
        self.next_id = self.rng.randrange(100000, 900000)
        self.look = self._choose_look()

    # --- recording -------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.origin + path

    def _finding(
        self, check: str, url: str, target: str | None, detail: dict[str, Any], evidence: str | None
    ) -> Finding:
        return Finding(
            site=self.home,
            check=check,
            severity=SEVERITY[check],
            url=url,  # type: ignore[arg-type]
            target=target,
            evidence=mask(evidence) if evidence else evidence,
            detail=detail,
        )

    def record(
        self, check: str, url: str, *, target: str | None = None, evidence: str | None = None, **detail: Any
    ) -> None:
        self.truth.append(self._finding(check, url, target, detail, evidence))

    def negative(
        self, check: str, url: str, *, target: str | None = None, evidence: str | None = None, **detail: Any
    ) -> None:
        self.negatives.append(self._finding(check, url, target, detail, evidence))

    def new_id(self) -> int:
        self.next_id += self.rng.randrange(1, 40)
        return self.next_id

    # --- look ------------------------------------------------------------------------------
    def _choose_look(self) -> L.SiteLook:
        rng, spec = self.rng, self.spec
        template = rng.choices(L.TEMPLATES, weights=(45, 35, 20))[0]
        gbk = rng.random() < (0.7 if template == "table" else 0.2)
        label = rng.choice(["gb2312", "gbk"]) if gbk else "utf-8"
        where = rng.choices(["both", "header", "meta"], weights=(60, 20, 20))[0]
        self.behaviour.update(
            template=template, encoding="gbk" if gbk else "utf-8", charset_in_header=where in ("both", "header")
        )
        self.behaviour.setdefault("search", "full")
        self.behaviour.setdefault("soft404", False)
        search_action = "/jrobot/search.do" if template == "hanweb" else "/search"
        self.behaviour["search_path"] = search_action
        # two servers in three compress text when asked (Accept-Encoding: gzip)
        self.behaviour["gzip"] = int(hashlib.md5(spec.site_code.encode()).hexdigest(), 16) % 3 != 0
        area = (
            "028"
            if spec.region_code.startswith("5101") or spec.region_code == "510000"
            else "08" + str(rng.randrange(10, 40))
        )
        return L.SiteLook(
            template=template,
            name=spec.name,
            site_code=spec.site_code,
            origin=self.origin,
            organizer=spec.organizer,
            charset_label=label,
            charset_in_meta=where in ("both", "meta"),
            date_format=rng.choice(["iso", "iso", "cn", "bracket"]),
            search_action=None if self.behaviour["search"] == "missing" else search_action,
            icp=spec.icp,
            police_filing=spec.police_filing,
            phone=C.fake_landline(rng, area),
            footer_items=frozenset(L.IDENTITY_ITEMS) - set(self.behaviour.get("identity_missing", ())),
            conac_id=hashlib.md5(spec.site_code.encode()).hexdigest().upper(),
        )

    # --- planning --------------------------------------------------------------------------
    def plan(self) -> None:
        rng, spec = self.rng, self.spec
        budget = max(10, self.ctx.pages_per_site - 4)
        cid = rng.randrange(1000, 9000) * 10
        for n, (key, name, ctype, kind, fresh, window) in enumerate(COLUMN_DEFS):
            if key == "bsfw" and not spec.offers_services:
                continue
            if key == "hdjl" and self.behaviour.get("no_channel"):
                continue
            col = Column(key, name, ctype, kind, fresh, window, cid + n * 7)
            self.columns[key] = col
        n_leaders = rng.randint(3, 5)
        posts = self._posts()
        self.leaders = [(C.leader_name(rng), posts[min(i, len(posts) - 1)]) for i in range(n_leaders)]
        region = spec.region_name
        values = {"org": spec.organizer, "region": region}
        home_shift = rng.randint(20, 80) if self.behaviour.get("homepage_stale") else 0
        stale = set(self.behaviour.get("stale_columns", ()))
        blank = set(self.behaviour.get("blank_columns", ()))
        for key, col in self.columns.items():
            if key in ("jggk", "ldxx", "zcjd"):
                continue
            if key in blank:
                col.blank = True
                continue
            count = max(2 if key != "zwdt" else 4, round(budget * _SHARE[key]))
            fresh_key = col.fresh_type or ("guide" if key == "bsfw" else "message")
            lo, hi, gap = _FRESH[fresh_key]
            newest = rng.randint(lo, hi) + home_shift
            if key in stale:
                newest = (col.window or 0) + rng.randint(5, 120) + home_shift
            d = self.ctx.as_of - timedelta(days=newest)
            for _ in range(count):
                col.items.append(self._make_item(col, d, values))
                d -= timedelta(days=rng.randint(1, gap * 2))
        self._plan_interpretations(values, home_shift, "zcjd" in stale, "zcjd" in blank)
        for col in self.columns.values():
            col.items.sort(key=lambda i: (i.published, i.id), reverse=True)
            self._assign_paths(col)

    def _posts(self) -> list[str]:
        c = self.spec.category
        if c == "provincial_portal":
            return ["省长", "副省长", "副省长", "副省长", "副省长"]
        if c == "city_portal":
            return ["市长", "副市长", "副市长", "副市长", "副市长"]
        if c == "county_portal":
            return ["县长", "副县长", "副县长", "副县长", "副县长"]
        if c == "provincial_department":
            return ["厅长", "副厅长", "副厅长", "副厅长", "副厅长"]
        return ["局长", "副局长", "副局长", "副局长", "副局长"]

    def _make_item(self, col: Column, published: date, values: dict[str, str]) -> Item:
        rng = self.rng
        topic = rng.choice(C.TOPICS)
        kind = {"policy": "policy", "guide": "guide", "message": "message"}.get(col.kind, "article")
        templates = {
            "zwdt": C.NEWS_TITLES,
            "tzgg": C.NOTICE_TITLES,
            "zcwj": C.POLICY_TITLES,
            "rsxx": C.PERSONNEL_TITLES,
            "ghjh": C.PLANNING_TITLES,
        }
        item = Item(id=self.new_id(), column=col, title="", published=published, kind=kind)
        if kind == "guide":
            item.title = rng.choice(C.GUIDE_ITEMS) + "办事指南"
            item.fields = self._guide_fields(item.title[:-4])
        elif kind == "message":
            item.title = C.fill(rng.choice(C.MESSAGE_TITLES), rng, topic=topic)
            self._message_fields(item, answered=True)
        else:
            item.title = C.fill(rng.choice(templates[col.key]), rng, topic=topic, year=str(published.year), **values)
            if kind == "policy":
                item.fields = self._policy_fields(item)
                item.body = C.policy_body(
                    item.title, topic, self.spec.organizer, self.spec.category, item.fields["成文日期"], published.year
                )
            elif col.key == "tzgg" and rng.random() < 0.7:
                item.body = C.notice_body(topic, self.spec.organizer, published)
            else:
                item.body = self._prose(rng.randint(2, 4), topic, values, published if col.key == "zwdt" else None)
        return item

    def _prose(self, n: int, topic: str, values: dict[str, str], published: date | None = None) -> list[str]:
        if self.ctx.corpus and self.rng.random() < 0.5:
            return [self.rng.choice(self.ctx.corpus) for _ in range(n)]
        return C.paragraphs(self.rng, n, published, topic=topic, **values)

    def _policy_fields(self, item: Item) -> dict[str, str]:
        rng, d = self.rng, item.published
        written = d - timedelta(days=rng.randint(1, 10))
        return {
            "索引号": f"{self.spec.site_code[:6]}/{d.year}-{rng.randrange(1, 99999):05d}",
            "发文机关": self.spec.organizer,
            "发文字号": C.document_number(self.spec.organizer, self.spec.region_name, d.year, rng.randint(1, 60)),
            "成文日期": f"{written.year}年{written.month}月{written.day}日",
            "发布日期": f"{d.year}年{d.month}月{d.day}日",
            "主题分类": rng.choice(["综合政务", "国民经济管理", "城乡建设", "农业、林业、水利", "劳动、人事、监察"]),
            "有效性": "有效",
        }

    def _guide_fields(self, name: str) -> dict[str, str]:
        return {
            "事项名称": name,
            "设定依据": "《中华人民共和国行政许可法》及相关法律法规",
            "申请条件": "申请人应当具有完全民事行为能力，符合国家和本省规定的相关条件。",
            "办理材料": "1.申请表（原件1份）；2.申请人身份证明（复印件1份）；3.相关证明材料（原件1份）。",
            "办理地点": f"{self.spec.region_name}政务服务中心二楼综合窗口",
            "办理机构": self.spec.organizer,
            "收费标准": "不收费",
            "办理时间": "工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
            "联系电话": self.look.phone,
            "办理流程": "申请—受理—审查—决定—送达",
        }

    def _message_fields(
        self, item: Item, *, answered: bool, reply: str | None = None, replied_after: int | None = None
    ) -> None:
        rng = self.rng
        item.fields = {
            "留言标题": item.title,
            "留言时间": item.published.isoformat(),
            "留言内容": f"您好，{item.title.removeprefix('关于').removesuffix('的咨询')}，希望有关部门予以答复，谢谢！",
        }
        if answered:
            days = replied_after if replied_after is not None else rng.randint(1, 3)
            replied = min(item.published + timedelta(days=days), self.ctx.as_of)
            item.fields["回复时间"] = replied.isoformat()
            item.fields["答复单位"] = self.spec.organizer
            item.fields["答复内容"] = reply or rng.choice(C.GOOD_REPLIES).format(
                org=self.spec.organizer, phone=self.look.phone
            )
        else:
            item.fields["回复时间"] = ""
            item.fields["答复单位"] = ""
            item.fields["答复内容"] = "暂未答复"

    def _plan_interpretations(self, values: dict[str, str], home_shift: int, stale: bool, blank: bool) -> None:
        col, docs = self.columns["zcjd"], self.columns["zcwj"].items
        if blank or not docs:
            col.blank = True
            return
        n = max(2, round((self.ctx.pages_per_site - 4) * _SHARE["zcjd"]))
        ordered = sorted(docs, key=lambda i: i.published, reverse=True)
        extra = ((col.window or 0) + self.rng.randint(5, 60)) if stale else 0
        for doc in ordered[:n]:
            published = min(doc.published + timedelta(days=self.rng.randint(1, 5)), self.ctx.as_of)
            published -= timedelta(days=extra)
            interp = Item(
                id=self.new_id(),
                column=col,
                title=f"《{doc.title.split('《')[-1].split('》')[0]}》政策解读"
                if "《" in doc.title
                else f"{doc.title}的政策解读",
                published=published,
                kind="interpretation",
            )
            interp.body = C.interpretation_body(self.rng.choice(C.TOPICS))
            interp.related, doc.related = doc, interp
            col.items.append(interp)

    # --- URLs ------------------------------------------------------------------------------
    def column_path(self, col: Column, page: int = 0) -> str:
        t = self.look.template
        if t == "trs":
            return _TRS_DIRS[col.key] + ("index.html" if page == 0 else f"index_{page}.html")
        if t == "hanweb":
            return f"/col/col{col.cid}/index.html"
        return f"/{col.key}/list_{col.cid}_{page + 1}.html"

    def _assign_paths(self, col: Column) -> None:
        t = self.look.template
        if col.kind == "single" or t == "hanweb":
            col.pages = [self.column_path(col, 0)]
        else:
            per = L.PER_PAGE[t]
            n = max(1, -(-len(col.items) // per))
            col.pages = [self.column_path(col, p) for p in range(n)]
        for item in col.items:
            item.path = self.item_path(col, item.published, item.id)

    def item_path(self, col: Column, d: date, ident: int) -> str:
        t = self.look.template
        if t == "trs":
            return f"{_TRS_DIRS[col.key]}{d:%Y%m}/t{d:%Y%m%d}_{ident}.html"
        if t == "hanweb":
            return f"/art/{d.year}/{d.month}/{d.day}/art_{col.cid}_{ident}.html"
        return f"/{col.key}/show_{ident}.html"

    def asset_path(self, col: Column, d: date, ident: int, n: int, ext: str) -> str:
        t = self.look.template
        if t == "trs":
            prefix = "W0" if ext == "png" else "P0"
            return f"{_TRS_DIRS[col.key]}{d:%Y%m}/{prefix}{d:%Y%m%d}{ident}{n:02d}.{ext}"
        if t == "hanweb":
            h = hashlib.md5(f"{self.spec.site_code}{ident}{n}".encode()).hexdigest()[:20]
            return f"/attach/{0 if ext != 'png' else 1}/{h}.{ext}"
        return f"/uploadfile/{d:%Y%m}/{ident}{n:02d}.{ext}"

    # --- content helpers used by defects ---------------------------------------------------
    def content_items(self, kinds: Sequence[str] = ("article", "policy", "interpretation")) -> list[Item]:
        return [i for c in self.columns.values() for i in c.items if i.kind in kinds]

    def add_attachments(self) -> None:
        """Photos on some news; clean attachments on notices and policy documents (a shared variant per kind)."""
        for item in self.content_items(("article",)):
            if item.column.key == "zwdt" and self.rng.random() < 0.3:
                item.image = self.asset_path(item.column, item.published, item.id, 0, "png")
        for item in self.content_items(("article", "policy")):
            if item.column.key not in ("tzgg", "zcwj", "rsxx") or self.rng.random() > 0.45:
                continue
            kind = self.rng.choice(ATTACHMENT_KINDS)
            path = self.asset_path(item.column, item.published, item.id, len(item.attachments) + 1, kind)
            item.attachments.append(
                Attachment(
                    path,
                    f"附件{len(item.attachments) + 1}：{item.title[:12]}相关材料",
                    kind,
                    None,
                    self.rng.randrange(4),
                )
            )

    # --- rendering -------------------------------------------------------------------------
    def finish_truth(self) -> None:
        """Freshness truth from the final dates; identity, search and other site-level truth."""
        as_of = self.ctx.as_of
        for col in self.columns.values():
            first = self.url(col.pages[0]) if col.pages else self.url(self.column_path(col))
            if col.blank:
                self.record("update.column_blank", first, column=col.name)
                continue
            if not col.fresh_type or not col.window:
                continue
            latest = col.latest
            assert latest is not None
            if (as_of - latest).days > col.window:
                self.record(
                    "update.column_stale",
                    first,
                    column=col.name,
                    type=col.fresh_type,
                    latest=latest.isoformat(),
                    window_days=col.window,
                )
            else:
                self.negative(
                    "update.column_stale",
                    first,
                    column=col.name,
                    type=col.fresh_type,
                    latest=latest.isoformat(),
                    window_days=col.window,
                )
        latest_home = max((i.published for i in self.home_items()), default=None)
        if latest_home is None or (as_of - latest_home).days > 14:
            self.record("update.homepage_stale", self.home, latest=latest_home.isoformat() if latest_home else None)
        else:
            self.negative("update.homepage_stale", self.home, latest=latest_home.isoformat())
        for item in L.IDENTITY_ITEMS:
            present = (
                item in self.look.footer_items
                and not (item == "icp" and not self.look.icp)
                and not (item == "police_filing" and not self.look.police_filing)
            )
            (self.negative if present else self.record)("identity.missing", self.home, item=item)
        if "hdjl" not in self.columns:
            self.record("interaction.no_channel", self.home)
        self.negative("availability.unreachable", self.home, failures=0, probes=3)
        self._national_negatives()
        self.tab_negatives()
        if "hdjl" in self.columns:
            self.negative("interaction.no_channel", self.home)

    def _national_negatives(self) -> None:
        """Footer links to national hosts: unreachable offline by design, never broken links."""
        items = self.look.footer_items
        targets: list[tuple[str, str]] = []
        if "party_government_mark" in items:
            targets += [
                ("https://bszs.conac.cn/sitename?method=show&id=" + self.look.conac_id, "external"),
                ("https://dcs.conac.cn/image/red.png", "img"),
            ]
        if "icp" in items and self.look.icp:
            targets.append(("https://beian.miit.gov.cn/", "external"))
        if "police_filing" in items and self.look.police_filing:
            record = "".join(ch for ch in self.look.police_filing if ch.isdigit())
            targets.append((f"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={record}", "external"))
        if "error_report_entry" in items:
            code, page = self.spec.site_code, quote(self.home, safe="")
            targets += [
                (f"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}&url={page}", "external"),
                (f"https://zfwzgl.www.gov.cn/exposure/images/jiucuo.png?v={code}", "img"),
            ]
        for target, kind in targets:
            self.negative(
                "links.broken",
                self.home,
                target=target,
                kind=kind,
                where="homepage",
                note="national host, unreachable offline by design",
            )

    def home_items(self) -> list[Item]:
        """Every dated item the home page shows (its blocks and its tabs)."""
        out: list[Item] = []
        for key, n in (("zwdt", 8), ("tzgg", 6), ("zcwj", 6)):
            if key in self.columns:
                out.extend(self.columns[key].items[:n])
        for col in self._tab_columns():
            out.extend(col.items[:4])
        return out
