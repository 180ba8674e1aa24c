from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govinspect.accounts"
    label = "govinspect_accounts"  # "accounts" would collide with nothing today, but is too generic
    verbose_name = "用户与审计"
