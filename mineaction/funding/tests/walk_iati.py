"""The IATI pages and API in the every-URL walk. Imports are the funding managers' working
records: other readers are refused (403), outsiders too (403 on lists, 404 on records).
Imported activities are read by every reader.

Importing needs a file: the walk's empty body is refused (the form again with its errors,
422 from the API), so the walk imports nothing and records no import."""

from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MANAGERS,
    MEMBER_RECORD,
    outcome,
)

API_MANAGER_LIST = outcome(401, 403, 200, for_roles=MANAGERS)
API_MANAGER_RECORD = outcome(401, 404, 200, for_roles=MANAGERS)

EXPECTED = {
    ("funding:iati_import_list", "GET"): MANAGER_FORM,
    ("funding:iati_import_create", "GET"): MANAGER_FORM,
    ("funding:iati_import_create", "POST"): MANAGER_FORM,
    ("funding:iati_import_detail", "GET"): MANAGER_RECORD_FORM,
    ("funding:iati_activity_detail", "GET"): MEMBER_RECORD,
    ("api:funding_iati_import_create", "POST"): API_CREATE,
    ("api:funding_iati_import_list", "GET"): API_MANAGER_LIST,
    ("api:funding_iati_import_detail", "GET"): API_MANAGER_RECORD,
    ("api:funding_iati_activity_list", "GET"): API_LIST,
    ("api:funding_iati_activity_detail", "GET"): API_RECORD,
}

URL_RECORDS = {
    "funding:iati_import_list": None,
    "funding:iati_import_create": None,
    "funding:iati_import_detail": "iati_import",
    "funding:iati_activity_detail": "iati_activity",
    "api:funding_iati_import_create": None,
    "api:funding_iati_import_list": None,
    "api:funding_iati_import_detail": "iati_import",
    "api:funding_iati_activity_list": None,
    "api:funding_iati_activity_detail": "iati_activity",
}
