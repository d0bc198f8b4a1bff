"""Reading an uploaded file into a table of rows: CSV, XLSX, GeoJSON, GeoPackage, zipped
shapefile and KML.

Every reader gives the same `Table`: the file's column names ("geometry" last when the file
has geometry), and rows of {column: value} numbered as the user sees them — the spreadsheet
row with the header on line 1, or the feature number in a GIS file. Values keep their type
where the file has one (numbers, dates, shapely geometries); CSV values are text. A file that
cannot be read at all raises `ImportFileError` with a message for the user.
"""

import csv
import datetime
import io
import math
import re
import warnings
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from django.utils.translation import gettext as _
from pyogrio import raw
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

GEOMETRY = "geometry"
CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
FORMATS = {
    **dict.fromkeys(CSV_EXTENSIONS, "csv"),
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
    ".kml": "kml",
}
DELIMITERS = (",", ";", "\t")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj")
# The fields GDAL's LIBKML driver gives every placemark: styling, not data.
KML_STYLE_FIELDS = {
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "snippet",
}
WGS84 = CRS.from_epsg(4326)


class ImportFileError(Exception):
    """A file that cannot be read at all; the message is for the user."""


class Table:
    def __init__(self, columns, records, *, file_format):
        self.columns = list(columns)
        self._records = records
        self.total = len(records)
        self.format = file_format

    def rows(self):
        """(line, {column: value}) for every row that is not blank."""
        columns = self.columns
        for line, values in self._records:
            yield line, dict(zip(columns, values, strict=False))

    def __repr__(self):
        return f"<Table {self.format}: {self.total} rows, columns {self.columns}>"


def file_format(name):
    """The format ("csv", "xlsx", ...) of a file name, or ImportFileError."""
    suffix = Path(str(name)).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix == ".shp":
        raise ImportFileError(
            _(
                "A shapefile is several files: put the .shp, .shx, .dbf and .prj files in one "
                ".zip file and import the .zip."
            )
        )
    if suffix in {".xls", ".ods"}:
        raise ImportFileError(
            _("Save the spreadsheet as an Excel workbook (.xlsx) or as CSV UTF-8, then import it.")
        )
    raise ImportFileError(
        _(
            "Files of type “%(extension)s” cannot be imported. Use CSV, XLSX, GeoJSON, "
            "GeoPackage (.gpkg), a zipped shapefile (.zip) or KML."
        )
        % {"extension": suffix or _("without extension")}
    )


def read_table(path, *, original_name=None, kind=None):
    """The table in the file at `path`; its format comes from `original_name` (the name the user
    gave the file) or from `path`. With `kind`, a sheet or layer named after it is preferred
    when a file has several."""
    path = Path(path)
    reader = READERS[file_format(original_name or path.name)]
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(_("The file cannot be found or opened.")) from None
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    table = reader(path, kind)
    if not table.total:
        raise ImportFileError(_("The file has no rows to import."))
    return table


# CSV -------------------------------------------------------------------------------------------


def _read_csv(path, kind):
    text = _decode(path.read_bytes())
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not readable CSV: %(detail)s.") % {"detail": error}
        ) from None
    header_index = next(
        (index for index, record in enumerate(records) if any(cell.strip() for cell in record)),
        None,
    )
    if header_index is None:
        raise ImportFileError(_("The file is empty."))
    columns, keep = _header(records[header_index], header_index + 1)
    rows = []
    for index in range(header_index + 1, len(records)):
        record = records[index]
        if not any(cell.strip() for cell in record):
            continue
        line = index + 1
        extra = [cell for position, cell in enumerate(record) if position >= len(keep)]
        if any(cell.strip() for cell in extra):
            raise ImportFileError(
                _(
                    "Line %(line)s has %(count)s values but the header has %(columns)s columns: "
                    "check the delimiter and the quotes on that line."
                )
                % {"line": line, "count": len(record), "columns": len(keep)}
            )
        rows.append((line, tuple(_unescaped(cell) for cell in _pick(record, keep))))
    return Table(columns, rows, file_format="csv")


