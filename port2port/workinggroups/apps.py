from django.apps import AppConfig


class WorkingGroupsConfig(AppConfig):
    name = "port2port.workinggroups"
    label = "workinggroups"
