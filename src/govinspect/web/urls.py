from django.contrib.auth import views as auth_views
from django.urls import path

from govinspect.web.views import accounts, findings, inspections, pages, rectify, reports
from govinspect.web.views import settings as settings_views

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", pages.dashboard, name="dashboard"),
    path("sites/", pages.sites, name="sites"),
    path("sites/<int:pk>/", pages.site_detail, name="site"),
    path("accounts/", pages.accounts, name="accounts"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account"),
    path("review/", findings.queue, name="review"),
    path("review/action/", findings.review_action, name="review_action"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding"),
    path("findings/<int:pk>/archive/", findings.finding_archive, name="finding_archive"),
    path("findings/<int:pk>/screenshot.png", findings.finding_screenshot, name="finding_screenshot"),
    path("findings/<int:pk>/screenshot/", findings.finding_screenshot_take, name="finding_screenshot_take"),
    path("rectification/", rectify.tasks, name="tasks"),
    path("rectification/report.xlsx", rectify.task_report, name="task_report"),
    path("rectification/<int:pk>/", rectify.task_detail, name="task"),
    path("rectification/<int:pk>/fixed/", rectify.task_fixed, name="task_fixed"),
    path("rectification/<int:pk>/recheck/", rectify.task_recheck, name="task_recheck"),
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/start/", inspections.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/progress/", inspections.inspection_progress, name="inspection_progress"),
    path("reports/", reports.reports, name="reports"),
    path("reports/notice/<int:pk>/<str:part>/", reports.notice, name="notice"),
    path("reports/annual/<int:year>/<int:index>/", reports.annual, name="annual"),
    path("settings/", settings_views.settings_index, name="settings"),
    path("settings/lexicons/<str:name>/", settings_views.lexicon_edit, name="lexicon"),
    path("settings/lexicon-versions/<int:pk>/", settings_views.lexicon_version, name="lexicon_version"),
    path("settings/thresholds/", settings_views.threshold_edit, name="thresholds"),
    path("settings/thresholds/history/", settings_views.threshold_history, name="threshold_history"),
    path("settings/threshold-versions/<int:pk>/", settings_views.threshold_version, name="threshold_version"),
]
