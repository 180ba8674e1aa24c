"""新媒体矩阵 pages of the sandbox sites: the accounts the new-media sandbox says a site lists.

The new-media sandbox (``govinspect.newmedia.sandbox``) decides which sites list which accounts
and writes them to its ``matrix.jsonl`` (site = the register's home URL, page = the matrix
page's URL on that host, platform, name, account_id — empty when the page gives the name only).
``build(..., matrix=that file)`` renders, for each simulated site listed there, the page at the
same path under the sandbox origin, in the site's template and charset, linked from the home
page; the crawl then reads the accounts where a real inspection reads them. The new-media truth
(``newmedia.unfiled`` of the accounts absent from the register) names the register's URLs; a
scorer maps the sandbox origin back to the register's home URL (same path).

Layouts vary with the template, as on real sites: ``trs`` cards (QR image with alt text,
platform, name, a link or the id), ``hanweb`` a list ``平台：名称``, ``table`` an old table
(序号 | 平台 | 账号名称 | 账号). Each account's outward link (weibo.com, douyin.com …) is an
ordinary link to a platform the sandbox cannot serve: recorded as a ``links.broken`` negative.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from govinspect.sandbox import layout as L

if TYPE_CHECKING:
    from govinspect.sandbox.render import Writer

# platform -> the labels sites write for it (one chosen per site)
LABELS: dict[str, tuple[str, ...]] = {
    "wechat": ("微信公众号", "政务微信"),
    "weibo": ("新浪微博", "政务微博"),
    "douyin": ("抖音", "抖音号"),
    "toutiao": ("今日头条", "头条号"),
    "kuaishou": ("快手", "快手号"),
    "channels": ("微信视频号", "视频号"),
    "bilibili": ("哔哩哔哩", "B站"),
    "xiaohongshu": ("小红书",),
    "app": ("移动客户端", "政务APP"),
    "other": ("其他平台",),
}
# what the id of an account without an address is called
ID_LABELS = {"wechat": "微信号", "channels": "视频号ID", "app": "应用包名"}
HEADINGS = {"trs": "新媒体矩阵", "hanweb": "政务新媒体", "table": "政务微博微信"}


@dataclass(frozen=True, slots=True)
class Listed:
    platform: str
    name: str
    account_id: str = ""


@dataclass(frozen=True, slots=True)
class MatrixSite:
    path: str  # the page's path, e.g. /xmtjz/index.html
    accounts: tuple[Listed, ...]


def read_entries(source: str | Path | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(source, (str, Path)):
        text = Path(source).read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [dict(e) for e in source]


def by_site_code(source: str | Path | Iterable[Mapping[str, Any]]) -> dict[str, MatrixSite]:
    """Matrix entries grouped by the site code of the register site whose home URL they name."""
    from govinspect.findings import normalize_url
    from govinspect.registry.sichuan import sichuan_register

    codes = {normalize_url(s.home_url): (s.site_code, s.home_url) for s in sichuan_register().sites}
    grouped: dict[str, tuple[str, list[Listed]]] = {}
    for e in read_entries(source):
        known = codes.get(normalize_url(e["site"]))
        if known is None:
            continue
        code, home = known
        path = _relative_path(home, e["page"])
        entry = grouped.setdefault(code, (path, []))
        entry[1].append(Listed(e["platform"], e["name"], e.get("account_id") or ""))
    return {code: MatrixSite(path, tuple(accounts)) for code, (path, accounts) in grouped.items()}


def _relative_path(home: str, page: str) -> str:
    base = urlsplit(home).path.rstrip("/")
    path = urlsplit(page).path or "/"
    return "/" + path[len(base) :].lstrip("/") if base and path.startswith(base) else path


def _pick(options: tuple[str, ...], site_code: str) -> str:
    return options[int(hashlib.md5(site_code.encode()).hexdigest(), 16) % len(options)]


def _is_url(account_id: str) -> bool:
    return account_id.startswith(("http://", "https://"))


def _id_line(a: Listed) -> str:
    if not a.account_id:
        return ""
    if _is_url(a.account_id):
        return f'<a href="{L.esc(a.account_id)}" target="_blank">访问主页</a>'
    return f"<span>{ID_LABELS.get(a.platform, '账号')}：{L.esc(a.account_id)}</span>"


def _cards(accounts: tuple[Listed, ...], labels: dict[str, str]) -> str:
    cards = []
    for n, a in enumerate(accounts, start=1):
        label = labels[a.platform]
        cards.append(
            f'<div class="xmt-card"><img src="/images/xmt/qr{n}.png" alt="{L.esc(a.name)}{label}二维码" '
            f'width="120" height="120"><p class="pt">{label}</p><p class="name">{L.esc(a.name)}</p>'
            f"<p>{_id_line(a)}</p></div>"
        )
    return '<div class="xmt-cards">' + "".join(cards) + "</div>"


def _list(accounts: tuple[Listed, ...], labels: dict[str, str]) -> str:
    items = []
    for a in accounts:
        label = labels[a.platform]
        if _is_url(a.account_id):
            name = f'<a href="{L.esc(a.account_id)}" target="_blank">{L.esc(a.name)}</a>'
        else:
            name = L.esc(a.name) + (f"　<em>{_id_line(a)}</em>" if a.account_id else "")
        items.append(f'<li><span class="pt">{label}：</span>{name}</li>')
    return '<ul class="xmt-list">' + "".join(items) + "</ul>"


def _table(accounts: tuple[Listed, ...], labels: dict[str, str]) -> str:
    rows = ['<tr><th width="10%">序号</th><th width="20%">平台</th><th width="30%">账号名称</th><th>账号</th></tr>']
    for n, a in enumerate(accounts, start=1):
        if _is_url(a.account_id):
            cell = f'<a href="{L.esc(a.account_id)}" target="_blank">{L.esc(a.account_id)}</a>'
        else:
            cell = L.esc(a.account_id) or "—"
        rows.append(f"<tr><td>{n}</td><td>{labels[a.platform]}</td><td>{L.esc(a.name)}</td><td>{cell}</td></tr>")
    return '<table width="100%" class="xmt" border="1" cellspacing="0">' + "".join(rows) + "</table>"


def heading(template: str) -> str:
    return HEADINGS.get(template, "新媒体矩阵")


def body_html(template: str, site_code: str, accounts: tuple[Listed, ...]) -> str:
    labels = {p: _pick(options, site_code) for p, options in LABELS.items()}
    title = heading(template)
    listing = {"trs": _cards, "hanweb": _list}.get(template, _table)(accounts, labels)
    return (
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; {title}</div><h2>{title}</h2>'
        f'<div class="xmt-intro">以下为本单位及所属单位开设的政务新媒体账号，欢迎关注。</div>{listing}'
    )


def write_images(accounts: tuple[Listed, ...], template: str, writer: Writer, png: bytes) -> None:
    if template == "trs":
        for n in range(1, len(accounts) + 1):
            writer.bytes(f"/images/xmt/qr{n}.png", png)


def outward_links(accounts: tuple[Listed, ...]) -> list[str]:
    return [a.account_id for a in accounts if _is_url(a.account_id)]
