"""Geometry quality checks of hazard areas, run on every imported file and on demand.

Two kinds of check:
- one geometry at a time (`check_geometry`, `check_geometries`): invalid polygons, polygons with
  no area, geometries far outside the country, consecutive vertices too far apart;
- a whole collection (`check_collection`): the same external id twice, the same geometry under
  two ids, hazard areas that overlap.

Everything works on whole arrays of shapely geometries (STRtree and vectorised predicates), so
that a national database of 100,000 hazard areas is checked in seconds: the only Python loops
run over the geometries that have a problem.
"""

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mineaction.landrelease import geometry as geo
from mineaction.landrelease.models import AdminArea, HazardArea

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: gettext_lazy("Error"), WARNING: gettext_lazy("Warning")}

# Every check: its code, its severity and what it is called on the quality page.
CHECKS = {
    "duplicate_id": (ERROR, gettext_lazy("Same external id twice")),
    "unreadable_geometry": (ERROR, gettext_lazy("Unreadable geometry")),
    "invalid_geometry": (ERROR, gettext_lazy("Invalid or self-intersecting polygon")),
    "zero_area": (ERROR, gettext_lazy("Polygon without area")),
    "zero_baseline_area": (ERROR, gettext_lazy("Hazard area of 0 m²")),
    "outside_country": (ERROR, gettext_lazy("Far outside the country")),
    "long_edge": (WARNING, gettext_lazy("Vertices too far apart")),
    "duplicate_geometry": (WARNING, gettext_lazy("Same geometry under two ids")),
    "overlap": (WARNING, gettext_lazy("Overlapping hazard areas")),
    "area_discrepancy": (WARNING, gettext_lazy("Recorded and geometric areas differ")),
}

# The smallest length of one degree of latitude (at the equator) and of longitude at the
# equator, in metres: dividing a distance by them gives the most degrees it can span.
METRES_PER_DEGREE_LAT_MIN = 110_574
METRES_PER_DEGREE_LON_EQUATOR = 111_320
# Overlaps smaller than this are rounding noise between neighbours digitised separately.
MIN_OVERLAP_M2 = 1
POLYGONAL_TYPE_IDS = (3, 6)  # shapely type ids of Polygon and MultiPolygon
ACCEPTED_TYPE_IDS = (0, 3, 4, 6)  # and of Point and MultiPoint
CHUNK_SIZE = 2000

# GEOS's reasons for an invalid polygon ("Self-intersection[30.0005 -17.9995]"), in plain words.
INVALID_REASONS = {
    "Self-intersection": gettext_lazy("its boundary crosses itself"),
    "Ring Self-intersection": gettext_lazy("one of its rings touches itself"),
    "Too few distinct points in geometry component": gettext_lazy(
        "one of its rings has fewer than three distinct vertices"
    ),
    "Hole lies outside shell": gettext_lazy("a hole lies outside its outer ring"),
    "Holes are nested": gettext_lazy("a hole lies inside another hole"),
    "Interior is disconnected": gettext_lazy("its holes cut it in separate pieces"),
    "Nested shells": gettext_lazy("one of its parts lies inside another"),
    "Duplicate Rings": gettext_lazy("two of its rings are the same"),
    "Ring is not closed": gettext_lazy("a ring does not end where it starts"),
    "Invalid Coordinate": gettext_lazy("a coordinate is not a number"),
    "Repeated Point": gettext_lazy("a vertex is repeated"),
}
REASON_AT = re.compile(r"^(?P<reason>.*?)\s*\[(?P<x>\S+) (?P<y>\S+)\]\s*$")


@dataclass
class Finding:
    """One problem found: its check `code`, "error" or "warning", a message for the user, and
    the hazard areas concerned by external id."""

    code: str
    severity: str
    message: str
    external_id: str | None = None
    other_external_id: str | None = None

    @property
    def label(self):
        return CHECKS[self.code][1] if self.code in CHECKS else self.code

    @property
    def severity_label(self):
        return SEVERITY_LABELS.get(self.severity, self.severity)

    def as_dict(self):
        return asdict(self)


def _finding(code, message, external_id=None, other_external_id=None):
    return Finding(code, CHECKS[code][0], str(message), external_id, other_external_id)


def _number(value, decimals=0):
    # number_format cuts extra decimals off: round first.
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _km(metres):
    """A distance in km for a message: one decimal under 100 km, none for whole km."""
    whole = metres >= 100_000 or metres % 1000 == 0
    return _number(metres / 1000, 0 if whole else 1)


def _coordinate(value):
    return f"{value:.6f}".rstrip("0").rstrip(".")


