"""The record pages and the record API in the every-URL walk (see `walk.py`).

Every write is walked with an empty body: forms are shown again with their errors, and the
delete pages ask for confirmation (the walked hazard area also has a release, so it could not
be deleted anyway).
"""

from mineaction.dashboard.tests.outcomes import (
    API_LIST,
    API_RECORD,
    LAND_FORM,
    LAND_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
)

EXPECTED = {
    ("landrelease:hazard_list", "GET"): MEMBER_PAGE,
    ("landrelease:hazard_create", "GET"): LAND_FORM,
    ("landrelease:hazard_create", "POST"): LAND_FORM,
    ("landrelease:hazard_detail", "GET"): MEMBER_RECORD,
    ("landrelease:hazard_geometry", "GET"): MEMBER_RECORD,
    ("landrelease:hazard_edit", "GET"): LAND_RECORD_FORM,
    ("landrelease:hazard_edit", "POST"): LAND_RECORD_FORM,
    ("landrelease:hazard_delete", "GET"): LAND_RECORD_FORM,
    ("landrelease:hazard_delete", "POST"): LAND_RECORD_FORM,  # no `confirm`: asks
    ("landrelease:release_create", "GET"): LAND_RECORD_FORM,
    ("landrelease:release_create", "POST"): LAND_RECORD_FORM,
    ("landrelease:release_list", "GET"): MEMBER_PAGE,
    ("landrelease:release_detail", "GET"): MEMBER_RECORD,
    ("landrelease:release_edit", "GET"): LAND_RECORD_FORM,
    ("landrelease:release_edit", "POST"): LAND_RECORD_FORM,
    ("landrelease:release_delete", "GET"): LAND_RECORD_FORM,
    ("landrelease:release_delete", "POST"): LAND_RECORD_FORM,  # no `confirm`: asks
    ("landrelease:milestone_list", "GET"): MEMBER_PAGE,
    ("landrelease:milestone_create", "GET"): LAND_FORM,
    ("landrelease:milestone_create", "POST"): LAND_FORM,
    ("landrelease:milestone_edit", "GET"): LAND_RECORD_FORM,
    ("landrelease:milestone_edit", "POST"): LAND_RECORD_FORM,
    ("landrelease:milestone_delete", "GET"): LAND_RECORD_FORM,
    ("landrelease:milestone_delete", "POST"): LAND_RECORD_FORM,  # no `confirm`: asks
    ("landrelease:admin_area_list", "GET"): MEMBER_PAGE,
    ("landrelease:admin_area_detail", "GET"): MEMBER_RECORD,
    ("api:article5_hazard_list", "GET"): API_LIST,
    ("api:article5_hazard_detail", "GET"): API_RECORD,
    ("api:article5_release_list", "GET"): API_LIST,
    ("api:article5_release_detail", "GET"): API_RECORD,
    ("api:article5_milestone_list", "GET"): API_LIST,
    ("api:article5_admin_area_list", "GET"): API_LIST,
}

URL_RECORDS = {
    "landrelease:hazard_list": None,
    "landrelease:hazard_create": None,
    "landrelease:hazard_detail": "hazard",
    "landrelease:hazard_geometry": "hazard",
    "landrelease:hazard_edit": "hazard",
    "landrelease:hazard_delete": "hazard",
    "landrelease:release_create": "hazard",
    "landrelease:release_list": None,
    "landrelease:release_detail": "release",
    "landrelease:release_edit": "release",
    "landrelease:release_delete": "release",
    "landrelease:milestone_list": None,
    "landrelease:milestone_create": None,
    "landrelease:milestone_edit": "milestone",
    "landrelease:milestone_delete": "milestone",
    "landrelease:admin_area_list": None,
    "landrelease:admin_area_detail": "admin_area",
    "api:article5_hazard_list": None,
    "api:article5_hazard_detail": "hazard",
    "api:article5_release_list": None,
    "api:article5_release_detail": "release",
    "api:article5_milestone_list": None,
    "api:article5_admin_area_list": None,
}
