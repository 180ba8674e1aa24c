"""Threshold overrides edited by the province administrator.

Editable: every threshold of the catalogue (windows, counts, ratios the checks and the veto rules
read), the cap of each deduction and bonus item (the most it can deduct or add), and the scoring
bounds ``pass_score`` and ``bonus_above``. Not editable: the veto items themselves (国办秘函〔2019〕19号
makes them national; a province may tune their thresholds, not switch them off), the per-finding
points of the ``[[rule]]`` table and an item's ``points`` (the rules decide the points of nearly
every checked item, so editing ``points`` would mostly change nothing).

A save validates each value (type, range, no unknown key), builds the effective catalogue with it
(the loader's own validation), stores the whole set as a new ``ThresholdOverrideVersion`` (TOML in
the shape of a province file) and writes the audit log. The effective catalogue is read by
``province_catalogue`` through ``override_source``, registered when the web application starts.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from django.db import transaction

from govinspect.accounts import audit
from govinspect.errors import ConfigError
from govinspect.indicators import load
from govinspect.indicators.load import Override
from govinspect.web.models import ThresholdOverrideVersion

MAX_NOTE = 255
SCORING_KEYS = {"pass_score": "合格分数线（低于即不合格）", "bonus_above": "进入加分环节的分数（高于）"}
LABELS = {
    "any_finding": "确认问题数（处）即否决",
    "window_days": "监测期（天）",
    "min_probes_per_day": "每天最少访问次数",
    "timeout_seconds": "超时（秒）",
    "failure_ratio": "无法访问占比（0–1）",
    "news_window_days": "动态要闻类栏目更新期限（天）",
    "notice_window_days": "通知公告类栏目更新期限（天）",
    "policy_window_days": "政策文件类栏目更新期限（天）",
    "interpretation_window_days": "政策解读类栏目更新期限（天）",
    "personnel_window_days": "人事类栏目更新期限（天）",
    "planning_window_days": "规划计划类栏目更新期限（天）",
    "messages_window_days": "留言公开更新期限（天）",
    "stale_key_columns": "未更新的重点栏目数（个）即否决",
    "stale_columns": "长期未更新栏目数（个）即否决",
    "blank_columns": "空白栏目数（个）即否决",
    "unanswered_days": "留言未回应期限（天）",
    "lookback_days": "回溯期（天）",
    "elements_total": "办事指南重点要素类数",
    "missing_elements": "缺失要素类数（类及以上）",
    "incomplete_guides": "要素缺失的事项数（个）即否决",
    "min_items": "事项总数不足（个）时逐项判断",
    "missing_points": "未提供搜索扣分",
    "sample_titles": "抽查标题数（条）",
    "result_pages": "结果页数",
    "sample_messages": "抽查留言数（条）",
    "repeated_reply_messages": "同一答复出现的留言数（条）即推诿",
    "short_reply_ratio": "答复长度占留言长度比例（0–1）",
    "short_reply_chars": "答复不足字数",
    "sample_guides": "抽查事项数（个）",
    "reply_working_days": "答复期限（工作日）",
}


@dataclass(frozen=True)
class Field:
    key: str  # "W-V3.thresholds.window_days", "W-D7.cap", "scoring.pass_score"
    item: str  # item id, or "" for the scoring bounds
    group: str  # what the table shows as the indicator
    label: str
    integer: bool
    low: float
    high: float
    national: float

    @property
    def step(self) -> str:
        return "1" if self.integer else "any"

    @property
    def rng(self) -> str:
        fmt = "{:g}"
        return f"{fmt.format(self.low)}–{fmt.format(self.high)}" + ("，整数" if self.integer else "")


def _threshold_field(item: load.Item, name: str, value: float) -> Field:
    integer = not isinstance(value, float)
    if name.endswith("_ratio"):
        low, high = 0.0, 1.0
    elif name.endswith("_days") or name == "any_finding":
        low, high = 1, 3650
    elif name.endswith("_seconds"):
        low, high = 1, 300
    else:
        low, high = 0, 1000
    label = LABELS.get(name, name)
    return Field(f"{item.id}.thresholds.{name}", item.id, f"{item.id} {item.name}", label, integer, low, high, value)


@cache
def fields() -> tuple[Field, ...]:
    """Every editable value, in catalogue order (thresholds and caps), then the scoring bounds."""
    national = load.national_catalogue()
    out: list[Field] = []
    for item in national.items.values():
        for name, value in item.thresholds.items():
            out.append(_threshold_field(item, name, value))
        if item.kind in ("deduct", "bonus") and item.id.startswith("W-"):
            high = 100.0 if item.kind == "deduct" else 30.0
            label = "扣分上限（分）" if item.kind == "deduct" else "加分上限（分）"
            out.append(Field(f"{item.id}.cap", item.id, f"{item.id} {item.name}", label, False, 0, high, item.cap))
    for name, label in SCORING_KEYS.items():
        out.append(Field(f"scoring.{name}", "", "评分", label, False, 0, 100, float(national.scoring[name])))
    return tuple(out)


def by_key() -> dict[str, Field]:
    return {f.key: f for f in fields()}


def value_in(cat: load.Catalogue, key: str) -> float:
    head, _, name = key.partition(".")
    if head == "scoring":
        return float(cat.scoring[name])
    if name == "cap":
        return cat[head].cap
    return cat[head].thresholds[name.removeprefix("thresholds.")]


# --- values <-> TOML ------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_toml(values: Mapping[str, float]) -> str:
    """The overrides in the shape of a province file (indicators/provinces/<code>.toml)."""
    known = by_key()
    items: dict[str, dict[str, Any]] = {}
    scoring: dict[str, float] = {}
    for key in sorted(values, key=list(known).index):
        head, _, name = key.partition(".")
        if head == "scoring":
            scoring[name] = values[key]
        elif name == "cap":
            items.setdefault(head, {})["cap"] = values[key]
        else:
            items.setdefault(head, {}).setdefault("thresholds", {})[name.removeprefix("thresholds.")] = values[key]
    lines: list[str] = []
    for item_id, entry in items.items():
        lines += ["[[item]]", f'id = "{item_id}"']
        if "cap" in entry:
            lines.append(f"cap = {_number(entry['cap'])}")
        if entry.get("thresholds"):
            lines.append("[item.thresholds]")
            lines += [f"{name} = {_number(v)}" for name, v in entry["thresholds"].items()]
        lines.append("")
    if scoring:
        lines.append("[scoring]")
        lines += [f"{name} = {_number(v)}" for name, v in scoring.items()]
        lines.append("")
    return "\n".join(lines)


def from_toml(text: str) -> dict[str, float]:
    """The flat values of a stored version (the inverse of ``to_toml``)."""
    data = tomllib.loads(text) if text.strip() else {}
    out: dict[str, float] = {}
    for entry in data.get("item", []):
        if "cap" in entry:
            out[f"{entry['id']}.cap"] = entry["cap"]
        for name, value in entry.get("thresholds", {}).items():
            out[f"{entry['id']}.thresholds.{name}"] = value
    for name, value in data.get("scoring", {}).items():
        out[f"scoring.{name}"] = value
    return out


# --- reading and saving ---------------------------------------------------------------------------


def latest(province: str) -> ThresholdOverrideVersion | None:
    return ThresholdOverrideVersion.objects.filter(province=province).order_by("-created_at", "-id").first()


def current(province: str) -> dict[str, float]:
    version = latest(province)
    return from_toml(version.content) if version else {}


def override_source(code: str, at: datetime | None) -> tuple[Hashable, Override] | None:
    """The overrides in force at ``at`` (the latest when None) — for ``load.set_override_source``.
    The key is the content itself, not the row id: ids can come back (a restored backup, a
    rolled-back transaction) and must not bring back a catalogue built from other values."""
    versions = ThresholdOverrideVersion.objects.filter(province=code)
    if at is not None:
        versions = versions.filter(created_at__lte=at)
    version = versions.order_by("-created_at", "-id").first()
    if version is None or not version.content.strip():
        return None
    return version.content, _parsed(version.content, version.pk)


@lru_cache(maxsize=32)
def _parsed(content: str, pk: int) -> Override:
    """Parsed once per version: the source is asked for every scoring batch and every site task."""
    return Override.from_toml(content, f"网页设置的阈值覆盖第{pk}版")


def parse(posted: Mapping[str, str], province: str) -> dict[str, float]:
    """Form values (``v:<key>`` → text; empty: no override) → validated overrides. Values equal to
    the inherited one (national or province file) are not overrides and are dropped."""
    inherited = inherited_catalogue(province)
    known = by_key()
    unknown = sorted(k[2:] for k in posted if k.startswith("v:") and k[2:] not in known)
    if unknown:
        raise ConfigError(f"未知的设置项：{'、'.join(unknown)}（只能修改列出的阈值、扣分上限和评分线）")
    errors: list[str] = []
    values: dict[str, float] = {}
    for key, field in known.items():
        text = str(posted.get(f"v:{key}", "")).strip()
        if not text:
            continue
        where = f"{field.group}「{field.label}」"
        try:
            number = float(text)
        except ValueError:
            errors.append(f"{where}须为数字，而不是“{text}”")
            continue
        if not math.isfinite(number):
            errors.append(f"{where}须为有限的数字")
            continue
        if field.integer and not number.is_integer():
            errors.append(f"{where}须为整数，而不是 {text}")
            continue
        if not field.low <= number <= field.high:
            errors.append(f"{where}须在 {field.rng} 之间，而不是 {text}")
            continue
        value: float = int(number) if field.integer or number.is_integer() else number
        if value != value_in(inherited, key):
            values[key] = value
    if errors:
        raise ConfigError("；".join(errors))
    _check_together(values, inherited, province)
    return values


def _check_together(values: Mapping[str, float], inherited: load.Catalogue, province: str) -> None:
    def get(key: str) -> float:
        return values.get(key, value_in(inherited, key))

    for key in values:
        head, _, name = key.partition(".")
        if name == "cap" and values[key] < inherited[head].points:
            item = inherited[head]
            raise ConfigError(f"{item.id} {item.name}「扣分上限」{values[key]:g} 不能低于每处分值 {item.points:g}")
    if get("scoring.pass_score") > get("scoring.bonus_above"):
        raise ConfigError("合格分数线不能高于进入加分环节的分数")
    try:  # the loader's own validation, whatever the form missed
        load.load_catalogue(
            load.DEFAULT_PATH,
            overrides=[
                *([path] if (path := load.province_file(province)) else []),
                Override("网页设置", tomllib.loads(to_toml(values))),
            ],
        )
    except ConfigError as exc:
        raise ConfigError(f"与指标体系不一致：{exc}") from exc


def inherited_catalogue(province: str) -> load.Catalogue:
    """What the overrides apply to: national → the province file."""
    return load.province_file_catalogue(province)


def shown(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Change:
    field: Field
    old: float | None  # the override before (None: not overridden)
    new: float | None  # the override after (None: no longer overridden)

    @property
    def old_text(self) -> str:
        return shown(self.old)

    @property
    def new_text(self) -> str:
        return shown(self.new)


def diff(before: Mapping[str, float], after: Mapping[str, float]) -> list[Change]:
    """Every key whose override changed, in catalogue order."""
    known = by_key()
    return [Change(known[k], before.get(k), after.get(k)) for k in known if before.get(k) != after.get(k)]


def save(province: str, posted: Mapping[str, str], note: str, user: Any) -> ThresholdOverrideVersion:
    note = note.strip()
    if not note:
        raise ConfigError("请填写修改说明")
    values = parse(posted, province)
    before = current(province)
    changes = diff(before, values)
    if not changes:
        raise ConfigError("与当前生效的设置相同，没有改动")
    with transaction.atomic():
        version = ThresholdOverrideVersion.objects.create(
            province=province, content=to_toml(values), note=note[:MAX_NOTE], author=user
        )
        audit.record(
            user,
            "thresholds.edit",
            version,
            {c.field.key: c.old for c in changes},
            {**{c.field.key: c.new for c in changes}, "note": version.note},
        )
    return version