# One geometry ----------------------------------------------------------------------------------


def check_geometry(geometry, *, extent=None, max_spacing_m=None, external_id=None):
    """The problems of one shapely geometry (None has none). `extent` is the country's
    (min_lon, min_lat, max_lon, max_lat) already grown by its margin (`country_extent()`)."""
    return check_geometries([(external_id, geometry)], extent=extent, max_spacing_m=max_spacing_m)


def check_geometries(items, *, extent=None, max_spacing_m=None):
    """`check_geometry` for many [(external_id, geometry)] at once, vectorised."""
    ids = [external_id for external_id, geometry in items if geometry is not None]
    geometries = np.array(
        [geometry for _id, geometry in items if geometry is not None], dtype=object
    )
    if not len(geometries):
        return []
    polygonal = np.isin(shapely.get_type_id(geometries), POLYGONAL_TYPE_IDS)
    findings = _invalid_and_empty(ids, geometries, polygonal)
    if extent is not None:
        findings += _outside(ids, geometries, extent)
    if max_spacing_m:
        findings += _long_edges(ids, geometries[polygonal], polygonal, max_spacing_m)
    return findings


def _invalid_and_empty(ids, geometries, polygonal):
    findings = []
    invalid = polygonal & ~shapely.is_valid(geometries)
    for index in np.flatnonzero(invalid):
        findings.append(
            _finding("invalid_geometry", _invalid_message(geometries[index]), ids[index])
        )
    # The area a polygon covers once repaired: a bow-tie covers two triangles, a polygon whose
    # vertices lie on one line covers nothing.
    covered = geometries.copy()
    covered[invalid] = shapely.make_valid(geometries[invalid])
    # Under 1e-9 square degree (about 12 m² at the equator, less towards the poles), measure
    # geodesically whether anything is left.
    suspects = polygonal & (shapely.area(covered) < 1e-9)
    for index in np.flatnonzero(suspects):
        if _polygonal_area_m2(covered[index]) == 0:
            findings.append(
                _finding(
                    "zero_area",
                    _("The polygon has an area of 0 m²: its vertices enclose no land."),
                    ids[index],
                )
            )
    return findings


def _invalid_message(geometry):
    explanation = shapely.is_valid_reason(geometry)
    match = REASON_AT.match(explanation)
    reason = match["reason"] if match else explanation
    reason_text = INVALID_REASONS.get(reason, reason)
    if not match:
        return _("The polygon is invalid: %(reason)s.") % {"reason": reason_text}
    return _("The polygon is invalid: %(reason)s at %(lon)s %(lat)s (longitude latitude).") % {
        "reason": reason_text,
        "lon": _coordinate(float(match["x"])),
        "lat": _coordinate(float(match["y"])),
    }


def _outside(ids, geometries, extent):
    box = shapely.box(*extent)
    # A geometry lies within the box exactly when its bounds do.
    bounds = shapely.bounds(geometries)
    min_lon, min_lat, max_lon, max_lat = extent
    outside = (
        (bounds[:, 0] < min_lon)
        | (bounds[:, 1] < min_lat)
        | (bounds[:, 2] > max_lon)
        | (bounds[:, 3] > max_lat)
    )
    findings = []
    for index in np.flatnonzero(outside):
        geometry = geometries[index]
        # Never "0.0 km": a geometry outside the extent is at least 100 m out in the message.
        distance = max(100, _distance_outside_m(geometry, extent))
        swapped = shapely.transform(geometry, lambda coordinates: coordinates[:, ::-1])
        if shapely.covered_by(swapped, box):
            message = _(
                "The geometry lies %(distance)s km outside the country: "
                "are longitude and latitude swapped?"
            )
        else:
            message = _(
                "The geometry lies %(distance)s km outside the country: check its coordinates "
                "and that they are longitude and latitude in WGS84 (EPSG:4326)."
            )
        findings.append(
            _finding("outside_country", message % {"distance": _km(distance)}, ids[index])
        )
    return findings


def _distance_outside_m(geometry, extent):
    """How far the vertex furthest from the extent lies from it (geodesic, metres)."""
    min_lon, min_lat, max_lon, max_lat = extent
    coordinates = shapely.get_coordinates(geometry)
    lons, lats = coordinates[:, 0], coordinates[:, 1]
    nearest_lons = np.clip(lons, min_lon, max_lon)
    nearest_lats = np.clip(lats, min_lat, max_lat)
    _forward, _back, distances = geo.GEOD.inv(lons, lats, nearest_lons, nearest_lats)
    return float(np.max(distances))


