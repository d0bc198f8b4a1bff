"""The component pages in the every-URL walk: every reader sees them."""

from mineaction.dashboard.tests.outcomes import MEMBER_PAGE

EXPECTED = {
    ("dashboard:component_list", "GET"): MEMBER_PAGE,
    ("dashboard:component_detail", "GET"): MEMBER_PAGE,
}
URL_RECORDS = {
    "dashboard:component_list": None,
    "dashboard:component_detail": None,
}
URL_ARGUMENTS = {"dashboard:component_detail": {"component": "technical"}}
