"""The Article 5 dashboard and its JSON twin in the every-URL walk: every reader sees them."""

from mineaction.dashboard.tests.outcomes import MEMBER_PAGE

EXPECTED = {
    ("landrelease:progress_dashboard", "GET"): MEMBER_PAGE,
    ("landrelease:progress_json", "GET"): MEMBER_PAGE,
}
URL_RECORDS = {
    "landrelease:progress_dashboard": None,
    "landrelease:progress_json": None,
}
