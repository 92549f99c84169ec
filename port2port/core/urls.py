# No namespace. The home page ("home", the name settings.LOGIN_REDIRECT_URL uses) is a report
# page, wired in port2port/urls.py: core sits below the domain apps and imports none of them.
from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
