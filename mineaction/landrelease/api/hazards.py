"""Hazard areas API: the list as a GeoJSON FeatureCollection (the filters of the page, a
bounding box, remaining areas at a date) and one hazard area as a GeoJSON Feature with its land
release. For members only: precise hazard geometry is never public.

Reading only: hazard areas come in through the import endpoints and are corrected on the
pages. Same gates and filter forms as the pages, so the rules, figures and messages agree.
"""

import datetime
import uuid
from typing import Any, Literal

from django import forms
from django.http import JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    Problem,
    choice,
    date,
    error_responses,
    form_errors,
    organisation_ref,
    paginate,
)
from mineaction.landrelease.forms import (
    HAZARD_SORTS,
    HazardApiFilterForm,
    released_by_method,
    remaining_of,
    with_remaining,
)
from mineaction.landrelease.models import (
    DeviceCategory,
    HazardArea,
    HazardStatus,
    HazardType,
    ReleaseMethod,
)

router = Router(tags=["article5"])

GEOJSON_CONTENT_TYPE = "application/geo+json"
LIST = error_responses(400, 403)
READ = error_responses(400, 403, 404)


def filter_form(form_class, filters):
    """The list page's filter form bound to the query parameters sent; a bad value is a 400
    here (the page reports and ignores it)."""
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = form_class(data=filters.model_dump(include=sent, exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


def as_of_param(value):
    """The `as_of` date of a figure (today when not given); 400 when it is not a date."""
    try:
        as_of = forms.DateField(required=False).clean(value)
    except forms.ValidationError as error:
        raise Problem(400, errors={"as_of": error.messages}) from None
    return as_of or timezone.localdate()


def geojson_response(data):
    return JsonResponse(data, content_type=GEOJSON_CONTENT_TYPE)


def geojson_openapi(schema_name):
    """Document the GeoJSON media type of a response answered as `application/geo+json`."""
    reference = {"$ref": f"#/components/schemas/{schema_name}"}
    return {"responses": {200: {"content": {GEOJSON_CONTENT_TYPE: {"schema": reference}}}}}


class HazardFilters(PageParams):
    q: str | None = Field(None, description="Words in the external id or the name.")
    type: str | None = choice(HazardType.choices)
    status: str | None = choice(HazardStatus.choices)
    device: str | None = choice(DeviceCategory.choices, "Hazard areas with this device category.")
    admin_area: str | None = Field(
        None, description="Code of an admin area; the hazard areas of its sub-areas are included."
    )
    sort: str | None = Field(
        None, description="Default: external_id.", json_schema_extra={"enum": list(HAZARD_SORTS)}
    )
    bbox: str | None = Field(
        None,
        description=(
            "min_lon,min_lat,max_lon,max_lat (WGS84 degrees): hazard areas whose bounding box "
            "meets this one. Hazard areas without geometry are left out."
        ),
        examples=["30.1,-18.2,30.4,-17.9"],
    )
    as_of: str | None = date("The date of the remaining areas (default today).")


class AsOfParams(Schema):
    as_of: str | None = date("The date of the figures (default today).")


class HazardPropertiesOut(Schema):
    external_id: str
    name: str
    type: HazardType
    status: HazardStatus
    closed_on: datetime.date | None = Field(description="When it was closed or handed over.")
    device_categories: list[DeviceCategory]
    admin_area: str | None = Field(description="The code of its admin area.")
    recorded_area_m2: int | None = Field(description="The area in the national database.")
    geometry_area_m2: int | None = Field(description="The geodesic area of the geometry (WGS84).")
    area_m2: int = Field(description="The baseline area: the recorded area, else the geometry's.")
    remaining_m2: int = Field(
        description=(
            "The baseline area minus the land released up to `as_of`, never below 0; 0 when "
            "it was closed or handed over by then, or recorded after that date."
        )
    )
    date_recorded: datetime.date
    source_organisation: OrganisationRefOut | None


class HazardFeatureOut(Schema):
    type: Literal["Feature"]
    id: uuid.UUID = Field(description="The hazard area's public id.")
    geometry: dict[str, Any] | None = Field(description="GeoJSON geometry (WGS84), or null.")
    properties: HazardPropertiesOut


class HazardCollectionOut(PageOut):
    type: Literal["FeatureCollection"]
    as_of: datetime.date = Field(description="The date of the remaining areas.")
    features: list[HazardFeatureOut]


class ReleaseSummaryOut(Schema):
    public_id: uuid.UUID
    external_id: str
    method: ReleaseMethod
    area_m2: int
    start_date: datetime.date | None
    end_date: datetime.date
    operator: OrganisationRefOut | None


class MethodTotalOut(Schema):
    method: ReleaseMethod
    area_m2: int
    count: int


class HazardDetailPropertiesOut(HazardPropertiesOut):
    as_of: datetime.date
    released_m2: int = Field(description="Land released from it up to `as_of`.")
    released_by_method: list[MethodTotalOut] = Field(description="Up to `as_of`.")
    area_discrepancy: float | None = Field(
        description="How far the recorded area is from the geometry's (0.12 = 12 %)."
    )
    releases: list[ReleaseSummaryOut] = Field(description="Every release, latest first.")


class HazardDetailOut(Schema):
    type: Literal["Feature"]
    id: uuid.UUID
    geometry: dict[str, Any] | None
    properties: HazardDetailPropertiesOut


def hazard_properties(hazard, remaining_m2):
    organisation = hazard.source_organisation
    return {
        "external_id": hazard.external_id,
        "name": hazard.name,
        "type": hazard.hazard_type,
        "status": hazard.status,
        "closed_on": hazard.closed_on,
        "device_categories": hazard.device_list,
        "admin_area": hazard.admin_area.code if hazard.admin_area_id else None,
        "recorded_area_m2": hazard.recorded_area_m2,
        "geometry_area_m2": hazard.geometry_area_m2,
        "area_m2": hazard.area_m2,
        "remaining_m2": remaining_m2,
        "date_recorded": hazard.date_recorded,
        "source_organisation": organisation_ref(organisation) if organisation else None,
    }


def hazard_feature(hazard, properties):
    return {
        "type": "Feature",
        "id": str(hazard.public_id),
        "geometry": hazard.geometry,
        "properties": properties,
    }


def release_summary(release):
    return {
        "public_id": release.public_id,
        "external_id": release.external_id,
        "method": release.method,
        "area_m2": release.area_m2,
        "start_date": release.start_date,
        "end_date": release.end_date,
        "operator": organisation_ref(release.operator) if release.operator_id else None,
    }


@router.get(
    "/article5/hazards",
    response={200: HazardCollectionOut, **LIST},
    url_name="article5_hazard_list",
    summary="List hazard areas (GeoJSON)",
    openapi_extra=geojson_openapi("HazardCollectionOut"),
)
def hazard_list(request, filters: Query[HazardFilters]):
    """Hazard areas as a GeoJSON FeatureCollection (`application/geo+json`), one page at a
    time; `count`, `page`, `page_size` and `as_of` are foreign members of the collection."""
    access.require_reader(request.auth)
    form = filter_form(HazardApiFilterForm, filters)
    as_of = form.cleaned_data.get("as_of") or timezone.localdate()
    hazards = form.filter(
        with_remaining(
            HazardArea.objects.select_related("admin_area", "source_organisation"), as_of
        )
    )
    page = paginate(
        hazards,
        filters,
        lambda hazard: hazard_feature(hazard, hazard_properties(hazard, hazard.remaining_m2)),
    )
    return geojson_response(
        {
            "type": "FeatureCollection",
            "as_of": as_of,
            "count": page["count"],
            "page": page["page"],
            "page_size": page["page_size"],
            "features": page["results"],
        }
    )


@router.get(
    "/article5/hazards/{public_id}",
    response={200: HazardDetailOut, **READ},
    url_name="article5_hazard_detail",
    summary="Get a hazard area (GeoJSON)",
    openapi_extra=geojson_openapi("HazardDetailOut"),
)
def hazard_detail(request, public_id: str, params: Query[AsOfParams]):
    """One hazard area as a GeoJSON Feature (`application/geo+json`) with its land release."""
    hazard = access.get_hazard_area_for_user(request.auth, public_id)
    as_of = as_of_param(params.as_of)
    released, remaining = remaining_of(hazard, as_of)
    releases = hazard.releases.select_related("operator").order_by("-end_date", "external_id")
    properties = {
        **hazard_properties(hazard, remaining),
        "as_of": as_of,
        "released_m2": released,
        "released_by_method": [
            {"method": row["method"], "area_m2": row["area_m2"], "count": row["count"]}
            for row in released_by_method(hazard, as_of)
        ],
        "area_discrepancy": hazard.area_discrepancy,
        "releases": [release_summary(release) for release in releases],
    }
    return geojson_response(hazard_feature(hazard, properties))
