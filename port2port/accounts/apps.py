from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "port2port.accounts"
    label = "accounts"
