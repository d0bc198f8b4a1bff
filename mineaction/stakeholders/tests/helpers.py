"""Helpers shared by the stakeholders tests: expected outcomes per persona."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.core.models import AuditEntry

LOGIN = "login"
READERS = ["observer", "member", "lead_donor", "data_manager"]
MANAGERS = ["secretariat", "lead_authority", "administrator"]

# Member pages without a record (lists, create forms): outsiders are refused with 403.
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS + MANAGERS, 200)
# Record pages: outsiders must not learn the record exists.
DETAIL_ACCESS = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS + MANAGERS, 200)
CREATE_ACCESS = (
    {"anonymous": LOGIN, "outsider": 403}
    | dict.fromkeys(READERS, 403)
    | dict.fromkeys(MANAGERS, 200)
)
EDIT_ACCESS = (
    {"anonymous": LOGIN, "outsider": 404}
    | dict.fromkeys(READERS, 403)
    | dict.fromkeys(MANAGERS, 200)
)


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def audit_entries(record, action=None):
    entries = AuditEntry.objects.filter(object_public_id=record.public_id)
    return entries.filter(action=action) if action else entries


def queries_for(client, url, **params):
    """How many queries a GET of `url` makes (for flat query-count assertions)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)
