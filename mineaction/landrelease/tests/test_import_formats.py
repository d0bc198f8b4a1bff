"""Importing real files of every format, written by GDAL (pyogrio) and openpyxl."""

import datetime

import pytest
import shapely
from pyproj import Transformer

from mineaction.conftest import make_organisation
from mineaction.landrelease.importers import read_table, run_import, suggest_columns
from mineaction.landrelease.models import (
    AdminArea,
    Article5Milestone,
    HazardArea,
    LandRelease,
)
from mineaction.landrelease.tests import factories, gisfiles
from mineaction.stakeholders.models import OrganisationType

pytestmark = pytest.mark.django_db

RECORDED = datetime.date(2015, 3, 4)


@pytest.fixture
def province():
    """A province whose boundary makes the country extent (for the far-away check)."""
    return factories.make_admin_area(
        "PR01", name="North", geometry_json=shapely.box(29, -19, 33, -15).__geo_interface__
    )


def hazard_rows():
    return [
        gisfiles.hazard_row(1, date_recorded=RECORDED, admin_area_code="PR01"),
        gisfiles.hazard_row(
            2, type="sha", status="closed", closed_on=datetime.date(2020, 5, 6), area_m2=12500
        ),
        gisfiles.hazard_row(3, type="Confirmed hazardous area", status="handed over"),
    ]


def assert_three_hazards_imported(report):
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    first = HazardArea.objects.get(external_id="HA-0001")
    assert first.hazard_type == "CHA"
    assert first.status == "open"
    assert first.date_recorded == RECORDED
    assert first.admin_area.code == "PR01"
    assert first.device_list == ["ap_mine", "uxo"]
    assert first.recorded_area_m2 is None
    assert first.geometry["type"] == "Polygon"
    assert 11_000 < first.geometry_area_m2 < 12_500
    assert first.area_m2 == first.geometry_area_m2
    assert first.min_lon == pytest.approx(30.01)
    assert first.max_lat == pytest.approx(-17.999)
    second = HazardArea.objects.get(external_id="HA-0002")
    assert (second.hazard_type, second.status) == ("SHA", "closed")
    assert second.closed_on == datetime.date(2020, 5, 6)
    assert second.recorded_area_m2 == 12500
    assert second.area_m2 == 12500
    third = HazardArea.objects.get(external_id="HA-0003")
    assert (third.hazard_type, third.status) == ("CHA", "handed_over")


def handed_over_date(rows):
    rows[2]["closed_on"] = datetime.date(2021, 1, 2)
    return rows


WRITERS = {
    "csv": gisfiles.write_csv,
    "xlsx": gisfiles.write_xlsx,
    "geojson": gisfiles.write_geojson,
    "gpkg": gisfiles.write_gpkg,
    "zip": gisfiles.write_shapefile_zip,
    "kml": gisfiles.write_kml,
}


@pytest.mark.parametrize("extension", WRITERS)
def test_hazard_areas_import_from_every_format(extension, tmp_path, province):
    path = WRITERS[extension](tmp_path / f"hazards.{extension}", handed_over_date(hazard_rows()))

    report = run_import("hazards", path)

    assert_three_hazards_imported(report)


@pytest.mark.parametrize("extension", WRITERS)
def test_reimporting_an_updated_file_updates_instead_of_duplicating(extension, tmp_path, province):
    rows = handed_over_date(hazard_rows())
    run_import("hazards", WRITERS[extension](tmp_path / f"first.{extension}", rows))
    ids_before = dict(HazardArea.objects.values_list("external_id", "id"))
    rows[0]["status"] = "closed"
    rows[0]["closed_on"] = datetime.date(2024, 2, 1)
    rows.append(gisfiles.hazard_row(4, geometry=gisfiles.lonlat_square(30.5, -17.5)))

    report = run_import("hazards", WRITERS[extension](tmp_path / f"second.{extension}", rows))

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    assert HazardArea.objects.count() == 4
    assert (
        dict(HazardArea.objects.exclude(external_id="HA-0004").values_list("external_id", "id"))
        == ids_before
    )
    updated = HazardArea.objects.get(external_id="HA-0001")
    assert (updated.status, updated.closed_on) == ("closed", datetime.date(2024, 2, 1))


