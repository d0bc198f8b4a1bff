"""The prioritisation rounds in the every-URL walk (see `walk.py`).

Every write is walked with an empty body: the round forms are shown again with their errors,
opening and closing ask for confirmation, and an empty ballot is refused (the walked open round
closes in seven days and has no ballot yet). Those who speak for an organisation vote; observers
and administrators without an organisation's role only read.
"""

from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    API_RECORD_WRITE,
    LOGIN,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
    outcome,
)

VOTERS = ["member", "lead_donor", "data_manager", "secretariat", "lead_authority"]

EXPECTED = {
    ("challenges:round_list", "GET"): MEMBER_PAGE,
    ("challenges:round_create", "GET"): MANAGER_FORM,
    ("challenges:round_create", "POST"): MANAGER_FORM,
    ("challenges:round_detail", "GET"): MEMBER_RECORD,
    ("challenges:round_edit", "GET"): MANAGER_RECORD_FORM,
    ("challenges:round_edit", "POST"): MANAGER_RECORD_FORM,
    ("challenges:round_open", "GET"): MANAGER_RECORD_FORM,
    ("challenges:round_open", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    ("challenges:round_close", "GET"): MANAGER_RECORD_FORM,
    ("challenges:round_close", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    ("challenges:round_vote", "GET"): outcome(LOGIN, 404, 200, for_roles=VOTERS),
    ("challenges:round_vote", "POST"): outcome(LOGIN, 404, 200, for_roles=VOTERS),
    ("challenges:round_export", "GET"): MEMBER_RECORD,
    ("api:prioritisation_round_list", "GET"): API_LIST,
    ("api:prioritisation_round_create", "POST"): API_CREATE,
    ("api:prioritisation_round_detail", "GET"): API_RECORD,
    ("api:prioritisation_round_open", "POST"): API_RECORD_WRITE,
    ("api:prioritisation_round_close", "POST"): API_RECORD_WRITE,
    ("api:prioritisation_round_ballots", "GET"): API_RECORD,
    ("api:prioritisation_round_vote", "POST"): outcome(401, 404, 422, for_roles=VOTERS),
    ("api:prioritisation_round_results", "GET"): API_RECORD,
}

URL_RECORDS = {
    "challenges:round_list": None,
    "challenges:round_create": None,
    "challenges:round_detail": "open_round",
    "challenges:round_edit": "draft_round",
    "challenges:round_open": "draft_round",
    "challenges:round_close": "open_round",
    "challenges:round_vote": "open_round",
    "challenges:round_export": "closed_round",
    "api:prioritisation_round_list": None,
    "api:prioritisation_round_create": None,
    "api:prioritisation_round_detail": "closed_round",
    "api:prioritisation_round_open": "draft_round",
    "api:prioritisation_round_close": "open_round",
    "api:prioritisation_round_ballots": "open_round",
    "api:prioritisation_round_vote": "open_round",
    "api:prioritisation_round_results": "closed_round",
}
