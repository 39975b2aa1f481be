from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stepchange.accounts"
    label = "accounts"