def test_csv_with_bom_and_semicolons_is_read(tmp_path, province):
    path = gisfiles.write_csv(
        tmp_path / "hazards.csv", handed_over_date(hazard_rows()), delimiter=";", bom=True
    )

    table = read_table(path)

    assert table.columns[0] == "external_id"
    assert_three_hazards_imported(run_import("hazards", path))


def test_tab_separated_utf16_text_from_a_spreadsheet_is_read(tmp_path, province):
    text = gisfiles.csv_text(handed_over_date(hazard_rows()), delimiter="\t")
    path = tmp_path / "hazards.txt"
    path.write_bytes(text.encode("utf-16"))

    assert_three_hazards_imported(run_import("hazards", path))


def test_csv_lines_are_numbered_as_in_a_spreadsheet(tmp_path):
    path = tmp_path / "hazards.csv"
    path.write_text('external_id,name\nHA-1,"two\nlines"\n\nHA-2,plain\n', encoding="utf-8")

    table = read_table(path)

    assert table.total == 2
    assert list(table.rows()) == [
        (2, {"external_id": "HA-1", "name": "two\nlines"}),
        (4, {"external_id": "HA-2", "name": "plain"}),
    ]


def test_csv_geometry_can_be_geojson_text_or_longitude_and_latitude(tmp_path, province):
    rows = [
        gisfiles.hazard_row(1, geometry=gisfiles.lonlat_square(30, -18).__geo_interface__),
        gisfiles.hazard_row(2, geometry=None, longitude="30.5", latitude="-17.5", area_m2=900),
    ]

    report = run_import("hazards", gisfiles.write_csv(tmp_path / "hazards.csv", rows))

    assert report.errors == []
    polygon = HazardArea.objects.get(external_id="HA-0001")
    assert polygon.geometry["type"] == "Polygon" and polygon.geometry_area_m2 > 10_000
    point = HazardArea.objects.get(external_id="HA-0002")
    assert point.geometry == {"type": "Point", "coordinates": [30.5, -17.5]}
    assert (point.geometry_area_m2, point.area_m2) == (None, 900)


def test_xlsx_sheet_named_after_the_kind_is_preferred(tmp_path, province):
    path = gisfiles.write_xlsx(
        tmp_path / "export.xlsx",
        handed_over_date(hazard_rows()),
        sheet="Hazards",
        other_sheets=[("Read me", [{"note": "Exported from the national database"}])],
    )

    assert_three_hazards_imported(run_import("hazards", path))


def test_xlsx_dates_and_excel_serial_numbers_are_dates(tmp_path):
    rows = [
        gisfiles.hazard_row(1, date_recorded=datetime.datetime(2016, 7, 8), area_m2=100),
        gisfiles.hazard_row(2, date_recorded=42000, area_m2=100.5),
        gisfiles.hazard_row(3, date_recorded="31/12/2017", area_m2=99.49),
    ]

    report = run_import("hazards", gisfiles.write_xlsx(tmp_path / "hazards.xlsx", rows))

    assert report.errors == []
    stored = dict(HazardArea.objects.values_list("external_id", "date_recorded"))
    assert stored == {
        "HA-0001": datetime.date(2016, 7, 8),
        "HA-0002": datetime.date(2014, 12, 27),
        "HA-0003": datetime.date(2017, 12, 31),
    }
    areas = dict(HazardArea.objects.values_list("external_id", "recorded_area_m2"))
    assert areas == {"HA-0001": 100, "HA-0002": 101, "HA-0003": 99}


