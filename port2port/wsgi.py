"""The WSGI entry point. `port2port serve` runs it under gunicorn after refusing debug mode
and failing deployment checks; `runserver` uses it in development."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
application = get_wsgi_application()
