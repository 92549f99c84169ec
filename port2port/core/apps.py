from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "port2port.core"
    label = "core"