def _long_edges(ids, polygons, polygonal, max_spacing_m):
    """One warning per polygon with an edge longer than the limit, naming its longest edge."""
    if not len(polygons):
        return []
    owners = np.flatnonzero(polygonal)  # index in `ids` of each polygon
    parts, part_owner = shapely.get_parts(polygons, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coordinates, ring_of = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_of[:-1] == ring_of[1:]
    start, end = coordinates[:-1][same_ring], coordinates[1:][same_ring]
    edge_owner = owners[part_owner[ring_part[ring_of[:-1][same_ring]]]]
    # A cheap lower bound of each edge's length first, so that only the long ones are measured
    # geodesically: a degree of latitude is at least 110.574 km long.
    lat_span = np.abs(end[:, 1] - start[:, 1]) * METRES_PER_DEGREE_LAT_MIN
    cosines = np.cos(np.radians(np.maximum(np.abs(start[:, 1]), np.abs(end[:, 1]))))
    lon_span = np.abs(end[:, 0] - start[:, 0]) * METRES_PER_DEGREE_LON_EQUATOR * cosines * 0.99
    candidates = np.flatnonzero(np.maximum(lat_span, lon_span) > max_spacing_m * 0.5)
    if not len(candidates):
        return []
    _f, _b, lengths = geo.GEOD.inv(
        start[candidates, 0], start[candidates, 1], end[candidates, 0], end[candidates, 1]
    )
    too_long = lengths > max_spacing_m
    edges = candidates[too_long]
    return _edge_findings(
        ids, edge_owner[edges], lengths[too_long], start[edges], end[edges], max_spacing_m
    )


def _edge_findings(ids, owners, lengths, starts, ends, max_spacing_m):
    findings = []
    counts = Counter(owners.tolist())
    longest = {}
    for edge, (owner, length) in enumerate(zip(owners.tolist(), lengths.tolist(), strict=True)):
        if owner not in longest or length > longest[owner][0]:
            longest[owner] = (length, edge)
    for owner, (length, edge) in longest.items():
        values = {
            "distance": _km(length),
            "limit": _km(max_spacing_m),
            "from": f"{_coordinate(starts[edge, 0])} {_coordinate(starts[edge, 1])}",
            "to": f"{_coordinate(ends[edge, 0])} {_coordinate(ends[edge, 1])}",
            "count": counts[owner],
        }
        if counts[owner] == 1:
            message = _(
                "Two consecutive vertices are %(distance)s km apart (from %(from)s to %(to)s), "
                "more than the limit of %(limit)s km: is a vertex missing or misplaced?"
            )
        else:
            message = _(
                "%(count)s edges are longer than the limit of %(limit)s km; the longest is "
                "%(distance)s km (from %(from)s to %(to)s): are vertices missing or misplaced?"
            )
        findings.append(_finding("long_edge", message % values, ids[owner]))
    return findings


def _polygonal_area_m2(geometry):
    """The geodesic area of the polygons in any geometry, collections included."""
    parts = shapely.get_parts(geometry)
    polygons = [part for part in parts if part.geom_type in geo.POLYGONAL]
    return sum(geo.geodesic_area_m2(polygon) for polygon in polygons)


# A collection ----------------------------------------------------------------------------------


def check_collection(items, *, existing=None):
    """The problems between the [(external_id, geometry)] of one file or of the database: the
    same id twice, the same geometry under two ids, hazard areas that overlap.

    `existing` (HazardArea records, or a queryset of them) adds the stored hazard areas to
    compare with; those whose external id is in `items` are skipped, being replaced.
    """
    items = list(items)
    findings = _duplicate_ids(items)
    new_ids = {external_id for external_id, _geometry in items}
    seen = set()
    ids, geometries = [], []
    for external_id, geometry in items:
        if geometry is not None and not geometry.is_empty and external_id not in seen:
            seen.add(external_id)
            ids.append(external_id)
            geometries.append(geometry)
    new_count = len(ids)
    for external_id, geometry in _stored_geometries(existing, new_ids):
        ids.append(external_id)
        geometries.append(geometry)
    if len(geometries) < 2:
        return findings
    return findings + _pairs(ids, np.array(geometries, dtype=object), new_count)


def _duplicate_ids(items):
    counts = Counter(external_id for external_id, _geometry in items)
    return [
        _finding(
            "duplicate_id",
            _("The external id %(id)s appears %(count)s times.")
            % {"id": external_id, "count": count},
            external_id,
        )
        for external_id, count in counts.items()
        if count > 1
    ]


def _stored_geometries(existing, skipped_ids):
    """(external_id, shapely geometry) of stored hazard areas, minus the skipped ids."""
    if existing is None:
        return []
    if hasattr(existing, "values_list"):
        rows = _geometry_text(existing.filter(geometry__isnull=False)).values_list(
            "external_id", "geometry_text"
        )
        rows = rows.iterator(chunk_size=CHUNK_SIZE)
    else:
        rows = ((record.external_id, record.geometry) for record in existing)
    rows = [(external_id, text) for external_id, text in rows if external_id not in skipped_ids]
    items, _unreadable = read_geometries(rows)  # run_checks reports the unreadable ones
    return [(external_id, geometry) for external_id, geometry in items if geometry is not None]


def _geometry_text(queryset):
    """The stored GeoJSON as text: GEOS reads 100,000 of them at once far faster than Python
    decodes them one by one."""
    return queryset.annotate(geometry_text=Cast("geometry", output_field=TextField()))


def read_geometries(rows):
    """[(external_id, shapely geometry or None)] and the unreadable-geometry findings, from
    [(external_id, GeoJSON as text or dict)]. Geometries `geometry.parse` would refuse are
    refused with its message."""
    ids = [external_id for external_id, _geojson in rows]
    texts = np.array(
        [json.dumps(value) if isinstance(value, dict) else value for _id, value in rows],
        dtype=object,
    )
    geometries = shapely.from_geojson(texts, on_invalid="ignore")
    with_z = shapely.has_z(geometries)
    geometries[with_z] = shapely.force_2d(geometries[with_z])
    bounds = shapely.bounds(geometries)
    with np.errstate(invalid="ignore"):
        readable = (
            np.isin(shapely.get_type_id(geometries), ACCEPTED_TYPE_IDS)
            & ~shapely.is_empty(geometries)
            & (bounds[:, 0] >= -180)
            & (bounds[:, 2] <= 180)
            & (bounds[:, 1] >= -90)
            & (bounds[:, 3] <= 90)
        )
    items, findings = [], []
    for index, (external_id, geometry) in enumerate(zip(ids, geometries, strict=True)):
        if readable[index] or texts[index] is None:
            items.append((external_id, geometry if readable[index] else None))
            continue
        try:  # the reason, in the words of the import
            items.append((external_id, geo.parse(texts[index])))
        except geo.GeometryError as error:
            findings.append(_finding("unreadable_geometry", str(error), external_id))
    return items, findings


def _pairs(ids, geometries, new_count):
    """Same geometry and overlap findings between pairs whose first member is one of the first
    `new_count` geometries (the items) and whose second is an item or a stored hazard."""
    invalid = ~shapely.is_valid(geometries)
    geometries[invalid] = shapely.make_valid(geometries[invalid])
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries[:new_count], predicate="intersects")
    keep = (left < right) | (right >= new_count)
    left, right = left[keep], right[keep]
    same = shapely.equals(geometries[left], geometries[right])
    findings = [
        _same_geometry(ids[i], ids[j], stored=j >= new_count)
        for i, j in zip(left[same].tolist(), right[same].tolist(), strict=True)
    ]
    left, right = left[~same], right[~same]
    polygonal = np.isin(shapely.get_type_id(geometries), POLYGONAL_TYPE_IDS)
    both = polygonal[left] & polygonal[right]
    left, right = left[both], right[both]
    # Interiors meet: a shared edge or corner is not an overlap.
    inside = shapely.relate_pattern(geometries[left], geometries[right], "T********")
    left, right = left[inside], right[inside]
    overlaps = shapely.intersection(geometries[left], geometries[right])
    for i, j, overlap in zip(left.tolist(), right.tolist(), overlaps, strict=True):
        area = _polygonal_area_m2(overlap)
        if area >= MIN_OVERLAP_M2:
            findings.append(_overlap(ids[i], ids[j], area, stored=j >= new_count))
    return findings


