"""Search, page and API, in the every-URL walk: every reader searches what they may see."""

from mineaction.dashboard.tests.outcomes import API_LIST, MEMBER_PAGE

EXPECTED = {
    ("dashboard:search", "GET"): MEMBER_PAGE,
    ("api:search", "GET"): API_LIST,
}
URL_RECORDS = {
    "dashboard:search": None,
    "api:search": None,
}
