"""Geometry arithmetic: WGS84 GeoJSON in, shapely geometries, geodesic areas in whole m².

Areas are geodesic on the WGS84 ellipsoid (pyproj). Rings are oriented first (exterior
counter-clockwise, holes clockwise), so a hole subtracts from its polygon whatever the order
the file gave its vertices in.
"""

import json
import math

import shapely
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

GEOD = Geod(ellps="WGS84")
POLYGONAL = {"Polygon", "MultiPolygon"}
ACCEPTED = POLYGONAL | {"Point", "MultiPoint"}
# A recorded area further than this from the geometry's area gets a warning.
AREA_DISCREPANCY_WARNING = 0.10


class GeometryError(ValueError):
    """A geometry that cannot be used; the message is for the user."""


def parse(value):
    """A shapely geometry from GeoJSON (a dict, or its JSON text); GeometryError if unusable."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise GeometryError(_("The geometry is not valid GeoJSON.")) from None
    if isinstance(value, shapely.Geometry):
        geometry = value
    else:
        if not isinstance(value, dict) or "type" not in value:
            raise GeometryError(_("The geometry is not valid GeoJSON."))
        try:
            geometry = shape(value)
        except Exception:  # shapely raises several types for malformed coordinates
            raise GeometryError(_("The geometry is not valid GeoJSON.")) from None
    return check_type_and_coordinates(geometry)


def check_type_and_coordinates(geometry):
    if geometry is None or geometry.is_empty:
        return None
    geometry = shapely.force_2d(geometry)
    if geometry.geom_type not in ACCEPTED:
        raise GeometryError(
            _("A %(type)s cannot be a hazard area: use a polygon or a point.")
            % {"type": geometry.geom_type}
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not all(math.isfinite(v) for v in geometry.bounds):
        raise GeometryError(_("The geometry has coordinates that are not numbers."))
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise GeometryError(
            _(
                "The coordinates are not longitude and latitude in degrees (WGS84): "
                "reproject the file to EPSG:4326."
            )
        )
    return geometry


def validity_problem(geometry):
    """Why a polygon is invalid (such as a self-intersection), or None when it is valid."""
    if geometry is None or geometry.geom_type not in POLYGONAL or geometry.is_valid:
        return None
    return explain_validity(geometry)


def oriented(geometry):
    """Exterior rings counter-clockwise, holes clockwise."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=1.0)
    if geometry.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([orient(part, sign=1.0) for part in geometry.geoms])
    return geometry


def geodesic_area_m2(geometry):
    """The geodesic area in whole m² (0 for points); holes subtract."""
    if geometry is None or geometry.geom_type not in POLYGONAL:
        return 0
    if not geometry.is_valid:
        # A bow-tie's halves would cancel out: measure the land it actually covers.
        parts = shapely.get_parts(shapely.make_valid(geometry))
        return sum(geodesic_area_m2(part) for part in parts if part.geom_type in POLYGONAL)
    area, _perimeter = GEOD.geometry_area_perimeter(oriented(geometry))
    return round(abs(area))


def to_geojson(geometry):
    """The GeoJSON dict stored in the database (rings oriented, 2D)."""
    if geometry is None:
        return None
    return mapping(oriented(geometry))


def bounds(geometry):
    """(min_lon, min_lat, max_lon, max_lat), or four Nones."""
    if geometry is None:
        return (None, None, None, None)
    return tuple(float(value) for value in geometry.bounds)


def discrepancy(recorded_m2, geometric_m2):
    """The relative difference between recorded and geometric areas, or None."""
    if not recorded_m2 or not geometric_m2:
        return None
    return abs(recorded_m2 - geometric_m2) / geometric_m2


def baseline_area(recorded_m2, geometric_m2):
    """The area every figure starts from: the recorded area, else the geometry's."""
    return recorded_m2 if recorded_m2 is not None else (geometric_m2 or 0)


def geodesic_distance_m(lon1, lat1, lon2, lat2):
    _forward, _back, distance = GEOD.inv(lon1, lat1, lon2, lat2)
    return distance


def apply_to_hazard(hazard, geometry):
    """Set a hazard's geometry, geometric area, bounding box and baseline area."""
    hazard.geometry = to_geojson(geometry)
    hazard.geometry_area_m2 = geodesic_area_m2(geometry) if geometry is not None else None
    if (
        hazard.geometry_area_m2 == 0
        and geometry is not None
        and geometry.geom_type not in POLYGONAL
    ):
        hazard.geometry_area_m2 = None
    hazard.min_lon, hazard.min_lat, hazard.max_lon, hazard.max_lat = bounds(geometry)
    hazard.area_m2 = baseline_area(hazard.recorded_area_m2, hazard.geometry_area_m2)
    return hazard
