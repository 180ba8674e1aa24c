"""Classify a column by its name into the indicator's types, with the rules as data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govinspect.errors import ConfigError
from govinspect.indicators import catalogue

RULES_PATH = Path(__file__).with_name("rules.toml")
OTHER = "other"


@dataclass(frozen=True, slots=True)
class ColumnType:
    name: str  # news, notice, policy, interpretation, personnel, planning, ...
    label: str  # Chinese label shown to users
    keywords: tuple[str, ...]
    exclude: tuple[str, ...]
    window: str  # "W-V4.news_window_days" or "" (not judged on freshness)
    key: bool  # counts towards W-V4's key columns

    def window_days(self) -> int | None:
        """The update window from the indicator catalogue, or None."""
        if not self.window:
            return None
        item_id, _, threshold = self.window.partition(".")
        return catalogue()[item_id].days(threshold)

    def matches(self, name: str) -> bool:
        return any(k in name for k in self.keywords) and not any(x in name for x in self.exclude)


@dataclass(frozen=True, slots=True)
class Rules:
    types: tuple[ColumnType, ...]
    blank_markers: tuple[str, ...]
    ignore_names: frozenset[str]
    more_names: frozenset[str]

    def type_named(self, name: str) -> ColumnType:
        for t in self.types:
            if t.name == name:
                return t
        return ColumnType(OTHER, "其他", (), (), "", False)


def _strings(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise ConfigError(f"column rules {where}: expected a list of non-empty strings")
    return tuple(raw)


def load_rules(path: Path = RULES_PATH) -> Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"column rules {path}: {exc}") from exc
    types = []
    for n, raw in enumerate(data.get("type", []), start=1):
        name = raw.get("name")
        if not isinstance(name, str) or not name or name == OTHER:
            raise ConfigError(f"column rules type {n}: a name other than {OTHER!r} is required")
        column_type = ColumnType(
            name=name,
            label=str(raw.get("label", name)),
            keywords=_strings(raw.get("keywords"), f"{name}.keywords"),
            exclude=_strings(raw.get("exclude", []), f"{name}.exclude") if raw.get("exclude") else (),
            window=str(raw.get("window", "")),
            key=bool(raw.get("key", False)),
        )
        column_type.window_days()  # a window naming a missing threshold fails here, at load
        types.append(column_type)
    blank = data.get("blank", {})
    nav = data.get("navigation", {})
    return Rules(
        types=tuple(types),
        blank_markers=_strings(blank.get("markers", []), "blank.markers"),
        ignore_names=frozenset(_strings(nav.get("ignore", []), "navigation.ignore")),
        more_names=frozenset(_strings(nav.get("more", []), "navigation.more")),
    )


@cache
def rules() -> Rules:
    return load_rules()


def classify(name: str, rule_set: Rules | None = None) -> ColumnType:
    """The type of a column named ``name`` (first matching rule), or the "other" type."""
    rule_set = rule_set or rules()
    clean = "".join(name.split())
    for column_type in rule_set.types:
        if column_type.matches(clean):
            return column_type
    return rule_set.type_named(OTHER)
