"""Score a site (or a new-media account) against the indicator catalogue — indicators.md §1.1.

- Any veto item hit → 不合格; the other parts are not scored for the verdict (the deductions
  are still computed and kept, for the reviewer).
- Otherwise score = 100 − Σ min(deductions of item i, cap i). For a site without public services
  (``offers_services`` False) the 办事服务 items are not checked and the rest, scored out of 75,
  is multiplied by 4/3.
- score < 60 → 不合格. score > 80 → the bonus items are added (Σ min(bonus j, cap j) ≤ 30;
  bonus items apply to portals). Exactly 60–80 passes without bonus.

Veto rules read their thresholds from the catalogue (a province file may override them):
W-V1 any veto-severity finding of its checks; W-V2 failures/probes ≥ ratio; W-V3 home page older
than the window; W-V4 ≥5 stale key columns or ≥10 stale columns or ≥5 blank columns; W-V5 no
channel, or a message unanswered over 3 months within the last year; W-V6 ≥5 guides missing ≥4
key elements, or every guide when a site has fewer than 5. New-media veto items: any finding
of severity veto of their checks.

Dismissed (核减) findings must not be passed in. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from govinspect.findings import normalize_url
from govinspect.indicators.load import Catalogue, Item, Rule

Assess = Literal["veto", "full"]
# column types (engine/columns/rules.toml) that count as W-V4 key columns, and their windows
KEY_COLUMN_TYPES = ("news", "notice", "policy")
WINDOW_OF_TYPE = {
    "news": "news_window_days",
    "notice": "notice_window_days",
    "policy": "policy_window_days",
    "interpretation": "interpretation_window_days",
    "personnel": "personnel_window_days",
    "planning": "planning_window_days",
}


class FindingLike(Protocol):
    check: str
    severity: str
    url: str
    target: str | None
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class VetoHit:
    item: str
    name: str
    reason: str


@dataclass
class Subject:
    """What scoring needs to know about the site or account beside its findings."""

    home_url: str = ""
    offers_services: bool = True
    portal: bool = False  # bonus items apply to portals
    guides: int | None = None  # 办事指南 pages seen (None: unknown), for W-V6's "<5 items" rule
    account: bool = False


@dataclass
class Score:
    passed: bool
    vetoes: list[VetoHit] = field(default_factory=list)
    deductions: dict[str, float] = field(default_factory=dict)  # item -> capped points
    score: float | None = None  # 100 − deductions (× 4/3 without services); None for accounts
    bonus: dict[str, float] = field(default_factory=dict)
    final: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def bonus_total(self) -> float:
        return round(sum(self.bonus.values()), 2)


def _days(as_of: date, iso: Any) -> int | None:
    try:
        return (as_of - date.fromisoformat(str(iso)[:10])).days
    except (TypeError, ValueError):
        return None


def _veto_items(cat: Catalogue, account: bool) -> list[Item]:
    prefix = "NM-" if account else "W-"
    return [i for i in cat.of_kind("veto") if i.id.startswith(prefix)]


def _by_check(findings: Iterable[FindingLike]) -> dict[str, list[FindingLike]]:
    out: dict[str, list[FindingLike]] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f)
    return out


def _of(item: Item, found: Mapping[str, list[FindingLike]]) -> list[FindingLike]:
    return [f for check in item.checks for f in found.get(check, [])]


# --- veto rules -------------------------------------------------------------------------------


def _any_veto(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    hits = [f for f in _of(item, found) if f.severity == "veto"]
    need = int(item.thresholds.get("any_finding", 1))
    if len(hits) >= need:
        return f"{len(hits)}处：" + "；".join(sorted({f.check for f in hits}))
    return None


def _unreachable(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    ratio = item.threshold("failure_ratio")
    for f in _of(item, found):
        failures, probes = f.detail.get("failures"), f.detail.get("probes")
        if isinstance(failures, int | float) and isinstance(probes, int | float) and probes > 0:
            if failures / probes >= ratio:
                return f"无法访问{failures}/{probes}次（≥{ratio:.0%}）"
        elif f.severity == "veto":
            return "首页无法访问"
    return None


def _homepage_stale(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    window = item.days("window_days")
    for f in _of(item, found):
        latest = f.detail.get("latest")
        age = _days(as_of, latest) if latest else None
        if age is None or age > window:
            return f"首页最新信息{latest or '无日期'}，超过{window}天未更新"
    return None


def _column_stale(f: FindingLike, item: Item, as_of: date) -> bool:
    """Stale under this catalogue's window for the column type (a province may shorten it)."""
    latest = f.detail.get("latest")
    if not latest:
        return True
    name = WINDOW_OF_TYPE.get(str(f.detail.get("type", "")))
    window = item.days(name) if name and name in item.thresholds else f.detail.get("window_days")
    age = _days(as_of, latest)
    return age is None or not isinstance(window, int | float) or age > window


