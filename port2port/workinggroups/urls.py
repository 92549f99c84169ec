"""Addresses of the working-group pages (namespace `workinggroups`)."""

from django.urls import path

from . import views

app_name = "workinggroups"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.space, name="space"),
    path("<int:pk>/coordinator/", views.coordinator, name="coordinator"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("<int:pk>/delegates/", views.delegate_add, name="delegate_add"),
    path("<int:pk>/delegates/<int:user_pk>/remove/", views.delegate_remove, name="delegate_remove"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/mark/", views.action_mark, name="action_mark"),
]
