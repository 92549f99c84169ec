from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "port2port.training"
    label = "training"
