"""The audit log: every state change (review, assignment, rectification, register edit,
error-report handling) is recorded with who, when, before and after."""

from __future__ import annotations

from typing import Any

from django.db import models

from govinspect.accounts.models import AuditEntry
from govinspect.findings import mask


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model instance's concrete fields (text masked)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(obj)
        if isinstance(value, str):
            value = mask(value)
        elif value is not None and not isinstance(value, int | float | bool | list | dict):
            value = str(value)
        out[field.name] = value
    return out


def record(
    user: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=mask(str(obj))[:255],
        before=before,
        after=after,
    )
