"""Policy documents (政策文件) and their interpretations (政策解读).

Recognises a policy-document page and extracts its 公开要素 from what CMSs actually
render: the metadata table above the text (TRS: ``<td><b>索 引 号：</b></td><td>…</td>``,
Hanweb: ``<th>索引号：</th><td>…</td>``), labelled fields in a list or a line
(``索引号：… 发文机关：…``) and, failing those, meta tags.

Sources for the element names and their variants: the gov.cn document header (索引号、
主题分类、发文机关、成文日期、标题、发文字号、发布日期、主题词), the fields local sites add
(有效性、公开方式、组配分类) and the labels Hanweb and TRS templates use for the same things
(发布机构, 生成日期, 文号, 是否有效) — see indicators.md §2.6.

Precision matters more than recall here: a news article or a list page is never a policy
document, and a page is only called one when at least two independent signals agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from govinspect.engine import pagetype

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

# canonical element -> labels that mean it (first is the canonical name, shown in findings)
ELEMENT_LABELS: dict[str, tuple[str, ...]] = {
    "索引号": ("索引号", "信息索引号", "索引编号"),
    "发文机关": ("发文机关", "发文单位", "发文机构", "发布机构", "发布机关", "发布单位", "制发机关", "成文单位"),
    "发文字号": ("发文字号", "文号", "发文文号", "发文号", "文件编号", "文件字号"),
    "成文日期": ("成文日期", "成文时间", "生成日期", "印发日期", "印发时间", "签发日期", "发文日期"),
    "发布日期": ("发布日期", "发布时间", "公开日期", "公开时间", "公布日期", "发文时间"),
    "主题分类": ("主题分类", "主题类别", "主题分类号", "信息分类", "组配分类", "分类"),
    "有效性": ("有效性", "效力状态", "时效性", "是否有效", "有效状态", "效力", "时效", "有效期"),
    "标题": ("标题", "名称", "文件名称", "文件标题", "信息名称"),
    "主题词": ("主题词", "关键词"),
    "公开方式": ("公开方式",),
}

# The default required set: the gov.cn header fields every province copies, plus 有效性
# (the 指引 asks that repealed or expired documents be marked). 标题 is the page title itself;
# 主题词 and 公开方式 are shown by few local sites. Override with
# check_options["policy.missing_elements"]["required"].
DEFAULT_REQUIRED: tuple[str, ...] = ("索引号", "发文机关", "发文字号", "成文日期", "发布日期", "主题分类", "有效性")

# labels specific enough to mark a 公开 metadata block (发布时间/来源 are on every news page)
STRONG_ELEMENTS = frozenset({"索引号", "发文机关", "发文字号", "成文日期", "主题分类", "有效性"})

# meta tag (lower-case) -> element; page tags such as PubDate are deliberately absent: they
# are invisible to readers and present on every article, so they prove nothing here.
META_ELEMENTS: dict[str, str] = {
    "indexnumber": "索引号",
    "indexno": "索引号",
    "suoyinhao": "索引号",
    "syh": "索引号",
    "fileno": "发文字号",
    "fwzh": "发文字号",
    "wenhao": "发文字号",
    "documentnumber": "发文字号",
    "fwjg": "发文机关",
    "issuer": "发文机关",
    "cwrq": "成文日期",
    "writtendate": "成文日期",
    "ztfl": "主题分类",
    "yxx": "有效性",
    "validity": "有效性",
}

_LABEL_TO_ELEMENT: dict[str, str] = {label: element for element, labels in ELEMENT_LABELS.items() for label in labels}
_SPACE_RE = re.compile(r"[\s\u3000\xa0]+")
_LABEL_ALT = "|".join(
    r"\s*".join(re.escape(ch) for ch in label) for label in sorted(_LABEL_TO_ELEMENT, key=len, reverse=True)
)
# a known label followed by a colon; the value runs to the next label of any kind
_LABELLED_RE = re.compile(
    rf"(?<![\u4e00-\u9fff])({_LABEL_ALT})\s*[:：]"
    # no colon: '成文日期 2025-03-01' when the label starts the line or follows a space
    rf"|(?:^|(?<=[\s|｜]))({_LABEL_ALT})[\s\u3000]+(?=[\w〔\[（(])"
)
_ANY_LABEL_RE = re.compile(r"(?:^|[\s|｜;；,，])[\u4e00-\u9fff][\u4e00-\u9fff\s\u3000]{0,7}[:：]")
_PLACEHOLDER_RE = re.compile(r"^[\s\-—–_/\\.。·*]*$|^(?:null|none|undefined|nan)$|^\$\{.*\}$|^<!--.*-->$", re.I)

# 川府发〔2025〕12号, 国办函[2019]19号, 财预（2024）3号, 第12号令 is not a 文号
DOCUMENT_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,15}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
)
_TITLE_ISSUING_RE = re.compile(r"关于(?:印发|转发|下发|发布|公布|颁布)")
_TRIAL = r"(?:[（(](?:试行|暂行|修订|征求意见稿|\d{4}年修订)[)）])?"
_TITLE_DOC_RE = re.compile(
    rf"关于.{{2,}}的(?:通知|意见|决定|批复|通告|公告|函|复函|指导意见|实施意见|实施方案|若干措施){_TRIAL}$"
    rf"|(?:办法|规定|条例|细则|实施意见|若干措施|若干意见|政府令){_TRIAL}$"
)
_INTERPRETATION_RE = re.compile(r"解读|图解|一图(?:读|看)懂|答记者问|政策问答|问答解读")
_QUOTED_TITLE_RE = re.compile(r"《([^《》]{2,120})》")
_TITLE_SPLIT_RE = re.compile(r"\s*(?:[-_|｜—–]{1,2}|&nbsp;)\s*")

POLICY_COLUMN_WORDS = (
    "政策文件",
    "规范性文件",
    "政府文件",
    "部门文件",
    "文件通知",
    "政策法规",
    "文件库",
    "政府令",
    "政府规章",
    "规章",
    "行政规范性文件",
    "市政府文件",
    "县政府文件",
    "省政府文件",
    "办公室文件",
)
INTERPRETATION_COLUMN_WORDS = ("政策解读", "解读", "图解")
# path segments that CMSs use for policy-document columns (pinyin initials and English)
POLICY_PATH_SEGMENTS = frozenset(
    {
        "zcwj",
        "zfwj",
        "gfxwj",
        "zcfg",
        "wjk",
        "zcwjk",
        "zhengce",
        "policy",
        "policies",
        "zfgz",
        "szfwj",
        "bmwj",
        "xzgfxwj",
        "gfxwjk",
        "zfl",
        "wjtz",
        "szfbgtwj",
        "zwgk_zcwj",
        "zcwjjjd",
    }
)
# not "jd" or "tj": 街道 and 统计 columns use them as often as 解读 and 图解 do
INTERPRETATION_PATH_SEGMENTS = frozenset({"zcjd", "jiedu", "interpretation", "tujie", "zcjdtj"})
_BREADCRUMB_RE = re.compile(r"(?:当前位置|您的位置|你的位置|所在位置|您现在的位置|位置)\s*[:：]?(.{0,120})")


@dataclass(frozen=True, slots=True)
class ElementValue:
    value: str
    source: str  # "table" | "text" | "meta"

    @property
    def present(self) -> bool:
        return bool(self.value) and not _PLACEHOLDER_RE.match(self.value)


@dataclass(slots=True)
class PolicyDocument:
    """What was recognised on a policy-document page."""

    url: str
    title: str
    elements: dict[str, ElementValue] = field(default_factory=dict)
    document_number: str = ""
    reasons: tuple[str, ...] = ()

    def missing(self, required: tuple[str, ...] | list[str]) -> list[str]:
        return [name for name in required if not (name in self.elements and self.elements[name].present)]


# --- labels and values -------------------------------------------------------------------


def normalize_label(text: str) -> str:
    """'索  引  号：' -> '索引号'; '【发文字号】' -> '发文字号'."""
    return _SPACE_RE.sub("", text).strip("：:【】[]·*").strip()


def element_for_label(text: str) -> str | None:
    return _LABEL_TO_ELEMENT.get(normalize_label(text))


def _clean_value(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip(" ：:")


def _add(found: dict[str, ElementValue], element: str, value: str, source: str) -> None:
    """Keep the first value seen; a present value beats an empty one."""
    candidate = ElementValue(_clean_value(value), source)
    current = found.get(element)
    if current is None or (not current.present and candidate.present):
        found[element] = candidate


def _split_label_cell(cell: str) -> tuple[str, str] | None:
    """A cell holding both label and value: '索引号：000014349/2025-00012'."""
    m = re.match(r"\s*([^:：]{1,12})[:：](.*)$", cell, re.S)
    if not m:
        return None
    element = element_for_label(m.group(1))
    return (element, m.group(2)) if element else None


def elements_from_tables(tables: tuple[tuple[tuple[str, ...], ...], ...] | list) -> dict[str, ElementValue]:
    """Label cells followed by value cells, label-and-value cells, and header rows over value rows."""
    found: dict[str, ElementValue] = {}
    for table in tables:
        rows = [list(r) for r in table]
        for i, row in enumerate(rows):
            labels = [element_for_label(c) for c in row]
            # a header row of labels with a value row of the same width beneath it
            if all(labels) and len(row) >= 2 and i + 1 < len(rows) and len(rows[i + 1]) == len(row):
                next_labels = [element_for_label(c) for c in rows[i + 1]]
                if not any(next_labels):
                    for element, value in zip(labels, rows[i + 1], strict=True):
                        _add(found, element, value, "table")  # type: ignore[arg-type]
                    continue
            j = 0
            while j < len(row):
                element = labels[j]
                if element:
                    value = row[j + 1] if j + 1 < len(row) and not labels[j + 1] else ""
                    _add(found, element, value, "table")
                    j += 2 if value or (j + 1 < len(row) and not labels[j + 1]) else 1
                    continue
                split = _split_label_cell(row[j])
                if split:
                    _add(found, split[0], split[1], "table")
                j += 1
    return found


def elements_from_text(text: str) -> dict[str, ElementValue]:
    """'索引号：000014349/2025-00012 发文机关：国务院办公厅' on one line, or a label alone on its
    line (``<dt>索引号</dt><dd>…</dd>``, ``<span>索引号：</span>`` blocks) with the value on
    the next line."""
    found: dict[str, ElementValue] = {}
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        whole = element_for_label(line) if len(line) <= 14 else None
        if whole:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            is_label = element_for_label(nxt) or _LABELLED_RE.match(nxt) or _ANY_LABEL_RE.match(nxt)
            _add(found, whole, "" if is_label or len(nxt) > 80 else nxt, "text")
            continue
        matches = list(_LABELLED_RE.finditer(line))
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
            value = line[m.end() : end]
            other = _ANY_LABEL_RE.search(value)
            if other:
                value = value[: other.start()]
            element = element_for_label(m.group(1) or m.group(2))
            if element:
                _add(found, element, value, "text")
    return found


def elements_from_meta(meta: dict[str, str]) -> dict[str, ElementValue]:
    found: dict[str, ElementValue] = {}
    for name, element in META_ELEMENTS.items():
        if name in meta:
            _add(found, element, meta[name], "meta")
    return found


def extract_elements(page: Page) -> dict[str, ElementValue]:
    """Tables first, then labelled text, then meta tags; a present value wins over an empty one."""
    found = elements_from_tables(page.tables)
    for extra in (elements_from_text(_page_text(page)), elements_from_meta(page.meta)):
        for element, value in extra.items():
            _add(found, element, value.value, value.source)
    return found


def _page_text(page: Page) -> str:
    """Text of this page's own blocks (metadata lives in the main area, not the footer)."""
    return "\n".join(b.text for b in page.text_blocks if b.region not in ("footer", "nav", "header"))


