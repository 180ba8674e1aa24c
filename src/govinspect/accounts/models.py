from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from govinspect.registry.models import Organizer, Region


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省级管理员"
    CITY_ADMIN = "city_admin", "市（州）管理员"
    INSPECTOR = "inspector", "检查人员"
    ORGANIZER = "organizer", "主办单位"


class Profile(models.Model):
    """What a user may see and do. A user without a profile sees nothing (deny by default)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="govinspect_profile")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name="管辖区划", null=True, blank=True, on_delete=models.PROTECT,
        help_text="市（州）管理员和检查人员看到该区划及其下级；省级管理员可留空（全省）。",
    )
    organizer = models.ForeignKey(
        Organizer, verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT,
        help_text="主办单位用户只看到本单位的网站和账号。",
    )

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.ORGANIZER and not self.organizer_id:
            raise ValidationError({"organizer": "主办单位用户必须指定主办单位。"})
        if self.role in (Role.CITY_ADMIN, Role.INSPECTOR) and not self.region_id:
            raise ValidationError({"region": "该角色必须指定管辖区划。"})


class AuditEntry(models.Model):
    """Who changed what, when, with the state before and after (JSON)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField("用户名", max_length=150, blank=True)  # kept if the user is deleted
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象", max_length=64, db_index=True)
    object_repr = models.CharField("对象名称", max_length=255, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"
