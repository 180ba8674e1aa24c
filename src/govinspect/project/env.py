"""Typed parsers for GOVINSPECT_* environment variables. Only settings.py calls them.

Each raises ConfigError with the variable's name on a bad value, so a misconfigured
deployment fails at startup, not at the first request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from govinspect.errors import ConfigError

PREFIX = "GOVINSPECT_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> str:
    """A string; ``NAME_FILE`` (a path) takes precedence, for secrets mounted as files."""
    file_var = environ.get(PREFIX + name + "_FILE")
    if file_var:
        try:
            return Path(file_var).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{PREFIX}{name}_FILE: cannot read {file_var}: {exc}") from exc
    return environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(PREFIX + name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{PREFIX}{name} must be a boolean (true/false), not {raw!r}")


def env_int(
    name: str, default: int, minimum: int | None = None, environ: Mapping[str, str] = os.environ
) -> int:
    raw = environ.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} must be an integer, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{PREFIX}{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(PREFIX + name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path, environ: Mapping[str, str] = os.environ) -> Path:
    raw = environ.get(PREFIX + name)
    return Path(raw).expanduser().resolve() if raw else default


def database_config(url: str, data_dir: Path) -> dict:
    """Django DATABASES['default'] from a URL; empty means an SQLite file in data_dir."""
    import dj_database_url

    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "govinspect.sqlite3"),
            "OPTIONS": {"timeout": 30},
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several kinds
        raise ConfigError(f"{PREFIX}DATABASE_URL is not a database URL: {exc}") from exc
    if not config.get("ENGINE"):
        raise ConfigError(f"{PREFIX}DATABASE_URL has an unsupported scheme: {url.split(':')[0]}")
    if config["ENGINE"].endswith("sqlite3"):
        config.setdefault("OPTIONS", {})["timeout"] = 30
    return config