# --- titles and columns ------------------------------------------------------------------


_TITLE_SELECTORS = "h1, .title, .tit, .article-title, .news_title, .content-title, .xl_title, h2, h3"


def page_title(page: Page) -> str:
    """The document's title: the ArticleTitle meta, else the heading that <title> repeats
    (a sidebar's "政策解读" heading is not the title), else the first <h1>, else <title>
    minus the site and column parts."""
    title = (page.meta_value("ArticleTitle") or "").strip()
    if title:
        return _SPACE_RE.sub(" ", title)
    head = normalize_title(page.title or "")
    headings: list[str] = []
    try:
        for node in page.dom.css(_TITLE_SELECTORS)[:40]:
            text = _SPACE_RE.sub(" ", node.text(deep=True) or "").strip()
            if 4 <= len(text) <= 200:
                headings.append(text)
        h1 = page.dom.css_first("h1")
    except Exception:  # no html to look at: fall back to <title>
        h1 = None
    for text in headings:
        if len(text) >= 6 and normalize_title(text) in head:
            return text
    if h1 is not None:
        text = _SPACE_RE.sub(" ", h1.text(deep=True) or "").strip()
        if len(text) >= 4:
            return text
    parts = [p for p in _TITLE_SPLIT_RE.split(page.title or "") if p.strip()]
    return max(parts, key=len).strip() if parts else ""


