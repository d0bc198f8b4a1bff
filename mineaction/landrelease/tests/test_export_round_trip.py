"""An export imports again unchanged: its columns and values are the importer's."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from mineaction.landrelease.importers import run_import
from mineaction.landrelease.models import (
    HazardArea,
    HazardStatus,
    HazardType,
    LandRelease,
    ReleaseMethod,
)
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)

FORMATS = ["csv", "xlsx", "geojson", "gpkg"]


@pytest.fixture
def records(db, ngo_org):
    region = make_admin_area("PR01", name="North", geometry_json=square(30, -18, side_deg=1))
    district = make_admin_area("DI0101", name="Riverside", level=2, parent=region)
    mapped = make_hazard(
        "HA-0001",
        name="Old minefield",
        admin_area=district,
        geometry_json=square(30.2, -17.8, side_deg=0.001),
        devices=("ap_mine", "uxo"),
        date_recorded=datetime.date(2016, 4, 2),
        source_organisation=ngo_org,
    )
    recorded = make_hazard(
        "HA-0002",
        name="حقل الألغام الشمالي",
        hazard_type=HazardType.SHA,
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2022, 6, 30),
        admin_area=region,
        geometry_json=square(30.5, -17.5, side_deg=0.002),
        recorded_area_m2=52_000,
        devices=("av_mine",),
    )
    make_hazard("HA-0003", recorded_area_m2=900, devices=())
    make_release(
        mapped,
        4_000,
        datetime.date(2020, 3, 31),
        start_date=datetime.date(2020, 1, 6),
        external_id="LR-0001",
        operator=ngo_org,
        devices_ap_mine=7,
        devices_uxo=2,
    )
    make_release(
        recorded, 52_000, datetime.date(2022, 6, 30), method=ReleaseMethod.CANCELLED,
        external_id="LR-0002",
    )  # fmt: skip


def snapshot(model, fields):
    return list(model.objects.order_by("external_id").values_list(*fields))


HAZARD_FIELDS = [
    "external_id", "name", "hazard_type", "status", "closed_on", "device_categories",
    "admin_area__code", "recorded_area_m2", "geometry_area_m2", "area_m2", "geometry",
    "date_recorded", "source_organisation__name", "updated_at",
]  # fmt: skip
RELEASE_FIELDS = [
    "external_id", "hazard_area__external_id", "method", "area_m2", "start_date", "end_date",
    "operator__name", "devices_ap_mine", "devices_uxo", "updated_at",
]  # fmt: skip


def download(client, name, fmt):
    response = client.get(reverse(name, args=[fmt]))
    assert response.status_code == 200
    path = Path(tempfile.mkdtemp()) / f"export.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_hazard_export_imports_again_unchanged(clients, records, fmt):
    before = snapshot(HazardArea, HAZARD_FIELDS)
    path = download(clients["member"], "landrelease:export_hazards", fmt)
    report = run_import("hazards", path, original_name=path.name)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert snapshot(HazardArea, HAZARD_FIELDS) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_release_export_imports_again_unchanged(clients, records, fmt):
    before = snapshot(LandRelease, RELEASE_FIELDS)
    path = download(clients["member"], "landrelease:export_releases", fmt)
    report = run_import("releases", path, original_name=path.name)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert snapshot(LandRelease, RELEASE_FIELDS) == before


def test_an_edited_export_updates_the_records(clients, records):
    polygon = HazardArea.objects.get(external_id="HA-0001").geometry
    path = download(clients["member"], "landrelease:export_hazards", "csv")
    text = path.read_text(encoding="utf-8-sig").replace("Old minefield", "Old minefield (north)")
    path.write_text(text, encoding="utf-8-sig")
    report = run_import("hazards", path, original_name=path.name)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    hazard = HazardArea.objects.get(external_id="HA-0001")
    assert hazard.name == "Old minefield (north)"
    assert hazard.geometry == polygon  # the CSV's geometry column keeps the polygon
