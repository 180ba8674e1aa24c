from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "govinspect.project"
    label = "govinspect_project"
    verbose_name = "govinspect"

    def ready(self) -> None:
        from govinspect.project import checks  # noqa: F401  (registers system checks)
