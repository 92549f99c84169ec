from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "port2port.organisations"
    label = "organisations"
