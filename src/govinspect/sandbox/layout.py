"""HTML of the three CMS templates: ``trs`` (TRS WCM style), ``hanweb`` (大汉 Hanweb style, list
items in ``<script type="text/xml"><datastore>`` records) and ``table`` (an old table layout).

Pure string building: the generator decides what is on a page, this module how it looks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

TEMPLATES = ("trs", "hanweb", "table")
PER_PAGE = {"trs": 15, "table": 20}  # list items a page; hanweb lists hold every record on one page
SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT_TAGS = ("ArticleTitle", "PubDate", "ContentSource")
IDENTITY_ITEMS = (
    "party_government_mark",
    "site_code",
    "icp",
    "police_filing",
    "organizer",
    "contact",
    "error_report_entry",
)

esc = html.escape


@dataclass
class SiteLook:
    """Everything about a site that shapes every page."""

    template: str
    name: str
    site_code: str
    origin: str  # http://127.0.0.1:PORT
    organizer: str
    charset_label: str  # utf-8 | gb2312 | gbk (as written in <meta>)
    charset_in_meta: bool
    date_format: str  # iso | cn | bracket
    nav: list[tuple[str, str]] = field(default_factory=list)  # (column name, path)
    friendly: list[tuple[str, str]] = field(default_factory=list)  # (name, absolute url)
    search_action: str | None = "/search"
    footer_items: frozenset[str] = frozenset(IDENTITY_ITEMS)
    icp: str = ""
    police_filing: str = ""
    phone: str = ""
    conac_id: str = ""


def fmt_date(d: date, style: str) -> str:
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "bracket":
        return f"[{d.month:02d}-{d.day:02d}]"
    return d.isoformat()


def meta_tags(tags: dict[str, str]) -> str:
    return "".join(f'<meta name="{k}" content="{esc(v)}">\n' for k, v in tags.items())


def _charset(look: SiteLook) -> str:
    if not look.charset_in_meta:
        return ""
    if look.charset_label == "utf-8":
        return '<meta charset="utf-8">\n'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={look.charset_label}">\n'


def search_form(look: SiteLook) -> str:
    if not look.search_action:
        return ""
    return (
        f'<form class="search" action="{look.search_action}" method="get">'
        '<input type="text" name="q" placeholder="请输入关键词"><input type="submit" value="搜索"></form>'
    )


def footer(look: SiteLook, page_url: str) -> str:
    items = look.footer_items
    parts = []
    if "party_government_mark" in items:
        parts.append(
            f'<a href="https://bszs.conac.cn/sitename?method=show&amp;id={look.conac_id}" target="_blank">'
            '<img src="https://dcs.conac.cn/image/red.png" alt="党政机关" width="55" height="65"></a>'
        )
    line1 = []
    if "organizer" in items:
        line1.append(f"主办单位：{esc(look.organizer)}")
    if "contact" in items:
        line1.append(f"联系电话：{look.phone}")
    if line1:
        parts.append("<p>" + "　".join(line1) + "</p>")
    line2 = []
    if "site_code" in items:
        line2.append(f"网站标识码：{look.site_code}")
    if "icp" in items and look.icp:
        line2.append(f'<a href="https://beian.miit.gov.cn/" target="_blank">{esc(look.icp)}</a>')
    if "police_filing" in items and look.police_filing:
        record = "".join(ch for ch in look.police_filing if ch.isdigit())
        line2.append(
            f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={record}" '
            f'target="_blank"><img src="/images/ga.png" alt="">{esc(look.police_filing)}</a>'
        )
    if line2:
        parts.append("<p>" + "　".join(line2) + "</p>")
    if "error_report_entry" in items:
        parts.append(
            f'<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={look.site_code}'
            f'&amp;url={quote(page_url, safe="")}" target="_blank">'
            f'<img src="https://zfwzgl.www.gov.cn/exposure/images/jiucuo.png?v={look.site_code}" '
            'alt="我为政府网站找错"></a>'
        )
    friendly = "".join(f'<a href="{u}" target="_blank">{esc(n)}</a>' for n, u in look.friendly)
    links = f'<div class="links">相关链接：{friendly}</div>' if friendly else ""
    if look.template == "table":
        return (
            f'<table width="1000" align="center" class="bottom"><tr><td align="center">{links}'
            + "".join(parts)
            + "</td></tr></table>"
        )
    cls = "footer" if look.template == "trs" else "bottom-wrap"
    return f'<div class="{cls}">{links}' + "".join(parts) + "</div>"


def nav_html(look: SiteLook) -> str:
    items = [("首页", "/"), *look.nav]
    if look.template == "table":
        return '<tr><td class="nav">' + " | ".join(f'<a href="{p}">{esc(n)}</a>' for n, p in items) + "</td></tr>"
    return "<ul>" + "".join(f'<li><a href="{p}">{esc(n)}</a></li>' for n, p in items) + "</ul>"


def page(look: SiteLook, *, title: str, tags: dict[str, str], body: str, page_url: str) -> str:
    head = f"<title>{esc(title)}</title>\n" + _charset(look) + meta_tags(tags)
    if look.template == "trs":
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
            + _charset_first(head)
            + '<link rel="stylesheet" href="/css/style.css">\n</head>\n<body>\n'
            f'<div class="header"><div class="logo"><a href="/">{esc(look.name)}</a></div>{search_form(look)}</div>\n'
            f'<div class="nav">{nav_html(look)}</div>\n<div class="main">\n{body}\n</div>\n'
            f"{footer(look, page_url)}\n</body>\n</html>\n"
        )
    if look.template == "hanweb":
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            + _charset_first(head)
            + '<link rel="stylesheet" href="/css/hanweb.css" type="text/css">\n</head>\n<body>\n'
            f'<div id="container"><div class="top"><h1>{esc(look.name)}</h1>{search_form(look)}</div>\n'
            f'<div class="bt-nav">{nav_html(look)}</div>\n<div class="bt-content">\n{body}\n</div>\n'
            f"{footer(look, page_url)}</div>\n</body>\n</html>\n"
        )
    return (
        "<html>\n<head>\n" + _charset_first(head) + '</head>\n<body topmargin="0" leftmargin="0">\n'
        '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">\n'
        f'<tr><td height="90" class="banner"><font size="6">{esc(look.name)}</font>{search_form(look)}</td></tr>\n'
        f'{nav_html(look)}\n<tr><td valign="top">\n{body}\n</td></tr>\n</table>\n'
        f"{footer(look, page_url)}\n</body>\n</html>\n"
    )


def _charset_first(head: str) -> str:
    # the charset declaration must come early in <head>; move it before <title>
    lines = head.split("\n")
    charset = [ln for ln in lines if "charset" in ln.lower() and ln.startswith("<meta")]
    rest = [ln for ln in lines if ln not in charset]
    return "\n".join(charset + rest)


def list_block(look: SiteLook, items: list[tuple[str, str, date, str]], cid: int) -> str:
    """A list of (path, title, date, extra) — extra is an optional status text."""
    if not items:
        return '<div class="no-data">暂无信息</div>'
    if look.template == "hanweb":
        records = "".join(
            f'<record><![CDATA[<li><a href="{p}" target="_blank" title="{esc(t)}">{esc(t)}</a>'
            f"{esc(x)}<span>{fmt_date(d, look.date_format)}</span></li>]]></record>\n"
            for p, t, d, x in items
        )
        return (
            f'<div id="{cid}"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[]]></nextgroup>\n'
            f"<recordset>\n{records}</recordset>\n</datastore></script></div>"
        )
    if look.template == "table":
        rows = "".join(
            f'<tr><td width="80%"><img src="/images/dot.png" alt=""> <a href="{p}" target="_blank">{esc(t)}</a>'
            f'{esc(x)}</td><td width="20%" align="right">{fmt_date(d, look.date_format)}</td></tr>\n'
            for p, t, d, x in items
        )
        return f'<table width="100%" class="list">\n{rows}</table>'
    lis = "".join(
        f'<li><a href="{p}" target="_blank" title="{esc(t)}">{esc(t)}</a>{esc(x)}'
        f"<span>{fmt_date(d, look.date_format)}</span></li>\n"
        for p, t, d, x in items
    )
    return f'<ul class="list">\n{lis}</ul>'


def pager(pages: list[str], current: int, template: str = "") -> str:
    if len(pages) < 2:
        return ""
    script = ""
    if template == "trs":
        # TRS WCM writes its pager with a script; plain links follow for clients without JavaScript
        script = f'<script language="JavaScript">createPageHTML({len(pages)}, {current}, "index", "html");</script>'
    links = []
    if current > 0:
        links.append(f'<a href="{pages[0]}">首页</a><a href="{pages[current - 1]}">上一页</a>')
    if current < len(pages) - 1:
        links.append(f'<a href="{pages[current + 1]}">下一页</a><a href="{pages[-1]}">尾页</a>')
    return f'<div class="page">{script}共{len(pages)}页 当前第{current + 1}页 ' + "".join(links) + "</div>"


def table_rows(rows: list[tuple[str, str]], cls: str) -> str:
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>\n" for k, v in rows)
    return f'<table class="{cls}" border="1" cellspacing="0">\n{body}</table>'


def css(template: str) -> str:
    return (
        "body{font-family:'Microsoft YaHei',SimSun;margin:0}.header,.top{height:90px;background:#b50f0f;color:#fff}"
        ".nav li,.bt-nav li{display:inline-block;margin:0 12px}.list li span{float:right}"
        ".footer,.bottom-wrap{text-align:center;border-top:3px solid #b50f0f;padding:12px}"
        f"/* {template} */\n"
    )
