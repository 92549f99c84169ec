"""Addresses of the training pages (namespace `training`). `training:detail` is also the link
that each event of the calendar feed carries."""

from django.urls import path

from . import campaign_views, views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/register-member/", views.register_member, name="register_member"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel_registration"),
    path("registrations/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("campaigns/", campaign_views.campaigns, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/share/", campaign_views.campaign_share, name="campaign_share"),
    path("campaigns/<int:pk>/join/", campaign_views.campaign_join, name="campaign_join"),
    path("campaigns/<int:pk>/leave/", campaign_views.campaign_leave, name="campaign_leave"),
    path("campaigns/<int:pk>/reach/", campaign_views.campaign_reach, name="campaign_reach"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/new/", views.feed_issue, name="feed_issue"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    # The secret is in the address because calendar applications cannot send headers.
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
