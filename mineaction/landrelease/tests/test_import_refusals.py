"""Broken files and bad rows: each refused with every reason, and the database left as it was."""

import datetime
import zipfile

import pytest
import shapely

from mineaction.conftest import make_organisation
from mineaction.landrelease.importers import run_import
from mineaction.landrelease.models import HazardArea
from mineaction.landrelease.tests import factories, gisfiles
from mineaction.stakeholders.models import OrganisationType

pytestmark = pytest.mark.django_db

BOW_TIE = shapely.Polygon([(30, -18), (30.01, -17.99), (30.01, -18), (30, -17.99), (30, -18)])


@pytest.fixture
def stored():
    """Some data that a refused import must leave exactly as it is."""
    province = factories.make_admin_area(
        "PR01", name="North", geometry_json=shapely.box(29, -19, 33, -15).__geo_interface__
    )
    factories.make_admin_area("DI0101", name="Riverside", level=2, parent=province)
    hazard = factories.make_hazard("HA-STORED", admin_area=province)
    factories.make_release(hazard, 1000, datetime.date(2020, 1, 1), external_id="LR-STORED")
    factories.make_milestone(2025, 100_000)
    return gisfiles.database_snapshot()


def refused(report, stored, *expected):
    """The report has exactly the expected (line, column, words in the message) errors, and
    nothing changed in the database."""
    found = [(issue.line, issue.column) for issue in report.errors]
    assert found == [(line, column) for line, column, _words in expected], report.errors
    for issue, (_line, _column, words) in zip(report.errors, expected, strict=True):
        assert words in issue.message, issue.message
    assert not report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert gisfiles.database_snapshot() == stored
    return report


# Files that cannot be read ---------------------------------------------------------------------


def test_a_file_with_an_unsupported_extension_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")

    refused(run_import("hazards", path), stored, (0, "", "“.docx” cannot be imported"))


def test_a_lone_shp_file_is_refused_with_how_to_zip_it(tmp_path, stored):
    path = tmp_path / "hazards.shp"
    path.write_bytes(b"\x00\x00\x27\x0a")

    refused(run_import("hazards", path), stored, (0, "", "in one .zip file"))


def test_an_empty_file_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.csv"
    path.write_bytes(b"")

    refused(run_import("hazards", path), stored, (0, "", "The file is empty."))


def test_a_file_with_only_a_header_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.csv"
    path.write_text("external_id,type,date_recorded\n\n", encoding="utf-8")

    refused(run_import("hazards", path), stored, (0, "", "no rows to import"))


def test_a_latin1_csv_is_refused_naming_the_line_and_byte(tmp_path, stored):
    rows = [gisfiles.hazard_row(1, area_m2=10), gisfiles.hazard_row(2, name="Montée du col")]
    path = gisfiles.write_csv(
        tmp_path / "hazards.csv",
        rows,
        encoding="latin-1",
        columns=["external_id", "type", "date_recorded", "name", "area_m2"],
    )
    offset = path.read_bytes().index(b"\xe9") + 1

    report = refused(run_import("hazards", path), stored, (0, "", "not in UTF-8: line 3"))

    assert f"byte {offset} of the file, value 0xE9" in report.errors[0].message
    assert "character 28" in report.errors[0].message


def test_a_truncated_geopackage_is_refused(tmp_path, stored):
    path = gisfiles.write_gpkg(
        tmp_path / "hazards.gpkg", [gisfiles.hazard_row(n) for n in range(50)]
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    refused(run_import("hazards", path), stored, (0, "", "not a readable GeoPackage"))


def test_a_truncated_zip_is_refused(tmp_path, stored):
    path = gisfiles.write_shapefile_zip(
        tmp_path / "hazards.zip", [gisfiles.hazard_row(n) for n in range(50)]
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])

    refused(run_import("hazards", path), stored, (0, "", "damaged or cut short"))


