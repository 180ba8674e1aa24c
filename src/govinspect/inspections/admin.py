"""Admin pages: inspections, findings (review), verdicts and an inspector's manual entries."""

from django.contrib import admin

from govinspect.inspections.models import Finding, Inspection, ManualEntry, Verdict


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("id", "period", "kind", "assess", "as_of", "status", "sites_done", "sites_total", "findings_seen")
    list_filter = ("kind", "status", "period")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("id", "check_id", "severity", "site", "account", "url", "status", "first_seen", "last_seen")
    list_filter = ("status", "severity", "check_id")
    search_fields = ("url", "target", "fingerprint")
    raw_id_fields = ("site", "account", "first_seen", "last_seen", "reviewer")


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ("inspection", "site", "account", "passed", "score", "final")
    list_filter = ("passed", "inspection")
    raw_id_fields = ("site", "account")


@admin.register(ManualEntry)
class ManualEntryAdmin(admin.ModelAdmin):
    list_display = ("inspection", "site", "account", "item", "value", "entered_by", "entered_at")
    raw_id_fields = ("site", "account", "entered_by")
