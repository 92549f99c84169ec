from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "port2port.sensors"
    label = "sensors"