def test_shapefile_in_a_projected_system_is_reprojected_to_wgs84(tmp_path, province):
    to_utm = Transformer.from_crs(4326, 32736, always_xy=True)
    square = gisfiles.lonlat_square(30.2, -17.8, side_deg=0.002)
    utm_square = shapely.transform(
        square,
        lambda xy: shapely.get_coordinates(shapely.points(*to_utm.transform(xy[:, 0], xy[:, 1]))),
    )
    rows = [gisfiles.hazard_row(1, geometry=utm_square)]
    path = gisfiles.write_shapefile_zip(tmp_path / "hazards.zip", rows, crs="EPSG:32736")

    report = run_import("hazards", path)

    assert report.errors == []
    hazard = HazardArea.objects.get()
    assert (hazard.min_lon, hazard.min_lat) == (pytest.approx(30.2), pytest.approx(-17.8))
    assert (hazard.max_lon, hazard.max_lat) == (pytest.approx(30.202), pytest.approx(-17.798))


def test_kml_placemarks_in_several_folders_are_all_read(tmp_path, province):
    path = tmp_path / "hazards.kml"
    rows = handed_over_date(hazard_rows())
    gisfiles.write_kml(path, rows[:2], layer="North")
    gisfiles.write_gis(path, rows[2:], driver="LIBKML", layer="South", append=True)

    table = read_table(path)

    assert table.total == 3
    assert "tessellate" not in table.columns
    assert_three_hazards_imported(run_import("hazards", path))


def test_geopackage_layer_named_after_the_kind_is_chosen(tmp_path, province):
    path = tmp_path / "export.gpkg"
    gisfiles.write_gpkg(
        path, [{"code": "X", "geometry": shapely.box(30, -18, 31, -17)}], layer="districts"
    )
    gisfiles.write_gpkg(path, handed_over_date(hazard_rows()), layer="hazards", append=True)

    assert_three_hazards_imported(run_import("hazards", path))


# Every kind ------------------------------------------------------------------------------------


def admin_area_rows():
    # The district comes before its province: parents are found anywhere in the file.
    return [
        {
            "code": "DI0101",
            "name": "Riverside",
            "level": 2,
            "parent_code": "PR01",
            "geometry": shapely.box(30, -18, 30.5, -17.5),
        },
        {
            "code": "PR01",
            "name": "North",
            "level": 1,
            "parent_code": None,
            "geometry": shapely.box(30, -18, 31, -17),
        },
        {
            "code": "VI010101",
            "name": "Hilltop",
            "level": 3,
            "parent_code": "DI0101",
            "geometry": shapely.box(30, -18, 30.1, -17.9),
        },
    ]


@pytest.mark.parametrize("extension", ["csv", "gpkg"])
def test_admin_areas_import_with_parents_later_in_the_file(extension, tmp_path):
    path = WRITERS[extension](tmp_path / f"areas.{extension}", admin_area_rows())

    report = run_import("admin-areas", path)

    assert report.errors == []
    assert report.created == 3
    paths = dict(AdminArea.objects.values_list("code", "path"))
    assert paths == {
        "PR01": "/PR01/",
        "DI0101": "/PR01/DI0101/",
        "VI010101": "/PR01/DI0101/VI010101/",
    }
    village = AdminArea.objects.get(code="VI010101")
    assert village.parent.code == "DI0101"
    assert village.geometry["type"] == "Polygon"


def test_moving_a_district_moves_the_paths_of_its_stored_villages(tmp_path):
    run_import("admin-areas", gisfiles.write_csv(tmp_path / "areas.csv", admin_area_rows()))
    rows = [
        {"code": "PR02", "name": "South", "level": 1, "parent_code": ""},
        {"code": "DI0101", "name": "Riverside", "level": 2, "parent_code": "PR02"},
    ]

    report = run_import("admin-areas", gisfiles.write_csv(tmp_path / "move.csv", rows))

    assert report.errors == []
    assert (report.created, report.updated) == (1, 1)
    paths = dict(AdminArea.objects.values_list("code", "path"))
    assert paths["VI010101"] == "/PR02/DI0101/VI010101/"
    assert paths["DI0101"] == "/PR02/DI0101/"
    # The second file has no boundaries: the stored one is kept.
    assert AdminArea.objects.get(code="DI0101").geometry["type"] == "Polygon"


