from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/share/", views.report_share, name="share"),
    path("<int:pk>/close/", views.report_close, name="close"),
    path("<int:pk>/comments/", views.report_comment, name="comment"),
    path("<int:pk>/attachments/", views.report_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/history/", views.report_history, name="history"),
]
