from django import template

from govinspect.web import labels

register = template.Library()


@register.filter
def check_label(check_id: str) -> str:
    return labels.CHECKS.get(check_id, check_id)


@register.filter
def severity_label(severity: str) -> str:
    return labels.SEVERITIES.get(severity, severity)


@register.filter
def detail_label(key: str) -> str:
    return labels.DETAIL_KEYS.get(key, key)
