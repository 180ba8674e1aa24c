"""The in-memory model of one simulated site, between planning and rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# key, name, ColumnType meta value, kind, freshness type, window in days
COLUMN_DEFS: tuple[tuple[str, str, str, str, str | None, int | None], ...] = (
    ("zwdt", "政务动态", "工作动态", "list", "news", 14),
    ("tzgg", "通知公告", "通知公告", "list", "notice", 180),
    ("zcwj", "政策文件", "政策文件", "policy", "policy", 180),
    ("zcjd", "政策解读", "政策解读", "interpretation", "interpretation", 180),
    ("rsxx", "人事信息", "人事信息", "list", "personnel", 365),
    ("ghjh", "规划计划", "规划计划", "list", "planning", 365),
    ("jggk", "机构概况", "机构职能", "single", None, None),
    ("ldxx", "领导信息", "负责人信息", "single", None, None),
    ("bsfw", "办事服务", "办事服务", "guide", None, None),
    ("hdjl", "互动交流", "咨询投诉", "message", None, None),
)
WINDOWS = {d[4]: d[5] for d in COLUMN_DEFS if d[4]}


@dataclass
class Attachment:
    path: str
    title: str
    kind: str  # xlsx | xls | docx | doc | pdf
    rows: list[list[str]] | None = None  # None: a shared clean variant
    variant: int = 0


@dataclass
class Item:
    id: int
    column: Column
    title: str
    published: date
    kind: str  # article | policy | interpretation | guide | message
    path: str = ""
    body: list[str] = field(default_factory=list)  # HTML fragments of the main text
    fields: dict[str, str] = field(default_factory=dict)  # policy metadata, guide elements, message parts
    attachments: list[Attachment] = field(default_factory=list)
    extra_html: list[str] = field(default_factory=list)  # related links, images, hidden blocks
    meta_drop: list[str] = field(default_factory=list)
    related: Item | None = None  # policy <-> interpretation
    hide_related: bool = False
    image: str | None = None


@dataclass
class Column:
    key: str
    name: str
    ctype: str
    kind: str
    fresh_type: str | None
    window: int | None
    cid: int
    items: list[Item] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    blank: bool = False

    @property
    def latest(self) -> date | None:
        return max((i.published for i in self.items), default=None)
