"""The exports API: GET /api/v1/article5/export/hazards and .../releases?format=..."""

import csv
import datetime
import io
import tempfile
from pathlib import Path

import openpyxl
import pyogrio
import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, token_client
from mineaction.landrelease.models import HazardType
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)

HAZARDS = reverse("api:article5_export_hazards")
RELEASES = reverse("api:article5_export_releases")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


@pytest.fixture
def records(db):
    region = make_admin_area("PR01", geometry_json=square(30, -18, side_deg=1))
    cha = make_hazard("HA-1", admin_area=region, geometry_json=square(30.2, -17.8))
    sha = make_hazard("HA-2", hazard_type=HazardType.SHA, recorded_area_m2=5_000)
    make_release(cha, 1_000, datetime.date(2021, 5, 1), external_id="LR-1")
    make_release(sha, 2_000, datetime.date(2023, 5, 1), external_id="LR-2")


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def csv_ids(response):
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    return [row[0] for row in rows[1:]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_are_for_members(people, records, persona):
    client = token_client(people, persona)
    for path in (HAZARDS, RELEASES):
        response = client.get(path)
        expected = {"anonymous": 401, "outsider": 403}.get(persona, 200)
        assert response.status_code == expected
        if expected != 200:
            assert response["Content-Type"] == PROBLEM


def test_the_default_format_is_csv(people, records):
    client = token_client(people, "member")
    response = client.get(HAZARDS)
    assert response["Content-Type"] == CONTENT_TYPES["csv"]
    assert csv_ids(response) == ["HA-1", "HA-2"]
    assert csv_ids(client.get(RELEASES)) == ["LR-1", "LR-2"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
def test_each_format_is_the_same_file_as_on_the_export_page(people, records, clients, fmt):
    api = token_client(people, "observer").get(f"{HAZARDS}?format={fmt}&type=CHA")
    page = clients["observer"].get(reverse("landrelease:export_hazards", args=[fmt]) + "?type=CHA")
    assert api["Content-Type"] == page["Content-Type"] == CONTENT_TYPES[fmt]
    assert api["Content-Disposition"] == page["Content-Disposition"]
    path = Path(tempfile.mkdtemp()) / f"api.{fmt}"
    path.write_bytes(body(api))
    if fmt == "csv":
        assert path.read_bytes() == body(page)
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(path).active
        assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["external_id", "HA-1"]
    else:
        assert pyogrio.read_info(path)["features"] == 1


def test_release_filters_apply_to_the_api(people, records):
    client = token_client(people, "member")
    assert csv_ids(client.get(f"{RELEASES}?type=SHA")) == ["LR-2"]
    assert csv_ids(client.get(f"{RELEASES}?released_until=2022-01-01")) == ["LR-1"]
    assert csv_ids(client.get(f"{RELEASES}?admin_area=PR01&method=cleared")) == ["LR-1"]


def test_an_unknown_format_is_refused_with_the_formats_to_use(people, records):
    response = token_client(people, "member").get(f"{HAZARDS}?format=shp")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "format": ["Unknown format: shp. Use one of: csv, xlsx, geojson, gpkg."]
    }


@pytest.mark.parametrize(
    ("path", "query", "field", "message"),
    [
        (HAZARDS, "admin_area=XX", "admin_area", "There is no admin area with the code XX."),
        (HAZARDS, "bbox=1,2", "bbox", "Give the box as four numbers"),
        (HAZARDS, "status=lost", "status", "Select a valid choice."),
        (RELEASES, "released_from=31/12/2020", "released_from", "Enter a valid date."),
    ],
)
def test_bad_filters_are_refused_with_their_reason(people, records, path, query, field, message):
    response = token_client(people, "member").get(f"{path}?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_the_openapi_schema_documents_the_downloads(people):
    from mineaction.api import api

    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/v1/article5/export/hazards"]["get"]
    responses = {str(status): response for status, response in operation["responses"].items()}
    assert set(responses) == {"200", "400", "401", "403"}
    assert set(responses["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/geo+json",
        "application/geopackage+sqlite3",
    }
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters == {"format", "type", "status", "device", "admin_area", "bbox"}