def _same_geometry(external_id, other_id, *, stored):
    if stored:
        message = _("%(id)s has the same geometry as the stored hazard area %(other)s.")
    else:
        message = _("%(id)s and %(other)s have the same geometry.")
    return _finding(
        "duplicate_geometry",
        message % {"id": external_id, "other": other_id},
        external_id,
        other_id,
    )


def _overlap(external_id, other_id, area_m2, *, stored):
    if stored:
        message = _("%(id)s overlaps the stored hazard area %(other)s over %(area)s m².")
    else:
        message = _("%(id)s overlaps %(other)s over %(area)s m².")
    values = {"id": external_id, "other": other_id, "area": _number(area_m2)}
    return _finding("overlap", message % values, external_id, other_id)


# The country and the stored hazard areas ------------------------------------------------------


def country_extent():
    """(min_lon, min_lat, max_lon, max_lat) of the admin areas' geometries grown by
    GEOMETRY_COUNTRY_MARGIN_M, or None when no admin area has a geometry."""
    boundaries = _geometry_text(AdminArea.objects.filter(geometry__isnull=False))
    texts = np.array(list(boundaries.values_list("geometry_text", flat=True)), dtype=object)
    bounds = shapely.bounds(shapely.from_geojson(texts, on_invalid="ignore"))
    # A boundary in metres or unreadable would stretch the extent over the world: left out.
    with np.errstate(invalid="ignore"):
        in_degrees = (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1) & (
            np.abs(bounds[:, [1, 3]]) <= 90
        ).all(axis=1)
    bounds = bounds[in_degrees]
    if not len(bounds):
        return None
    return grown_extent(
        (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max()),
        settings.GEOMETRY_COUNTRY_MARGIN_M,
    )


