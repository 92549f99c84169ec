"""The WSGI entry point. `port2port serve` runs it under gunicorn after refusing debug mode
and failing deployment checks; `runserver` uses it in development."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
application = get_wsgi_application()

# Import every view and API schema now, as each worker starts, rather than in its first request:
# that import takes about a second, which a sensor's first batch or an officer's first page
# would otherwise wait for after every restart.
get_resolver().url_patterns

# What is loaded by now lives as long as the process: leave it out of the garbage collector's
# full passes, which otherwise walk every module and schema again while a request waits. This
# took a batch of 1,000 sensor events from 28 to 23 ms of CPU (benchmarks/ingest.py).
gc.freeze()
