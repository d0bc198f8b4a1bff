"""Records for the Article 5 tests: small squares of land in the fictional test country."""

import datetime
import itertools

from mineaction.landrelease import geometry
from mineaction.landrelease.models import (
    AdminArea,
    Article5Milestone,
    HazardArea,
    HazardStatus,
    HazardType,
    LandRelease,
    ReleaseMethod,
)

_numbers = itertools.count(1)


def square(lon, lat, side_deg=0.001):
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    ring = [
        [lon, lat],
        [lon + side_deg, lat],
        [lon + side_deg, lat + side_deg],
        [lon, lat + side_deg],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def make_admin_area(code=None, *, name=None, level=1, parent=None, geometry_json=None):
    number = next(_numbers)
    code = code or f"AA{number:04d}"
    return AdminArea.objects.create(
        code=code, name=name or f"Area {code}", level=level, parent=parent, geometry=geometry_json
    )


def make_hazard(
    external_id=None,
    *,
    hazard_type=HazardType.CHA,
    status=HazardStatus.OPEN,
    closed_on=None,
    admin_area=None,
    geometry_json=None,
    recorded_area_m2=None,
    date_recorded=datetime.date(2015, 1, 1),
    devices=("ap_mine",),
    **extra,
):
    """A hazard area; with neither geometry nor recorded area, a square of ~12,000 m²."""
    number = next(_numbers)
    if geometry_json is None and recorded_area_m2 is None:
        geometry_json = square(30 + (number % 100) * 0.01, -18 + (number // 100) * 0.01)
    hazard = HazardArea(
        external_id=external_id or f"HA-{number:06d}",
        hazard_type=hazard_type,
        status=status,
        closed_on=closed_on,
        admin_area=admin_area,
        recorded_area_m2=recorded_area_m2,
        date_recorded=date_recorded,
        device_categories=HazardArea.join_devices(devices),
        **extra,
    )
    geometry.apply_to_hazard(hazard, geometry.parse(geometry_json))
    hazard.save()
    return hazard


def make_release(
    hazard,
    area_m2,
    end_date,
    *,
    method=ReleaseMethod.CLEARED,
    external_id=None,
    start_date=None,
    **extra,
):
    return LandRelease.objects.create(
        external_id=external_id or f"LR-{next(_numbers):06d}",
        hazard_area=hazard,
        method=method,
        area_m2=area_m2,
        start_date=start_date,
        end_date=end_date,
        **extra,
    )


def make_milestone(year, planned_area_m2, *, admin_area=None):
    return Article5Milestone.objects.create(
        year=year, planned_area_m2=planned_area_m2, admin_area=admin_area
    )
