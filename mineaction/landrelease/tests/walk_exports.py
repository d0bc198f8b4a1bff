"""The exports' part of the every-URL walk: members download, pages and API. The export
addresses without a format are the CSV ones."""

from mineaction.dashboard.tests.outcomes import API_LIST, MEMBER_PAGE

EXPECTED = {
    ("landrelease:exports", "GET"): MEMBER_PAGE,
    ("landrelease:export_hazards", "GET"): MEMBER_PAGE,
    ("landrelease:export_releases", "GET"): MEMBER_PAGE,
    ("api:article5_export_hazards", "GET"): API_LIST,
    ("api:article5_export_releases", "GET"): API_LIST,
}

URL_RECORDS = {
    "landrelease:exports": None,
    "landrelease:export_hazards": None,
    "landrelease:export_releases": None,
    "api:article5_export_hazards": None,
    "api:article5_export_releases": None,
}
