"""The import pages and API in the every-URL walk. Imports are the data managers' working
records: other readers are refused (403), outsiders too (403 on lists, 404 on records).

The walked job is an upload waiting to run: the run, the mapping delete and the import API
all need more than an empty body (a `confirm` field, a file), so the walk changes nothing."""

from mineaction.dashboard.tests.outcomes import (
    API_LAND_CREATE,
    LAND_FORM,
    LAND_MANAGERS,
    LAND_RECORD_FORM,
    outcome,
)

API_LAND_LIST = outcome(401, 403, 200, for_roles=LAND_MANAGERS)
API_LAND_RECORD = outcome(401, 404, 200, for_roles=LAND_MANAGERS)

EXPECTED = {
    ("landrelease:imports_list", "GET"): LAND_FORM,
    ("landrelease:imports_new", "GET"): LAND_FORM,
    ("landrelease:imports_new", "POST"): LAND_FORM,
    ("landrelease:imports_mappings", "GET"): LAND_FORM,
    ("landrelease:imports_mapping_edit", "GET"): LAND_RECORD_FORM,
    ("landrelease:imports_mapping_edit", "POST"): LAND_RECORD_FORM,
    ("landrelease:imports_mapping_delete", "GET"): LAND_RECORD_FORM,
    ("landrelease:imports_mapping_delete", "POST"): LAND_RECORD_FORM,  # no `confirm`: asks
    ("landrelease:imports_detail", "GET"): LAND_RECORD_FORM,
    ("landrelease:imports_columns", "GET"): LAND_RECORD_FORM,
    ("landrelease:imports_columns", "POST"): LAND_RECORD_FORM,
    ("landrelease:imports_run", "POST"): LAND_RECORD_FORM,  # no `confirm`: shows the job
    ("landrelease:imports_progress", "GET"): LAND_RECORD_FORM,
    ("landrelease:imports_errors_csv", "GET"): LAND_RECORD_FORM,
    ("api:article5_import", "POST"): API_LAND_CREATE,  # no file: 422, no job
    ("api:article5_import_list", "GET"): API_LAND_LIST,
    ("api:article5_import_detail", "GET"): API_LAND_RECORD,
    ("api:article5_import_errors_csv", "GET"): API_LAND_RECORD,
}

URL_RECORDS = {
    "landrelease:imports_list": None,
    "landrelease:imports_new": None,
    "landrelease:imports_mappings": None,
    "landrelease:imports_mapping_edit": "mapping",
    "landrelease:imports_mapping_delete": "mapping",
    "landrelease:imports_detail": "import_job",
    "landrelease:imports_columns": "import_job",
    "landrelease:imports_run": "import_job",
    "landrelease:imports_progress": "import_job",
    "landrelease:imports_errors_csv": "import_job",
    # Not a record: the kind of data in the URL (see URL_ARGUMENTS).
    "api:article5_import": None,
    "api:article5_import_list": None,
    "api:article5_import_detail": "import_job",
    "api:article5_import_errors_csv": "import_job",
}

# URL arguments other than a record's public id.
URL_ARGUMENTS = {"api:article5_import": {"kind": "hazards"}}
