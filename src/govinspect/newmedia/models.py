"""Posts of new-media accounts, their comments, what the source says about interaction, and ingest runs."""

from __future__ import annotations

from django.db import models

from govinspect.registry.models import Account


class Post(models.Model):
    account = models.ForeignKey(Account, verbose_name="账号", on_delete=models.CASCADE, related_name="posts")
    post_id = models.CharField("发布ID", max_length=200)
    published_at = models.DateTimeField("发布时间")
    title = models.CharField("标题", max_length=500, blank=True)
    text = models.TextField("正文", blank=True)
    url = models.CharField("链接", max_length=1000, blank=True)
    comment_count = models.IntegerField("评论数", null=True, blank=True)
    reply_count = models.IntegerField("回复数", null=True, blank=True)
    raw = models.JSONField("原始数据", default=dict, blank=True)
    ingested_at = models.DateTimeField("采集时间", auto_now=True)

    class Meta:
        verbose_name = "发布信息"
        verbose_name_plural = "发布信息"
        ordering = ["account_id", "-published_at"]
        constraints = [models.UniqueConstraint(fields=["account", "post_id"], name="post_unique_per_account")]
        indexes = [models.Index(fields=["account", "published_at"], name="post_account_published")]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, verbose_name="发布信息", on_delete=models.CASCADE, related_name="comments")
    text = models.TextField("评论", blank=True)
    time = models.DateTimeField("评论时间", null=True, blank=True)
    replied = models.BooleanField("已回复", default=False)
    reply_text = models.TextField("回复内容", blank=True)

    class Meta:
        verbose_name = "评论"
        verbose_name_plural = "评论"
        ordering = ["post_id", "time", "id"]


class AccountSource(models.Model):
    """What the sources told about an account beyond its posts (None: the source did not say)."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="newmedia_source")
    last_ingested_at = models.DateTimeField("最近采集时间", null=True, blank=True)
    auto_reply = models.BooleanField("已设置自动回复", null=True, blank=True)
    messages_enabled = models.BooleanField("开放留言/私信", null=True, blank=True)
    feed = models.CharField("数据源", max_length=1000, blank=True)

    class Meta:
        verbose_name = "账号数据源"
        verbose_name_plural = "账号数据源"


class IngestRun(models.Model):
    class Format(models.TextChoices):
        RSS = "rss", "RSS/Atom"
        JSONL = "jsonl", "JSON Lines"
        CSV = "csv", "CSV"
        HTML = "html", "网页列表"

    source = models.CharField("来源", max_length=1000)
    format = models.CharField("格式", max_length=8, choices=Format.choices)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    rows = models.IntegerField("读取条数", default=0)
    created = models.IntegerField("新增", default=0)
    updated = models.IntegerField("更新", default=0)
    error_count = models.IntegerField("错误条数", default=0)

    class Meta:
        verbose_name = "采集记录"
        verbose_name_plural = "采集记录"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.format})"


class IngestError(models.Model):
    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="errors")
    row = models.IntegerField("行/条目号", null=True, blank=True)
    field = models.CharField("字段", max_length=64, blank=True)
    message = models.TextField("说明")
    raw = models.TextField("原文片段", blank=True)

    class Meta:
        verbose_name = "采集错误"
        verbose_name_plural = "采集错误"
        ordering = ["run_id", "row", "id"]
