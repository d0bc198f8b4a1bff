"""The canonical columns of each kind of import, and how a file's own column names map to them.

A file exported from a national database rarely uses our names: `suggest_columns` recognises
them case-insensitively, with spaces or hyphens for underscores, under common aliases, and as
a shapefile truncates them (a .dbf field name has at most 10 characters).
"""

import re
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mineaction.landrelease.models import DeviceCategory, ImportKind

# A .dbf (shapefile) field name is cut to this many characters.
DBF_NAME_LENGTH = 10


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    aliases: tuple = ()


GEOMETRY_ALIASES = ("geom", "wkt", "the_geom", "shape", "geojson")
LONGITUDE = Column(
    "longitude",
    False,
    _("Longitude of a point location in decimal degrees (WGS84), when there is no geometry."),
    ("lon", "long", "lng", "x"),
)
LATITUDE = Column(
    "latitude",
    False,
    _("Latitude of a point location in decimal degrees (WGS84), when there is no geometry."),
    ("lat", "y"),
)

ADMIN_AREA_COLUMNS = [
    Column(
        "code",
        True,
        _("Unique code of the area, such as its P-code. Rows are matched by code."),
        ("pcode", "p_code", "admin_code", "area_code", "adm_code", "id"),
    ),
    Column("name", True, _("Name of the area."), ("admin_name", "area_name", "label")),
    Column(
        "level",
        True,
        _("1 (province or region) to 4 (village): the level of its parent plus one."),
        ("admin_level", "adm_level"),
    ),
    Column(
        "parent_code",
        False,
        _(
            "Code of the area it is part of, empty at level 1. The parent may be a stored "
            "area or another row of the file, above or below."
        ),
        ("parent", "parent_pcode", "parent_id"),
    ),
    Column(
        "geometry",
        False,
        _("Boundary polygon: the file's own geometry, or WKT or GeoJSON text in a spreadsheet."),
        GEOMETRY_ALIASES + ("boundary",),
    ),
]

HAZARD_COLUMNS = [
    Column(
        "external_id",
        True,
        _("Identifier in the national database (such as the IMSMA id). Rows are matched by it."),
        ("id", "hazard_id", "imsma_id", "hazard_code", "reference", "ref"),
    ),
    Column(
        "type",
        True,
        _(
            "SHA (suspected hazardous area) or CHA (confirmed hazardous area), in any case, "
            "or the long names."
        ),
        ("hazard_type", "hazardtype", "sha_cha", "category"),
    ),
    Column(
        "status",
        False,
        _("open (when empty), closed, or handed over (also written handed_over)."),
        ("hazard_status", "state"),
    ),
    Column(
        "closed_on",
        False,
        _("Date the area was closed or handed over; required unless the status is open."),
        ("closed_date", "date_closed", "closure_date", "handed_over_on", "closed"),
    ),
    Column(
        "device_categories",
        False,
        _(
            "Explosive ordnance found or suspected, separated by commas, semicolons or "
            "vertical bars: codes (ap_mine, av_mine, improvised_mine, cmr, uxo, axo, "
            "booby_trap, other_erw) or their English names."
        ),
        ("devices", "device_types", "contamination", "contamination_type", "ordnance"),
    ),
    Column(
        "admin_area_code",
        False,
        _("Code of a stored admin area the hazard area lies in."),
        ("admin_area", "admin_code", "pcode", "region_code", "district_code", "area_code"),
    ),
    Column(
        "area_m2",
        False,
        _(
            "Recorded area in m² (decimals are rounded). Required when there is no polygon; "
            "when both are given and differ by more than 10%, a warning is shown."
        ),
        ("area", "recorded_area", "recorded_area_m2", "size_m2", "area_sqm", "area_sq_m"),
    ),
    Column(
        "date_recorded",
        True,
        _("Date the hazard area was recorded."),
        ("recorded_on", "date", "recorded", "recorded_date", "survey_date", "date_of_survey"),
    ),
    Column(
        "source_organisation",
        False,
        _("Name or acronym of a stored organisation that recorded it."),
        ("source", "organisation", "organization", "source_organization", "recorded_by"),
    ),
    Column("name", False, _("Local name of the area."), ("hazard_name", "local_name", "place")),
    Column(
        "geometry",
        False,
        _(
            "Polygon or point: the file's own geometry, or WKT or GeoJSON text in a "
            "spreadsheet. A hazard area needs a polygon or a recorded area."
        ),
        GEOMETRY_ALIASES,
    ),
    LONGITUDE,
    LATITUDE,
]

