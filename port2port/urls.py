from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("port2port.core.urls")),
    path("", include("port2port.organisations.urls")),
    path("", include("port2port.accounts.urls")),
    path("reports/", include("port2port.reports.urls")),
    path("api/v1/", include("port2port.api_urls")),
]
