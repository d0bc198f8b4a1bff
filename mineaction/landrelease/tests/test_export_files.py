"""The export pages: /article5/export/hazards.<format> and /article5/export/releases.<format>,
read back with the csv module, openpyxl and GDAL (pyogrio), as a user's software would."""

import csv
import datetime
import io
import json
import math
import tempfile
from pathlib import Path

import openpyxl
import pyogrio
import pyogrio.raw
import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.landrelease import exporters
from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)

HAZARD_HEADER = [
    "external_id",
    "name",
    "type",
    "status",
    "closed_on",
    "device_categories",
    "admin_area_code",
    "area_m2",
    "geometry_area_m2",
    "remaining_m2",
    "date_recorded",
    "source_organisation",
]
RELEASE_HEADER = [
    "external_id",
    "hazard_external_id",
    "method",
    "area_m2",
    "start_date",
    "end_date",
    "operator",
    "devices_ap_mine",
    "devices_av_mine",
    "devices_improvised_mine",
    "devices_cmr",
    "devices_uxo",
    "devices_axo",
    "devices_booby_trap",
    "devices_other_erw",
]
# CSV and XLSX also carry the hazard areas' geometry, as GeoJSON text.
TABLE_HEADER = [*HAZARD_HEADER, "geometry"]
FORMULA = '=HYPERLINK("http://evil.example","Click")'
ARABIC = "حقل الألغام الشمالي"


def url(kind, fmt, query=""):
    name = "landrelease:export_hazards" if kind == "hazards" else "landrelease:export_releases"
    return reverse(name, args=[fmt]) + (f"?{query}" if query else "")


@pytest.fixture
def records(db, ngo_org):
    region = make_admin_area("PR01", name="North", geometry_json=square(30, -18, side_deg=1))
    district = make_admin_area("DI0101", name="Riverside", level=2, parent=region)
    mapped = make_hazard(
        "HA-0001",
        name=FORMULA,
        admin_area=district,
        geometry_json=square(30.2, -17.8, side_deg=0.001),
        recorded_area_m2=15_000,
        devices=("ap_mine", "uxo"),
        date_recorded=datetime.date(2016, 4, 2),
        source_organisation=ngo_org,
    )
    point = make_hazard(
        "HA-0002",
        name=ARABIC,
        hazard_type=HazardType.SHA,
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2022, 6, 30),
        admin_area=region,
        geometry_json={"type": "Point", "coordinates": [30.5, -17.5]},
        recorded_area_m2=40_000,
        devices=("av_mine",),
    )
    unmapped = make_hazard("+HA-0003", recorded_area_m2=900, devices=())
    first = make_release(
        mapped,
        4_000,
        datetime.date(2020, 3, 31),
        start_date=datetime.date(2020, 1, 6),
        external_id="LR-0001",
        operator=ngo_org,
        devices_ap_mine=7,
        devices_uxo=2,
    )
    second = make_release(
        point,
        40_000,
        datetime.date(2022, 6, 30),
        method=ReleaseMethod.CANCELLED,
        external_id="@LR-2",
    )
    return {
        "mapped": mapped,
        "point": point,
        "unmapped": unmapped,
        "first": first,
        "second": second,
    }


def hazard_rows(records):
    """The hazard export's rows as the records hold them (CSV text, formulas escaped)."""
    mapped = records["mapped"]
    return [
        [
            "'+HA-0003", "", "CHA", "open", "", "", "", "900", "", "900", "2015-01-01", "",
        ],
        [
            "HA-0001", f"'{FORMULA}", "CHA", "open", "", "ap_mine,uxo", "DI0101", "15000",
            str(mapped.geometry_area_m2), "11000", "2016-04-02", "Clear Fields Association",
        ],
        [
            "HA-0002", ARABIC, "SHA", "closed", "2022-06-30", "av_mine", "PR01", "40000", "",
            "0", "2015-01-01", "",
        ],
    ]  # fmt: skip


def content(response):
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def saved(response, suffix):
    """The download written to a file, as the user's browser would."""
    path = Path(tempfile.mkdtemp()) / f"download{suffix}"
    path.write_bytes(content(response))
    return path


def read_gis(path):
    """(field names, rows of values, shapely geometries) read by GDAL."""
    meta, _fids, geometries, fields = pyogrio.raw.read(path)
    names = list(meta["fields"])
    rows = [dict(zip(names, values, strict=True)) for values in zip(*fields, strict=True)]
    return names, rows, [shapely.from_wkb(g) if g is not None else None for g in geometries]