def normalize_title(title: str) -> str:
    """For matching titles across pages: no spaces, no punctuation, full-width folded."""
    title = unquote(title)
    return re.sub(r"[\s\u3000\xa0《》“”\"'‘’「」『』,，。.、:：;；!！?？()（）\[\]【】<>〈〉-]+", "", title)


def quoted_titles(text: str) -> list[str]:
    return [m.group(1).strip() for m in _QUOTED_TITLE_RE.finditer(text)]


def is_interpretation_title(title: str) -> bool:
    return bool(_INTERPRETATION_RE.search(title))


def is_document_title(title: str) -> bool:
    t = title.strip()
    if not t or is_interpretation_title(t):
        return False
    return bool(_TITLE_ISSUING_RE.search(t) or _TITLE_DOC_RE.search(t) or DOCUMENT_NUMBER_RE.search(t))


def breadcrumb(page: Page) -> str:
    for block in page.text_blocks:
        m = _BREADCRUMB_RE.search(block.text)
        if m and any(sep in m.group(1) for sep in (">", "＞", "»", "›", "/", "→")):
            return m.group(1)
    return ""


def _path_segments(url: str) -> list[str]:
    return [s.lower() for s in urlsplit(url).path.split("/") if s]


def column_labels(page: Page) -> str:
    """Column names the page declares or shows: ColumnName/ColumnType meta and the breadcrumb."""
    return " ".join(v for v in (page.meta_value("ColumnName"), page.meta_value("ColumnType"), breadcrumb(page)) if v)


