from __future__ import annotations

from django.contrib import admin
from django.db import models

from govinspect.registry.models import Account, Filing, Organizer, Region, Site


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region__level"]
    search_fields = ["name", "region__name", "region__code"]
    autocomplete_fields = ["region"]


class FilingInline(admin.TabularInline):
    model = Filing
    extra = 0
    fields = ["date", "kind", "note"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["site_code", "name", "home_url", "organizer", "region", "category", "offers_services", "status"]
    list_filter = ["category", "status", "offers_services", "region__level"]
    search_fields = ["site_code", "name", "home_url", "organizer__name", "region__name", "icp", "police_filing"]
    autocomplete_fields = ["organizer"]
    readonly_fields = ["region", "created_at", "updated_at"]
    list_select_related = ["organizer", "region"]
    inlines = [FilingInline]
    # A home URL typed without a scheme is taken as https (Django 6's default, stated now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "platform_id", "organizer", "region", "status"]
    list_filter = ["platform", "status", "region__level"]
    search_fields = ["name", "platform_id", "organizer__name", "region__name"]
    autocomplete_fields = ["organizer"]
    readonly_fields = ["region", "created_at", "updated_at"]
    list_select_related = ["organizer", "region"]
    inlines = [FilingInline]


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "site", "account", "note"]
    list_filter = ["kind", "date"]
    search_fields = ["site__name", "site__site_code", "account__name", "note"]
    autocomplete_fields = ["site", "account"]
    date_hierarchy = "date"
    list_select_related = ["site", "account"]
