"""Addresses of the measures pages (namespace `measures`)."""

from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/retire/", views.retire, name="retire"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/assessments/<int:org_pk>/", views.history, name="history"),
    path("evidence/<int:record_pk>/", views.evidence, name="evidence"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("network/", views.network, name="network"),
    path("network/print/", views.network_print, name="network_print"),
    path("network/csv/", views.network_csv, name="network_csv"),
]
