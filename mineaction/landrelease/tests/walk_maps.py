"""The maps' part of the every-URL walk: the members' map and its layers, and the public page
of Article 5 progress with its layer, open to everyone."""

from mineaction.dashboard.tests.outcomes import MEMBER_PAGE, everyone

EXPECTED = {
    ("landrelease:map", "GET"): MEMBER_PAGE,
    ("landrelease:map_admin_areas", "GET"): MEMBER_PAGE,
    ("landrelease:map_hazards", "GET"): MEMBER_PAGE,
    ("landrelease:public_progress", "GET"): everyone(200),
    ("landrelease:public_admin_areas", "GET"): everyone(200),
}

URL_RECORDS = {
    "landrelease:map": None,
    "landrelease:map_admin_areas": None,
    "landrelease:map_hazards": None,
    "landrelease:public_progress": None,
    "landrelease:public_admin_areas": None,
}