def release_rows():
    return [
        {
            "external_id": "LR-1",
            "hazard_external_id": "HA-0001",
            "method": "NTS",
            "area_m2": 4000,
            "start_date": "2019-01-05",
            "end_date": "2019-02-01",
            "operator": "CFA",
            "devices_ap_mine": None,
        },
        {
            "external_id": "LR-2",
            "hazard_external_id": "HA-0001",
            "method": "Cleared",
            "area_m2": 2500.5,
            "start_date": None,
            "end_date": "15/03/2020",
            "operator": "Clear Fields Association",
            "devices_ap_mine": 3,
        },
        {
            "external_id": "LR-3",
            "hazard_external_id": "ha-0002",
            "method": "reduced by technical survey",
            "area_m2": 100,
            "start_date": None,
            "end_date": "2021-06-30",
            "operator": None,
            "devices_ap_mine": 0,
        },
    ]


@pytest.mark.parametrize("extension", ["csv", "geojson"])
def test_land_releases_import(extension, tmp_path):
    make_organisation("Clear Fields Association", OrganisationType.NATIONAL_NGO, acronym="CFA")
    factories.make_hazard("HA-0001")
    factories.make_hazard("HA-0002")
    rows = release_rows()
    rows[2]["hazard_external_id"] = "HA-0002"

    report = run_import("releases", WRITERS[extension](tmp_path / f"releases.{extension}", rows))

    assert report.errors == []
    assert report.created == 3
    first = LandRelease.objects.get(external_id="LR-1")
    assert (first.method, first.area_m2, first.start_date, first.end_date) == (
        "cancelled",
        4000,
        datetime.date(2019, 1, 5),
        datetime.date(2019, 2, 1),
    )
    assert first.operator.acronym == "CFA"
    assert first.devices_ap_mine == 0
    second = LandRelease.objects.get(external_id="LR-2")
    assert (second.method, second.area_m2, second.end_date, second.devices_ap_mine) == (
        "cleared",
        2501,
        datetime.date(2020, 3, 15),
        3,
    )
    third = LandRelease.objects.get(external_id="LR-3")
    assert (third.method, third.hazard_area.external_id, third.operator) == (
        "reduced",
        "HA-0002",
        None,
    )


def milestone_rows():
    return [
        {"year": 2025, "admin_area_code": None, "planned_area_m2": 1_500_000, "note": "Plan"},
        {"year": 2025, "admin_area_code": "PR01", "planned_area_m2": 500_000, "note": None},
        {"year": 2026, "admin_area_code": None, "planned_area_m2": 0, "note": None},
    ]


@pytest.mark.parametrize("extension", ["csv", "xlsx", "gpkg"])
def test_milestones_import_and_reimport(extension, tmp_path, province):
    path = WRITERS[extension](tmp_path / f"milestones.{extension}", milestone_rows())

    first = run_import("milestones", path)
    rows = milestone_rows()
    rows[1]["planned_area_m2"] = 600_000
    second = run_import("milestones", WRITERS[extension](tmp_path / f"again.{extension}", rows))

    assert first.errors == [] and first.created == 3
    assert (second.created, second.updated, second.unchanged) == (0, 1, 2)
    stored = {
        (
            milestone.year,
            milestone.admin_area_id and milestone.admin_area.code,
        ): milestone.planned_area_m2
        for milestone in Article5Milestone.objects.all()
    }
    assert stored == {(2025, None): 1_500_000, (2025, "PR01"): 600_000, (2026, None): 0}


