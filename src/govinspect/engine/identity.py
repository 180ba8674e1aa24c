"""Identity marks of a government website's footer (底部功能区), indicators.md §2.4.

Each item is recognised from what real footers carry:

| item | evidence |
| --- | --- |
| party_government_mark 党政机关网站标识 | a link to ``bszs.conac.cn``, an image or script from ``dcs.conac.cn`` |
| site_code 网站标识码 | ``网站标识码：5101000001`` (10 digits or ``bm`` + 8 digits) |
| icp ICP备案编号 | ``蜀ICP备05003828号-1`` or a link to ``beian.miit.gov.cn`` |
| police_filing 公安机关备案 | ``川公网安备 51010402000001号`` or a link to ``beian.gov.cn``/``beian.mps.gov.cn`` |
| organizer 主办单位 | ``主办单位：…`` (also ``主办：``, ``网站主办：``) |
| contact 联系方式 | a phone, e-mail or address, or a 联系我们 link |
| error_report_entry 找错入口 | link/script ``zfwzgl.www.gov.cn/exposure/jiucuo``; old ``www.gov.cn/c125533/`` |

``find_marks`` looks at the whole page, not only the footer, before calling an item
missing: a footer that the parser did not recognise must not produce a false "missing".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

ITEMS: tuple[str, ...] = (
    "party_government_mark",
    "site_code",
    "icp",
    "police_filing",
    "organizer",
    "contact",
    "error_report_entry",
)
ITEM_NAMES: dict[str, str] = {
    "party_government_mark": "党政机关网站标识",
    "site_code": "网站标识码",
    "icp": "ICP备案编号",
    "police_filing": "公安机关备案标识",
    "organizer": "网站主办单位",
    "contact": "联系方式",
    "error_report_entry": "我为政府网站找错",
}

SITE_CODE_FORMAT = re.compile(r"^(?:\d{10}|bm\d{8})$", re.I)
# 网站识别码 is a common misnomer of the same thing; the code itself never holds a space
SITE_CODE_RE = re.compile(r"网\s*站\s*(?:标\s*识|识\s*别)\s*码\s*[:：]?\s*([A-Za-z]{0,2}\d+)")
ICP_RE = re.compile(r"ICP\s*备\s*[\d\s]{4,}\s*号(?:\s*-\s*\d+)?|ICP\s*证\s*\d{4,}\s*号", re.I)
POLICE_RE = re.compile(
    r"公\s*网\s*安\s*备\s*[:：]?\s*\d{10,16}\s*号?|公安(?:机关)?备案(?:号|编号)?\s*[:：]?\s*\d{10,16}"
)
ORGANIZER_RE = re.compile(r"(?:网站)?主\s*办(?:\s*单\s*位)?\s*[:：]\s*\S")
PHONE_RE = re.compile(
    r"(?:电话|联系电话|咨询电话|热线|传真|Tel|TEL|电\s*话)\s*[:：]?\s*[(（]?0\d{2,3}[)）]?[\s-]?\d{7,8}"
    r"|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)|(?:电话|热线)\s*[:：]?\s*\d{5,8}"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ADDRESS_RE = re.compile(r"(?:地\s*址|通讯地址|联系地址|办公地址)\s*[:：]\s*\S{4,}")
CONTACT_LINK_RE = re.compile(r"联系我们|联系方式")

CONAC_HOSTS = ("conac.cn",)
JIUCUO_RE = re.compile(r"zfwzgl\.www\.gov\.cn/exposure/jiucuo|www\.gov\.cn/c125533/|jiucuo\.js|jiucuo\.html", re.I)
CONAC_RAW_RE = re.compile(r"(?:bszs|dcs)\.conac\.cn|_ideConac", re.I)
ICP_LINK_RE = re.compile(r"beian\.miit\.gov\.cn|miitbeian\.gov\.cn", re.I)
POLICE_LINK_RE = re.compile(r"beian\.gov\.cn/portal/registerSystemInfo|beian\.mps\.gov\.cn", re.I)


@dataclass(slots=True)
class Marks:
    """What was found; ``evidence`` keeps a short text per item found."""

    found: dict[str, str] = field(default_factory=dict)
    site_code: str | None = None  # the 网站标识码 as shown, spaces removed
    jiucuo_site_code: str | None = None  # the site_code= of the 找错 link
    footer: str = ""

    def missing(self) -> list[str]:
        return [item for item in ITEMS if item not in self.found]

    def merge(self, other: Marks) -> None:
        """Add what an included footer (iframe, script, .load()) shows."""
        for item, value in other.found.items():
            self.found.setdefault(item, value)
        if self.site_code is None:
            self.site_code = other.site_code
        if self.jiucuo_site_code is None:
            self.jiucuo_site_code = other.jiucuo_site_code
        if not self.footer.strip():
            self.footer = other.footer


def footer_text(page: Page) -> str:
    """The footer: parser's footer, else footer-region blocks, else the last blocks."""
    if page.footer_text.strip():
        return page.footer_text
    blocks = [b.text for b in page.text_blocks if b.region == "footer"]
    if blocks:
        return "\n".join(blocks)
    return "\n".join(b.text for b in page.text_blocks[-4:])


