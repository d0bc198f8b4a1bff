"""Article 5 exports API: the hazard areas and the land release as CSV, XLSX, GeoJSON or
GeoPackage, with the filters and the writers of the export pages (`exporters`)."""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import Problem, choice, date, error_responses, form_errors, text
from mineaction.landrelease import exporters
from mineaction.landrelease.models import (
    DeviceCategory,
    HazardArea,
    HazardStatus,
    HazardType,
    LandRelease,
    ReleaseMethod,
)

router = Router(tags=["article5"])

FORMAT_NAMES = list(exporters.FORMATS)


def _download_responses(description):
    content = {
        export_format.content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
        for export_format in exporters.FORMATS.values()
    }
    return {"responses": {200: {"description": description, "content": content}}}


class HazardExportFilters(Schema):
    format: str = Field(
        "csv",
        description="csv, xlsx (Excel), geojson or gpkg (GeoPackage).",
        json_schema_extra={"enum": FORMAT_NAMES},
    )
    type: str | None = choice(HazardType.choices)
    status: str | None = choice(HazardStatus.choices)
    device: str | None = choice(DeviceCategory.choices, "Hazard areas with this device category.")
    admin_area: str | None = text("The code of an admin area; the areas inside it are included.")
    bbox: str | None = text(
        "minlon,minlat,maxlon,maxlat in degrees (WGS84): the hazard areas whose bounding box "
        "meets this box."
    )


class ReleaseExportFilters(HazardExportFilters):
    method: str | None = choice(ReleaseMethod.choices)
    released_from: str | None = date("Releases whose end date is on or after this date.")
    released_until: str | None = date("Releases whose end date is on or before this date.")


def _filters(form_class, filters):
    """The export format and the bound filter form; a bad value of either is a 400."""
    if filters.format not in exporters.FORMATS:
        raise Problem(
            400,
            errors={
                "format": [
                    _("Unknown format: %(format)s. Use one of: %(formats)s.")
                    % {"format": filters.format, "formats": ", ".join(FORMAT_NAMES)}
                ]
            },
        )
    form = form_class(data=filters.model_dump(exclude={"format"}, exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return filters.format, form


@router.get(
    "/article5/export/hazards",
    response=error_responses(400, 403),
    summary="Export hazard areas",
    url_name="article5_export_hazards",
    openapi_extra=_download_responses("The hazard areas in the format asked for."),
)
def export_hazards(request, filters: Query[HazardExportFilters]):
    """The hazard areas matching the filters, with the importer's columns (so that the file can
    be imported again) and today's remaining area. GeoJSON and GeoPackage carry the geometry."""
    access.require_reader(request.auth)
    fmt, form = _filters(exporters.HazardFilterForm, filters)
    export = exporters.hazard_export(form.filter(HazardArea.objects.all()))
    return exporters.export_response(export, fmt)


@router.get(
    "/article5/export/releases",
    response=error_responses(400, 403),
    summary="Export land release",
    url_name="article5_export_releases",
    openapi_extra=_download_responses("The land release in the format asked for."),
)
def export_releases(request, filters: Query[ReleaseExportFilters]):
    """The land release matching the filters (the hazard filters apply to each release's hazard
    area), with the importer's columns. A release has no geometry of its own: GeoJSON and
    GeoPackage carry the geometry of its hazard area."""
    access.require_reader(request.auth)
    fmt, form = _filters(exporters.ReleaseFilterForm, filters)
    export = exporters.release_export(form.filter(LandRelease.objects.all()))
    return exporters.export_response(export, fmt)
