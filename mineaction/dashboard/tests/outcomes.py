"""Expected outcomes of the every-URL walk, per persona (see test_every_url.py)."""

from mineaction.conftest import PERSONAS

LOGIN = "login"  # a redirect to the log-in page
READERS = [
    "observer",
    "member",
    "lead_donor",
    "data_manager",
    "secretariat",
    "lead_authority",
    "administrator",
]
MANAGERS = ["secretariat", "lead_authority", "administrator"]
AUTHORITY = ["lead_authority", "administrator"]


def outcome(anonymous, outsider, allowed, *, for_roles=READERS, refused=403):
    """Expected status per persona: `allowed` for `for_roles`, `refused` for other readers."""
    expected = {"anonymous": anonymous, "outsider": outsider}
    for persona in READERS:
        expected[persona] = allowed if persona in for_roles else refused
    return expected


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def logged_in(status, anonymous=LOGIN):
    return {**dict.fromkeys(PERSONAS, status), "anonymous": anonymous}


MEMBER_PAGE = outcome(LOGIN, 403, 200)
MEMBER_RECORD = outcome(LOGIN, 404, 200)
MANAGER_FORM = outcome(LOGIN, 403, 200, for_roles=MANAGERS)
MANAGER_RECORD_FORM = outcome(LOGIN, 404, 200, for_roles=MANAGERS)
API_LIST = outcome(401, 403, 200)
API_RECORD = outcome(401, 404, 200)
API_CREATE = outcome(401, 403, 422, for_roles=MANAGERS)
API_RECORD_WRITE = outcome(401, 404, 422, for_roles=MANAGERS)
API_RECORD_PATCH = outcome(401, 404, 200, for_roles=MANAGERS)  # an empty patch changes nothing

# Article 5 data: imported and edited by the data manager, the lead authority and administrators.
LAND_MANAGERS = ["data_manager", "lead_authority", "administrator"]
LAND_FORM = outcome(LOGIN, 403, 200, for_roles=LAND_MANAGERS)
LAND_RECORD_FORM = outcome(LOGIN, 404, 200, for_roles=LAND_MANAGERS)
API_LAND_CREATE = outcome(401, 403, 422, for_roles=LAND_MANAGERS)
API_LAND_RECORD_WRITE = outcome(401, 404, 422, for_roles=LAND_MANAGERS)
