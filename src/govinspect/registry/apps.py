from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "govinspect.registry"
    verbose_name = "网站与政务新媒体名录"