# Dry runs and mappings -------------------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path, province):
    path = gisfiles.write_gpkg(tmp_path / "hazards.gpkg", handed_over_date(hazard_rows()))
    before = gisfiles.database_snapshot()

    report = run_import("hazards", path, dry_run=True)

    assert report.ok and report.dry_run
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert gisfiles.database_snapshot() == before


def test_columns_with_other_names_are_mapped(tmp_path, province):
    rows = [
        {
            "IMSMA ID": "HA-1",
            "Hazard Type": "CHA",
            "Date": "2018-01-01",
            "Area": 500,
            "Notes": "ignored",
        },
    ]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    report = run_import(
        "hazards", path, columns={"external_id": "IMSMA ID", "date_recorded": "Date"}
    )

    assert report.errors == []
    assert report.columns == {
        "external_id": "IMSMA ID",
        "type": "Hazard Type",
        "date_recorded": "Date",
        "area_m2": "Area",
    }
    assert HazardArea.objects.get().recorded_area_m2 == 500


def test_shapefile_truncated_field_names_are_recognised(tmp_path, province):
    rows = [{**row, "admin_area_code": "PR01"} for row in handed_over_date(hazard_rows())]
    path = gisfiles.write_shapefile_zip(tmp_path / "hazards.zip", rows)

    report = run_import("hazards", path)

    assert report.columns["date_recorded"] == "date_recor"
    assert report.columns["admin_area_code"] == "admin_area"
    assert report.errors == []


def test_columns_a_file_leaves_out_keep_their_stored_values(tmp_path, province):
    organisation = make_organisation("Clear Fields Association", OrganisationType.NATIONAL_NGO)
    rows = handed_over_date(hazard_rows())
    rows[0].update(source_organisation=organisation.name, area_m2=11_800)
    run_import("hazards", gisfiles.write_gpkg(tmp_path / "hazards.gpkg", rows))
    before = {hazard.external_id: hazard for hazard in HazardArea.objects.all()}
    statuses = [
        {"external_id": "HA-0001", "type": "CHA", "date_recorded": RECORDED, "status": "closed",
         "closed_on": "2024-03-01"},
        {"external_id": "HA-0002", "type": "SHA", "date_recorded": "2015-03-03", "status": "closed",
         "closed_on": "2020-05-06"},
    ]  # fmt: skip

    report = run_import("hazards", gisfiles.write_csv(tmp_path / "statuses.csv", statuses))

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    closed = HazardArea.objects.get(external_id="HA-0001")
    assert (closed.status, closed.closed_on) == ("closed", datetime.date(2024, 3, 1))
    kept = ["geometry", "geometry_area_m2", "recorded_area_m2", "area_m2", "min_lon",
            "device_categories", "admin_area_id", "source_organisation_id", "name"]  # fmt: skip
    for field in kept:
        assert getattr(closed, field) == getattr(before["HA-0001"], field), field


def test_a_new_hazard_area_in_a_file_without_location_or_area_is_refused(tmp_path, province):
    rows = [{"external_id": "HA-NEW", "type": "CHA", "date_recorded": "2020-01-01"}]

    report = run_import("hazards", gisfiles.write_csv(tmp_path / "hazards.csv", rows))

    assert [(issue.line, issue.column, issue.message) for issue in report.errors] == [
        (2, "area_m2", "A hazard area needs a polygon or a recorded area (area_m2).")
    ]
    assert HazardArea.objects.count() == 0


def test_suggested_columns_ignore_case_spacing_aliases_and_shapefile_truncation():
    file_columns = ["Release ID", "HAZARD_ID", "Method", "hazard_ext", "Area", "End", "APM", "x"]

    assert suggest_columns("releases", file_columns) == {
        "external_id": "Release ID",
        "hazard_external_id": "hazard_ext",
        "method": "Method",
        "area_m2": "Area",
        "end_date": "End",
        "devices_ap_mine": "APM",
    }
