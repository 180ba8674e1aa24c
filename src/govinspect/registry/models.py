"""The register: regions, organizers, sites, accounts and their filing history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from govinspect.findings import normalize_url

SITE_CODE_PATTERN = r"^(\d{10}|bm\d{8})$"
REGION_CODE_PATTERN = r"^\d{6}$"

site_code_validator = RegexValidator(
    SITE_CODE_PATTERN, "网站标识码应为10位数字（6位区划代码+4位序号）或 bm+8位数字。", code="site_code"
)
region_code_validator = RegexValidator(
    REGION_CODE_PATTERN, "行政区划代码应为6位数字（GB/T 2260）。", code="region_code"
)


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    code = models.CharField("行政区划代码", max_length=6, unique=True, validators=[region_code_validator])
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        allowed = PARENT_LEVELS.get(self.level, ())
        if not allowed and self.parent_id:
            raise ValidationError({"parent": "省级区划没有上级区划。"})
        if allowed and not self.parent_id:
            raise ValidationError({"parent": "市级、县级区划必须有上级区划。"})
        if self.parent_id and self.parent.level not in allowed:
            labels = "或".join(str(self.Level(level).label) for level in allowed)
            raise ValidationError({"parent": f"上级区划应为{labels}区划。"})


# Which levels a region's parent may have. A county-level unit directly under a province
# (省直辖县级行政区划, e.g. Hubei's 仙桃市) has the province as parent.
PARENT_LEVELS: dict[str, tuple[str, ...]] = {"province": (), "city": ("province",), "county": ("city", "province")}


class Organizer(models.Model):
    name = models.CharField("主办单位", max_length=128)
    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="organizers")

    class Meta:
        verbose_name = "主办单位"
        verbose_name_plural = "主办单位"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="organizer_unique_name_per_region")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    OPEN = "open", "运行"
    MIGRATED = "migrated", "已整合迁移"
    CLOSED = "closed", "已关停"


class Site(models.Model):
    class Category(models.TextChoices):
        PROVINCIAL_PORTAL = "provincial_portal", "省级门户网站"
        PROVINCIAL_DEPARTMENT = "provincial_department", "省级部门网站"
        CITY_PORTAL = "city_portal", "市级门户网站"
        CITY_DEPARTMENT = "city_department", "市级部门网站"
        COUNTY_PORTAL = "county_portal", "县级门户网站"
        OTHER = "other", "其他"

    site_code = models.CharField("网站标识码", max_length=10, unique=True, validators=[site_code_validator])
    name = models.CharField("网站名称", max_length=128)
    home_url = models.URLField("首页地址", max_length=500, unique=True)
    extra_hosts = models.JSONField("其他域名", default=list, blank=True, help_text="属于本网站的其他主机名")
    organizer = models.ForeignKey(Organizer, verbose_name="主办单位", on_delete=models.PROTECT, related_name="sites")
    # Denormalised from the organizer so that region-scoped queries need no join.
    region = models.ForeignKey(
        Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="sites", editable=False
    )
    category = models.CharField("网站类别", max_length=32, choices=Category.choices)
    offers_services = models.BooleanField("提供办事服务", default=False)
    icp = models.CharField("ICP备案号", max_length=64, blank=True)
    police_filing = models.CharField("公安备案号", max_length=64, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府网站"
        verbose_name_plural = "政府网站"
        ordering = ["site_code"]
        indexes = [models.Index(fields=["region", "category", "status"], name="site_region_category_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.site_code}）"

    def clean(self) -> None:
        if not isinstance(self.extra_hosts, list) or not all(isinstance(h, str) and h for h in self.extra_hosts):
            raise ValidationError({"extra_hosts": "其他域名应为主机名列表。"})

    def save(self, *args, **kwargs) -> None:
        if self.organizer_id:
            self.region_id = self.organizer.region_id
        # One spelling per URL, the one findings use, so that the unique index means something.
        self.home_url = normalize_url(self.home_url)
        if isinstance(self.extra_hosts, list):
            self.extra_hosts = [h.strip().lower() for h in self.extra_hosts]
        super().save(*args, **kwargs)


class Account(models.Model):
    class Platform(models.TextChoices):
        WECHAT = "wechat", "微信"
        WEIBO = "weibo", "微博"
        DOUYIN = "douyin", "抖音"
        TOUTIAO = "toutiao", "今日头条"
        KUAISHOU = "kuaishou", "快手"
        CHANNELS = "channels", "微信视频号"
        BILIBILI = "bilibili", "哔哩哔哩"
        XIAOHONGSHU = "xiaohongshu", "小红书"
        APP = "app", "移动客户端"
        OTHER = "other", "其他"

    platform = models.CharField("平台", max_length=16, choices=Platform.choices)
    name = models.CharField("账号名称", max_length=128)
    platform_id = models.CharField("账号ID或地址", max_length=500)
    organizer = models.ForeignKey(Organizer, verbose_name="主办单位", on_delete=models.PROTECT, related_name="accounts")
    region = models.ForeignKey(
        Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="accounts", editable=False
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = "政务新媒体账号"
        ordering = ["region__code", "organizer__name", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_id"], name="account_unique_platform_id"),
        ]
        indexes = [models.Index(fields=["region", "status"], name="account_region_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）"

    def save(self, *args, **kwargs) -> None:
        if self.organizer_id:
            self.region_id = self.organizer.region_id
        super().save(*args, **kwargs)


class Filing(models.Model):
    """A dated filing (备案) event for a site or an account: what was declared, and when."""

    class Kind(models.TextChoices):
        OPEN = "open", "开设"
        CHANGE = "change", "变更"
        MIGRATE = "migrate", "整合迁移"
        CLOSE = "close", "关停"

    date = models.DateField("日期")
    kind = models.CharField("事项", max_length=16, choices=Kind.choices)
    site = models.ForeignKey(
        Site, verbose_name="网站", null=True, blank=True, on_delete=models.CASCADE, related_name="filings"
    )
    account = models.ForeignKey(
        Account, verbose_name="政务新媒体账号", null=True, blank=True, on_delete=models.CASCADE, related_name="filings"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "备案记录"
        verbose_name_plural = "备案记录"
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False, account__isnull=True) | Q(site__isnull=True, account__isnull=False),
                name="filing_site_xor_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.site or self.account}"

    def clean(self) -> None:
        if bool(self.site_id) == bool(self.account_id):
            raise ValidationError("备案记录须且只能对应一个网站或一个政务新媒体账号。")
