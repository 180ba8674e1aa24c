"""Inspections, their targets (one row per site or account, claimed by a conditional UPDATE),
findings with a fingerprint (one record per problem across inspections), sightings (which
inspection saw which finding), verdicts and an inspector's manual entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from govinspect.registry.models import Account, Site

SITE_XOR_ACCOUNT = Q(site__isnull=False, account__isnull=True) | Q(site__isnull=True, account__isnull=False)


class Inspection(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", "全覆盖检查"
        SAMPLE = "sample", "抽查"

    class Assess(models.TextChoices):
        VETO = "veto", "单项否决指标"
        FULL = "full", "全部指标评分"

    class Status(models.TextChoices):
        QUEUED = "queued", "待运行"
        RUNNING = "running", "运行中"
        INTERRUPTED = "interrupted", "已中断"
        DONE = "done", "已完成"

    period = models.CharField("检查期", max_length=16, help_text="如 2025Q4")
    kind = models.CharField("方式", max_length=8, choices=Kind.choices, default=Kind.FULL)
    assess = models.CharField("评判", max_length=8, choices=Assess.choices, default=Assess.VETO)
    sample_size = models.PositiveIntegerField("抽查数量", null=True, blank=True)
    sample_rule = models.CharField("抽样规则", max_length=32, blank=True, help_text="stratified: 按市(州)分层随机")
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    scope = models.JSONField("范围", default=dict, blank=True, help_text="regions, categories, sites, accounts")
    as_of = models.DateField("监测时间点")
    province = models.CharField("省份", max_length=2, default="51")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    sites_total = models.PositiveIntegerField("网站数", default=0)
    sites_done = models.PositiveIntegerField("已检查网站数", default=0)
    accounts_total = models.PositiveIntegerField("账号数", default=0)
    accounts_done = models.PositiveIntegerField("已检查账号数", default=0)
    findings_seen = models.PositiveIntegerField("发现问题数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = "检查"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period} {self.get_kind_display()}（#{self.pk}）"


class InspectionTarget(models.Model):
    """One site or account of an inspection; its state moves queued → running → done|failed."""

    class State(models.TextChoices):
        QUEUED = "queued", "待检查"
        RUNNING = "running", "检查中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField("页面数", default=0)
    stats = models.JSONField("统计", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=SITE_XOR_ACCOUNT, name="target_site_xor_account"),
            models.UniqueConstraint(fields=["inspection", "site"], name="target_unique_site"),
            models.UniqueConstraint(fields=["inspection", "account"], name="target_unique_account"),
        ]
        indexes = [models.Index(fields=["inspection", "state"], name="target_inspection_state")]


class Finding(models.Model):
    """One problem, however many inspections saw it (matched by fingerprint)."""

    class Review(models.TextChoices):
        NEW = "new", "待审核"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已核减"

    fingerprint = models.CharField("指纹", max_length=40, unique=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField("检查项", max_length=64, db_index=True)
    severity = models.CharField("严重程度", max_length=8)
    indicator = models.CharField("指标", max_length=16, blank=True)
    url = models.URLField("页面", max_length=2000)
    target = models.CharField("目标", max_length=2000, blank=True)
    evidence = models.TextField("证据摘录", blank=True)  # masked by the checks (findings.mask)
    detail = models.JSONField("详情", default=dict, blank=True)
    evidence_ref = models.JSONField("证据存档", null=True, blank=True)
    first_seen = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="+", verbose_name="首次发现")
    last_seen = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="+", verbose_name="最近发现")
    status = models.CharField("审核状态", max_length=12, choices=Review.choices, default=Review.NEW)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("审核说明", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=SITE_XOR_ACCOUNT, name="finding_site_xor_account")]

    def __str__(self) -> str:
        return f"{self.check_id} {self.url}"


class Sighting(models.Model):
    """Finding seen by an inspection: what a verdict of that inspection counts."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sightings")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="sightings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "finding"], name="sighting_unique")]


class Verdict(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="verdicts")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="verdicts")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="verdicts")
    passed = models.BooleanField("合格")
    vetoes = models.JSONField("单项否决", default=list, blank=True)  # [{"item", "name", "reason"}]
    score = models.FloatField("扣分指标得分", null=True, blank=True)
    deductions = models.JSONField("扣分", default=dict, blank=True)  # item -> points
    bonus = models.JSONField("加分", default=dict, blank=True)
    final = models.FloatField("总分", null=True, blank=True)
    reasons = models.JSONField("理由", default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检查结论"
        verbose_name_plural = "检查结论"
        constraints = [
            models.CheckConstraint(condition=SITE_XOR_ACCOUNT, name="verdict_site_xor_account"),
            models.UniqueConstraint(fields=["inspection", "site"], name="verdict_unique_site"),
            models.UniqueConstraint(fields=["inspection", "account"], name="verdict_unique_account"),
        ]


class ManualEntry(models.Model):
    """An inspector's value for an item a machine cannot judge (e.g. a simulated consultation):
    points for a deduction or bonus item, 1 for a veto item found by a person."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="manual_entries")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    item = models.CharField("指标", max_length=16)
    value = models.FloatField("分值")
    note = models.TextField("说明", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        constraints = [
            models.CheckConstraint(condition=SITE_XOR_ACCOUNT, name="manual_site_xor_account"),
            models.UniqueConstraint(fields=["inspection", "site", "item"], name="manual_unique_site_item"),
            models.UniqueConstraint(fields=["inspection", "account", "item"], name="manual_unique_account_item"),
        ]
