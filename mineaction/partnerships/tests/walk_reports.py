"""Indicators and progress reports in the every-URL walk (see `walk.py`, `_walk_reports`).

The walked partnership binds the State's centre (the data manager's and lead authority's
organisation) with the member persona's and the lead donor's organisations: the people who speak
for them write its indicators and reports, as managers do; observers only read. A plan action's
indicator and its yearly figures are the managers'. Writes are walked with an empty body: forms
are shown again with their errors (the draft's form misses its stamp, submitting the empty draft
and correcting a report already being corrected are refused), the API answers 422, 409 for the
correction, or 200 for an empty change.
"""

from mineaction.dashboard.tests.outcomes import (
    API_LIST,
    API_RECORD,
    API_RECORD_WRITE,
    LOGIN,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MANAGERS,
    MEMBER_PAGE,
    MEMBER_RECORD,
    outcome,
)

# Those who speak for a party to the walked partnership, and the managers.
WRITERS = ["member", "lead_donor", "data_manager", *MANAGERS]
PARTY_FORM = outcome(LOGIN, 404, 200, for_roles=WRITERS)

EXPECTED = {
    ("partnerships:indicator_create", "GET"): MANAGER_FORM,  # no link in the query: managers
    ("partnerships:indicator_create", "POST"): MANAGER_FORM,
    ("partnerships:indicator_detail", "GET"): MEMBER_RECORD,
    ("partnerships:indicator_edit", "GET"): PARTY_FORM,
    ("partnerships:indicator_edit", "POST"): PARTY_FORM,
    ("partnerships:indicator_value", "GET"): MANAGER_RECORD_FORM,
    ("partnerships:indicator_value", "POST"): MANAGER_RECORD_FORM,
    ("partnerships:report_status", "GET"): MEMBER_PAGE,
    ("partnerships:report_create", "GET"): PARTY_FORM,
    ("partnerships:report_create", "POST"): PARTY_FORM,
    ("partnerships:report_detail", "GET"): MEMBER_RECORD,
    ("partnerships:report_edit", "GET"): PARTY_FORM,
    ("partnerships:report_edit", "POST"): PARTY_FORM,
    ("partnerships:report_submit", "GET"): PARTY_FORM,
    ("partnerships:report_submit", "POST"): PARTY_FORM,
    ("partnerships:report_correct", "GET"): PARTY_FORM,
    ("partnerships:report_correct", "POST"): PARTY_FORM,
    ("api:indicator_list", "GET"): API_LIST,
    ("api:indicator_create", "POST"): outcome(401, 403, 422, for_roles=WRITERS),
    ("api:indicator_detail", "GET"): API_RECORD,
    ("api:indicator_patch", "PATCH"): outcome(401, 404, 200, for_roles=WRITERS),
    ("api:indicator_value_create", "POST"): API_RECORD_WRITE,
    ("api:progress_report_list", "GET"): API_LIST,
    ("api:progress_report_status", "GET"): API_LIST,
    ("api:progress_report_create", "POST"): outcome(401, 404, 422, for_roles=WRITERS),
    ("api:progress_report_detail", "GET"): API_RECORD,
    ("api:progress_report_patch", "PATCH"): outcome(401, 404, 200, for_roles=WRITERS),
    ("api:progress_report_submit", "POST"): outcome(401, 404, 422, for_roles=WRITERS),
    ("api:progress_report_correct", "POST"): outcome(401, 404, 409, for_roles=WRITERS),
}

URL_RECORDS = {
    "partnerships:indicator_create": None,
    "partnerships:indicator_detail": "indicator",
    "partnerships:indicator_edit": "indicator",
    "partnerships:indicator_value": "plan_indicator",
    "partnerships:report_status": None,
    "partnerships:report_create": "partnership",
    "partnerships:report_detail": "report_draft",
    "partnerships:report_edit": "report_draft",
    "partnerships:report_submit": "report_draft",
    "partnerships:report_correct": "report_submitted",
    "api:indicator_list": None,
    "api:indicator_create": None,
    "api:indicator_detail": "indicator",
    "api:indicator_patch": "indicator",
    "api:indicator_value_create": "plan_indicator",
    "api:progress_report_list": None,
    "api:progress_report_status": None,
    "api:progress_report_create": "partnership",
    "api:progress_report_detail": "report_draft",
    "api:progress_report_patch": "report_draft",
    "api:progress_report_submit": "report_draft",
    "api:progress_report_correct": "report_submitted",
}
