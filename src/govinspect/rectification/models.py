"""A rectification task: one confirmed finding for its organizer, with a deadline, closed only
when a re-inspection no longer sees the problem."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from govinspect.inspections.models import Finding
from govinspect.registry.models import Organizer, Region

ACTIVE = ("open", "fixed_claimed", "reopened")


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        FIXED_CLAIMED = "fixed_claimed", "已整改待复核"
        VERIFIED_CLOSED = "verified_closed", "复核通过已销号"
        REOPENED = "reopened", "复核未通过"
        CANCELLED = "cancelled", "已撤销（问题核减）"

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="tasks")
    # Denormalised from the finding's site or account so that scope.restrict(Task, user) needs no join.
    organizer = models.ForeignKey(Organizer, verbose_name="主办单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    note = models.TextField("整改说明", blank=True)
    recheck = models.JSONField("复核结果", default=dict, blank=True)  # {"at", "present", "evidence", "url", ...}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    fixed_at = models.DateTimeField("报告整改时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["deadline", "id"]
        constraints = [
            # At most one live task per finding; a closed one may be followed by a new one.
            models.UniqueConstraint(
                fields=["finding"], condition=Q(status__in=ACTIVE), name="task_one_active_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"整改#{self.pk} {self.finding.check_id}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status in ACTIVE and self.deadline < (today or date.today())
