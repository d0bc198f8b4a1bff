"""Hazard areas: one row per area, matched with stored ones by external id.

The geometry checks run on the whole file at once (`quality.check_geometries` and
`check_collection`), so 100,000 polygons are checked in seconds.
"""

import json
import types

import shapely
from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mineaction.landrelease import geometry as geo
from mineaction.landrelease import quality
from mineaction.landrelease.importers import values
from mineaction.landrelease.importers.base import LINE, STORED, VALID, Importer, chunks
from mineaction.landrelease.importers.lookups import admin_areas_by_code, organisations
from mineaction.landrelease.models import HazardArea, HazardStatus

THIS_EXTERNAL_ID = gettext_lazy("This external id")
OPEN = HazardStatus.OPEN.value
LOCATION_COLUMNS = ("geometry", "longitude", "latitude")
# What the row gave, beyond the field values: the shapely geometry, and whether a cell was
# filled (a filled cell that could not be read already has its error).
SHAPE = "_shape"
SHAPE_OK = "_shape_ok"
AREA_GIVEN = "_area_given"
CLOSED_ON_GIVEN = "_closed_on_given"
LOCATION_GIVEN = "_location_given"
GEOMETRY_FIELDS = ("geometry", "geometry_area_m2", "min_lon", "min_lat", "max_lon", "max_lat")


