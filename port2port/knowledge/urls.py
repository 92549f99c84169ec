from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/proposals/<int:proposal_id>/", views.proposal, name="proposal"),
]
