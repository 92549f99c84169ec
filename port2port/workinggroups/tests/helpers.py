"""The reports' API client, with the two verbs the working-groups API adds (PUT, DELETE)."""

from port2port.reports.tests.api_helpers import API, Api as ReportsApi
from port2port.reports.tests.api_helpers import api_key, bad_fields, problem  # noqa: F401

MISSING = 987654321


class Api(ReportsApi):
    def put(self, path, body=None, **headers):
        return self._send("put", path, body, None, headers)

    def delete(self, path, **headers):
        return self.client.delete(API + path, headers={**self.headers, **headers})