RELEASE_COLUMNS = [
    Column(
        "external_id",
        True,
        _("Identifier of the release (or completion report). Rows are matched by it."),
        ("id", "release_id", "report_id", "completion_report_id", "reference", "ref"),
    ),
    Column(
        "hazard_external_id",
        True,
        _("External id of the stored hazard area the land was released from."),
        ("hazard_id", "hazard", "hazard_area", "hazard_area_id", "hazard_ref"),
    ),
    Column(
        "method",
        True,
        _(
            "cancelled (by non-technical survey, NTS), reduced (by technical survey, TS) "
            "or cleared (clearance)."
        ),
        ("release_method", "land_release_method", "activity", "activity_type"),
    ),
    Column(
        "area_m2",
        True,
        _("Area released in m², more than 0 (decimals are rounded)."),
        ("area", "released_area", "released_area_m2", "area_released", "area_released_m2"),
    ),
    Column(
        "start_date",
        False,
        _("Date the work started."),
        ("start", "started_on", "date_start"),
    ),
    Column(
        "end_date",
        True,
        _("Date the land counts as released; not before the start date."),
        ("end", "date", "date_end", "completed_on", "completion_date", "released_on"),
    ),
    Column(
        "operator",
        False,
        _("Name or acronym of a stored organisation that did the work."),
        ("operator_name", "organisation", "organization", "implementing_partner"),
    ),
]

# Short names a national database commonly gives each category's count.
DEVICE_ALIASES = {
    "ap_mine": ("ap_mines", "apm", "anti_personnel_mines"),
    "av_mine": ("av_mines", "at_mines", "atm", "anti_vehicle_mines", "anti_tank_mines"),
    "improvised_mine": ("improvised_mines", "ied", "ieds"),
    "cmr": ("cmrs", "cluster_munition_remnants", "submunitions"),
    "uxo": ("uxos",),
    "axo": ("axos",),
    "booby_trap": ("booby_traps",),
    "other_erw": ("erw",),
}


def _device_description(label):
    return gettext("Number destroyed: %(category)s (0 when empty).") % {"category": label}


_device_description_lazy = lazy(_device_description, str)
for _category, _label in DeviceCategory.choices:
    RELEASE_COLUMNS.append(
        Column(
            f"devices_{_category}",
            False,
            _device_description_lazy(_label),
            DEVICE_ALIASES[_category],
        )
    )

MILESTONE_COLUMNS = [
    Column("year", True, _("Year of the milestone (1997 to 2100)."), ("milestone_year",)),
    Column(
        "admin_area_code",
        False,
        _("Code of a stored admin area; empty for the national milestone."),
        ("admin_area", "region", "region_code", "pcode", "area_code"),
    ),
    Column(
        "planned_area_m2",
        True,
        _("Area planned for release that year in m² (0 or more; decimals are rounded)."),
        ("planned", "planned_area", "planned_m2", "target_m2", "target", "area_m2", "area"),
    ),
    Column("note", False, _("A short note."), ("notes", "comment", "remarks")),
]

CANONICAL_COLUMNS = {
    ImportKind.ADMIN_AREAS: ADMIN_AREA_COLUMNS,
    ImportKind.HAZARDS: HAZARD_COLUMNS,
    ImportKind.RELEASES: RELEASE_COLUMNS,
    ImportKind.MILESTONES: MILESTONE_COLUMNS,
}


def normalised(name):
    """'Date Recorded', 'date-recorded' and 'DATE_RECORDED' all become 'date_recorded'."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def suggest_columns(kind, file_columns):
    """{canonical: file column} for the canonical columns the file seems to have.

    An exact name wins over a shapefile-truncated one, which wins over an alias; each file
    column is used once.
    """
    canonical = CANONICAL_COLUMNS[kind]
    by_name = {}
    for column in file_columns:
        by_name.setdefault(normalised(column), column)
    suggested, used = {}, set()
    passes = (
        lambda column: [column.name],
        lambda column: [column.name[:DBF_NAME_LENGTH]],
        lambda column: list(column.aliases),
    )
    for candidates_of in passes:
        for column in canonical:
            if column.name in suggested:
                continue
            for candidate in candidates_of(column):
                file_column = by_name.get(candidate)
                if file_column is not None and file_column not in used:
                    suggested[column.name] = file_column
                    used.add(file_column)
                    break
    return suggested


def required_columns(kind):
    return [column.name for column in CANONICAL_COLUMNS[kind] if column.required]
