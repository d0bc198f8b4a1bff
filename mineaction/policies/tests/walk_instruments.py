"""The policy and standards tracker in the every-URL walk (see `walk.py`).

Every write is walked with an empty body: forms come back with their errors (API: 422), and the
advocacy delete page asks for confirmation. The walked advocacy action was logged by the member
persona's organisation, so the member may change it; other members may not.
"""

from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    API_RECORD_PATCH,
    API_RECORD_WRITE,
    LOGIN,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
    READERS,
    outcome,
)

# Everyone who speaks for an organisation logs advocacy; observers only read.
ADVOCATES = [persona for persona in READERS if persona != "observer"]
ADVOCACY_FORM = outcome(LOGIN, 404, 200, for_roles=ADVOCATES)
OWN_ADVOCACY_FORM = MANAGER_RECORD_FORM | {"member": 200}

EXPECTED = {
    ("policies:instrument_list", "GET"): MEMBER_PAGE,
    ("policies:instrument_create", "GET"): MANAGER_FORM,
    ("policies:instrument_create", "POST"): MANAGER_FORM,
    ("policies:instrument_export", "GET"): MEMBER_PAGE,
    ("policies:instrument_detail", "GET"): MEMBER_RECORD,
    ("policies:instrument_edit", "GET"): MANAGER_RECORD_FORM,
    ("policies:instrument_edit", "POST"): MANAGER_RECORD_FORM,
    ("policies:instrument_stage", "GET"): MANAGER_RECORD_FORM,
    ("policies:instrument_stage", "POST"): MANAGER_RECORD_FORM,
    ("policies:advocacy_add", "GET"): ADVOCACY_FORM,
    ("policies:advocacy_add", "POST"): ADVOCACY_FORM,
    ("policies:advocacy_edit", "GET"): OWN_ADVOCACY_FORM,
    ("policies:advocacy_edit", "POST"): OWN_ADVOCACY_FORM,
    ("policies:advocacy_delete", "GET"): OWN_ADVOCACY_FORM,
    ("policies:advocacy_delete", "POST"): OWN_ADVOCACY_FORM,  # no `confirm`: asks
    ("policies:standards", "GET"): MEMBER_PAGE,
    ("policies:imas_list", "GET"): MEMBER_PAGE,
    ("policies:imas_create", "GET"): MANAGER_FORM,
    ("policies:imas_create", "POST"): MANAGER_FORM,
    ("policies:imas_edit", "GET"): MANAGER_RECORD_FORM,
    ("policies:imas_edit", "POST"): MANAGER_RECORD_FORM,
    ("api:instrument_list", "GET"): API_LIST,
    ("api:instrument_create", "POST"): API_CREATE,
    ("api:instrument_standards", "GET"): API_LIST,
    ("api:instrument_export", "GET"): API_LIST,
    ("api:instrument_detail", "GET"): API_RECORD,
    ("api:instrument_patch", "PATCH"): API_RECORD_PATCH,
    ("api:instrument_stage", "POST"): API_RECORD_WRITE,
    ("api:advocacy_list", "GET"): API_RECORD,
    ("api:advocacy_create", "POST"): outcome(401, 404, 422, for_roles=ADVOCATES),
    ("api:imas_list", "GET"): API_LIST,
    ("api:imas_create", "POST"): API_CREATE,
    ("api:imas_patch", "PATCH"): API_RECORD_PATCH,
}

URL_RECORDS = {
    "policies:instrument_list": None,
    "policies:instrument_create": None,
    "policies:instrument_export": None,
    "policies:instrument_detail": "instrument",
    "policies:instrument_edit": "instrument",
    "policies:instrument_stage": "instrument",
    "policies:advocacy_add": "instrument",
    "policies:advocacy_edit": "advocacy",
    "policies:advocacy_delete": "advocacy",
    "policies:standards": None,
    "policies:imas_list": None,
    "policies:imas_create": None,
    "policies:imas_edit": "imas",
    "api:instrument_list": None,
    "api:instrument_create": None,
    "api:instrument_standards": None,
    "api:instrument_export": None,
    "api:instrument_detail": "instrument",
    "api:instrument_patch": "instrument",
    "api:instrument_stage": "instrument",
    "api:advocacy_list": "instrument",
    "api:advocacy_create": "instrument",
    "api:imas_list": None,
    "api:imas_create": None,
    "api:imas_patch": "imas",
}
