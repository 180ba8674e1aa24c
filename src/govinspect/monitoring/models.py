"""Probes, schedules, job runs, alert channels, rules and events."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from govinspect.registry.models import Site


class Probe(models.Model):
    """One availability probe of a site's home page (W-V2)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probes")
    time = models.DateTimeField("探测时间")
    status = models.PositiveSmallIntegerField("HTTP状态", null=True, blank=True)
    latency = models.FloatField("耗时（秒）", null=True, blank=True)
    error = models.CharField("错误", max_length=64, blank=True)

    class Meta:
        verbose_name = "可用性探测"
        verbose_name_plural = "可用性探测"
        indexes = [models.Index(fields=["site", "time"], name="probe_site_time")]

    @property
    def ok(self) -> bool:
        return not self.error


class Job(models.TextChoices):
    PROBE = "probe", "可用性探测"
    FRESHNESS = "freshness", "首页与重点栏目更新检查"
    INSPECTION = "inspection", "全面检查"
    NEWMEDIA = "newmedia", "新媒体轮询"
    REPORT = "report", "报告生成"
    ALERTS = "alerts", "告警评估"
    DIGEST = "digest", "每日告警汇总"


class Schedule(models.Model):
    """When a job runs: every ``every_seconds``, each run moved by a random ± ``jitter_seconds``."""

    name = models.CharField("名称", max_length=64, unique=True)
    job = models.CharField("任务", max_length=16, choices=Job.choices)
    every_seconds = models.PositiveIntegerField("间隔（秒）")
    jitter_seconds = models.PositiveIntegerField("随机偏移（秒）", default=0)
    params = models.JSONField("参数", default=dict, blank=True)
    enabled = models.BooleanField("启用", default=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True)
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)

    class Meta:
        verbose_name = "监测计划"
        verbose_name_plural = "监测计划"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One execution of a job (or one site of a distributed inspection): queued → running → done|failed."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队"
        RUNNING = "running", "运行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    schedule = models.ForeignKey(Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    job = models.CharField("任务", max_length=16)
    params = models.JSONField("参数", default=dict, blank=True)
    task_id = models.CharField("任务标识", max_length=64, blank=True, db_index=True)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "任务运行"
        verbose_name_plural = "任务运行"
        ordering = ["-id"]
        indexes = [models.Index(fields=["job", "state"], name="jobrun_job_state")]


class AlertChannel(models.Model):
    """Where alerts go: an Apprise URL (mailto://, wecombot://, dingtalk://, feishu://, json://)."""

    name = models.CharField("名称", max_length=64, unique=True)
    url = models.CharField("Apprise 地址", max_length=1000)
    enabled = models.BooleanField("启用", default=True)
    immediate = models.BooleanField("即时告警", default=True)
    digest = models.BooleanField("每日汇总", default=True)

    class Meta:
        verbose_name = "告警渠道"
        verbose_name_plural = "告警渠道"

    def __str__(self) -> str:
        return self.name


class Rule(models.TextChoices):
    HOME_DOWN = "home_down", "首页当前无法访问"
    UNREACHABLE_RATIO = "unreachable_ratio", "近7天无法访问比例超标"
    SEVERE_ERROR = "severe_error", "发现严重表述错误"
    HOME_STALE = "home_stale", "首页长期未更新"
    BLANK_COLUMNS = "blank_columns", "空白栏目过多"
    HIDDEN_LINK = "hidden_link", "疑似暗链或被篡改"
    REPORT_OVERDUE = "report_overdue", "网民留言逾期未答复"


class AlertRule(models.Model):
    rule = models.CharField("规则", max_length=32, choices=Rule.choices, unique=True)
    enabled = models.BooleanField("启用", default=True)
    threshold = models.FloatField("阈值", null=True, blank=True, help_text="比例、天数或个数，视规则而定")

    class Meta:
        verbose_name = "告警规则"
        verbose_name_plural = "告警规则"

    def __str__(self) -> str:
        return self.get_rule_display()


class AlertEvent(models.Model):
    """One problem while it lasts: opened once (one alert), cleared once (one recovery message)."""

    rule = models.CharField("规则", max_length=32, choices=Rule.choices)
    key = models.CharField("对象", max_length=200)  # what the problem is about (site code, report …)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.TextField("内容")
    opened_at = models.DateTimeField("发生时间")
    last_seen_at = models.DateTimeField("最近确认")
    cleared_at = models.DateTimeField("恢复时间", null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    recovery_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "告警事件"
        verbose_name_plural = "告警事件"
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], condition=Q(cleared_at__isnull=True), name="alert_one_open")
        ]
