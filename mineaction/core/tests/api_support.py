"""Helpers for the API tests: a client per persona that authenticates with a personal token."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mineaction.core.models import ApiToken

PROBLEM = "application/problem+json"


def token_client(people, persona, **headers):
    """A client sending `persona`'s personal API token; anonymous sends none."""
    if persona != "anonymous":
        _token, secret = ApiToken.issue(people[persona].user, "tests")
        headers["Authorization"] = f"Bearer {secret}"
    return Client(headers=headers)


def send(client, method, path, payload=None, **headers):
    """A JSON request with `method` (get, post, put, patch, delete)."""
    if payload is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(
        path, data=json.dumps(payload), content_type="application/json", headers=headers
    )


def queries_for(client, path):
    """How many database queries answering `path` takes (the response must be a success)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)
