"""The production entry point (gunicorn port2port.wsgi)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are ready only after the line above)

if settings.DEBUG and not settings.DEMO_MODE:
    raise ImproperlyConfigured("Refusing to serve with P2P_DEBUG on: tracebacks would reach the network.")