def _url_texts(page: Page) -> list[tuple[str, str]]:
    """(url, text) of every link, image and script, plus src/href values in the raw HTML
    (a script-rendered mark may be referenced only from an inline attribute)."""
    out = [(link.url, link.text) for link in page.links]
    out.extend((m.group(1), "") for m in re.finditer(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", page.html or ""))
    return out


def _host(url: str) -> str:
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return ""


def find_marks(page: Page) -> Marks:
    marks = Marks(footer=footer_text(page))
    text = "\n".join(filter(None, (page.text, page.footer_text)))
    urls = _url_texts(page)

    for url, _ in urls:
        host = _host(url)
        if any(host == h or host.endswith("." + h) for h in CONAC_HOSTS):
            marks.found.setdefault("party_government_mark", url)
        if JIUCUO_RE.search(url):
            marks.found.setdefault("error_report_entry", url)
            if marks.jiucuo_site_code is None:
                marks.jiucuo_site_code = _query_value(url, "site_code")
        if ICP_LINK_RE.search(url):
            marks.found.setdefault("icp", url)
        if POLICE_LINK_RE.search(url):
            marks.found.setdefault("police_filing", url)
    # the conac mark is often written by a script: document.write(unescape("%3Cscript src='…dcs.conac.cn…"))
    if "party_government_mark" not in marks.found and CONAC_RAW_RE.search(page.html or ""):
        marks.found["party_government_mark"] = "conac script"
    # a 找错 script renders the entry itself: <script id="_jiucuo_" sitecode="…" src="…jiucuo.js">
    if "error_report_entry" not in marks.found and re.search(r"_jiucuo_|jiucuo\.js", page.html or ""):
        marks.found["error_report_entry"] = "jiucuo script"

    m = SITE_CODE_RE.search(text)
    if m:
        marks.site_code = re.sub(r"\s+", "", m.group(1))
        marks.found["site_code"] = m.group(0)
    for item, pattern in (("icp", ICP_RE), ("police_filing", POLICE_RE), ("organizer", ORGANIZER_RE)):
        m = pattern.search(text)
        if m:
            marks.found.setdefault(item, m.group(0))
    contact = _find_contact(marks.footer) or _find_contact(text)
    if contact:
        marks.found["contact"] = contact
    elif any(CONTACT_LINK_RE.search(t or "") for _, t in urls):
        marks.found["contact"] = "联系我们"
    return marks


_INCLUDE_WORDS = re.compile(r"foot|bottom|dibu|copyright|banquan|wzdb|public_f", re.I)
_INCLUDE_RE = re.compile(
    r"""(?:\.load\(|\$\.get\(|\.ajax\(\{\s*url\s*:|include\s*\(|src\s*=)\s*["']([^"'<>\s]+\.(?:s?html?|js|jsp|php|aspx?))"""
    r"""|["']([^"'<>\s]*(?:foot|bottom|dibu)[^"'<>\s]*\.(?:s?html?|js|jsp|php|aspx?))["']""",
    re.I,
)


def footer_includes(page: Page, limit: int = 3) -> list[str]:
    """URLs of a footer the page pulls in: frames of a frameset, a footer iframe or script,
    a jQuery ``.load("/footer.html")``. Only the site's own host; at most ``limit``."""
    own = _host(page.url)
    out: list[str] = []

    def add(url: str) -> None:
        if url not in out and _host(url) == own and url != page.url:
            out.append(url)

    for link in page.links:
        framed = link.tag == "frame" or (link.tag == "iframe" and _INCLUDE_WORDS.search(link.url))
        scripted = link.tag == "script" and _INCLUDE_WORDS.search(urlsplit(link.url).path)
        if framed or scripted:
            add(link.url)
    for m in _INCLUDE_RE.finditer(page.html or ""):
        raw = m.group(1) or m.group(2)
        if raw and _INCLUDE_WORDS.search(raw):
            add(urljoin(page.url, raw))
    return out[:limit]


def script_markup(text: str) -> str:
    """The HTML a footer script writes: document.write("…") strings, unescaped."""
    if "%3C" in text or "%3c" in text:
        text = unquote(text)
    return text.replace('\\"', '"').replace("\\'", "'").replace("\\/", "/")


def _find_contact(text: str) -> str | None:
    for pattern in (PHONE_RE, EMAIL_RE, ADDRESS_RE):
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None


def _query_value(url: str, name: str) -> str | None:
    try:
        values = parse_qs(urlsplit(url).query).get(name)
    except ValueError:
        return None
    return values[0] if values else None


def valid_site_code(code: str) -> bool:
    return bool(SITE_CODE_FORMAT.match(code or ""))
