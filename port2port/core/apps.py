from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "port2port.core"
    label = "core"

    def ready(self):
        from django.db.models import fields

        # Django 6.1's empty choice ("- Select an option -") has no Dutch or German translation
        # yet; ours is translated, in the style of the other empty choices ("— choose a group —").
        fields.BLANK_CHOICE_LABEL = _("— choose —")
