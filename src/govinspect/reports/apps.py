from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "govinspect.reports"
    verbose_name = "通报与年度报表"
