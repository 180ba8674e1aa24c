from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "govinspect.inspections"
    verbose_name = "检查与评分"
