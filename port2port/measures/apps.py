from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "port2port.measures"
    label = "measures"
