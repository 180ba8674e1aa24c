"""Lexicons edited by the province administrator: each save is validated with the engine's own
loaders, kept as a version (history) and written to DATA_DIR/lexicons, the ``lexicon_dir`` the
text and sensitive-content checks read (files not edited come from the package)."""

from __future__ import annotations

import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from govinspect.accounts import audit
from govinspect.engine.config import EngineConfig
from govinspect.errors import ConfigError
from govinspect.lexicons import load_lexicons
from govinspect.lexicons.sensitive import load_sensitive_lexicon
from govinspect.web.models import LEXICON_NAMES, LexiconVersion

NAMES = dict(LEXICON_NAMES)
SENSITIVE = {"terms.toml", "context.toml", "domains.toml"}
CHECKS_WITH_LEXICONS = ("text.typo", "text.severe_error", "security.sensitive", "security.hidden_link")
MAX_CHARS = 2_000_000


def directory() -> Path:
    return Path(settings.DATA_DIR) / "lexicons"


def packaged(name: str) -> str:
    package = "govinspect.lexicons.sensitive" if name in SENSITIVE else "govinspect.lexicons"
    return files(package).joinpath(name).read_text(encoding="utf-8")


def current(name: str) -> str:
    if name not in NAMES:
        raise ConfigError(f"未知的词表：{name}")
    latest = LexiconVersion.objects.filter(name=name).first()
    return latest.content if latest else packaged(name)


def validate(name: str, content: str) -> None:
    """Load the edited file with the engine's loaders; ConfigError says what is wrong."""
    if len(content) > MAX_CHARS:
        raise ConfigError("词表过大")
    with tempfile.TemporaryDirectory(prefix="govinspect-lexicon-") as tmp:
        (Path(tmp) / name).write_text(content, encoding="utf-8")
        if name in SENSITIVE:
            load_sensitive_lexicon(tmp)
        else:
            load_lexicons(tmp)


def save(name: str, content: str, note: str, user: Any) -> LexiconVersion:
    if name not in NAMES:
        raise ConfigError(f"未知的词表：{name}")
    if not note.strip():
        raise ConfigError("请填写修改说明")
    content = content.replace("\r\n", "\n")
    validate(name, content)
    before = current(name)
    with transaction.atomic():
        version = LexiconVersion.objects.create(name=name, content=content, note=note.strip()[:255], author=user)
        audit.record(
            user,
            "lexicon.edit",
            version,
            {"name": name, "lines": before.count("\n")},
            {"name": name, "lines": content.count("\n"), "note": version.note},
        )
        directory().mkdir(parents=True, exist_ok=True)
        (directory() / name).write_text(content, encoding="utf-8")
    return version


def engine_config(base: EngineConfig | None = None) -> EngineConfig:
    """The engine configuration with the edited lexicons (if any) for the checks that read them."""
    from dataclasses import replace

    base = base or EngineConfig()
    if not directory().is_dir() or not any(directory().iterdir()):
        return base
    options = dict(base.check_options)
    for check_id in CHECKS_WITH_LEXICONS:
        options[check_id] = {**options.get(check_id, {}), "lexicon_dir": str(directory())}
    return replace(base, check_options=options)
