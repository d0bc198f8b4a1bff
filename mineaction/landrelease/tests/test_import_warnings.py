"""Warnings: reported with their line, and the file is imported all the same."""

import datetime

import pytest
import shapely

from mineaction.landrelease.importers import run_import
from mineaction.landrelease.models import HazardArea, LandRelease
from mineaction.landrelease.tests import factories, gisfiles

pytestmark = pytest.mark.django_db


def issues(report_issues):
    return [(issue.line, issue.column, issue.message) for issue in report_issues]


def test_overlapping_hazard_areas_are_a_warning(tmp_path):
    factories.make_hazard(
        "HA-STORED", geometry_json=gisfiles.lonlat_square(30.0005, -18).__geo_interface__
    )
    rows = [
        gisfiles.hazard_row(1, geometry=shapely.box(30, -18, 30.001, -17.999)),
        gisfiles.hazard_row(2, geometry=shapely.box(30.0009, -18, 30.002, -17.999)),
        gisfiles.hazard_row(3, geometry=shapely.box(30.5, -17.5, 30.501, -17.499)),
    ]

    report = run_import("hazards", gisfiles.write_gpkg(tmp_path / "hazards.gpkg", rows))

    assert report.errors == []
    assert report.created == 3
    messages = issues(report.warnings)
    assert [(line, column) for line, column, _message in messages] == [
        (1, "geometry"),
        (1, "geometry"),
        (2, "geometry"),
    ]
    text = " ".join(message for _line, _column, message in messages)
    assert "HA-0001 overlaps HA-0002 over" in text
    assert "HA-0001 overlaps the stored hazard area HA-STORED over" in text
    assert "HA-0002 overlaps the stored hazard area HA-STORED over" in text
    assert HazardArea.objects.count() == 4


def test_vertices_too_far_apart_are_a_warning(tmp_path, settings):
    settings.GEOMETRY_MAX_VERTEX_SPACING_M = 50
    rows = [
        gisfiles.hazard_row(1),
        gisfiles.hazard_row(2, geometry=shapely.box(30.2, -18, 30.201, -17.9995)),
    ]

    report = run_import("hazards", gisfiles.write_csv(tmp_path / "hazards.csv", rows))

    assert report.errors == []
    assert [(issue.line, issue.column) for issue in report.warnings] == [
        (2, "geometry"),
        (3, "geometry"),
    ]
    assert "4 edges are longer than the limit of 0.1 km" in report.warnings[0].message
    assert HazardArea.objects.count() == 2


def test_a_recorded_area_far_from_the_polygons_is_a_warning(tmp_path):
    rows = [
        gisfiles.hazard_row(1, area_m2=13_500),  # the square is ~11,700 m²: 15 % more
        gisfiles.hazard_row(2, area_m2=12_500),  # 7 % more: no warning
    ]

    report = run_import("hazards", gisfiles.write_csv(tmp_path / "hazards.csv", rows))

    assert report.errors == []
    assert issues(report.warnings) == [
        (
            2,
            "area_m2",
            "The recorded area (13,500 m²) differs by 15% from the area of the polygon "
            "(11,722 m²).",
        )
    ]
    hazard = HazardArea.objects.get(external_id="HA-0001")
    assert (hazard.area_m2, hazard.recorded_area_m2, hazard.geometry_area_m2) == (
        13_500,
        13_500,
        11_722,
    )


def test_releases_adding_up_to_more_than_the_hazard_area_are_a_warning(tmp_path):
    hazard = factories.make_hazard("HA-1", recorded_area_m2=10_000)
    factories.make_release(hazard, 6_000, datetime.date(2019, 1, 1), external_id="LR-STORED")
    factories.make_release(hazard, 1_000, datetime.date(2019, 1, 1), external_id="LR-REPLACED")
    rows = [
        {"external_id": "LR-REPLACED", "hazard_external_id": "HA-1", "method": "cleared",
         "area_m2": 2_000, "end_date": "2020-01-01"},
        {"external_id": "LR-NEW", "hazard_external_id": "HA-1", "method": "cleared",
         "area_m2": 2_500, "end_date": "2021-01-01"},
    ]  # fmt: skip

    report = run_import("releases", gisfiles.write_csv(tmp_path / "releases.csv", rows))

    assert report.errors == []
    assert (report.created, report.updated) == (1, 1)
    assert issues(report.warnings) == [
        (
            3,
            "area_m2",
            "The releases from hazard area HA-1 add up to 10,500 m², more than its area of "
            "10,000 m².",
        )
    ]
    assert LandRelease.objects.get(external_id="LR-REPLACED").area_m2 == 2_000


def test_releases_within_the_hazard_area_have_no_warning(tmp_path):
    factories.make_hazard("HA-1", recorded_area_m2=10_000)
    rows = [
        {"external_id": "LR-1", "hazard_external_id": "HA-1", "method": "cleared",
         "area_m2": 10_000, "end_date": "2020-01-01"},
    ]  # fmt: skip

    report = run_import("releases", gisfiles.write_csv(tmp_path / "releases.csv", rows))

    assert report.ok and report.warnings == []
