"""Rendering a planned site to files: home, list and content pages, attachments, images, search index."""

from __future__ import annotations

import hashlib
import json
import random
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govinspect.sandbox import content as C
from govinspect.sandbox import layout as L
from govinspect.sandbox.attachments import write_attachment
from govinspect.sandbox.model import Attachment, Column, Item

if TYPE_CHECKING:
    from govinspect.findings import Finding
    from govinspect.sandbox.builder import BuildContext
    from govinspect.sandbox.matrix import MatrixSite
    from govinspect.sandbox.sites import SiteSpec


def _png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (181, 15, 15)) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG = _png()


class RenderMixin:
    """The rendering half of SiteBuilder (planning and truth live in builder.py)."""

    ctx: BuildContext
    index: int
    spec: SiteSpec
    origin: str
    home: str
    behaviour: dict[str, Any]
    look: L.SiteLook
    columns: dict[str, Column]
    home_extra: list[str]
    redirects: dict[str, str]
    leaders: list[tuple[str, str]]
    negatives: list[Finding]
    matrix: MatrixSite | None = None  # the 新媒体矩阵 page, when the build was given matrix entries

    def url(self, path: str) -> str:
        raise NotImplementedError

    def column_path(self, col: Column, page: int = 0) -> str:
        raise NotImplementedError

    def negative(
        self, check: str, url: str, *, target: str | None = None, evidence: str | None = None, **detail: Any
    ) -> None:
        raise NotImplementedError

    def render(self, writer: Writer) -> dict[str, Any]:
        look = self.look
        look.nav = [(c.name, c.pages[0] if c.pages else self.column_path(c)) for c in self.columns.values()]
        look.friendly = self._friendly_links()
        w = writer
        w.bytes("/css/style.css" if look.template == "trs" else "/css/hanweb.css", L.css(look.template).encode())
        w.bytes("/images/ga.png", PNG)
        w.bytes("/images/dot.png", PNG)
        w.html("/index.html", self._home_html(), self.home)
        if self.matrix is not None:
            self._render_matrix(w)
        for col in self.columns.values():
            if col.kind == "single":
                w.html(col.pages[0], self._single_html(col), self.url(col.pages[0]))
                continue
            self._render_lists(col, w)
            for item in col.items:
                w.html(item.path, self._item_html(item), self.url(item.path))
                if item.image:
                    w.bytes(item.image, PNG)
                for att in item.attachments:
                    w.bytes(att.path, self._attachment_bytes(att))
        titles = [
            [i.title, i.path, i.published.isoformat()]
            for c in self.columns.values()
            for i in c.items
            if i.kind != "message"
        ]
        hidden = set(self.behaviour.get("search_unindexed", ()))
        w.meta_json({"titles": [t for t in titles if t[1] not in hidden], "redirects": self.redirects})
        return self.behaviour

    def _friendly_links(self) -> list[tuple[str, str]]:
        ctx = self.ctx
        out = [("中国政府网", ctx.external_origin + "/")]
        reachable = ctx.reachable()
        portal = next((i for i in reachable if ctx.specs[i].category == "provincial_portal"), None)
        if portal is not None and portal != self.index:
            out.append((ctx.specs[portal].name, ctx.origin(portal) + "/"))
        same = [
            i
            for i in reachable
            if i != self.index
            and i != portal
            and ctx.specs[i].region_code[:4] == self.spec.region_code[:4]
            and ctx.specs[i].is_portal
        ]
        if same:
            j = same[0]
            out.append((ctx.specs[j].name, ctx.origin(j) + "/"))
        return out

    def _tags(
        self, column: Column | None, item: Item | None, column_name: str = "首页", column_type: str = "首页"
    ) -> dict[str, str]:
        tags = {
            "SiteName": self.spec.name,
            "SiteDomain": self.origin.removeprefix("http://"),
            "SiteIDCode": self.spec.site_code,
        }
        name = column.name if column else column_name
        tags.update(
            {
                "ColumnName": name,
                "ColumnDescription": f"{self.spec.name}{name}",
                "ColumnKeywords": name,
                "ColumnType": column.ctype if column else column_type,
            }
        )
        if item is not None:
            tags.update(
                {
                    "ArticleTitle": item.title,
                    "PubDate": f"{item.published.isoformat()} 09:{item.id % 60:02d}",
                    "ContentSource": self.spec.organizer,
                }
            )
            for name in item.meta_drop:
                tags.pop(name, None)
            for name in L.COLUMN_TAGS[1:3]:
                tags.pop(name, None)  # content pages carry ColumnName and ColumnType only
        return tags

    def _home_html(self) -> str:
        look = self.look
        blocks = []
        for key, n in (("zwdt", 8), ("tzgg", 6), ("zcwj", 6)):
            col = self.columns.get(key)
            if col is None:
                continue
            items = [(i.path, i.title, i.published, "") for i in col.items[:n]]
            more = f'<a class="more" href="{col.pages[0]}">更多&gt;&gt;</a>'
            blocks.append(f'<div class="box"><h3>{col.name}{more}</h3>{L.list_block(look, items, col.cid + 1)}</div>')
        entries = []
        if "bsfw" in self.columns:
            entries.append(f'<a href="{self.columns["bsfw"].pages[0]}">办事服务</a>')
        if "hdjl" in self.columns:
            entries.append(f'<a href="{self.columns["hdjl"].pages[0]}">我要留言</a>')
        if self.matrix is not None:
            from govinspect.sandbox.matrix import heading

            entries.append(f'<a href="{self.matrix.path}">{heading(self.look.template)}</a>')
        if self.behaviour.get("trap_calendar"):
            entries.append(f'<a href="/bmrl/index.html?ym={self.ctx.as_of:%Y-%m}">便民日历</a>')
        if self.behaviour.get("trap_session"):
            sid = hashlib.sha1(self.spec.site_code.encode()).hexdigest()[:16].upper()
            entries.append(f'<a href="/wsdc/index.jsp;jsessionid={sid}">网上调查</a>')
        special = (
            (
                f'<div class="zt"><h3>专题专栏</h3><a href="{self.columns["zwdt"].pages[0]}">'
                f'<img src="/images/dot.png" alt="{C.TOPICS[self.index % len(C.TOPICS)]}"></a>'
                + "".join(self.home_extra)
                + "</div>"
            )
            if "zwdt" in self.columns
            else "".join(self.home_extra)
        )
        body = "\n".join(blocks) + self._tabs_html() + f'\n<div class="entries">{"".join(entries)}</div>\n' + special
        return L.page(look, title=self.spec.name, tags=self._tags(None, None), body=body, page_url=self.home)

    def _render_matrix(self, w: Writer) -> None:
        """The 新媒体矩阵 page (sandbox.matrix); the accounts' outward links are not broken links."""
        from govinspect.sandbox import matrix as M

        assert self.matrix is not None
        look, url = self.look, self.url(self.matrix.path)
        title = M.heading(look.template)
        body = M.body_html(look.template, self.spec.site_code, self.matrix.accounts)
        tags = self._tags(None, None, column_name=title, column_type=title)
        html = L.page(look, title=f"{title}_{self.spec.name}", tags=tags, body=body, page_url=url)
        w.html(self.matrix.path, html, url)
        M.write_images(self.matrix.accounts, look.template, w, PNG)
        for target in M.outward_links(self.matrix.accounts):
            self.negative("links.broken", url, target=target, note="account page on a platform (新媒体矩阵)")
        self.behaviour["matrix_page"] = self.matrix.path

    def _tab_columns(self) -> list[Column]:
        """Some home pages show 人事信息 and 规划计划 as tabs, the second hidden until clicked."""
        if self.index % 5 not in (1, 3):  # two sites in five, present in any small sandbox
            return []
        cols = [self.columns.get("rsxx"), self.columns.get("ghjh")]
        return [c for c in cols if c is not None and c.items] if all(c and c.items for c in cols) else []

    def _tabs_html(self) -> str:
        cols = self._tab_columns()
        if not cols:
            return ""
        on = ' class="on"'
        heads = "".join(f"<li{on if n == 0 else ''}>{c.name}</li>" for n, c in enumerate(cols))
        panes = []
        for n, col in enumerate(cols):
            rows = [(i.path, i.title, i.published, "") for i in col.items[:4]]
            hidden = ' style="display:none"' if n else ""
            panes.append(f'<div class="tab-con"{hidden}>{L.list_block(self.look, rows, col.cid + 2)}</div>')
        return f'\n<div class="tab"><ul class="tab-title">{heads}</ul>{"".join(panes)}</div>'

    def tab_negatives(self) -> None:
        """Links in a hidden tab pane are ordinary navigation, not hidden (spam) links."""
        cols = self._tab_columns()
        for item in cols[1].items[:4] if cols else []:
            self.negative(
                "security.hidden_link",
                self.home,
                target=self.url(item.path),
                anchor=item.title,
                note="tab pane hidden until clicked",
            )

    def _render_lists(self, col: Column, w: Writer) -> None:
        look = self.look
        per = L.PER_PAGE.get(look.template, 10**9)
        for p, path in enumerate(col.pages):
            chunk = col.items[p * per : (p + 1) * per] if look.template != "hanweb" else col.items
            rows = [(i.path, i.title, i.published, self._status(i)) for i in chunk]
            body = (
                f'<div class="position">当前位置：<a href="/">首页</a> &gt; {col.name}</div>'
                f"<h2>{col.name}</h2>{L.list_block(look, rows, col.cid)}{L.pager(col.pages, p, look.template)}"
            )
            title = f"{col.name}_{self.spec.name}"
            w.html(
                path,
                L.page(look, title=title, tags=self._tags(col, None), body=body, page_url=self.url(path)),
                self.url(path),
            )

    @staticmethod
    def _status(item: Item) -> str:
        if item.kind != "message":
            return ""
        return "[已回复]" if item.fields.get("回复时间") else "[待回复]"

    def _single_html(self, col: Column) -> str:
        if col.key == "ldxx":
            duties = [
                "主持全面工作",
                "负责办公室、财务、人事工作",
                "负责政策法规、行政审批工作",
                "负责安全生产、应急管理工作",
                "负责项目建设、招商引资工作",
            ]
            rows = "".join(
                f'<div class="leader"><h3>{n}</h3><p>职务：{p}</p><p>分管工作：{duties[min(i, len(duties) - 1)]}</p>'
                f"<p>简历：{n}，{'女' if n[1:] in C.FEMALE_GIVEN else '男'}，汉族，"
                f"{1965 + (i * 7) % 15}年{1 + i * 5 % 12}月生，大学学历，中共党员。</p></div>"
                for i, (n, p) in enumerate(self.leaders)
            )
            body = f'<h2>领导信息</h2><div class="leaders">{rows}</div>'
        else:
            body = (
                f"<h2>机构概况</h2><p>{self.spec.organizer}是{self.spec.region_name}负责相关工作的机构，"
                "主要职责是贯彻执行国家和省有关法律法规和方针政策，承担本领域统筹协调工作。</p>"
                f"<p>办公地址：{self.spec.region_name}政务中心。联系电话：{self.look.phone}。</p>"
            )
        return L.page(
            self.look,
            title=f"{col.name}_{self.spec.name}",
            tags=self._tags(col, None),
            body=body,
            page_url=self.url(col.pages[0]),
        )

    def _item_html(self, item: Item) -> str:
        look, col = self.look, item.column
        parts = [
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{col.pages[0]}">{col.name}</a></div>'
        ]
        if item.kind == "policy":
            rows = [(k, L.esc(v)) for k, v in item.fields.items()]
            parts.append(L.table_rows(rows, "xxgk-table"))
        parts.append(f"<h1>{L.esc(item.title)}</h1>")
        if item.kind in ("article", "policy", "interpretation"):
            parts.append(
                f'<div class="info">发布时间：{item.published.isoformat()}　来源：{L.esc(self.spec.organizer)}</div>'
            )
            parts.append('<div class="content" id="zoom">' + "".join(f"<p>{p}</p>" for p in item.body))
            if item.image:
                parts.append(
                    f'<p style="text-align:center"><img src="{item.image}" alt="{L.esc(item.title[:10])}"></p>'
                )
            parts.append("</div>")
        elif item.kind == "guide":
            parts.append(L.table_rows([(k, L.esc(v)) for k, v in item.fields.items()], "bszn-table"))
        elif item.kind == "message":
            parts.append(L.table_rows([(k, L.esc(v)) for k, v in item.fields.items()], "ly-table"))
        if item.attachments:
            links = "".join(f'<li><a href="{a.path}">{L.esc(a.title)}.{a.kind}</a></li>' for a in item.attachments)
            parts.append(f'<div class="fj">附件：<ul>{links}</ul></div>')
        if item.related is not None and not item.hide_related:
            label = "相关解读" if item.kind == "policy" else "相关文件"
            parts.append(
                f'<div class="xgjd">{label}：<a href="{item.related.path}">{L.esc(item.related.title)}</a></div>'
            )
        parts.extend(item.extra_html)
        return L.page(
            look,
            title=f"{item.title}_{self.spec.name}",
            tags=self._tags(col, item),
            body="\n".join(parts),
            page_url=self.url(item.path),
        )

    def _attachment_bytes(self, att: Attachment) -> bytes:
        if att.rows is not None:
            return write_attachment(att.kind, att.title, att.rows)
        key = (att.kind, att.variant)
        if key not in self.ctx.attachment_cache:
            rows = [["序号", "单位名称", "统一社会信用代码", "联系人", "联系电话"]]
            vr = random.Random(f"variant:{att.kind}:{att.variant}")
            for n in range(1, 6):
                rows.append(
                    [str(n), f"{C.rng_org(vr)}", C.fake_uscc(vr), C.leader_name(vr)[0] + "某某", C.fake_landline(vr)]
                )
            self.ctx.attachment_cache[key] = write_attachment(att.kind, "附件材料", rows)
        return self.ctx.attachment_cache[key]


class Writer:
    """Writes one site's files (HTML encoded in the site's charset) and its search/redirect index."""

    def __init__(self, root: Path, site_code: str, encoding: str) -> None:
        self.root = root / "sites" / site_code
        self.meta_path = root / "index" / f"{site_code}.json"
        self.encoding = encoding
        self._dirs: set[Path] = set()
        self.files = 0

    def _path(self, url_path: str) -> Path:
        p = self.root / url_path.lstrip("/")
        if p.parent not in self._dirs:
            p.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(p.parent)
        return p

    def html(self, url_path: str, text: str, url: str) -> None:
        self._path(url_path).write_bytes(text.encode(self.encoding))
        self.files += 1

    def bytes(self, url_path: str, data: bytes) -> None:
        self._path(url_path).write_bytes(data)
        self.files += 1

    def meta_json(self, data: dict[str, Any]) -> None:
        self.meta_path.parent.mkdir(parents=True, exist_ok=True)
        self.meta_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