def _columns(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    stale = [f for f in found.get("update.column_stale", []) if _column_stale(f, item, as_of)]
    key = [f for f in stale if f.detail.get("type") in KEY_COLUMN_TYPES]
    blank = found.get("update.column_blank", [])
    reasons = []
    if len(key) >= item.days("stale_key_columns"):
        reasons.append(f"动态要闻、通知公告、政策文件类栏目{len(key)}个未更新")
    if len(stale) >= item.days("stale_columns"):
        reasons.append(f"{len(stale)}个栏目长期未更新")
    if len(blank) >= item.days("blank_columns"):
        reasons.append(f"空白栏目{len(blank)}个")
    return "；".join(reasons) or None


def _interaction(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    if found.get("interaction.no_channel"):
        return "未提供网上有效咨询建言渠道"
    limit, lookback = item.days("unanswered_days"), item.days("lookback_days")
    late = []
    for f in found.get("interaction.unanswered", []):
        age = _days(as_of, f.detail.get("asked"))
        if age is None or limit < age <= lookback:
            late.append(f)
    if late:
        return f"{len(late)}条有效留言超过{limit}天未回应"
    return None


def _guides(item: Item, found: Mapping[str, list[FindingLike]], as_of: date, subject: Subject) -> str | None:
    if not subject.offers_services:
        return None  # 对没有对外服务职能的部门，不检查其网站该项指标
    need = item.days("missing_elements")
    bad = [f for f in found.get("service.guide_incomplete", []) if len(f.detail.get("missing") or ()) >= need]
    if len(bad) >= item.days("incomplete_guides"):
        return f"{len(bad)}个事项办事指南重点要素缺失{need}类及以上"
    total = subject.guides
    if total is not None and 0 < total < item.days("min_items") and len(bad) >= total:
        return f"事项总数{total}个，每个事项办事指南重点要素均缺失{need}类及以上"
    return None


VETO_RULES = {
    "W-V1": _any_veto,
    "W-V2": _unreachable,
    "W-V3": _homepage_stale,
    "W-V4": _columns,
    "W-V5": _interaction,
    "W-V6": _guides,
}


# --- deductions and bonus ---------------------------------------------------------------------


def _matches(rule: Rule, f: FindingLike, home: str) -> bool:
    for key, accepted in rule.when.items():
        if str(f.detail.get(key, "")) not in accepted:
            return False
    if rule.on:
        at_home = bool(home) and normalize_url(f.url) == home
        if (rule.on == "home") != at_home:
            return False
    return True


def finding_points(cat: Catalogue, item: Item, f: FindingLike, home: str = "") -> float:
    """Points one finding contributes to one item (before the cap)."""
    rules = cat.rules_for(item.id, f.check)
    if not rules:
        return item.points
    for rule in rules:
        if _matches(rule, f, home):
            if rule.per:
                value = f.detail.get(rule.per)
                return rule.points * (len(value) if isinstance(value, list | tuple) else 1)
            return rule.points
    return 0.0


def _raw_points(
    cat: Catalogue, kind: str, findings: Iterable[FindingLike], manual: Mapping[str, float], home: str
) -> dict[str, float]:
    raw: dict[str, float] = {}
    for f in findings:
        for item in cat.for_check(f.check):
            if item.kind == kind and item.id.startswith("W-"):
                points = finding_points(cat, item, f, home)
                if points:
                    raw[item.id] = raw.get(item.id, 0.0) + points
    for item_id, value in manual.items():
        if item_id in cat and cat[item_id].kind == kind:
            raw[item_id] = raw.get(item_id, 0.0) + float(value)
    return raw


def score(
    findings: Iterable[FindingLike],
    subject: Subject,
    as_of: date,
    cat: Catalogue,
    *,
    manual: Mapping[str, float] | None = None,
    assess: Assess = "full",
) -> Score:
    """The verdict of one site or account. ``manual``: item id → an inspector's value
    (points for a deduction or bonus item, ≥1 = veto for a veto item).
    ``assess``: "veto" (the quarterly full coverage: only the veto items decide) or "full"."""
    findings = list(findings)
    manual = dict(manual or {})
    found = _by_check(findings)
    vetoes = []
    for item in _veto_items(cat, subject.account):
        rule = VETO_RULES.get(item.id, _any_veto)
        reason = rule(item, found, as_of, subject)
        if reason is None and manual.get(item.id, 0) >= 1:
            reason = "检查人员认定"
        if reason:
            vetoes.append(VetoHit(item.id, item.name, reason))
    if subject.account:
        reasons = [f"单项否决：{v.name}（{v.reason}）" for v in vetoes]
        return Score(passed=not vetoes, vetoes=vetoes, reasons=reasons)
    return _site_score(cat, findings, subject, manual, vetoes, assess)


def _site_score(
    cat: Catalogue,
    findings: list[FindingLike],
    subject: Subject,
    manual: Mapping[str, float],
    vetoes: list[VetoHit],
    assess: Assess,
) -> Score:
    rules = cat.scoring
    services_part = str(rules.get("services_part", "办事服务"))
    home = normalize_url(subject.home_url) if subject.home_url else ""
    deductions: dict[str, float] = {}
    for item_id, raw in _raw_points(cat, "deduct", findings, manual, home).items():
        if not subject.offers_services and cat.part_of(item_id) == services_part:
            continue
        capped = round(min(raw, cat[item_id].cap), 2)
        if capped:
            deductions[item_id] = capped
    total = float(rules.get("deduct_total", 100))
    lost = sum(deductions.values())
    if not subject.offers_services:
        base = float(rules.get("without_services_total", 75))
        value = round((base - lost) * total / base, 2)
    else:
        value = round(total - lost, 2)
    value = max(value, 0.0)
    reasons = [f"单项否决：{v.name}（{v.reason}）" for v in vetoes]
    reasons += [f"扣分：{cat[i].name} −{p:g}" for i, p in sorted(deductions.items())]
    pass_score, bonus_above = float(rules.get("pass_score", 60)), float(rules.get("bonus_above", 80))
    bonus: dict[str, float] = {}
    if not vetoes and value > bonus_above and subject.portal:
        for item_id, raw in _raw_points(cat, "bonus", findings, manual, home).items():
            if raw > 0:
                bonus[item_id] = round(min(raw, cat[item_id].cap), 2)
        room = float(rules.get("bonus_total", 30))
        if sum(bonus.values()) > room:  # never more than the bonus part's total
            scale = room / sum(bonus.values())
            bonus = {k: round(v * scale, 2) for k, v in bonus.items()}
        reasons += [f"加分：{cat[i].name} +{p:g}" for i, p in sorted(bonus.items())]
    final = round(value + sum(bonus.values()), 2)
    if assess == "veto":
        passed = not vetoes
    else:
        passed = not vetoes and value >= pass_score
        if not vetoes and value < pass_score:
            reasons.insert(0, f"评分{value:g}分，低于{pass_score:g}分")
    return Score(
        passed=passed, vetoes=vetoes, deductions=deductions, score=value, bonus=bonus, final=final, reasons=reasons
    )
