from django.contrib import admin

from govinspect.error_reports.models import ErrorReport


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ("ticket", "site", "category", "state", "received_at", "deadline", "completed_at")
    list_filter = ("state", "category", "source")
    search_fields = ("ticket", "site__site_code", "site__name", "external_id")
    date_hierarchy = "received_at"
    raw_id_fields = ("site", "handled_by")
    # State changes go through the handling pages so that each is audited.
    readonly_fields = ("state", "forwarded_at", "answered_at", "closed_at", "completed_at", "deadline", "handled_by")
