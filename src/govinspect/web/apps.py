from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govinspect.web"
    verbose_name = "网页界面"