def test_a_zip_with_a_corrupted_member_is_refused(tmp_path, stored):
    path = gisfiles.write_shapefile_zip(
        tmp_path / "hazards.zip", [gisfiles.hazard_row(n) for n in range(50)]
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("hazards.dbf")
    data[member.header_offset + 60] ^= 0xFF  # inside the compressed data: the CRC fails
    path.write_bytes(bytes(data))

    refused(run_import("hazards", path), stored, (0, "", "hazards.dbf cannot be extracted"))


def test_a_shapefile_without_its_prj_is_refused(tmp_path, stored):
    path = gisfiles.write_shapefile_zip(
        tmp_path / "hazards.zip", [gisfiles.hazard_row(1)], leave_out=(".prj",)
    )

    refused(run_import("hazards", path), stored, (0, "", "without its .prj file"))


def test_a_zip_without_a_shapefile_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hazards.csv", "external_id\nHA-1\n")

    refused(run_import("hazards", path), stored, (0, "", "holds no shapefile"))


def test_a_truncated_workbook_is_refused(tmp_path, stored):
    path = gisfiles.write_xlsx(
        tmp_path / "hazards.xlsx", [gisfiles.hazard_row(n) for n in range(50)]
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    refused(run_import("hazards", path), stored, (0, "", "not a readable Excel workbook"))


def test_text_that_is_not_geojson_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', encoding="utf-8")

    refused(run_import("hazards", path), stored, (0, "", "not a readable GeoJSON"))


def test_a_csv_line_with_more_values_than_columns_is_refused(tmp_path, stored):
    path = tmp_path / "hazards.csv"
    path.write_text(
        "external_id,type,date_recorded,area_m2\nHA-1,CHA,2020-01-01,10\nHA-2,CHA,2020-01-01,1,500\n",
        encoding="utf-8",
    )

    refused(
        run_import("hazards", path), stored, (0, "", "Line 3 has 5 values but the header has 4")
    )


def test_a_geopackage_with_several_layers_is_refused_naming_them(tmp_path, stored):
    path = tmp_path / "export.gpkg"
    gisfiles.write_gpkg(path, [gisfiles.hazard_row(1)], layer="north")
    gisfiles.write_gpkg(path, [gisfiles.hazard_row(2)], layer="south", append=True)

    refused(run_import("hazards", path), stored, (0, "", "several layers (north, south)"))


# Columns ---------------------------------------------------------------------------------------


def test_missing_required_columns_are_listed_with_the_files_columns(tmp_path, stored):
    path = gisfiles.write_csv(
        tmp_path / "hazards.csv", [{"Hazard": "HA-1", "Kind": "CHA", "Size": 10}]
    )

    report = refused(run_import("hazards", path), stored, (0, "", "Required columns are missing"))

    assert "external_id, type, date_recorded" in report.errors[0].message
    assert "The file's columns are: Hazard, Kind, Size" in report.errors[0].message


def test_a_mapping_naming_a_column_the_file_lacks_is_refused(tmp_path, stored):
    path = gisfiles.write_csv(tmp_path / "hazards.csv", [gisfiles.hazard_row(1, area_m2=5)])

    refused(
        run_import("hazards", path, columns={"external_id": "IMSMA ID", "colour": "x"}),
        stored,
        (0, "", "columns that Hazard areas do not have: colour"),
        (0, "", "the file does not have: IMSMA ID"),
    )


# Rows: every bad row is reported, not only the first -------------------------------------------


def test_bad_dates_are_each_reported_with_the_value(tmp_path, stored):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    rows = [
        gisfiles.hazard_row(1, date_recorded="2020-13-01"),
        gisfiles.hazard_row(2, date_recorded="31/02/2020"),
        gisfiles.hazard_row(3, date_recorded="03/04/20"),
        gisfiles.hazard_row(4, date_recorded="next week"),
        gisfiles.hazard_row(5, date_recorded=tomorrow.isoformat()),
        gisfiles.hazard_row(6, date_recorded=""),
        gisfiles.hazard_row(7),
    ]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    refused(
        run_import("hazards", path),
        stored,
        (2, "date_recorded", "“2020-13-01” is not a valid date"),
        (3, "date_recorded", "“31/02/2020” is not a valid date"),
        (4, "date_recorded", "“03/04/20” is not a date"),
        (5, "date_recorded", "“next week” is not a date"),
        (6, "date_recorded", "is a date in the future"),
        (7, "date_recorded", "A value is required"),
    )


def test_negative_zero_and_badly_written_areas_are_refused(tmp_path, stored):
    rows = [
        gisfiles.hazard_row(1, area_m2="-20"),
        gisfiles.hazard_row(2, area_m2="0.4"),
        gisfiles.hazard_row(3, area_m2="1,500"),
        gisfiles.hazard_row(4, area_m2="about 200"),
        gisfiles.hazard_row(5, area_m2="12000"),
    ]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    refused(
        run_import("hazards", path),
        stored,
        (2, "area_m2", "“-20” is a negative area"),
        (3, "area_m2", "area of 0 m²"),
        (4, "area_m2", "no thousands separators"),
        (5, "area_m2", "“about 200” is not a number"),
    )


def test_hazard_row_rules(tmp_path, stored):
    make_organisation("Mines Advisory One", OrganisationType.INTERNATIONAL_NGO, acronym="MA")
    make_organisation("Mine Action Two", OrganisationType.NATIONAL_NGO, acronym="MA")
    rows = [
        gisfiles.hazard_row(1, status="closed"),
        gisfiles.hazard_row(2, closed_on="2020-01-01"),
        gisfiles.hazard_row(3, type="UXO spot", status="finished"),
        gisfiles.hazard_row(4, admin_area_code="NOWHERE", source_organisation="MA"),
        gisfiles.hazard_row(5, source_organisation="Unknown NGO"),
        gisfiles.hazard_row(6, device_categories="AP mine; rockets"),
        gisfiles.hazard_row(7, geometry=None),
        gisfiles.hazard_row(8, geometry="POINT (30.5 -17.5)"),
        gisfiles.hazard_row(1, geometry=gisfiles.lonlat_square(31, -16)),
        gisfiles.hazard_row(
            10, status="closed", closed_on="2014-01-01", date_recorded="2015-01-01"
        ),
    ]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    refused(
        run_import("hazards", path),
        stored,
        (2, "closed_on", "needs the date it was closed"),
        (3, "closed_on", "An open hazard area has no closing date"),
        (4, "type", "“UXO spot” is not one of: SHA, CHA"),
        (4, "status", "“finished” is not one of: open, closed, handed over"),
        (5, "admin_area_code", "No admin area has the code “NOWHERE”"),
        (5, "source_organisation", "acronym of several organisations"),
        (6, "source_organisation", "No organisation has the name or acronym “Unknown NGO”"),
        (7, "device_categories", "Unknown device categories: rockets"),
        (8, "area_m2", "needs a polygon or a recorded area"),
        (9, "area_m2", "A point has no area"),
        (10, "external_id", "already on line 2"),
        (11, "closed_on", "before it was recorded"),
    )


def test_invalid_and_far_away_geometries_are_refused(tmp_path, stored):
    rows = [
        gisfiles.hazard_row(1, geometry=BOW_TIE),
        gisfiles.hazard_row(2, geometry=gisfiles.lonlat_square(-17.5, 30.2)),
        gisfiles.hazard_row(3, geometry=shapely.LineString([(30, -18), (30.1, -18)])),
        gisfiles.hazard_row(4),
    ]
    path = gisfiles.write_gpkg(tmp_path / "hazards.gpkg", rows)

    refused(
        run_import("hazards", path),
        stored,
        (1, "geometry", "The polygon is invalid: its boundary crosses itself"),
        (2, "geometry", "are longitude and latitude swapped?"),
        (3, "geometry", "A LineString cannot be a hazard area"),
    )


def test_wkt_that_does_not_parse_is_refused(tmp_path, stored):
    rows = [gisfiles.hazard_row(1, geometry="POLYGON ((30 -18, 30.1 -18"), gisfiles.hazard_row(2)]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    refused(run_import("hazards", path), stored, (2, "geometry", "neither WKT"))


def test_releases_of_unknown_hazard_areas_and_other_bad_rows_are_refused(tmp_path, stored):
    rows = [
        {
            "external_id": "LR-1",
            "hazard_external_id": "HA-MISSING",
            "method": "cleared",
            "area_m2": 10,
            "start_date": "",
            "end_date": "2020-01-01",
            "devices_uxo": "",
        },
        {
            "external_id": "LR-2",
            "hazard_external_id": "HA-STORED",
            "method": "burnt",
            "area_m2": -5,
            "start_date": "2020-02-01",
            "end_date": "2020-01-01",
            "devices_uxo": "-1",
        },
        {
            "external_id": "LR-2",
            "hazard_external_id": "HA-STORED",
            "method": "TS",
            "area_m2": 0,
            "start_date": "",
            "end_date": "",
            "devices_uxo": "2.5",
        },
    ]
    path = gisfiles.write_csv(tmp_path / "releases.csv", rows)

    refused(
        run_import("releases", path),
        stored,
        (2, "hazard_external_id", "No stored hazard area has the external id “HA-MISSING”"),
        (3, "method", "“burnt” is not one of: cancelled, reduced, cleared"),
        (3, "area_m2", "“-5” is a negative area"),
        (3, "devices_uxo", "“-1” is less than 0"),
        (3, "end_date", "The end date (2020-01-01) is before the start date (2020-02-01)"),
        (4, "external_id", "already on line 3"),
        (4, "area_m2", "area of 0 m²"),
        (4, "end_date", "A value is required"),
        (4, "devices_uxo", "“2.5” is not a whole number"),
    )


def test_admin_area_hierarchy_rules(tmp_path, stored):
    rows = [
        {"code": "DI0201", "name": "A", "level": 2, "parent_code": "PR09"},
        {"code": "DI0202", "name": "B", "level": 4, "parent_code": "PR01"},
        {"code": "DI0203", "name": "C", "level": 2, "parent_code": ""},
        {"code": "X1", "name": "D", "level": 2, "parent_code": "X2"},
        {"code": "X2", "name": "E", "level": 3, "parent_code": "X1"},
        {"code": "X3", "name": "F", "level": 1, "parent_code": "X3"},
        {"code": "PR01", "name": "North", "level": 2, "parent_code": "X3"},
        {"code": "A/B", "name": "G", "level": 5, "parent_code": ""},
    ]
    path = gisfiles.write_csv(tmp_path / "areas.csv", rows)

    refused(
        run_import("admin-areas", path),
        stored,
        (2, "parent_code", "No admin area has the code “PR09”"),
        (3, "level", "The level must be 3"),
        (4, "parent_code", "An area of level 2 needs the code of the area it is part of"),
        (5, "parent_code", "X1 would be part of itself"),
        (6, "parent_code", "X2 would be part of itself"),
        (7, "parent_code", "cannot be its own parent"),
        (8, "level", "The stored area DI0101 (level 2) is part of this area"),
        (9, "code", "contains “/”"),
        (9, "level", "“5” is more than 4"),
    )


def test_milestone_rules(tmp_path, stored):
    rows = [
        {"year": 2026, "admin_area_code": "", "planned_area_m2": 10},
        {"year": 2026, "admin_area_code": "", "planned_area_m2": 20},
        {"year": 1990, "admin_area_code": "PR01", "planned_area_m2": -1},
        {"year": "next", "admin_area_code": "PR99", "planned_area_m2": ""},
    ]
    path = gisfiles.write_csv(tmp_path / "milestones.csv", rows)

    refused(
        run_import("milestones", path),
        stored,
        (3, "year", "The national milestone of this year is already on line 2"),
        (4, "year", "“1990” is less than 1997"),
        (4, "planned_area_m2", "“-1” is a negative area"),
        (5, "year", "“next” is not a number"),
        (5, "admin_area_code", "No admin area has the code “PR99”"),
        (5, "planned_area_m2", "A value is required"),
    )


def test_errors_are_reported_with_the_files_own_column_names(tmp_path, stored):
    rows = [{"IMSMA ID": "HA-1", "Hazard Type": "CHA", "Recorded": "yesterday", "Area (m2)": 5}]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    refused(
        run_import(
            "hazards",
            path,
            columns={
                "external_id": "IMSMA ID",
                "date_recorded": "Recorded",
                "area_m2": "Area (m2)",
            },
        ),
        stored,
        (2, "Recorded", "“yesterday” is not a date"),
    )


def test_a_thousand_bad_rows_are_all_reported(tmp_path, stored):
    rows = [gisfiles.hazard_row(number, area_m2=-number) for number in range(1, 1001)]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    report = run_import("hazards", path)

    assert [issue.line for issue in report.errors] == list(range(2, 1002))
    assert HazardArea.objects.count() == 1
    assert gisfiles.database_snapshot() == stored
