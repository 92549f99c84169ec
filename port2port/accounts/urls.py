from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.language, name="language"),
    # Shadows allauth's e-mail management (listed before allauth's URLs in port2port/urls.py).
    path("accounts/email/", views.email_address, name="email_address"),
]
