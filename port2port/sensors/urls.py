"""Addresses of the sensor and zone pages (namespace `sensors`)."""

from django.urls import path

from . import views

app_name = "sensors"
urlpatterns = [
    path("", views.sensor_list, name="list"),
    path("new/", views.sensor_create, name="create"),
    path("<int:pk>/", views.sensor_detail, name="detail"),
    path("<int:pk>/edit/", views.sensor_edit, name="edit"),
    path("<int:pk>/credentials/", views.credential_issue, name="credential_issue"),
    path("credentials/<int:pk>/rotate/", views.credential_rotate, name="credential_rotate"),
    path("credentials/<int:pk>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("zones/", views.zone_list, name="zones"),
    path("zones/new/", views.zone_create, name="zone_create"),
    path("zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("zones/<int:pk>/delete/", views.zone_delete, name="zone_delete"),
]
