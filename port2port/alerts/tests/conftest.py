"""Alerts are raised from a sensor's events: the sensors' test rig serves here too."""

import json

import pytest

from port2port.sensors.tests.conftest import rig  # noqa: F401  (a pytest fixture, used by name)


@pytest.fixture
def send(client, rig, django_capture_on_commit_callbacks):  # noqa: F811
    """POST events as the rig's sensor and run what the commit sets off (the rules, the
    deliveries), as the worker would."""

    def post(events):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/ingest", data=json.dumps(events), content_type="application/json",
                                   **rig.headers)
        assert response.status_code == 200, response.content
        return response.json()

    return post
