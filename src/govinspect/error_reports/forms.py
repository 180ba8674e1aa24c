"""Forms of the public pages and of the handling pages."""

from __future__ import annotations

import uuid

from django import forms
from django.core.validators import URLValidator

from govinspect.error_reports.models import Category
from govinspect.error_reports.services import (
    MAX_ANSWER,
    MAX_DESCRIPTION,
    find_site_cached,
    max_screenshot_bytes,
    sniff_image,
)
from govinspect.registry.models import Status

HONEYPOT = "homepage"  # a field people never see; bots fill it


class ReportForm(forms.Form):
    site_code = forms.CharField(label="网站标识码", max_length=10, min_length=10)
    page_url = forms.CharField(label="问题页面地址", max_length=1000, required=False)
    category = forms.ChoiceField(label="问题类型", choices=Category.choices)
    description = forms.CharField(
        label="问题描述", max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 6})
    )
    screenshot = forms.FileField(label="截图（可选）", required=False, help_text="PNG、JPEG、GIF 或 WebP，不超过 2MB")
    contact = forms.CharField(
        label="联系方式（可选）", max_length=100, required=False, help_text="手机或邮箱，仅处理单位可见"
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
    homepage = forms.CharField(required=False, label="请勿填写此项")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["screenshot"].widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp"
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_site_code(self) -> object:
        code = self.cleaned_data["site_code"].strip()
        site = find_site_cached(code)
        if site is None or site.status != Status.OPEN:
            raise forms.ValidationError("未找到该网站标识码对应的在运行政府网站。")
        self.site = site
        return code

    def clean_page_url(self) -> str:
        url = self.cleaned_data["page_url"].strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except forms.ValidationError:
                raise forms.ValidationError("请输入以 http:// 或 https:// 开头的网页地址。") from None
        return url

    def clean_screenshot(self) -> bytes | None:
        upload = self.cleaned_data.get("screenshot")
        if not upload:
            return None
        if upload.size > max_screenshot_bytes():
            raise forms.ValidationError(f"截图不能超过 {max_screenshot_bytes() // 1024} KB。")
        data = upload.read(max_screenshot_bytes() + 1)
        if sniff_image(data) is None:
            raise forms.ValidationError("截图须为 PNG、JPEG、GIF 或 WebP 图片。")
        return data

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class LookupForm(forms.Form):
    ticket = forms.CharField(label="留言编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=16)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 6}))


class CloseForm(forms.Form):
    reason = forms.CharField(label="办结说明", max_length=200, required=False)
