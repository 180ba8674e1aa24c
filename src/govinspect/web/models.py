"""Versions edited in the settings page: lexicons and threshold overrides (every save is a new row: the history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

LEXICON_NAMES = [
    ("protected_terms.toml", "严重表述错误：领导人姓名职务、规范表述（protected_terms.toml）"),
    ("misused_words.tsv", "错别字：易错词（misused_words.tsv）"),
    ("official_phrasings.txt", "错别字：规范用语（official_phrasings.txt）"),
    ("allowlist.txt", "白名单：不报的词（allowlist.txt）"),
    ("terms.toml", "违规内容：敏感词（sensitive/terms.toml）"),
    ("context.toml", "违规内容：合法语境（sensitive/context.toml）"),
    ("domains.toml", "违规内容：涉赌涉黄域名（sensitive/domains.toml）"),
]


class LexiconVersion(models.Model):
    name = models.CharField("词表", max_length=64, choices=LEXICON_NAMES, db_index=True)
    content = models.TextField("内容")
    note = models.CharField("修改说明", max_length=255)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "词表版本"
        verbose_name_plural = "词表版本"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class ThresholdOverrideVersion(models.Model):
    """The province administrator's overrides of the indicator catalogue (thresholds, caps, scoring
    bounds) as TOML in the shape of a province file; every save is a new row holding the whole set,
    the latest in force. Read through ``govinspect.indicators.load.province_catalogue`` (the web
    application registers this table as its override source), so the inspections and the scoring
    never import the web application."""

    province = models.CharField("省份", max_length=2, db_index=True)
    content = models.TextField("覆盖内容（TOML）", blank=True)
    note = models.CharField("修改说明", max_length=255)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("修改时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "阈值覆盖版本"
        verbose_name_plural = "阈值覆盖版本"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"阈值覆盖 {self.province} #{self.pk}"
