"""An error report (留言) on a government site and its handling: received → forwarded → answered → closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govinspect.registry.models import Site


class Category(models.TextChoices):
    NOT_UPDATED = "not_updated", "内容不更新"
    TYPO = "typo", "错别字"
    BROKEN_LINK = "broken_link", "链接不可用"
    INACCURATE = "inaccurate", "信息不准确"
    SERVICE_UNUSABLE = "service_unusable", "服务不实用"
    POOR_INTERACTION = "poor_interaction", "互动回应差"
    OTHER = "other", "其他"


class State(models.TextChoices):
    RECEIVED = "received", "已受理"
    FORWARDED = "forwarded", "已转办"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


OPEN_STATES = (State.RECEIVED, State.FORWARDED)


class Source(models.TextChoices):
    WEB = "web", "网站提交"
    IMPORT = "import", "全国平台导入"


class ErrorReport(models.Model):
    ticket = models.CharField("留言编号", max_length=20, unique=True)
    lookup_hash = models.CharField("查询码摘要", max_length=64, editable=False)
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True, editable=False)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.WEB)
    external_id = models.CharField("外部编号", max_length=64, blank=True, help_text="全国平台的留言编号")
    site = models.ForeignKey(Site, verbose_name="网站", on_delete=models.PROTECT, related_name="error_reports")
    page_url = models.URLField("问题页面", max_length=1000, blank=True)
    category = models.CharField("问题类型", max_length=32, choices=Category.choices)
    description = models.TextField("问题描述")
    screenshot = models.FileField("截图", upload_to="error_reports/%Y/%m/", blank=True)
    screenshot_type = models.CharField("截图类型", max_length=32, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    client_hash = models.CharField("来源摘要", max_length=16, blank=True, editable=False)

    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    received_at = models.DateTimeField("留言时间", db_index=True)
    deadline = models.DateField("答复期限", db_index=True, help_text="最后一个工作日（含）")
    forwarded_at = models.DateTimeField("转办时间", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_reason = models.CharField("办结说明", max_length=200, blank=True)
    # 办结: the first answer, or the closing of a message that needed none (invalid, duplicate).
    completed_at = models.DateTimeField("办理完成时间", null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后处理人", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "网民找错留言"
        verbose_name_plural = "网民找错留言"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="error_report_unique_external"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="error_report_state_deadline")]

    def __str__(self) -> str:
        return f"{self.ticket} {self.site.site_code if self.site_id else ''}"

    @property
    def safe_page_url(self) -> str:
        """The page URL when it is http(s), for use in a link; "" otherwise (javascript: and the like)."""
        return self.page_url if self.page_url.lower().startswith(("http://", "https://")) else ""

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
