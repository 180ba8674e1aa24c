"""Lexicon versions edited in the settings page (every save is a new row: the history)."""

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
