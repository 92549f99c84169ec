"""Addresses of the alert pages (namespace `alerts`). `alerts:detail` is also the link that
e-mails and webhooks carry (alerts.tasks.alert_link)."""

from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("closed/", views.inbox_closed, name="closed"),
    path("badge/", views.badge, name="badge"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/assign/", views.alert_assign, name="assign"),
    path("<int:pk>/close/", views.alert_close, name="close"),
    path("<int:pk>/escalate/", views.alert_escalate, name="escalate"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/<int:org_pk>/subscription/", views.subscription_save, name="subscription"),
    path("settings/<int:org_pk>/webhooks/", views.webhook_add, name="webhook_add"),
    path("settings/webhooks/<int:pk>/remove/", views.webhook_remove, name="webhook_remove"),
    path("settings/<int:org_pk>/sharing/", views.auto_share_save, name="auto_share"),
]
