"""A WSGI application for the gunicorn worker tests: it answers with the id of the process that
served the request, after the pause the request asks for (?pause=0.3), so requests overlap."""

import os
import time
from urllib.parse import parse_qs


def application(environ, start_response):
    pause = float(parse_qs(environ.get("QUERY_STRING", "")).get("pause", ["0"])[0])
    time.sleep(pause)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
