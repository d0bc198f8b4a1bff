"""Writing real test files: GIS formats through GDAL (pyogrio), spreadsheets through openpyxl.

Every writer takes rows as dicts of {column: value}; "geometry" holds a shapely geometry, a
GeoJSON dict or None. Values may be text, whole numbers, decimals, dates or None. The writers
return the path they wrote.
"""

import csv
import datetime
import io
import json
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import shapely
from pyogrio import raw
from shapely.geometry import shape

GEOMETRY = "geometry"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def as_shapely(value):
    if value is None or isinstance(value, shapely.Geometry):
        return value
    if isinstance(value, str):
        return shapely.from_wkt(value)
    return shape(value)


def field_names(rows):
    names = []
    for row in rows:
        for name in row:
            if name != GEOMETRY and name not in names:
                names.append(name)
    return names


def field_array(values):
    """A numpy array of one field's values, of the type GDAL should store."""
    present = [value for value in values if value is not None]
    if present and all(isinstance(value, bool) for value in present):
        return np.array([bool(value) for value in values])
    if present and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        if len(present) == len(values):
            return np.array(values, dtype="int64")
        return np.array([np.nan if value is None else value for value in values], dtype="float64")
    if present and all(isinstance(value, int | float) for value in present):
        return np.array([np.nan if value is None else value for value in values], dtype="float64")
    if present and all(isinstance(value, datetime.date) for value in present):
        return np.array(
            [
                np.datetime64("NaT", "D") if value is None else np.datetime64(value, "D")
                for value in values
            ],
            dtype="datetime64[D]",
        )
    return np.array([None if value is None else str(value) for value in values], dtype=object)


def geometry_type(geometries):
    types = {geometry.geom_type for geometry in geometries if geometry is not None}
    if len(types) == 1:
        return types.pop(), False
    if types == {"Polygon", "MultiPolygon"}:
        return "MultiPolygon", True
    return "Unknown", False


def write_gis(path, rows, *, driver, crs="EPSG:4326", layer=None, **options):
    """Any GDAL vector format: rows with their geometry, in the coordinates of `crs`."""
    path = Path(path)
    names = field_names(rows)
    geometries = [as_shapely(row.get(GEOMETRY)) for row in rows]
    kind, promote = geometry_type(geometries)
    with warnings.catch_warnings():
        # A shapefile cuts field names to 10 characters, as the files users send do.
        warnings.filterwarnings("ignore", "Normalized/laundered field name", RuntimeWarning)
        _write(path, rows, names, geometries, driver, kind, promote, crs, layer, options)
    return path


def _write(path, rows, names, geometries, driver, kind, promote, crs, layer, options):
    raw.write(
        str(path),
        shapely.to_wkb(np.array(geometries, dtype=object)),
        [field_array([row.get(name) for row in rows]) for name in names],
        names,
        driver=driver,
        geometry_type=kind,
        promote_to_multi=promote or None,
        crs=crs,
        layer=layer,
        **options,
    )


def write_gpkg(path, rows, *, layer=None, crs="EPSG:4326", append=False):
    return write_gis(path, rows, driver="GPKG", crs=crs, layer=layer, append=append)


def write_geojson(path, rows, *, crs="EPSG:4326"):
    return write_gis(path, rows, driver="GeoJSON", crs=crs)


def write_kml(path, rows, *, layer=None):
    return write_gis(path, rows, driver="LIBKML", crs="EPSG:4326", layer=layer)


def write_shapefile_zip(path, rows, *, crs="EPSG:4326", name="hazards", leave_out=()):
    """A .zip of the shapefile's parts; `leave_out` names parts to omit (".prj")."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as folder:
        write_gis(Path(folder) / f"{name}.shp", rows, driver="ESRI Shapefile", crs=crs)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in SHAPEFILE_PARTS:
                member = Path(folder) / f"{name}{part}"
                if member.exists() and part not in leave_out:
                    archive.write(member, member.name)
    return path


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, shapely.Geometry):
        return value.wkt
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_text(rows, *, delimiter=",", columns=None):
    columns = columns or list(dict.fromkeys(name for row in rows for name in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(name)) for name in columns])
    return buffer.getvalue()


def write_csv(path, rows, *, delimiter=",", encoding="utf-8", bom=False, columns=None):
    """CSV of the rows (geometry as WKT, GeoJSON dicts as JSON text); `encoding` other than
    UTF-8 writes a file a spreadsheet in another locale would."""
    path = Path(path)
    data = csv_text(rows, delimiter=delimiter, columns=columns).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path, rows, *, sheet="Sheet1", columns=None, other_sheets=()):
    """An Excel workbook with the rows on `sheet` (dates as date cells, geometry as WKT);
    `other_sheets` are (title, rows) put before it."""
    path = Path(path)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in (*other_sheets, (sheet, rows)):
        worksheet = workbook.create_sheet(title)
        names = columns if title == sheet and columns else None
        names = names or list(dict.fromkeys(name for row in sheet_rows for name in row))
        worksheet.append(names)
        for row in sheet_rows:
            worksheet.append([xlsx_cell(row.get(name)) for name in names])
    workbook.save(path)
    return path


def xlsx_cell(value):
    if isinstance(value, shapely.Geometry | dict):
        return cell_text(value)
    return value


def database_snapshot():
    """Counts and a checksum of every Article 5 record, to show that a refused import changed
    nothing."""
    import hashlib

    from mineaction.landrelease.models import (
        AdminArea,
        Article5Milestone,
        HazardArea,
        LandRelease,
    )

    snapshot = {}
    for model in (AdminArea, HazardArea, LandRelease, Article5Milestone):
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        snapshot[model.__name__] = (rows.count(), digest)
    return snapshot


# Sample rows -----------------------------------------------------------------------------------


def lonlat_square(lon, lat, side_deg=0.001):
    """A square polygon with its south-west corner at (lon, lat), in degrees."""
    return shapely.box(lon, lat, lon + side_deg, lat + side_deg)


def hazard_row(number, **fields):
    """A valid hazard-area row in the canonical columns: a ~12,000 m² square near 30°E 18°S,
    squares of different numbers never overlapping."""
    row = {
        "external_id": f"HA-{number:04d}",
        "type": "CHA" if number % 2 else "SHA",
        "status": "open",
        "date_recorded": datetime.date(2015, 1 + number % 12, 1 + number % 28),
        "device_categories": "ap_mine;uxo",
        "name": f"Field {number}",
        "geometry": lonlat_square(30 + (number % 100) * 0.01, -18 + (number // 100) * 0.01),
    }
    row.update(fields)
    return row
