"""The challenge register in the every-URL walk (see `walk.py`).

The walked challenge was raised by the member persona's organisation and is still "identified",
so that organisation may edit it and its documents; the secretariat (and those who run
meetings) edit any challenge, move its status and link it to meetings. Every write is walked
with an empty body: forms are shown again with their errors, removals ask for confirmation.
"""

from mineaction.dashboard.tests.outcomes import (
    API_LIST,
    API_RECORD,
    API_RECORD_PATCH,
    API_RECORD_WRITE,
    LOGIN,
    MANAGER_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
    outcome,
)

# Everyone who speaks for an organisation raises challenges; observers only read.
RAISERS = ["member", "lead_donor", "data_manager", "secretariat", "lead_authority", "administrator"]
RAISE_FORM = outcome(LOGIN, 403, 200, for_roles=RAISERS)
# The walked challenge's own organisation (the member persona's) edits it while identified.
EDIT_FORM = MANAGER_RECORD_FORM | {"member": 200}

EXPECTED = {
    ("challenges:challenge_list", "GET"): MEMBER_PAGE,
    ("challenges:challenge_export", "GET"): MEMBER_PAGE,  # without a format: the export page
    ("challenges:challenge_create", "GET"): RAISE_FORM,
    ("challenges:challenge_create", "POST"): RAISE_FORM,
    ("challenges:challenge_detail", "GET"): MEMBER_RECORD,
    ("challenges:challenge_edit", "GET"): EDIT_FORM,
    ("challenges:challenge_edit", "POST"): EDIT_FORM,
    ("challenges:challenge_status", "GET"): MANAGER_RECORD_FORM,
    ("challenges:challenge_status", "POST"): MANAGER_RECORD_FORM,
    ("challenges:challenge_link", "GET"): MANAGER_RECORD_FORM,
    ("challenges:challenge_link", "POST"): MANAGER_RECORD_FORM,
    ("challenges:challenge_unlink", "GET"): MANAGER_RECORD_FORM,
    ("challenges:challenge_unlink", "POST"): MANAGER_RECORD_FORM,  # no link, no `confirm`
    ("challenges:challenge_document_add", "GET"): EDIT_FORM,
    ("challenges:challenge_document_add", "POST"): EDIT_FORM,
    ("challenges:challenge_document_download", "GET"): MEMBER_RECORD,
    ("challenges:challenge_document_delete", "GET"): EDIT_FORM,
    ("challenges:challenge_document_delete", "POST"): EDIT_FORM,  # no `confirm`: asks
    ("api:challenge_list", "GET"): API_LIST,
    ("api:challenge_export", "GET"): API_LIST,
    ("api:challenge_create", "POST"): outcome(401, 403, 422, for_roles=RAISERS),
    ("api:challenge_detail", "GET"): API_RECORD,
    ("api:challenge_patch", "PATCH"): API_RECORD_PATCH | {"member": 200},
    ("api:challenge_status", "POST"): API_RECORD_WRITE,
}

URL_RECORDS = {
    "challenges:challenge_list": None,
    "challenges:challenge_export": None,
    "challenges:challenge_create": None,
    "challenges:challenge_detail": "challenge",
    "challenges:challenge_edit": "challenge",
    "challenges:challenge_status": "challenge",
    "challenges:challenge_link": "challenge",
    "challenges:challenge_unlink": "challenge",
    "challenges:challenge_document_add": "challenge",
    "challenges:challenge_document_download": "document",
    "challenges:challenge_document_delete": "document",
    "api:challenge_list": None,
    "api:challenge_export": None,
    "api:challenge_create": None,
    "api:challenge_detail": "challenge",
    "api:challenge_patch": "challenge",
    "api:challenge_status": "challenge",
}
