"""Partnerships, documents, commitments and mutual accountability in the every-URL walk (see
`walk.py`).

The walked partnership binds the State's centre (the data manager's and lead authority's
organisation) with the member persona's and the lead donor's organisations, so the people who
speak for them record commitments; observers only read. The walked commitment is the member
persona's organisation's, which its people update. Managers create and change partnerships and
their documents. Writes are walked with an empty body: forms are shown again with their errors,
removals ask for confirmation, the API answers 422 (or 200 for an empty change).
"""

from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    API_RECORD_PATCH,
    LOGIN,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MANAGERS,
    MEMBER_PAGE,
    MEMBER_RECORD,
    outcome,
)

# Those who speak for a party to the walked partnership, and the managers.
COMMITTERS = ["member", "lead_donor", "data_manager", *MANAGERS]
COMMIT_FORM = outcome(LOGIN, 403, 200, for_roles=COMMITTERS)
# The walked commitment's own organisation (the member persona's) updates it.
OWN_COMMITMENT_FORM = MANAGER_RECORD_FORM | {"member": 200}

EXPECTED = {
    ("partnerships:partnership_list", "GET"): MEMBER_PAGE,
    ("partnerships:partnership_create", "GET"): MANAGER_FORM,
    ("partnerships:partnership_create", "POST"): MANAGER_FORM,
    ("partnerships:partnership_detail", "GET"): MEMBER_RECORD,
    ("partnerships:partnership_edit", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:partnership_edit", "POST"): MANAGER_RECORD_FORM,
    ("partnerships:partnership_accountability", "GET"): MEMBER_RECORD,
    ("partnerships:partnership_document_add", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:partnership_document_add", "POST"): MANAGER_RECORD_FORM,
    ("partnerships:partnership_document_download", "GET"): MEMBER_RECORD,
    ("partnerships:partnership_document_delete", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:partnership_document_delete", "POST"): MANAGER_RECORD_FORM,  # asks
    ("partnerships:commitment_list", "GET"): MEMBER_PAGE,
    ("partnerships:commitment_create", "GET"): COMMIT_FORM,
    ("partnerships:commitment_create", "POST"): COMMIT_FORM,
    ("partnerships:commitment_detail", "GET"): MEMBER_RECORD,
    ("partnerships:commitment_edit", "GET"): OWN_COMMITMENT_FORM,
    ("partnerships:commitment_edit", "POST"): OWN_COMMITMENT_FORM,
    ("api:partnership_list", "GET"): API_LIST,
    ("api:partnership_create", "POST"): API_CREATE,
    ("api:partnership_detail", "GET"): API_RECORD,
    ("api:partnership_patch", "PATCH"): API_RECORD_PATCH,
    ("api:partnership_accountability", "GET"): API_RECORD,
    ("api:commitment_list", "GET"): API_LIST,
    ("api:commitment_export", "GET"): API_LIST,
    ("api:commitment_create", "POST"): outcome(401, 403, 422, for_roles=COMMITTERS),
    ("api:commitment_detail", "GET"): API_RECORD,
    ("api:commitment_patch", "PATCH"): API_RECORD_PATCH | {"member": 200},
}

URL_RECORDS = {
    "partnerships:partnership_list": None,
    "partnerships:partnership_create": None,
    "partnerships:partnership_detail": "partnership",
    "partnerships:partnership_edit": "partnership",
    "partnerships:partnership_accountability": "partnership",
    "partnerships:partnership_document_add": "partnership",
    "partnerships:partnership_document_download": "document",
    "partnerships:partnership_document_delete": "document",
    "partnerships:commitment_list": None,
    "partnerships:commitment_create": None,
    "partnerships:commitment_detail": "commitment",
    "partnerships:commitment_edit": "commitment",
    "api:partnership_list": None,
    "api:partnership_create": None,
    "api:partnership_detail": "partnership",
    "api:partnership_patch": "partnership",
    "api:partnership_accountability": "partnership",
    "api:commitment_list": None,
    "api:commitment_export": None,
    "api:commitment_create": None,
    "api:commitment_detail": "commitment",
    "api:commitment_patch": "commitment",
}