def in_policy_column(page: Page) -> bool:
    """Declared or shown under a policy-document column (also a combined 政策文件与解读)."""
    if any(word in column_labels(page) for word in POLICY_COLUMN_WORDS):
        return True
    segments = _path_segments(page.url)[:-1]
    return any(s in POLICY_PATH_SEGMENTS for s in segments) and not any(
        s in INTERPRETATION_PATH_SEGMENTS for s in segments
    )


def in_interpretation_column(page: Page) -> bool:
    """Declared or shown under an interpretation-only column (not 政策文件及解读)."""
    labels = column_labels(page)
    if any(word in labels for word in POLICY_COLUMN_WORDS):
        return False
    if any(word in labels for word in INTERPRETATION_COLUMN_WORDS):
        return True
    segments = _path_segments(page.url)[:-1]
    return any(s in INTERPRETATION_PATH_SEGMENTS for s in segments) and not any(
        s in POLICY_PATH_SEGMENTS for s in segments
    )


# --- recognition -------------------------------------------------------------------------


def _document_number(page: Page, title: str, elements: dict[str, ElementValue]) -> tuple[str, bool]:
    """The 文号 and whether it stands alone on a line (as under a document's title: an
    unlabelled 发文字号), rather than cited inside a sentence."""
    number = elements.get("发文字号")
    if number and number.present:
        m = DOCUMENT_NUMBER_RE.search(number.value)
        if m:
            return m.group(0), True
    m = DOCUMENT_NUMBER_RE.search(title)
    if m:
        return m.group(0), False
    own = [b.text for b in page.text_blocks if not b.repeated and b.region not in ("footer", "header", "nav")]
    cited = ""
    for text in own[:80]:
        m = DOCUMENT_NUMBER_RE.search(text[:400])
        if m:
            if len(text) <= len(m.group(0)) + 8:
                return m.group(0), True
            cited = cited or m.group(0)
    return cited, False


def recognise(page: Page, home_url: str | None = None) -> PolicyDocument | None:
    """A PolicyDocument when the page is one, else None.

    Needed: a content page (not a list, not the home page, not an interpretation) and at
    least two of: a metadata block (three strong 公开 labels), a document-style title
    (关于印发…的通知, …办法), a 文号 (川府发〔2025〕12号), a policy column (ColumnName,
    breadcrumb or URL path). A metadata block alone is not enough: Hanweb puts one on every
    信息公开 item, news included.
    """
    if page.kind != "html" or page.status >= 400:
        return None
    kind = pagetype.classify(page, home_url)
    if kind in ("home", "column"):
        return None
    title = page_title(page)
    if is_interpretation_title(title) or is_interpretation_title(page.title) or in_interpretation_column(page):
        return None
    elements = extract_elements(page)
    strong = sum(1 for name in STRONG_ELEMENTS if name in elements)
    reasons = []
    if strong >= 3:
        reasons.append("metadata")
    if is_document_title(title):
        reasons.append("title")
    number, standalone = _document_number(page, title, elements)
    if number:
        reasons.append("number")
    if standalone and not (elements.get("发文字号") and elements["发文字号"].present):
        elements["发文字号"] = ElementValue(number, "text")
    if in_policy_column(page):
        reasons.append("column")
    if len(reasons) < 2:
        return None
    if kind == "unknown" and "title" not in reasons:
        return None  # a short list of documents with their 文号 under a policy column
    return PolicyDocument(url=page.url, title=title, elements=elements, document_number=number, reasons=tuple(reasons))


def recognise_once(page: Page, home_url: str | None = None) -> PolicyDocument | None:
    """``recognise`` once per page, whoever asks (the checks, the inspection's page counter):
    the answer is kept on the page itself (``page.extra``), so it lives as long as the page."""
    key = ("policydoc.recognise", home_url)
    if key not in page.extra:
        page.extra[key] = recognise(page, home_url)
    return page.extra[key]

