"""Resource mobilisation in the every-URL walk (see `walk.py`).

Members read everything. Those who manage funding (secretariat, lead authority,
administrators) change everything; whoever speaks for an organisation records its own pledges
and disbursements, so the walked pledge and disbursement (the lead donor's organisation's) are
theirs to change. Every write is walked with an empty body: forms are shown again with their
errors, deletes and the replacement from the work plans ask for confirmation, and API deletes
are walked on records whose deletion is refused.
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

# Whoever speaks for an organisation records its pledges; observers only read.
RECORDERS = [
    "member",
    "lead_donor",
    "data_manager",
    "secretariat",
    "lead_authority",
    "administrator",
]
RECORD_FORM = outcome(LOGIN, 403, 200, for_roles=RECORDERS)
# The walked pledge and disbursement are the lead donor's organisation's.
DONOR_RECORD_FORM = MANAGER_RECORD_FORM | {"lead_donor": 200}
REFUSED_DELETE = outcome(401, 404, 409, for_roles=MANAGERS)
DONOR_REFUSED_DELETE = outcome(401, 404, 409, for_roles=[*MANAGERS, "lead_donor"])

EXPECTED = {
    ("funding:funding_summary", "GET"): MEMBER_PAGE,
    ("funding:requirement_list", "GET"): MEMBER_PAGE,
    ("funding:requirement_create", "GET"): MANAGER_FORM,
    ("funding:requirement_create", "POST"): MANAGER_FORM,
    ("funding:requirement_edit", "GET"): MANAGER_RECORD_FORM,
    ("funding:requirement_edit", "POST"): MANAGER_RECORD_FORM,
    ("funding:requirement_delete", "GET"): MANAGER_RECORD_FORM,
    ("funding:requirement_delete", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    ("funding:requirement_from_work_plans", "GET"): MANAGER_FORM,
    ("funding:requirement_from_work_plans", "POST"): MANAGER_FORM,  # no `confirm`: shows
    ("funding:pledge_list", "GET"): MEMBER_PAGE,
    ("funding:pledge_create", "GET"): RECORD_FORM,
    ("funding:pledge_create", "POST"): RECORD_FORM,
    ("funding:pledge_detail", "GET"): MEMBER_RECORD,
    ("funding:pledge_edit", "GET"): DONOR_RECORD_FORM,
    ("funding:pledge_edit", "POST"): DONOR_RECORD_FORM,
    ("funding:pledge_delete", "GET"): DONOR_RECORD_FORM,
    ("funding:pledge_delete", "POST"): DONOR_RECORD_FORM,  # no `confirm`: asks
    ("funding:disbursement_list", "GET"): MEMBER_PAGE,
    ("funding:disbursement_create", "GET"): RECORD_FORM,  # without a pledge
    ("funding:disbursement_create", "POST"): RECORD_FORM,
    ("funding:disbursement_edit", "GET"): DONOR_RECORD_FORM,
    ("funding:disbursement_edit", "POST"): DONOR_RECORD_FORM,
    ("funding:disbursement_delete", "GET"): DONOR_RECORD_FORM,
    ("funding:disbursement_delete", "POST"): DONOR_RECORD_FORM,  # no `confirm`: asks
    ("funding:rate_list", "GET"): MEMBER_PAGE,
    ("funding:rate_create", "GET"): MANAGER_FORM,
    ("funding:rate_create", "POST"): MANAGER_FORM,
    ("funding:rate_edit", "GET"): MANAGER_RECORD_FORM,
    ("funding:rate_edit", "POST"): MANAGER_RECORD_FORM,
    ("api:funding_summary", "GET"): API_LIST,
    ("api:funding_rate_list", "GET"): API_LIST,
    ("api:funding_rate_create", "POST"): API_CREATE,
    ("api:funding_rate_detail", "GET"): API_RECORD,
    ("api:funding_rate_patch", "PATCH"): API_RECORD_PATCH,
    ("api:funding_requirement_list", "GET"): API_LIST,
    ("api:funding_requirement_create", "POST"): API_CREATE,
    ("api:funding_requirement_detail", "GET"): API_RECORD,
    ("api:funding_requirement_patch", "PATCH"): API_RECORD_PATCH,
    ("api:funding_requirement_delete", "DELETE"): REFUSED_DELETE,  # from the work plans
    ("api:funding_requirement_from_work_plans", "POST"): API_CREATE,  # no `confirm`
    ("api:funding_pledge_list", "GET"): API_LIST,
    ("api:funding_pledge_create", "POST"): outcome(401, 403, 422, for_roles=RECORDERS),
    ("api:funding_pledge_detail", "GET"): API_RECORD,
    ("api:funding_pledge_patch", "PATCH"): API_RECORD_PATCH | {"lead_donor": 200},
    ("api:funding_pledge_delete", "DELETE"): DONOR_REFUSED_DELETE,  # from IATI
    ("api:funding_disbursement_list", "GET"): API_LIST,
    ("api:funding_disbursement_create", "POST"): outcome(401, 403, 422, for_roles=RECORDERS),
    ("api:funding_disbursement_detail", "GET"): API_RECORD,
    ("api:funding_disbursement_patch", "PATCH"): API_RECORD_PATCH | {"lead_donor": 200},
    ("api:funding_disbursement_delete", "DELETE"): DONOR_REFUSED_DELETE,  # from IATI
}

URL_RECORDS = {
    "funding:funding_summary": None,
    "funding:requirement_list": None,
    "funding:requirement_create": None,
    "funding:requirement_edit": "requirement",
    "funding:requirement_delete": "requirement",
    "funding:requirement_from_work_plans": None,
    "funding:pledge_list": None,
    "funding:pledge_create": None,
    "funding:pledge_detail": "pledge",
    "funding:pledge_edit": "pledge",
    "funding:pledge_delete": "pledge",
    "funding:disbursement_list": None,
    "funding:disbursement_create": None,
    "funding:disbursement_edit": "disbursement",
    "funding:disbursement_delete": "disbursement",
    "funding:rate_list": None,
    "funding:rate_create": None,
    "funding:rate_edit": "rate",
    "api:funding_summary": None,
    "api:funding_rate_list": None,
    "api:funding_rate_create": None,
    "api:funding_rate_detail": "rate",
    "api:funding_rate_patch": "rate",
    "api:funding_requirement_list": None,
    "api:funding_requirement_create": None,
    "api:funding_requirement_detail": "requirement",
    "api:funding_requirement_patch": "requirement",
    "api:funding_requirement_delete": "requirement_from_work_plans",
    "api:funding_requirement_from_work_plans": None,
    "api:funding_pledge_list": None,
    "api:funding_pledge_create": None,
    "api:funding_pledge_detail": "pledge",
    "api:funding_pledge_patch": "pledge",
    "api:funding_pledge_delete": "pledge_from_iati",
    "api:funding_disbursement_list": None,
    "api:funding_disbursement_create": None,
    "api:funding_disbursement_detail": "disbursement",
    "api:funding_disbursement_patch": "disbursement",
    "api:funding_disbursement_delete": "disbursement_from_iati",
}
