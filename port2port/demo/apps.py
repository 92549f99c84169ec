from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "port2port.demo"
    label = "demo"
