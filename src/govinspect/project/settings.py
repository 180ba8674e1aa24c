"""Django settings. The only module that reads the environment (through env.py)."""

from __future__ import annotations

from pathlib import Path

from govinspect.project.env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or "insecure-development-key-set-GOVINSPECT_SECRET_KEY"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "govinspect.project.apps.ProjectConfig",
    "govinspect.registry",
    "govinspect.accounts",
    "govinspect.error_reports",
    "govinspect.inspections",
    "govinspect.reports",
    "govinspect.newmedia",
    "govinspect.monitoring",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "govinspect.rectification",
    "govinspect.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "govinspect.project.urls"
WSGI_APPLICATION = "govinspect.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govinspect.web.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_config(env_str("DATABASE_URL", ""), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns (an error under the tests) when it is missing
MEDIA_ROOT = DATA_DIR / "media"

# Province whose register and thresholds are the default (GB/T 2260 province code).
PROVINCE_CODE = env_str("PROVINCE", "51")
RECTIFICATION_DAYS = env_int("RECTIFICATION_DAYS", 30, minimum=1)
# A fixed rectification deadline (YYYY-MM-DD, e.g. the notice's 2026-01-30) wins over RECTIFICATION_DAYS.
RECTIFICATION_DEADLINE = env_str("RECTIFICATION_DEADLINE", "")
# Screenshots of the pages carrying findings, rendered from the WARC after each inspection
# (headless Chromium, one browser per inspection); the caps bound the time spent (README: settings).
# (Not GOVINSPECT_SCREENSHOTS: the browser tests use that name for a directory.)
INSPECTION_SCREENSHOTS = env_bool("INSPECTION_SCREENSHOTS", True)
INSPECTION_SCREENSHOTS_PER_SITE = env_int("INSPECTION_SCREENSHOTS_PER_SITE", 3, minimum=0)
INSPECTION_SCREENSHOTS_PER_INSPECTION = env_int("INSPECTION_SCREENSHOTS_PER_INSPECTION", 100, minimum=0)

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "govinspect.api.pagination.Pagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "govinspect API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "FindingReviewEnum": "govinspect.inspections.models.Finding.Review",
        "InspectionStatusEnum": "govinspect.inspections.models.Inspection.Status",
        "TaskStatusEnum": "govinspect.rectification.models.Task.Status",
        "RegisterStatusEnum": "govinspect.registry.models.Status",
    },
}

# Error reports (我为政府网站找错): answer deadline in working days; public rate limits (requests/seconds
# per client IP) in the cache, shared by all processes only with Redis; proxies whose X-Forwarded-For is believed.
ERROR_REPORT_ANSWER_DAYS = env_int("ERROR_REPORT_ANSWER_DAYS", 3, minimum=1)
ERROR_REPORT_SUBMIT_RATE = env_str("ERROR_REPORT_SUBMIT_RATE", "10/600")
ERROR_REPORT_LOOKUP_RATE = env_str("ERROR_REPORT_LOOKUP_RATE", "30/600")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Monitoring: which runner executes the jobs (embedded: in-process, no broker; celery: workers on the broker).
RUNNER = env_str("RUNNER", "embedded")  # checked by govinspect.monitoring (system check E111)
BROKER_URL = env_str("BROKER_URL", "redis://127.0.0.1:6379/5")
# Redis for the cross-worker host politeness and the shared link cache (celery runner); empty: the broker if redis://.
SHARED_REDIS_URL = env_str("SHARED_REDIS_URL", "")
# Large sites (celery runner, shared Redis): a site whose last inspection saw at least SPLIT_SITE_PAGES
# pages is inspected by SPLIT_SHARDS tasks, each the whole crawl and a share of the checks (0: never split).
SPLIT_SITE_PAGES = env_int("SPLIT_SITE_PAGES", 2000, minimum=0)
SPLIT_SHARDS = env_int("SPLIT_SHARDS", 3, minimum=1)