# CSV ------------------------------------------------------------------------------------------


def test_hazard_csv_holds_the_canonical_columns_and_the_records(clients, records):
    response = clients["member"].get(url("hazards", "csv"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="article5-hazard-areas-{today}.csv"'
    )
    body = content(response)
    assert body.startswith(b"\xef\xbb\xbf")  # spreadsheets read the Arabic name as UTF-8
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == TABLE_HEADER
    assert [row[:-1] for row in table[1:]] == hazard_rows(records)
    geometries = [json.loads(row[-1]) if row[-1] else None for row in table[1:]]
    assert geometries == [
        None,
        json.loads(json.dumps(records["mapped"].geometry)),
        {"type": "Point", "coordinates": [30.5, -17.5]},
    ]


def test_release_csv_holds_the_canonical_columns_and_the_records(clients, records):
    body = content(clients["observer"].get(url("releases", "csv")))
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == RELEASE_HEADER
    assert table[1:] == [
        ["LR-0001", "HA-0001", "cleared", "4000", "2020-01-06", "2020-03-31",
         "Clear Fields Association", "7", "0", "0", "0", "2", "0", "0", "0"],
        ["'@LR-2", "HA-0002", "cancelled", "40000", "", "2022-06-30", "",
         "0", "0", "0", "0", "0", "0", "0", "0"],
    ]  # fmt: skip


def test_the_csv_header_is_what_the_importer_expects(clients, records):
    from mineaction.landrelease.importers import CANONICAL_COLUMNS
    from mineaction.landrelease.models import ImportKind

    for kind, header in (
        (ImportKind.HAZARDS, TABLE_HEADER),
        (ImportKind.RELEASES, RELEASE_HEADER),
    ):
        canonical = {column.name for column in CANONICAL_COLUMNS[kind]} - {"longitude", "latitude"}
        # Every canonical column is exported; only the figures to read are added.
        assert canonical <= set(header)
        assert set(header) - canonical <= {"geometry_area_m2", "remaining_m2"}


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_csv_escapes_text_a_spreadsheet_would_run(text):
    assert exporters.escape_formula(text) == f"'{text}"


@pytest.mark.parametrize("text", ["HA-0001", "Old minefield", "", "a=b", "1-2"])
def test_csv_leaves_other_text_alone(text):
    assert exporters.escape_formula(text) == text


# XLSX -----------------------------------------------------------------------------------------


def test_hazard_xlsx_reads_back_with_typed_cells_and_no_formula(clients, records):
    response = clients["member"].get(url("hazards", "xlsx"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(saved(response, ".xlsx"))
    sheet = workbook["hazard_areas"]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == TABLE_HEADER
    values = {row[0].value: [cell.value for cell in row][:-1] for row in rows[1:]}
    assert json.loads(rows[2][-1].value) == json.loads(json.dumps(records["mapped"].geometry))
    mapped = records["mapped"]
    assert values["HA-0001"] == [
        "HA-0001",
        FORMULA,
        "CHA",
        "open",
        None,
        "ap_mine,uxo",
        "DI0101",
        15_000,
        mapped.geometry_area_m2,
        11_000,
        datetime.datetime(2016, 4, 2),
        "Clear Fields Association",
    ]
    assert values["HA-0002"][1] == ARABIC
    assert values["HA-0002"][4] == datetime.datetime(2022, 6, 30)
    assert values["HA-0002"][9] == 0
    assert values["+HA-0003"][7:10] == [900, None, 900]
    # Text that looks like a formula is stored as text, marked as Excel marks a typed
    # apostrophe: no spreadsheet runs it, and the value reads back unchanged.
    formula_cell = rows[2][1]
    assert formula_cell.value == FORMULA
    assert formula_cell.data_type == "s"
    assert formula_cell.quotePrefix is True
    assert rows[2][0].quotePrefix is False
    assert rows[1][0].value == "+HA-0003" and rows[1][0].quotePrefix is True
    assert rows[2][10].number_format == "yyyy-mm-dd"


def test_release_xlsx_reads_back(clients, records):
    workbook = openpyxl.load_workbook(
        saved(clients["member"].get(url("releases", "xlsx")), ".xlsx")
    )
    rows = [[cell.value for cell in row] for row in workbook["land_release"].iter_rows()]
    assert rows[0] == RELEASE_HEADER
    assert rows[1][:7] == [
        "LR-0001",
        "HA-0001",
        "cleared",
        4000,
        datetime.datetime(2020, 1, 6),
        datetime.datetime(2020, 3, 31),
        "Clear Fields Association",
    ]
    assert rows[1][7:] == [7, 0, 0, 0, 2, 0, 0, 0]
    assert rows[2][:6] == [
        "@LR-2",
        "HA-0002",
        "cancelled",
        40_000,
        None,
        datetime.datetime(2022, 6, 30),
    ]


# GeoJSON and GeoPackage ----------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("geojson", ".geojson"), ("gpkg", ".gpkg")])
def test_hazard_gis_files_read_back_with_gdal(clients, records, fmt, suffix):
    response = clients["member"].get(url("hazards", fmt))
    assert response["Content-Disposition"].endswith(f'{suffix}"')
    path = saved(response, suffix)
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326"
    assert info["features"] == 3
    names, rows, geometries = read_gis(path)
    assert names == HAZARD_HEADER
    by_id = {
        row["external_id"]: (row, geometry) for row, geometry in zip(rows, geometries, strict=True)
    }
    mapped = records["mapped"]
    row, geometry = by_id["HA-0001"]
    # Not a spreadsheet: text is exported as it is.
    assert row["name"] == FORMULA
    assert row["type"] == "CHA" and row["device_categories"] == "ap_mine,uxo"
    assert row["admin_area_code"] == "DI0101"
    assert int(row["area_m2"]) == 15_000
    assert int(row["geometry_area_m2"]) == mapped.geometry_area_m2
    assert int(row["remaining_m2"]) == 11_000
    assert str(row["date_recorded"])[:10] == "2016-04-02"
    assert row["source_organisation"] == "Clear Fields Association"
    # The precise geometry, coordinate for coordinate.
    assert shapely.equals_exact(geometry, shapely.geometry.shape(mapped.geometry), tolerance=0)
    row, geometry = by_id["HA-0002"]
    assert row["name"] == ARABIC and row["status"] == "closed"
    assert str(row["closed_on"])[:10] == "2022-06-30"
    assert geometry == shapely.Point(30.5, -17.5)
    row, geometry = by_id["+HA-0003"]
    assert geometry is None
    assert math.isnan(row["geometry_area_m2"])  # empty: GDAL reads a missing number as NaN
    assert int(row["area_m2"]) == 900


def test_geopackage_layer_is_named_and_typed(clients, records):
    path = saved(clients["member"].get(url("hazards", "gpkg")), ".gpkg")
    assert [layer[0] for layer in pyogrio.list_layers(path)] == ["hazard_areas"]
    # Polygons and points together: the layer takes any geometry, each written as stored.
    assert pyogrio.read_info(path)["geometry_type"] == "Unknown"
    polygons_only = saved(clients["member"].get(url("hazards", "gpkg", "type=CHA")), ".gpkg")
    assert pyogrio.read_info(polygons_only)["geometry_type"] == "Polygon"
    assert pyogrio.read_info(polygons_only)["features"] == 2


@pytest.mark.parametrize(("fmt", "suffix"), [("geojson", ".geojson"), ("gpkg", ".gpkg")])
def test_release_gis_files_carry_the_hazard_area_geometry(clients, records, fmt, suffix):
    path = saved(clients["member"].get(url("releases", fmt)), suffix)
    names, rows, geometries = read_gis(path)
    assert names == RELEASE_HEADER
    assert [row["external_id"] for row in rows] == ["LR-0001", "@LR-2"]
    assert shapely.equals_exact(
        geometries[0], shapely.geometry.shape(records["mapped"].geometry), tolerance=0
    )
    assert geometries[1] == shapely.Point(30.5, -17.5)
    assert int(rows[0]["devices_ap_mine"]) == 7
    assert str(rows[0]["end_date"])[:10] == "2020-03-31"


def test_geojson_is_rfc_7946(clients, records):
    response = clients["member"].get(url("hazards", "geojson"))
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(content(response))
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # WGS84 longitude, latitude: the RFC's only system
    features = {f["properties"]["external_id"]: f for f in collection["features"]}
    assert features["HA-0001"]["geometry"] == json.loads(json.dumps(records["mapped"].geometry))
    assert features["+HA-0003"]["geometry"] is None
    assert features["HA-0002"]["properties"]["closed_on"] == "2022-06-30"
    assert features["HA-0002"]["properties"]["area_m2"] == 40_000


# Filters, empty exports, formats, access ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("hazards", "type=SHA", ["HA-0002"]),
        ("hazards", "status=open", ["+HA-0003", "HA-0001"]),
        ("hazards", "device=uxo", ["HA-0001"]),
        ("hazards", "admin_area=PR01", ["HA-0001", "HA-0002"]),
        ("hazards", "bbox=30.1,-17.9,30.3,-17.7", ["HA-0001"]),
        ("releases", "type=SHA", ["@LR-2"]),
        ("releases", "admin_area=DI0101", ["LR-0001"]),
        ("releases", "method=cleared", ["LR-0001"]),
        ("releases", "released_from=2021-01-01", ["@LR-2"]),
        ("releases", "released_until=2021-01-01", ["LR-0001"]),
    ],
)
def test_exports_are_filtered_as_on_the_map(clients, records, kind, query, expected):
    body = content(clients["member"].get(url(kind, "csv", query)))
    ids = [row[0].removeprefix("'") for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]
    assert ids[1:] == expected


@pytest.mark.parametrize(
    ("kind", "query", "message"),
    [
        ("hazards", "admin_area=NOWHERE", "There is no admin area with the code NOWHERE."),
        ("hazards", "type=XYZ", "Select a valid choice."),
        ("releases", "released_from=2022-01-01&released_until=2021-01-01", "must not be before"),
        ("releases", "released_from=yesterday", "Enter a valid date."),
    ],
)
def test_bad_filters_show_the_export_page_with_the_reason(clients, records, kind, query, message):
    response = clients["member"].get(url(kind, "csv", query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
@pytest.mark.parametrize("kind", ["hazards", "releases"])
def test_an_empty_export_is_a_valid_empty_file(clients, db, people, kind, fmt):
    response = clients["member"].get(url(kind, fmt))
    path = saved(response, f".{fmt}")
    columns = HAZARD_HEADER if kind == "hazards" else RELEASE_HEADER
    table_columns = TABLE_HEADER if kind == "hazards" else RELEASE_HEADER
    if fmt == "csv":
        assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(table_columns)]
    elif fmt == "xlsx":
        rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
        assert rows == [tuple(table_columns)]
    else:
        assert pyogrio.read_info(path)["features"] == 0
    if fmt == "gpkg":  # GeoJSON has no schema: its columns are those of its features
        assert list(pyogrio.read_info(path)["fields"]) == columns


@pytest.mark.parametrize("fmt", ["shp", "kml", "CSV", "csv.zip", "json"])
def test_an_unknown_format_is_not_found(clients, records, fmt):
    assert clients["member"].get(url("hazards", fmt)).status_code == 404
    assert clients["member"].get(url("releases", fmt)).status_code == 404


def test_the_address_without_a_format_is_the_csv(clients, records):
    assert reverse("landrelease:export_hazards") == url("hazards", "csv")
    assert reverse("landrelease:export_releases") == url("releases", "csv")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["hazards", "releases"])
def test_exports_are_for_members(clients, records, persona, kind):
    response = clients[persona].get(url(kind, "gpkg"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif persona == "outsider":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geopackage+sqlite3"


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_page_is_for_members(clients, records, persona):
    response = clients[persona].get(reverse("landrelease:exports"))
    expected = {"anonymous": 302, "outsider": 403}.get(persona, 200)
    assert response.status_code == expected
    if expected == 200:
        for fmt in exporters.FORMATS:
            assert f'formaction="{url("hazards", fmt)}"' in response.text
            assert f'formaction="{url("releases", fmt)}"' in response.text


def test_temporary_files_are_deleted_once_written(clients, records):
    folder = Path(tempfile.gettempdir())
    before = set(folder.glob("article5-export-*"))
    for fmt in ("xlsx", "gpkg"):
        response = clients["member"].get(url("hazards", fmt))
        assert set(folder.glob("article5-export-*")) == before
        assert content(response)[:4] in {b"PK\x03\x04", b"SQLi"}


def test_export_query_count_does_not_grow_with_the_records(clients, records):
    def queries(fmt):
        client = clients["member"]
        with CaptureQueriesContext(connection) as context:
            content(client.get(url("hazards", fmt)))
        return len(context.captured_queries)

    few = {fmt: queries(fmt) for fmt in exporters.FORMATS}
    for number in range(40):
        make_hazard(f"MORE-{number:03d}")
    assert {fmt: queries(fmt) for fmt in exporters.FORMATS} == few