class HazardImporter(Importer):
    model = HazardArea
    fields = (
        "external_id",
        "name",
        "hazard_type",
        "status",
        "closed_on",
        "device_categories",
        "admin_area_id",
        "recorded_area_m2",
        "date_recorded",
        "source_organisation_id",
        *GEOMETRY_FIELDS,
        "area_m2",
    )
    sources = {
        "name": ("name",),
        "status": ("status",),
        "closed_on": ("closed_on",),
        "device_categories": ("device_categories",),
        "admin_area_id": ("admin_area_code",),
        "recorded_area_m2": ("area_m2",),
        "source_organisation_id": ("source_organisation",),
        **dict.fromkeys(GEOMETRY_FIELDS, LOCATION_COLUMNS),
    }

    def prepare(self):
        self.admin_areas = admin_areas_by_code()
        self.organisations = organisations()

    def load_stored(self, records):
        """The stored hazard areas of the file, their geometry left as JSON text: decoding
        100,000 polygons only to find most of them unchanged costs seconds and memory."""
        keys = {record["external_id"] for record in records} - {None}
        others = [field for field in self.fields if field != "geometry"]
        found = {}
        for chunk in chunks(keys):
            rows = HazardArea.objects.filter(external_id__in=chunk).annotate(
                geometry_text=Cast("geometry", TextField())
            )
            for row in rows.values("id", "geometry_text", *others):
                row["geometry"] = StoredGeometry(row.pop("geometry_text"))
                found[row["external_id"]] = row
        return found

    def match(self, records):
        super().match(records)
        for record in records:
            if isinstance(record.get("geometry"), StoredGeometry):
                record["geometry"] = record["geometry"].value()

    def same(self, field, new, current):
        if field == "geometry":
            return current.equals(new)
        return new == current

    def parse_row(self, row):
        external_id = row.get("external_id", required=True, max_length=100)
        self.check_unique(row, external_id, "external_id", THIS_EXTERNAL_ID)
        return self.record(
            row,
            {
                "external_id": external_id,
                "name": row.get("name", max_length=200, default=""),
                "hazard_type": row.get("type", values.hazard_type, required=True),
                "status": row.get("status", values.hazard_status, default=OPEN),
                "closed_on": row.get("closed_on", self.date),
                "device_categories": row.get(
                    "device_categories", values.device_categories, default=""
                )
                or "",
                "admin_area_id": row.get("admin_area_code", self.admin_areas.find),
                "recorded_area_m2": row.get("area_m2", values.area_m2),
                "date_recorded": row.get("date_recorded", self.date, required=True),
                "source_organisation_id": row.get("source_organisation", self.organisations.find),
                SHAPE: location(row),
                AREA_GIVEN: row.has("area_m2"),
                CLOSED_ON_GIVEN: row.has("closed_on"),
                LOCATION_GIVEN: any(row.has(name) for name in LOCATION_COLUMNS),
            },
        )

    # Across the file -------------------------------------------------------------------------

    def check_records(self, records):
        with_shape = [record for record in records if record[SHAPE] is not None]
        self.check_geometries(with_shape)
        for record in records:
            self.check_dates(record)
            self.compute_areas(record)
        # Each external id once: a repeated one is already an error of its own.
        first = {}
        for record in with_shape:
            if record[SHAPE_OK] and record["external_id"]:
                first.setdefault(record["external_id"], record)
        self.check_collection(list(first.values()))

    def error(self, record, column, message):
        record[VALID] = False
        self.report.error(record[LINE], self.columns.get(column, column), message)

    def warning(self, record, column, message):
        self.report.warning(record[LINE], self.columns.get(column, column), message)

    def check_dates(self, record):
        status, closed_on = record["status"], record["closed_on"]
        if status and status != OPEN and closed_on is None and not record[CLOSED_ON_GIVEN]:
            self.error(
                record,
                "closed_on",
                _("A closed or handed-over hazard area needs the date it was closed (closed_on)."),
            )
        if status == OPEN and closed_on is not None:
            self.error(
                record,
                "closed_on",
                _("An open hazard area has no closing date: clear closed_on or change the status."),
            )
        recorded = record["date_recorded"]
        if closed_on and recorded and closed_on < recorded:
            self.error(
                record,
                "closed_on",
                _("The area is closed (%(closed)s) before it was recorded (%(recorded)s).")
                % {"closed": closed_on.isoformat(), "recorded": recorded.isoformat()},
            )

    def check_geometries(self, records):
        by_line = {record[LINE]: record for record in records}
        for record in records:
            record[SHAPE_OK] = True
        findings = quality.check_geometries(
            [(record[LINE], record[SHAPE]) for record in records],
            extent=quality.country_extent(),
            max_spacing_m=settings.GEOMETRY_MAX_VERTEX_SPACING_M,
        )
        for finding in findings:
            record = by_line[finding.external_id]
            if finding.severity == quality.ERROR:
                record[SHAPE_OK] = False
                self.error(record, "geometry", finding.message)
            else:
                self.warning(record, "geometry", finding.message)

    def compute_areas(self, record):
        """The geometric area, bounding box and baseline area, and the checks on them. A
        stored hazard keeps its geometry when the file has no location column."""
        if record[STORED] is None or self.mapped(*LOCATION_COLUMNS):
            hazard = geo.apply_to_hazard(
                types.SimpleNamespace(recorded_area_m2=None), record[SHAPE]
            )
            for field in GEOMETRY_FIELDS:
                record[field] = getattr(hazard, field)
        recorded, geometric = record["recorded_area_m2"], record["geometry_area_m2"]
        record["area_m2"] = geo.baseline_area(recorded, geometric)
        if recorded is None and not record[AREA_GIVEN]:
            geometry_type = (record["geometry"] or {}).get("type")
            if geometry_type is None and not record[LOCATION_GIVEN]:
                self.error(
                    record,
                    "area_m2",
                    _("A hazard area needs a polygon or a recorded area (area_m2)."),
                )
            elif geometry_type and geometry_type not in geo.POLYGONAL:
                self.error(
                    record, "area_m2", _("A point has no area: give the recorded area (area_m2).")
                )
        difference = geo.discrepancy(recorded, geometric)
        if difference is not None and difference > geo.AREA_DISCREPANCY_WARNING:
            self.warning(
                record,
                "area_m2",
                _(
                    "The recorded area (%(recorded)s m²) differs by %(percent)s%% from the "
                    "area of the polygon (%(geometric)s m²)."
                )
                % {
                    "recorded": number_format(recorded, force_grouping=True),
                    "geometric": number_format(geometric, force_grouping=True),
                    "percent": number_format(difference * 100, decimal_pos=0),
                },
            )

    def check_collection(self, records):
        """Overlaps and duplicate geometries within the file and with stored hazard areas
        nearby (warnings)."""
        if not records:
            return
        lines = {record["external_id"]: record for record in records}
        nearby = HazardArea.objects.filter(
            min_lon__lte=max(record["max_lon"] for record in records),
            max_lon__gte=min(record["min_lon"] for record in records),
            min_lat__lte=max(record["max_lat"] for record in records),
            max_lat__gte=min(record["min_lat"] for record in records),
        )
        findings = quality.check_collection(
            [(record["external_id"], record[SHAPE]) for record in records], existing=nearby
        )
        for finding in findings:
            record = lines.get(finding.external_id)
            if record is None:
                continue
            if finding.severity == quality.ERROR:
                self.error(record, "geometry", finding.message)
            else:
                self.warning(record, "geometry", finding.message)


class StoredGeometry:
    """A stored geometry as the database's JSON text, decoded only when needed."""

    def __init__(self, text):
        self.text = text

    def value(self):
        return json.loads(self.text) if self.text is not None else None

    def equals(self, geojson):
        if geojson is None or self.text is None:
            return geojson is None and self.value() is None
        # The same text as the database wrote (SQLite); else compare the values (PostgreSQL
        # writes jsonb its own way).
        return json.dumps(geojson) == self.text or values.as_stored_json(geojson) == self.value()


def location(row):
    """The row's geometry: its geometry column, else a point from longitude and latitude."""
    if row.has("geometry"):
        return row.get("geometry", values.geometry)
    if not row.has("longitude") and not row.has("latitude"):
        return None
    longitude = row.get("longitude", values.coordinate, required=True, limit=180)
    latitude = row.get("latitude", values.coordinate, required=True, limit=90)
    if longitude is None or latitude is None:
        return None
    return geo.check_type_and_coordinates(shapely.Point(longitude, latitude))
