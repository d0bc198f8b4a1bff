"""Writing the demo's Article 5 data (the plan of `article5_data.py`) to the database.

Thousands of records go in with `bulk_create` and `bulk_update` in batches, which is what keeps
loading fast; bulk writes add nothing to the audit trail, like an import (DESIGN.md). Records
are matched on their natural keys (an admin area by code, a hazard or a release by external id,
a milestone by year and region), so loading twice gives the same records, and loading again
puts back what a tester changed (only the rows that differ are written). Records a tester added
stay. Geometry goes through `landrelease.geometry.apply_to_hazard`, the same arithmetic as an
import, so the areas are geodesic.
"""

import json

from django.db import transaction

from mineaction.demo.article5_data import article5_plan
from mineaction.landrelease import geometry
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    HazardArea,
    ImportJob,
    ImportMapping,
    LandRelease,
)
from mineaction.landrelease.services.progress import data_changed
from mineaction.stakeholders.models import Organisation

BATCH = 500
ADMIN_AREA_FIELDS = ["name", "level", "parent_id", "path", "geometry"]
HAZARD_FIELDS = [
    "name",
    "hazard_type",
    "status",
    "closed_on",
    "device_categories",
    "admin_area_id",
    "geometry",
    "geometry_area_m2",
    "recorded_area_m2",
    "area_m2",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "date_recorded",
    "source_organisation_id",
]
RELEASE_FIELDS = [
    "hazard_area_id",
    "operator_id",
    "method",
    "area_m2",
    "start_date",
    "end_date",
    *DEVICE_FIELDS.values(),
]
MILESTONE_FIELDS = ["planned_area_m2", "note"]


@transaction.atomic
def load_article5(today, *, scale=1.0):
    """Load (or bring back) the demo's Article 5 data. Returns the number of records per kind.

    `scale` shrinks the number of hazard areas (and so of releases) for quick tests; the demo
    loads at 1.
    """
    plan = article5_plan(today, scale=scale)
    organisations = dict(Organisation.objects.values_list("name", "pk"))
    areas = _load_admin_areas(plan["admin_areas"])
    hazards = _load_hazards(plan["hazards"], areas, organisations)
    _load_releases(plan["releases"], hazards, organisations)
    _load_milestones(plan["milestones"], areas)
    data_changed()
    return article5_counts()


def article5_counts():
    return {
        "admin areas": AdminArea.objects.count(),
        "hazard areas": HazardArea.objects.count(),
        "land releases": LandRelease.objects.count(),
        "Article 5 milestones": Article5Milestone.objects.count(),
    }


@transaction.atomic
def wipe_article5():
    """Delete every Article 5 record, leaves first, so that no protected foreign key blocks a
    delete and no delete has to collect dependent records."""
    ImportJob.objects.all().delete()
    ImportMapping.objects.all().delete()
    LandRelease.objects.all().delete()
    Article5Milestone.objects.all().delete()
    HazardArea.objects.all().delete()
    for level in (4, 3, 2, 1):
        AdminArea.objects.filter(level=level).delete()
    data_changed()


def _load_admin_areas(planned):
    """{code: pk}; provinces first, so that each district's path starts with its province's."""
    paths = {}
    ids = {}
    for level in sorted({area["level"] for area in planned}):
        records = []
        for area in (area for area in planned if area["level"] == level):
            parent = area["parent"]
            path = f"{paths[parent] if parent else '/'}{area['code']}/"
            paths[area["code"]] = path
            records.append(
                AdminArea(
                    code=area["code"],
                    name=area["name"],
                    level=level,
                    parent_id=ids[parent] if parent else None,
                    path=path,
                    geometry=_plain(geometry.to_geojson(area["shape"])),
                )
            )
        ids.update(_sync(AdminArea, "code", records, ADMIN_AREA_FIELDS))
    return ids


def _load_hazards(planned, areas, organisations):
    records = []
    for hazard in planned:
        record = HazardArea(
            external_id=hazard["external_id"],
            name=hazard["name"],
            hazard_type=hazard["hazard_type"],
            status=hazard["status"],
            closed_on=hazard["closed_on"],
            device_categories=hazard["device_categories"],
            admin_area_id=areas[hazard["admin_area"]],
            recorded_area_m2=hazard["recorded_area_m2"],
            date_recorded=hazard["date_recorded"],
            source_organisation_id=organisations.get(hazard["source"]),
        )
        geometry.apply_to_hazard(record, hazard["shape"])
        record.geometry = _plain(record.geometry)
        if record.area_m2 != hazard["area_m2"]:  # the plan's releases are sized on this area
            raise AssertionError(f"{hazard['external_id']}: the area changed on the way in.")
        records.append(record)
    return _sync(HazardArea, "external_id", records, HAZARD_FIELDS)


def _load_releases(planned, hazards, organisations):
    records = []
    for release in planned:
        record = LandRelease(
            external_id=release["external_id"],
            hazard_area_id=hazards[release["hazard_external_id"]],
            operator_id=organisations.get(release["operator"]),
            method=release["method"],
            area_m2=release["area_m2"],
            start_date=release["start_date"],
            end_date=release["end_date"],
        )
        for field in DEVICE_FIELDS.values():
            setattr(record, field, release["devices"].get(field, 0))
        records.append(record)
    _sync(LandRelease, "external_id", records, RELEASE_FIELDS)


def _load_milestones(planned, areas):
    existing = {
        (row["year"], row["admin_area_id"]): row
        for row in Article5Milestone.objects.values(
            "pk", "year", "admin_area_id", *MILESTONE_FIELDS
        )
    }
    to_create, to_update = [], []
    for milestone in planned:
        record = Article5Milestone(
            year=milestone["year"],
            admin_area_id=areas[milestone["admin_area"]] if milestone["admin_area"] else None,
            planned_area_m2=milestone["planned_area_m2"],
            note=milestone["note"],
        )
        row = existing.get((record.year, record.admin_area_id))
        if row is None:
            to_create.append(record)
        elif _differs(row, record, MILESTONE_FIELDS):
            record.pk = row["pk"]
            to_update.append(record)
    Article5Milestone.objects.bulk_create(to_create, batch_size=BATCH)
    Article5Milestone.objects.bulk_update(to_update, MILESTONE_FIELDS, batch_size=BATCH)


def _sync(model, key, records, fields):
    """Create the records missing, update those whose fields differ; returns {key: pk}."""
    existing = {row[key]: row for row in model.objects.values("pk", key, *fields)}
    to_create, to_update = [], []
    for record in records:
        row = existing.get(getattr(record, key))
        if row is None:
            to_create.append(record)
        elif _differs(row, record, fields):
            record.pk = row["pk"]
            to_update.append(record)
    model.objects.bulk_create(to_create, batch_size=BATCH)
    model.objects.bulk_update(to_update, fields, batch_size=BATCH)
    return dict(model.objects.values_list(key, "pk"))


def _differs(row, record, fields):
    return any(row[field] != getattr(record, field) for field in fields)


def _plain(value):
    """GeoJSON as the database gives it back (lists, not tuples), so comparisons hold."""
    return json.loads(json.dumps(value))
