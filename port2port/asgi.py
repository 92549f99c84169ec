"""The ASGI entry point, for operators who prefer an ASGI server (`port2port serve` uses WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
application = get_asgi_application()
