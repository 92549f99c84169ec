from django.urls import include, path

from port2port.reports.views import home

urlpatterns = [
    # Before allauth's: our accounts URLs close allauth's self-service e-mail change.
    path("", include("port2port.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The home page is "what is new for me" in reports; core may not import a domain app.
    path("", home, name="home"),
    path("", include("port2port.core.urls")),
    path("", include("port2port.organisations.urls")),
    path("reports/", include("port2port.reports.urls")),
    path("indicators/", include("port2port.indicators.urls")),
    path("sensors/", include("port2port.sensors.urls")),
    path("alerts/", include("port2port.alerts.urls")),
    path("knowledge/", include("port2port.knowledge.urls")),
    path("measures/", include("port2port.measures.urls")),
    path("training/", include("port2port.training.urls")),
    path("working-groups/", include("port2port.workinggroups.urls")),
    path("api/v1/", include("port2port.api_urls")),
]
