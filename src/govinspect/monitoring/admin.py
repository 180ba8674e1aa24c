from django.contrib import admin

from govinspect.monitoring.models import AlertChannel, AlertEvent, AlertRule, JobRun, Schedule


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "job", "every_seconds", "jitter_seconds", "enabled", "next_run_at", "last_run_at"]
    list_editable = ["every_seconds", "jitter_seconds", "enabled"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "state", "attempts", "created_at", "finished_at"]
    list_filter = ["job", "state"]


@admin.register(AlertChannel)
class AlertChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "enabled", "immediate", "digest"]


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["rule", "enabled", "threshold"]
    list_editable = ["enabled", "threshold"]


@admin.register(AlertEvent)
class AlertEventAdmin(admin.ModelAdmin):
    list_display = ["rule", "key", "opened_at", "cleared_at"]
    list_filter = ["rule"]