def grown_extent(extent, margin_m):
    """An extent grown by at least `margin_m` on every side. Degrees are converted at their
    shortest (a degree of latitude at the equator, of longitude at the extent's latitude
    furthest from the equator), so the margin is never smaller than asked."""
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in extent)
    lat_margin = margin_m / METRES_PER_DEGREE_LAT_MIN
    furthest = min(89.0, max(abs(min_lat), abs(max_lat)) + lat_margin)
    lon_margin = margin_m / (METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(furthest)))
    return (
        max(-180.0, min_lon - lon_margin),
        max(-90.0, min_lat - lat_margin),
        min(180.0, max_lon + lon_margin),
        min(90.0, max_lat + lat_margin),
    )


def run_checks(queryset=None):
    """Every check over the stored hazard areas (all of them, or `queryset`), errors first."""
    queryset = HazardArea.objects.all() if queryset is None else queryset
    rows = _geometry_text(queryset).values_list(
        "external_id", "geometry_text", "area_m2", "recorded_area_m2", "geometry_area_m2"
    )
    findings, stored = [], []
    for external_id, text, area, recorded, geometric in rows.order_by().iterator(CHUNK_SIZE):
        findings += _stored_area_findings(external_id, area, recorded, geometric)
        stored.append((external_id, text))
    items, unreadable = read_geometries(stored)
    findings += unreadable
    findings += check_geometries(
        items, extent=country_extent(), max_spacing_m=settings.GEOMETRY_MAX_VERTEX_SPACING_M
    )
    findings += check_collection(items)
    return sort_findings(findings)


def _stored_area_findings(external_id, area, recorded, geometric):
    findings = []
    if area == 0:
        findings.append(
            _finding(
                "zero_baseline_area",
                _(
                    "%(id)s has an area of 0 m², so it counts for nothing in the remaining "
                    "area: record its area or give it a polygon."
                )
                % {"id": external_id},
                external_id,
            )
        )
    difference = geo.discrepancy(recorded, geometric)
    if difference is not None and difference > geo.AREA_DISCREPANCY_WARNING:
        values = {
            "id": external_id,
            "recorded": _number(recorded),
            "geometric": _number(geometric),
            "percent": _number(difference * 100),
        }
        findings.append(
            _finding(
                "area_discrepancy",
                _(
                    "The recorded area of %(id)s (%(recorded)s m²) differs by %(percent)s%% "
                    "from the area of its geometry (%(geometric)s m²)."
                )
                % values,
                external_id,
            )
        )
    return findings


def sort_findings(findings):
    """Errors first, then by check and by hazard area."""
    order = {code: position for position, code in enumerate(CHECKS)}
    return sorted(
        findings,
        key=lambda finding: (
            finding.severity != ERROR,
            order.get(finding.code, len(order)),
            finding.external_id or "",
            finding.other_external_id or "",
        ),
    )


def filter_findings(findings, *, code=None, severity=None):
    """The findings of one check and/or one severity."""
    return [
        finding
        for finding in findings
        if (not code or finding.code == code) and (not severity or finding.severity == severity)
    ]


def counts_by_check(findings):
    """[{code, severity, label, count}] for the checks that found something, in check order."""
    counts = Counter(finding.code for finding in findings)
    return [
        {"code": code, "severity": severity, "label": label, "count": counts[code]}
        for code, (severity, label) in CHECKS.items()
        if counts[code]
    ]


def hazard_public_ids(findings):
    """{external id: public id} of the stored hazard areas the findings name."""
    external_ids = set()
    for finding in findings:
        external_ids.update(filter(None, (finding.external_id, finding.other_external_id)))
    rows = HazardArea.objects.filter(external_id__in=external_ids)
    return dict(rows.values_list("external_id", "public_id"))
