from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "port2port.alerts"
    label = "alerts"
