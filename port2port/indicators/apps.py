from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "port2port.indicators"
    label = "indicators"
