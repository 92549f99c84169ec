from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "port2port.knowledge"
    label = "knowledge"
