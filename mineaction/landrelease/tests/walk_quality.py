"""The quality report's part of the every-URL walk: data managers only, pages and API."""

from mineaction.dashboard.tests.outcomes import LAND_FORM, LAND_MANAGERS, outcome

API_LAND_LIST = outcome(401, 403, 200, for_roles=LAND_MANAGERS)

EXPECTED = {
    ("landrelease:quality_report", "GET"): LAND_FORM,
    ("landrelease:quality_findings_csv", "GET"): LAND_FORM,
    ("api:article5_quality", "GET"): API_LAND_LIST,
}

URL_RECORDS = {
    "landrelease:quality_report": None,
    "landrelease:quality_findings_csv": None,
    "api:article5_quality": None,
}
