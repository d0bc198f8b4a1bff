"""Exports of hazard areas and land release as CSV, XLSX, GeoJSON and GeoPackage, shared by the
pages and the API, and the filters they share with the map.

Columns are the importer's canonical columns with values it reads back (codes, ISO dates, whole
m²), so that an export can be edited and re-imported: rows are matched by external id. Derived
columns (geometry_area_m2, remaining_m2) are there to read; the importer recomputes them. The
hazard areas' geometry is the GIS formats' own; CSV and XLSX carry it as GeoJSON text in a last
"geometry" column, which the importer reads too, so every format imports again unchanged.

Land release has no geometry of its own. Its GeoJSON and GeoPackage carry the geometry of the
hazard area each release came from, so that release can be mapped by year, method or operator;
the released land itself lies somewhere inside it.

Every writer keeps memory bounded whatever the number of rows: the database is read in chunks,
CSV and GeoJSON are streamed as they are produced, and XLSX (openpyxl's write-only mode) and
GeoPackage (GDAL through pyogrio, appended in chunks) are written to a temporary file that is
streamed and deleted.
"""

import csv
import datetime
import itertools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pyogrio.raw
import shapely
from django import forms
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.tables import escape_formula, xlsx_header_cell, xlsx_value
from mineaction.landrelease.forms import parse_bbox
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    DeviceCategory,
    HazardStatus,
    HazardType,
    ReleaseMethod,
)
from mineaction.landrelease.services import progress

TEXT, INTEGER, DATE = "text", "integer", "date"
# Rows read from the database at a time.
CHUNK_SIZE = 2000
# Features written to a GeoPackage at a time: each write opens the file again (about 0.2 s),
# so the chunks are larger, still a bounded few tens of megabytes.
GPKG_CHUNK_SIZE = 20_000
# The device categories of a hazard area in one cell: "ap_mine,uxo".
DEVICE_SEPARATOR = ","


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8", _("CSV")),
    "xlsx": Format(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("Excel (XLSX)"),
    ),
    "geojson": Format("geojson", "application/geo+json", _("GeoJSON")),
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", _("GeoPackage")),
}


@dataclass(frozen=True)
class Column:
    name: str  # the importer's canonical column
    kind: str  # TEXT, INTEGER or DATE
    source: str  # the queryset value it is read from


def _devices_text(stored):
    return DEVICE_SEPARATOR.join(code for code in (stored or "").split(",") if code)


HAZARD_COLUMNS = (
    Column("external_id", TEXT, "external_id"),
    Column("name", TEXT, "name"),
    Column("type", TEXT, "hazard_type"),
    Column("status", TEXT, "status"),
    Column("closed_on", DATE, "closed_on"),
    Column("device_categories", TEXT, "device_categories"),
    Column("admin_area_code", TEXT, "admin_area__code"),
    # The recorded area: empty when the area comes from the geometry, so that a re-import
    # keeps it that way.
    Column("area_m2", INTEGER, "recorded_area_m2"),
    Column("geometry_area_m2", INTEGER, "geometry_area_m2"),
    Column("remaining_m2", INTEGER, "remaining_m2"),
    Column("date_recorded", DATE, "date_recorded"),
    Column("source_organisation", TEXT, "source_organisation__name"),
)
RELEASE_COLUMNS = (
    Column("external_id", TEXT, "external_id"),
    Column("hazard_external_id", TEXT, "hazard_area__external_id"),
    Column("method", TEXT, "method"),
    Column("area_m2", INTEGER, "area_m2"),
    Column("start_date", DATE, "start_date"),
    Column("end_date", DATE, "end_date"),
    Column("operator", TEXT, "operator__name"),
    *(Column(field, INTEGER, field) for field in DEVICE_FIELDS.values()),
)
# Values stored otherwise than the importer reads them.
CONVERTERS = {"device_categories": _devices_text}


# Filters shared by the map and the exports --------------------------------------------------------


