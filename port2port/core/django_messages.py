"""Django 6.1 messages that Django's own Dutch catalogue lacks (their wording changed in 6.1).

They are marked here only so that makemessages puts them in core/locale, where they are
translated; Django looks a message up by its text, so nothing needs to import this module.
Drop an entry once Django's catalogue has caught up.
"""

from django.utils.translation import ngettext_lazy

# Shown when a new password is shorter than AUTH_PASSWORD_VALIDATORS allows (invitation, reset).
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)
