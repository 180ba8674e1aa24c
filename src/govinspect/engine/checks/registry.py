"""Discovers every check: each module under ``engine/checks/`` (recursively) that defines
subclasses of PageCheck or SiteCheck with an ``id``. There is no central list to edit."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from govinspect.engine.checks import base


@cache
def all_checks() -> dict[str, type[base.Check]]:
    import govinspect.engine.checks as package

    found: dict[str, type[base.Check]] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, base.Check)
                and obj not in (base.Check, base.PageCheck, base.SiteCheck)
                and getattr(obj, "id", None)
                and obj.__module__ == module.__name__
            ):
                if obj.id in found and found[obj.id] is not obj:
                    raise RuntimeError(f"two checks share the id {obj.id!r}")
                found[obj.id] = obj
    return found


def enabled_checks(
    enabled: frozenset[str] | None, disabled: frozenset[str] = frozenset()
) -> list[type[base.Check]]:
    checks = all_checks()
    unknown = ((enabled or frozenset()) | disabled) - set(checks)
    if unknown:
        from govinspect.errors import ConfigError

        raise ConfigError(f"unknown check ids: {', '.join(sorted(unknown))}")
    ids = enabled if enabled is not None else frozenset(checks)
    return [checks[i] for i in sorted(ids - disabled)]