class HazardFilterForm(forms.Form):
    """The filters of the map and of the exports: by hazard type, status, device category,
    admin area (with the areas inside it) and, for the map's layer, a bounding box."""

    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *HazardType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *HazardStatus.choices],
    )
    device = forms.ChoiceField(
        label=_("Device category"),
        required=False,
        choices=[("", _("All device categories")), *DeviceCategory.choices],
    )
    admin_area = forms.CharField(
        label=_("Admin area code"),
        required=False,
        max_length=50,
        help_text=_("Includes the areas inside it."),
    )
    bbox = forms.CharField(
        label=_("Bounding box"),
        required=False,
        max_length=200,
        help_text=_("West, south, east, north in degrees (WGS84)."),
    )

    def clean_admin_area(self):
        code = self.cleaned_data["admin_area"].strip()
        if not code:
            return None
        area = AdminArea.objects.filter(code=code).only("path").first()
        if area is None:
            raise forms.ValidationError(
                _("There is no admin area with the code %(code)s.") % {"code": code}
            )
        return area

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        return parse_bbox(value) if value else None

    def hazard_conditions(self, prefix=""):
        """The filters as a Q on hazard areas (`prefix` "hazard_area__" from releases)."""
        data = self.cleaned_data if self.is_bound else {}
        conditions = Q()
        if data.get("type"):
            conditions &= Q(**{f"{prefix}hazard_type": data["type"]})
        if data.get("status"):
            conditions &= Q(**{f"{prefix}status": data["status"]})
        if data.get("device"):
            conditions &= Q(**{f"{prefix}device_categories__contains": f",{data['device']},"})
        if data.get("admin_area"):
            path = data["admin_area"].path
            conditions &= Q(**{f"{prefix}admin_area__path__startswith": path})
        if data.get("bbox"):
            min_lon, min_lat, max_lon, max_lat = data["bbox"]
            conditions &= Q(
                **{
                    f"{prefix}max_lon__gte": min_lon,
                    f"{prefix}min_lon__lte": max_lon,
                    f"{prefix}max_lat__gte": min_lat,
                    f"{prefix}min_lat__lte": max_lat,
                }
            )
        return conditions

    def filter(self, hazards):
        return hazards.filter(self.hazard_conditions())

    def query_string(self):
        """The valid filters as a query string, for links that keep them ("" when none)."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name, "") if name not in self.errors else ""
            if value:
                query[name] = value
        return query.urlencode()


class ReleaseFilterForm(HazardFilterForm):
    """The hazard filters (applied to each release's hazard area), the method and the dates."""

    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("All methods")), *ReleaseMethod.choices],
    )
    released_from = forms.DateField(
        label=_("Released from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Releases whose end date is on or after this date."),
    )
    released_until = forms.DateField(
        label=_("Released until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Releases whose end date is on or before this date."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("released_from"), data.get("released_until")
        if start and end and start > end:
            self.add_error(
                "released_until", _("This date must not be before the “released from” date.")
            )
        return data

    def filter(self, releases):
        data = self.cleaned_data if self.is_bound else {}
        releases = releases.filter(self.hazard_conditions(prefix="hazard_area__"))
        if data.get("method"):
            releases = releases.filter(method=data["method"])
        if data.get("released_from"):
            releases = releases.filter(end_date__gte=data["released_from"])
        if data.get("released_until"):
            releases = releases.filter(end_date__lte=data["released_until"])
        return releases


# What is exported ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """What one export holds: its columns, its records and where their geometry comes from."""

    columns: tuple
    queryset: object  # the records, filtered and ordered
    geometry_field: str  # the stored GeoJSON of each record ("hazard_area__geometry"...)
    layer: str  # the layer (GIS) or sheet (XLSX) name
    filename_stem: str
    # Spreadsheets (CSV, XLSX) carry the geometry as GeoJSON text in a last "geometry" column,
    # as the importer reads it, so that they too import again unchanged.
    geometry_in_tables: bool = False

    def rows(self, *, geometry=False):
        """(values in column order, GeoJSON text or None) per record, read in chunks. The
        geometry is read as text: decoding it would cost more than the whole export."""
        sources = [column.source for column in self.columns]
        extra = {"geometry_text": Cast(self.geometry_field, TextField())} if geometry else {}
        records = self.queryset.annotate(**extra).values_list(*sources, *extra)
        converters = [CONVERTERS.get(column.name) for column in self.columns]
        width = len(sources)
        for record in records.iterator(chunk_size=CHUNK_SIZE):
            values = [
                convert(value) if convert else value
                for convert, value in zip(converters, record[:width], strict=True)
            ]
            yield values, (record[width] if geometry else None)

    def table_header(self):
        names = [column.name for column in self.columns]
        return [*names, "geometry"] if self.geometry_in_tables else names

    def table_rows(self):
        """The rows of a spreadsheet: the values, and the geometry text when it has one."""
        for values, geometry in self.rows(geometry=self.geometry_in_tables):
            yield [*values, geometry] if self.geometry_in_tables else values

    def geometry_types(self):
        """The GeoJSON types of the records' geometries."""
        return frozenset(
            self.queryset.exclude(**{f"{self.geometry_field}__isnull": True})
            .order_by()
            .values_list(f"{self.geometry_field}__type", flat=True)
            .distinct()
        )

    def filename(self, extension, today=None):
        today = today or timezone.localdate()
        return f"{self.filename_stem}-{today.isoformat()}.{extension}"


def hazard_export(hazards, *, as_of=None):
    """Export of the hazard areas of `hazards` (a filtered queryset), with today's remaining."""
    queryset = progress.with_remaining(hazards, as_of or timezone.localdate())
    return Export(
        columns=HAZARD_COLUMNS,
        queryset=queryset.order_by("external_id"),
        geometry_field="geometry",
        layer="hazard_areas",
        filename_stem="article5-hazard-areas",
        geometry_in_tables=True,
    )


def release_export(releases):
    """Export of the land release of `releases`, with the geometry of each one's hazard area."""
    return Export(
        columns=RELEASE_COLUMNS,
        queryset=releases.order_by("end_date", "external_id"),
        geometry_field="hazard_area__geometry",
        layer="land_release",
        filename_stem="article5-land-release",
    )


def export_response(export, fmt):
    """The download of `export` in `fmt` (a key of FORMATS)."""
    writer = {"csv": _csv_response, "xlsx": _xlsx_response, "geojson": _geojson_response}.get(
        fmt, _gpkg_response
    )
    response = writer(export)
    response["Content-Type"] = FORMATS[fmt].content_type
    response["Content-Disposition"] = (
        f'attachment; filename="{export.filename(FORMATS[fmt].extension)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Writers ---------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_formula(value)
    return value


class _Echo:
    """A file-like object whose `write` hands back what it is given, for csv.writer."""

    def write(self, value):
        return value


def csv_chunks(export):
    """The CSV file in pieces: UTF-8 with a byte-order mark, so spreadsheets read every script."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(export.table_header())).encode()
    rows = export.table_rows()
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        lines = (writer.writerow([_csv_value(value) for value in row]) for row in chunk)
        yield "".join(lines).encode()


def _csv_response(export):
    return StreamingHttpResponse(csv_chunks(export))


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def geojson_chunks(export):
    """A GeoJSON FeatureCollection (RFC 7946, WGS84) in pieces, feature by feature."""
    names = [column.name for column in export.columns]
    yield f'{{"type":"FeatureCollection","name":{json.dumps(export.layer)},"features":['.encode()
    rows = export.rows(geometry=True)
    first = True
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        features = []
        for values, geometry in chunk:
            properties = dict(zip(names, map(_json_value, values), strict=True))
            features.append(
                f'{{"type":"Feature","geometry":{geometry or "null"},"properties":'
                f"{json.dumps(properties, ensure_ascii=False, separators=(',', ':'))}}}"
            )
        yield (("" if first else ",\n") + ",\n".join(features)).encode()
        first = False
    yield b"]}\n"


def _geojson_response(export):
    return StreamingHttpResponse(geojson_chunks(export))


def write_xlsx(export, path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(export.layer)
    sheet.freeze_panes = "A2"
    header = export.table_header()
    for index, name in enumerate(header):
        letter = openpyxl.utils.get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = max(12, len(name) + 2)
    sheet.append([xlsx_header_cell(sheet, name) for name in header])
    for row in export.table_rows():
        sheet.append([xlsx_value(sheet, value) for value in row])
    workbook.save(path)


def _field_arrays(columns, rows):
    """pyogrio's field arrays and null masks for one chunk of rows."""
    arrays, masks = [], []
    for index, column in enumerate(columns):
        values = [row[index] for row in rows]
        if column.kind == INTEGER:
            arrays.append(np.array([v or 0 for v in values], dtype="int64"))
            masks.append(np.array([v is None for v in values], dtype=bool))
        elif column.kind == DATE:
            arrays.append(np.array([v or "NaT" for v in values], dtype="datetime64[D]"))
            masks.append(None)
        else:
            arrays.append(np.array(values, dtype=object))
            masks.append(None)
    return arrays, masks


def _layer_geometry_type(geometry_types):
    """The layer's type: the geometries' one type, or "Unknown" (any) when they mix types, so
    that every geometry is written as it is stored."""
    return next(iter(geometry_types)) if len(geometry_types) == 1 else "Unknown"


def write_gpkg(export, path):
    """A GeoPackage with one layer in WGS84 (EPSG:4326), written a chunk at a time."""
    names = [column.name for column in export.columns]
    geometry_type = _layer_geometry_type(export.geometry_types())
    rows = export.rows(geometry=True)
    appending = False
    while True:
        chunk = list(itertools.islice(rows, GPKG_CHUNK_SIZE))
        if not chunk and appending:
            break
        texts = np.array([text for _values, text in chunk], dtype=object)
        geometries = shapely.to_wkb(shapely.from_geojson(texts))
        arrays, masks = _field_arrays(export.columns, [values for values, _g in chunk])
        pyogrio.raw.write(
            str(path),
            geometries,
            arrays,
            names,
            field_mask=masks,
            layer=export.layer,
            driver="GPKG",
            geometry_type=geometry_type,
            crs="EPSG:4326",
            promote_to_multi=False,
            append=appending,
        )
        appending = True


def _temporary_file_response(export, write, extension):
    """Write the file in a temporary folder, open it and delete the folder: the open handle
    keeps the data until the response has been sent and closes it."""
    folder = Path(tempfile.mkdtemp(prefix="article5-export-"))
    try:
        path = folder / f"{export.layer}.{extension}"
        write(export, path)
        handle = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle)


def _xlsx_response(export):
    return _temporary_file_response(export, write_xlsx, "xlsx")


def _gpkg_response(export):
    return _temporary_file_response(export, write_gpkg, "gpkg")
