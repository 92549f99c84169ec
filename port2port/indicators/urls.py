from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "indicators"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="indicators:search"), name="home"),
    path("search/", views.indicator_search, name="search"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/<int:pk>/stop/", views.watch_stop, name="watch_stop"),
    path("review/", views.retention_review, name="review"),
    path("report/<int:pk>/", views.report_panel, name="panel"),
    path("report/<int:pk>/add/", views.indicator_add, name="add"),
    path("report/<int:pk>/paste/", views.indicator_paste, name="paste"),
    path("i/<int:pk>/sighting/", views.indicator_sighting, name="sighting"),
    path("i/<int:pk>/remove/", views.indicator_remove, name="remove"),
    path("i/<int:pk>/keep/", views.indicator_keep, name="keep"),
    path("i/<int:pk>/purge/", views.indicator_purge, name="purge"),
    # Last: a value may hold slashes (a URL, a network in CIDR notation).
    path("<str:kind>/<path:value>/", views.indicator_value, name="value"),
]