# The platform's CSV exports put an apostrophe before text a spreadsheet would run as a formula
# (= + - @, tab, carriage return): reading drops it again, so an export imports unchanged.
FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@\t\r])")


def _unescaped(cell):
    return FORMULA_ESCAPE.sub("", cell)


def _pick(record, keep):
    return tuple(record[position] if position < len(record) else "" for position in keep)


def _decode(data):
    """UTF-8 text (with or without BOM), or UTF-16 with its BOM (Excel's "Unicode text").
    Anything else is refused: guessing between Latin-1, cp1252 and others garbles names."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is damaged: its UTF-16 text is cut.")) from None
    if b"\x00" in data:
        raise ImportFileError(
            _("The file is not text: save it as CSV UTF-8 (comma or semicolon delimited).")
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise ImportFileError(
            _(
                "The file is not in UTF-8: line %(line)s, character %(character)s (byte "
                "%(byte)s of the file, value 0x%(value)02X) is in another encoding, such as "
                "Latin-1 or Windows-1252. Save the file as “CSV UTF-8” and import it again."
            )
            % {
                "line": data.count(b"\n", 0, error.start) + 1,
                "character": len(data[line_start : error.start].decode("utf-8", "replace")) + 1,
                "byte": error.start + 1,
                "value": data[error.start],
            }
        ) from None


def _delimiter(text):
    """The delimiter that splits the header line into the most columns (outside quotes)."""
    first_line = next(line for line in text.splitlines() if line.strip())
    counts = {}
    for delimiter in DELIMITERS:
        header = next(csv.reader([first_line], delimiter=delimiter))
        counts[delimiter] = len(header)
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _header(cells, line):
    """The column names and the positions of the named ones; an unnamed column is ignored."""
    columns, keep, seen = [], [], set()
    for position, cell in enumerate(cells):
        name = str(cell).strip() if cell is not None else ""
        if not name:
            continue
        if name.lower() in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header (line %(line)s).")
                % {"column": name, "line": line}
            )
        seen.add(name.lower())
        columns.append(name)
        keep.append(position)
    if not columns:
        raise ImportFileError(_("The first line of the file has no column names."))
    return columns, keep


# XLSX ------------------------------------------------------------------------------------------


def _read_xlsx(path, kind):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged or foreign files
        raise ImportFileError(
            _(
                "The file is not a readable Excel workbook (.xlsx); it may be damaged or "
                "cut short (%(detail)s)."
            )
            % {"detail": type(error).__name__}
        ) from None
    try:
        sheet = _sheet(workbook, kind)
        return _sheet_table(sheet)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            _("The workbook is damaged or cut short (%(detail)s).") % {"detail": error}
        ) from None
    finally:
        workbook.close()


def _sheet(workbook, kind):
    for sheet in workbook.worksheets:
        if _layer_key(sheet.title) in layer_names(kind):
            return sheet
    if not workbook.worksheets:
        raise ImportFileError(_("The workbook has no sheet."))
    return workbook.worksheets[0]


def _sheet_table(sheet):
    rows, columns, keep = [], None, None
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not any(_cell_present(value) for value in values):
            continue
        if columns is None:
            columns, keep = _header(values, line)
            continue
        if any(_cell_present(value) for value in values[keep[-1] + 1 :]):
            raise ImportFileError(
                _("Line %(line)s has values in columns without a name in the header.")
                % {"line": line}
            )
        rows.append((line, tuple(_xlsx_value(v) for v in _pick(values, keep))))
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    return Table(columns, rows, file_format="xlsx")


def _cell_present(value):
    return value is not None and not (isinstance(value, str) and not value.strip())


def _xlsx_value(value):
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0, 0):
        return value.date()
    return value


# GIS files -------------------------------------------------------------------------------------


def _read_geojson(path, kind):
    return _gis_table(str(path), kind, "geojson", _("GeoJSON"))


def _read_gpkg(path, kind):
    return _gis_table(str(path), kind, "gpkg", _("GeoPackage"))


def _read_kml(path, kind):
    # KML splits placemarks in folders, each of them a layer: they are all rows of one table.
    return _gis_table(str(path), kind, "kml", _("KML"), all_layers=True, left_out=KML_STYLE_FIELDS)


def _read_shapefile(path, kind):
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            damaged = _damaged_member(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportFileError(
            _("The .zip file is damaged or cut short: it cannot be opened.")
        ) from None
    if damaged:
        raise ImportFileError(
            _("The .zip file is damaged: %(name)s cannot be extracted.") % {"name": damaged}
        )
    shp = _shapefile_in(names, kind)
    return _gis_table(f"/vsizip/{path}/{shp}", kind, "shapefile", _("shapefile"))


def _damaged_member(archive):
    """The first member that does not extract intact (bad data or checksum), or None."""
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            return info.filename
    return None


def _shapefile_in(names, kind):
    members = {
        name.lower(): name
        for name in names
        if not name.startswith("__MACOSX/") and not PurePosixPath(name).name.startswith(".")
    }
    shapefiles = sorted(name for lower, name in members.items() if lower.endswith(".shp"))
    if not shapefiles:
        raise ImportFileError(_("The .zip file holds no shapefile (.shp)."))
    if len(shapefiles) > 1:
        wanted = [
            name for name in shapefiles if _layer_key(PurePosixPath(name).stem) in layer_names(kind)
        ]
        if len(wanted) != 1:
            raise ImportFileError(
                _(
                    "The .zip file holds several shapefiles (%(names)s): put only the one to "
                    "import in the .zip."
                )
                % {"names": ", ".join(shapefiles)}
            )
        shapefiles = wanted
    stem = shapefiles[0][:-4].lower()
    missing = [part for part in SHAPEFILE_PARTS[1:] if f"{stem}{part}" not in members]
    if missing:
        raise ImportFileError(
            _(
                "The shapefile %(name)s comes without its %(missing)s file: zip the .shp, "
                ".shx, .dbf and .prj files together (the .prj gives its coordinate system)."
            )
            % {"name": shapefiles[0], "missing": ", ".join(missing)}
        )
    return shapefiles[0]


# The names a sheet, layer or shapefile holding each kind of data is likely to have.
LAYER_NAMES = {
    "admin-areas": {"admin-areas", "admin-area", "areas", "admin-boundaries", "boundaries"},
    "hazards": {"hazards", "hazard", "hazard-areas", "hazard-area", "hazardous-areas"},
    "releases": {"releases", "release", "land-release", "land-releases"},
    "milestones": {"milestones", "milestone", "article5-milestones"},
}


def layer_names(kind):
    return LAYER_NAMES.get(str(kind or ""), set())


def _layer_key(name):
    return str(name).strip().lower().replace(" ", "-").replace("_", "-")


def _gis_table(source, kind, format_code, format_name, *, all_layers=False, left_out=()):
    layers = _layers(source, format_name)
    if not all_layers:
        layers = [_one_layer(layers, kind)]
    columns, parts = [], []
    for layer in layers:
        part = _read_layer(source, layer, format_name)
        parts.append(part)
        for name in part[0]:
            if name not in columns and name not in left_out:
                columns.append(name)
    has_geometry = any(geometries is not None for _names, _values, geometries in parts)
    if has_geometry:
        columns = [name for name in columns if name != GEOMETRY] + [GEOMETRY]
    rows, line = [], 0
    for names, values, geometries in parts:
        position = {name: index for index, name in enumerate(names)}
        count = len(values[0]) if values else (len(geometries) if geometries is not None else 0)
        for row in range(count):
            line += 1
            cells = [
                values[position[name]][row] if name in position else None
                for name in columns
                if name != GEOMETRY or not has_geometry
            ]
            if has_geometry:
                cells.append(geometries[row] if geometries is not None else None)
            rows.append((line, tuple(cells)))
    return Table(columns, rows, file_format=format_code)


def _layers(source, format_name):
    try:
        return [str(name) for name, _geometry_type in pyogrio.list_layers(source)]
    except (pyogrio.errors.DataSourceError, OSError) as error:
        raise ImportFileError(_unreadable(format_name, error)) from None


def _one_layer(layers, kind):
    if len(layers) == 1:
        return layers[0]
    wanted = [name for name in layers if _layer_key(name) in layer_names(kind)]
    if len(wanted) == 1:
        return wanted[0]
    if not layers:
        raise ImportFileError(_("The file has no layer of data."))
    raise ImportFileError(
        _(
            "The file has several layers (%(layers)s): keep only the one to import, or name "
            "it “%(kind)s”."
        )
        % {"layers": ", ".join(layers), "kind": kind or ""}
    )


def _unreadable(format_name, error):
    detail = _gdal_detail(error)
    if not detail:
        return _("The file is not a readable %(format)s; it may be damaged or cut short.") % {
            "format": format_name
        }
    return _(
        "The file is not a readable %(format)s; it may be damaged or cut short (%(detail)s)."
    ) % {
        "format": format_name,
        "detail": detail,
    }


def _gdal_detail(error):
    """GDAL's reason without its SQL or the server's paths ("database disk image is
    malformed"), or "" when nothing of it would help the user."""
    text = str(error).split(";")[0].rsplit("failed: ", 1)[-1].strip()
    if "/" in text or "\\" in text or len(text) > 120:
        return ""
    return text


def _read_layer(source, layer, format_name):
    """(field names, field values as Python lists, shapely geometries in WGS84 or None)."""
    try:
        with warnings.catch_warnings():
            # pyogrio's reading of date fields with numpy 2 (nothing the user can act on).
            warnings.simplefilter("ignore", DeprecationWarning)
            meta, _fids, wkb, field_data = raw.read(source, layer=layer, force_2d=True)
        geometries = None if wkb is None else shapely.from_wkb(wkb, on_invalid="raise")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise ImportFileError(_unreadable(format_name, error)) from None
    except (pyogrio.errors.FieldError, shapely.errors.GEOSException, OSError) as error:
        raise ImportFileError(_unreadable(format_name, error)) from None
    if geometries is not None:
        geometries = _to_wgs84(geometries, meta.get("crs"))
        geometries = list(geometries)
    names = [str(name) for name in meta["fields"]]
    values = [_python_values(array) for array in field_data]
    return names, values, geometries


def _python_values(array):
    if np.issubdtype(array.dtype, np.datetime64):
        return [_python_date(value) for value in array.tolist()]
    values = array.tolist()
    if np.issubdtype(array.dtype, np.floating):
        return [None if value is None or math.isnan(value) else value for value in values]
    return values


def _python_date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0, 0):
        return value.date()
    return value


def _to_wgs84(geometries, crs_text):
    """The geometries in longitude and latitude on WGS84, reprojected when the file's
    coordinate system is another one; a file without one is taken as WGS84 (GeoJSON, KML)."""
    if not crs_text:
        return geometries
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        raise ImportFileError(
            _(
                "The coordinate system of the file is not known (%(crs)s): export the file in "
                "WGS84 (EPSG:4326)."
            )
            % {"crs": str(crs_text)[:100]}
        ) from None
    if crs.equals(WGS84, ignore_axis_order=True):
        return geometries
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)

    def reproject(coordinates):
        lons, lats = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([lons, lats])

    return shapely.transform(geometries, reproject)


READERS = {
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "geojson": _read_geojson,
    "gpkg": _read_gpkg,
    "shapefile": _read_shapefile,
    "kml": _read_kml,
}
