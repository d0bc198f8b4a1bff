"""Export pages: the hazard areas and the land release, filtered as on the map, as CSV, XLSX,
GeoJSON or GeoPackage (see `exporters`). Members only: exports hold precise geometry."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.landrelease import exporters
from mineaction.landrelease.models import HazardArea, LandRelease


def _hazard_filters(data=None):
    # Two forms on one page: distinct ids, the same field names as the download addresses.
    return exporters.HazardFilterForm(data, auto_id="hazards_%s")


def _release_filters(data=None):
    return exporters.ReleaseFilterForm(data, auto_id="releases_%s")


def _render_page(request, *, hazard_filters, release_filters, status=200):
    return render(
        request,
        "landrelease/exports_page.html",
        {
            "hazard_filters": hazard_filters,
            "release_filters": release_filters,
            "formats": exporters.FORMATS,
            "hazard_columns": exporters.HAZARD_COLUMNS,
            "release_columns": exporters.RELEASE_COLUMNS,
        },
        status=status,
    )


@require_GET
@login_required
def exports_page(request):
    access.require_reader(request.user)
    return _render_page(
        request,
        hazard_filters=_hazard_filters(),
        release_filters=_release_filters(),
    )


def _format_or_404(fmt):
    if fmt not in exporters.FORMATS:
        raise Http404
    return fmt


@require_GET
@login_required
def export_hazards(request, fmt):
    access.require_reader(request.user)
    fmt = _format_or_404(fmt)
    filters = _hazard_filters(request.GET)
    if not filters.is_valid():
        return _render_page(
            request,
            hazard_filters=filters,
            release_filters=_release_filters(),
            status=400,
        )
    export = exporters.hazard_export(filters.filter(HazardArea.objects.all()))
    return exporters.export_response(export, fmt)


@require_GET
@login_required
def export_releases(request, fmt):
    access.require_reader(request.user)
    fmt = _format_or_404(fmt)
    filters = _release_filters(request.GET)
    if not filters.is_valid():
        return _render_page(
            request,
            hazard_filters=_hazard_filters(),
            release_filters=filters,
            status=400,
        )
    export = exporters.release_export(filters.filter(LandRelease.objects.all()))
    return exporters.export_response(export, fmt)


urlpatterns = [
    path("export/", exports_page, name="exports"),
    path("export/hazards.<str:fmt>", export_hazards, name="export_hazards"),
    path("export/releases.<str:fmt>", export_releases, name="export_releases"),
    # Without a format the address names the CSV, the most widely read of the four.
    path("export/hazards.csv", export_hazards, {"fmt": "csv"}, name="export_hazards"),
    path("export/releases.csv", export_releases, {"fmt": "csv"}, name="export_releases"),
]
