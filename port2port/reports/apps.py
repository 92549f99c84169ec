from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "port2port.reports"
    label = "reports"
