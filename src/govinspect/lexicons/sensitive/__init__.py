"""The prohibited-content lexicon (security.sensitive, security.hidden_link), kept as data.

Files beside this module, each replaceable by a file of the same name in a directory named
by the check option ``lexicon_dir`` (e.g. ``check_options["security.sensitive"]["lexicon_dir"]``):

- ``terms.toml``: ``[[category]]`` with ``id``, ``label`` and ``terms``;
- ``context.toml``: ``window``, ``official_words``, ``allowed_phrases`` (legitimate usage);
- ``domains.toml``: ``[spam_hosts]`` (per category) and ``spam_paths`` (regular expressions),
  ``benign_hosts``.

Terms and phrases are normalised (NFKC, lower case, whitespace removed) when loaded, the same
way the text is before matching. Invalid files raise ``ConfigError``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from govinspect.errors import ConfigError

TERMS = "terms.toml"
CONTEXT = "context.toml"
DOMAINS = "domains.toml"

_SPACE_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def normalise(text: str) -> str:
    """The form terms and text are compared in: NFKC, lower case, no whitespace."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SensitiveLexicon:
    categories: tuple[Category, ...]
    window: int
    official_words: tuple[str, ...]
    allowed_phrases: tuple[str, ...]
    spam_hosts: tuple[tuple[re.Pattern[str], str], ...]  # (pattern, category)
    spam_paths: tuple[re.Pattern[str], ...]
    benign_hosts: tuple[str, ...]

    def category_of(self) -> dict[str, str]:
        return {t: c.id for c in self.categories for t in c.terms}

    def spam_host_category(self, host: str) -> str | None:
        """The category of a gambling or adult host, or None."""
        host = host.lower()
        return next((category for pattern, category in self.spam_hosts if pattern.search(host)), None)

    def is_benign_host(self, host: str) -> bool:
        host = host.lower()
        return any(host == b or host.endswith("." + b) for b in self.benign_hosts)


def _path(name: str, override_dir: str | None) -> Path:
    if override_dir:
        directory = Path(override_dir)
        if not directory.is_dir():
            raise ConfigError(f"lexicon_dir {override_dir!r} is not a directory")
        if (directory / name).is_file():
            return directory / name
    return Path(str(files(__package__).joinpath(name)))


def _toml(name: str, override_dir: str | None) -> tuple[dict[str, Any], Path]:
    path = _path(name, override_dir)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), path
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read lexicon {path}: {exc}") from exc


def _strings(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: {key} must be a list of non-empty strings")
    return value


def _patterns(data: dict[str, Any], key: str, path: Path) -> tuple[re.Pattern[str], ...]:
    out = []
    for source in _strings(data, key, path):
        try:
            out.append(re.compile(source, re.I))
        except re.error as exc:
            raise ConfigError(f"{path}: {key}: bad regular expression {source!r}: {exc}") from exc
    return tuple(out)


def _host_patterns(domains: dict[str, Any], path: Path) -> tuple[tuple[re.Pattern[str], str], ...]:
    table = domains.get("spam_hosts", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: spam_hosts must be a table of category = [patterns]")
    return tuple((p, category) for category in table for p in _patterns(table, category, path))


def load_sensitive_lexicon(override_dir: str | None = None) -> SensitiveLexicon:
    terms_data, terms_path = _toml(TERMS, override_dir)
    categories = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(terms_data.get("category", [])):
        cid = entry.get("id")
        if not isinstance(cid, str) or not cid:
            raise ConfigError(f"{terms_path}: category #{i + 1} has no id")
        terms = tuple(dict.fromkeys(normalise(t) for t in _strings(entry, "terms", terms_path)))
        for term in terms:
            if term in seen and seen[term] != cid:
                raise ConfigError(f"{terms_path}: term {term!r} is in two categories ({seen[term]}, {cid})")
            seen[term] = cid
        categories.append(Category(cid, str(entry.get("label", cid)), terms))
    if not categories:
        raise ConfigError(f"{terms_path}: no [[category]]")
    context, context_path = _toml(CONTEXT, override_dir)
    window = context.get("window", 24)
    if not isinstance(window, int) or window < 0:
        raise ConfigError(f"{context_path}: window must be a non-negative integer")
    domains, domains_path = _toml(DOMAINS, override_dir)
    return SensitiveLexicon(
        categories=tuple(categories),
        window=window,
        official_words=tuple(normalise(w) for w in _strings(context, "official_words", context_path)),
        allowed_phrases=tuple(normalise(w) for w in _strings(context, "allowed_phrases", context_path)),
        spam_hosts=_host_patterns(domains, domains_path),
        spam_paths=_patterns(domains, "spam_paths", domains_path),
        benign_hosts=tuple(h.lower().strip(".") for h in _strings(domains, "benign_hosts", domains_path)),
    )


@cache
def cached_sensitive_lexicon(override_dir: str | None = None) -> SensitiveLexicon:
    """Loaded once per process and directory (read-only)."""
    return load_sensitive_lexicon(override_dir)
