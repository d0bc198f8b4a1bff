"""Land release, Article 5 milestones and admin areas API: lists and records as JSON.

Reading only: the records come in through the import endpoints and are corrected on the
pages. Same gates and filter forms as the pages, so the rules, figures and messages agree.
"""

import datetime
import uuid
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    Problem,
    choice,
    error_responses,
    organisation_ref,
    paginate,
    public_id_field,
)
from mineaction.landrelease.api.hazards import filter_form
from mineaction.landrelease.forms import ReleaseFilterForm, hazard_counts_by_area_path
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    DeviceCategory,
    HazardType,
    LandRelease,
    ReleaseMethod,
)

router = Router(tags=["article5"])

LIST = error_responses(400, 403)
READ = error_responses(403, 404)


def _admin_area_by_code(name, code):
    """The admin area with `code`, or a 400 naming the query parameter."""
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise Problem(400, errors={name: [_("No admin area has this code.")]})
    return area


class AdminAreaRefOut(Schema):
    public_id: uuid.UUID
    code: str
    name: str
    level: int


def admin_area_ref(area):
    return {"public_id": area.public_id, "code": area.code, "name": area.name, "level": area.level}


# Land release ----------------------------------------------------------------------------------


class HazardRefOut(Schema):
    public_id: uuid.UUID
    external_id: str
    name: str
    type: HazardType


class ReleaseOut(Schema):
    public_id: uuid.UUID
    external_id: str
    hazard_area: HazardRefOut
    operator: OrganisationRefOut | None
    method: ReleaseMethod
    area_m2: int
    start_date: datetime.date | None
    end_date: datetime.date = Field(description="The land counts as released from this date.")
    devices_destroyed: dict[DeviceCategory, int] = Field(
        description="Devices destroyed per category (every category, 0 when none)."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ReleasePageOut(PageOut):
    results: list[ReleaseOut]


class ReleaseFilters(PageParams):
    method: str | None = choice(ReleaseMethod.choices)
    year: int | None = Field(None, description="The year of the end date.")
    operator: str | None = public_id_field("Public id of the operator organisation.")
    hazard: str | None = Field(None, description="External id of the hazard area.")
    admin_area: str | None = Field(
        None, description="Code of an admin area; releases in its sub-areas are included."
    )


def release_out(release):
    hazard = release.hazard_area
    return {
        "public_id": release.public_id,
        "external_id": release.external_id,
        "hazard_area": {
            "public_id": hazard.public_id,
            "external_id": hazard.external_id,
            "name": hazard.name,
            "type": hazard.hazard_type,
        },
        "operator": organisation_ref(release.operator) if release.operator_id else None,
        "method": release.method,
        "area_m2": release.area_m2,
        "start_date": release.start_date,
        "end_date": release.end_date,
        "devices_destroyed": {
            category: getattr(release, field) for category, field in DEVICE_FIELDS.items()
        },
        "created_at": release.created_at,
        "updated_at": release.updated_at,
    }


@router.get(
    "/article5/releases",
    response={200: ReleasePageOut, **LIST},
    url_name="article5_release_list",
    summary="List land release",
)
def release_list(request, filters: Query[ReleaseFilters]):
    """Land release records, latest end date first."""
    access.require_reader(request.auth)
    form = filter_form(ReleaseFilterForm, filters)
    releases = form.filter(LandRelease.objects.select_related("hazard_area", "operator"))
    return paginate(releases, filters, release_out)


@router.get(
    "/article5/releases/{public_id}",
    response={200: ReleaseOut, **READ},
    url_name="article5_release_detail",
    summary="Get a land release",
)
def release_detail(request, public_id: str):
    return release_out(access.get_land_release_for_user(request.auth, public_id))


# Article 5 milestones --------------------------------------------------------------------------


class MilestoneOut(Schema):
    public_id: uuid.UUID
    year: int
    admin_area: AdminAreaRefOut | None = Field(description="The region, or null: national.")
    planned_area_m2: int
    note: str


class MilestonePageOut(PageOut):
    results: list[MilestoneOut]


class MilestoneFilters(PageParams):
    year: int | None = None
    admin_area: str | None = Field(None, description="Code of the region.")
    national: bool = Field(False, description="Only the national milestones.")


def milestone_out(milestone):
    area = milestone.admin_area
    return {
        "public_id": milestone.public_id,
        "year": milestone.year,
        "admin_area": admin_area_ref(area) if area else None,
        "planned_area_m2": milestone.planned_area_m2,
        "note": milestone.note,
    }


@router.get(
    "/article5/milestones",
    response={200: MilestonePageOut, **LIST},
    url_name="article5_milestone_list",
    summary="List Article 5 milestones",
)
def milestone_list(request, filters: Query[MilestoneFilters]):
    """The area planned for release per year, nationally and per region (national first)."""
    access.require_reader(request.auth)
    milestones = Article5Milestone.objects.select_related("admin_area").order_by(
        "year", F("admin_area__path").asc(nulls_first=True), "pk"
    )
    if filters.year is not None:
        milestones = milestones.filter(year=filters.year)
    if filters.admin_area:
        milestones = milestones.filter(
            admin_area=_admin_area_by_code("admin_area", filters.admin_area)
        )
    if filters.national:
        milestones = milestones.filter(admin_area__isnull=True)
    return paginate(milestones, filters, milestone_out)


# Admin areas -----------------------------------------------------------------------------------


class AdminAreaOut(Schema):
    public_id: uuid.UUID
    code: str
    name: str
    level: int
    parent: str | None = Field(description="The code of the area it is part of.")
    path: str = Field(description="The codes from level 1 down to this area: /PR01/DI0103/.")
    hazard_count: int = Field(description="Hazard areas in it and in its sub-areas.")
    geometry: dict[str, Any] | None = Field(
        None, description="The boundary as GeoJSON (WGS84); present only with geometry=true."
    )


class AdminAreaPageOut(PageOut):
    results: list[AdminAreaOut]


class AdminAreaFilters(PageParams):
    level: int | None = Field(None, ge=1, le=4)
    parent: str | None = Field(None, description="Code of the parent area: its direct sub-areas.")
    q: str | None = Field(None, description="Words in the name or code.")
    geometry: bool = Field(False, description="Include each area's boundary.")


def admin_area_out(area, counts, *, with_geometry):
    data = {
        "public_id": area.public_id,
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent.code if area.parent_id else None,
        "path": area.path,
        "hazard_count": counts.get(area.path, 0),
    }
    if with_geometry:
        data["geometry"] = area.geometry
    return data


@router.get(
    "/article5/admin-areas",
    response={200: AdminAreaPageOut, **LIST},
    url_name="article5_admin_area_list",
    summary="List admin areas",
    exclude_unset=True,
)
def admin_area_list(request, filters: Query[AdminAreaFilters]):
    """Admin areas in tree order (by their path of codes)."""
    access.require_reader(request.auth)
    areas = AdminArea.objects.select_related("parent").order_by("path")
    if not filters.geometry:
        areas = areas.defer("geometry", "parent__geometry")
    if filters.level is not None:
        areas = areas.filter(level=filters.level)
    if filters.parent:
        areas = areas.filter(parent=_admin_area_by_code("parent", filters.parent))
    for word in (filters.q or "").split():
        areas = areas.filter(Q(name__icontains=word) | Q(code__icontains=word))
    counts = hazard_counts_by_area_path()
    return paginate(
        areas, filters, lambda area: admin_area_out(area, counts, with_geometry=filters.geometry)
    )
