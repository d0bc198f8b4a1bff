"""Maps: the members' map of hazard areas over the admin-area boundaries, and the public page of
Article 5 progress with the remaining area per admin area.

Each map is a `<div>` fed by GeoJSON endpoints, with its figures in a table below, so the pages
are useful without JavaScript. Geometry is simplified to about half a screen pixel at the zoom
asked for, so a whole country of hazard areas loads in one request. The public page and its
endpoint are drawn from admin-area boundaries and totals only: no hazard geometry, coordinate or
identifier ever reaches them.
"""

import json

import numpy as np
import shapely
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.pages import results_template
from mineaction.landrelease import exporters
from mineaction.landrelease.geometry import POLYGONAL
from mineaction.landrelease.models import AdminArea, HazardArea, HazardStatus, HazardType
from mineaction.landrelease.services import progress

# Hazard areas sent at most per request; the map asks for the visible box when there are more.
MAP_FEATURE_LIMIT = 5000
# The zoom at which geometry is simplified when the map does not say (a whole country).
DEFAULT_ZOOM = 7
# Coordinates are rounded to this many decimals of a degree (about 10 cm).
COORDINATE_DECIMALS = 6
# Classes of the public choropleth, above the class of admin areas with nothing remaining.
CHOROPLETH_CLASSES = 4
GEOJSON = "application/geo+json"
LEVEL_CHOICES = [
    (1, gettext_lazy("Level 1 (such as provinces)")),
    (2, gettext_lazy("Level 2 (such as districts)")),
    (3, gettext_lazy("Level 3")),
    (4, gettext_lazy("Level 4 (such as villages)")),
]


class MapFilterForm(exporters.HazardFilterForm):
    """The hazard filters, the admin level of the boundaries drawn and the map's zoom."""

    level = forms.TypedChoiceField(
        label=gettext_lazy("Boundaries"),
        required=False,
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=1,
    )
    zoom = forms.IntegerField(required=False, min_value=0, max_value=22)


class BoundaryForm(forms.Form):
    level = forms.TypedChoiceField(required=False, choices=LEVEL_CHOICES, coerce=int, empty_value=1)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=22)


# GeoJSON ---------------------------------------------------------------------------------------


def tolerance_for_zoom(zoom):
    """About half a screen pixel at `zoom`, in degrees (256-pixel tiles)."""
    return 180 / (256 * 2 ** (DEFAULT_ZOOM if zoom is None else zoom))


def as_text(field):
    """The stored GeoJSON as text: decoding it into Python objects costs more than the rest of
    the map's work together, and shapely reads the text directly."""
    return Cast(field, TextField())


def _rounded_geojson(geometries):
    rounded = shapely.transform(geometries, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    return shapely.to_geojson(rounded)


def boundary_geojson(texts, zoom):
    """GeoJSON texts of admin-area boundaries simplified for `zoom`, keeping their topology
    (no ring collapses or crosses itself): a few areas, drawn as the base map."""
    parsed = shapely.from_geojson(np.array(texts, dtype=object))
    return _rounded_geojson(
        shapely.simplify(parsed, tolerance_for_zoom(zoom), preserve_topology=True)
    )


def hazard_geojson(types, texts, boxes, zoom):
    """GeoJSON texts of hazard areas simplified for `zoom`.

    A polygon that fits in a pixel or two is drawn as its stored bounding box, without reading
    its geometry; the others are simplified (Douglas-Peucker, vectorised) and any that collapse
    are drawn as their bounding box, so that every hazard area stays visible.
    """
    tolerance = tolerance_for_zoom(zoom)
    boxes = np.array(boxes, dtype=float).reshape(-1, 4)
    polygonal = np.array([kind in POLYGONAL for kind in types], dtype=bool)
    tiny = (
        polygonal
        & (boxes[:, 2] - boxes[:, 0] <= 4 * tolerance)
        & (boxes[:, 3] - boxes[:, 1] <= 4 * tolerance)
    )
    geometries = np.empty(len(types), dtype=object)
    geometries[tiny] = shapely.box(*boxes[tiny].T)
    parsed = shapely.from_geojson(np.array(texts, dtype=object)[~tiny])
    simplified = shapely.simplify(parsed, tolerance, preserve_topology=False)
    collapsed = shapely.is_empty(simplified)
    simplified[collapsed] = shapely.envelope(parsed[collapsed])
    geometries[~tiny] = simplified
    return _rounded_geojson(geometries)


def feature_collection(features, **members):
    """A FeatureCollection from (geometry GeoJSON text, properties) pairs, as bytes."""
    parts = [
        f'{{"type":"Feature","geometry":{geometry},"properties":{json.dumps(properties)}}}'
        for geometry, properties in features
    ]
    extra = "".join(f",{json.dumps(name)}:{json.dumps(value)}" for name, value in members.items())
    return f'{{"type":"FeatureCollection"{extra},"features":[{",".join(parts)}]}}'.encode()


def geojson_response(body):
    response = HttpResponse(body, content_type=GEOJSON)
    response["Cache-Control"] = "private, no-cache"
    return response


def invalid_filters(form):
    """A 400 naming each bad filter and its reason, in the user's language."""
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return JsonResponse(
        {"detail": _("Some filters are not valid."), "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def boundaries(level, zoom):
    """[({"code", "name", "level"}, simplified GeoJSON text)] of the admin areas of `level`
    with a boundary."""
    areas = list(
        AdminArea.objects.filter(level=level, geometry__isnull=False)
        .order_by("code")
        .values("code", "name", "level", text=as_text("geometry"))
    )
    geometries = boundary_geojson([area.pop("text") for area in areas], zoom)
    return list(zip(areas, geometries, strict=True))


def detail_url_maker():
    """A function public_id -> hazard page URL, reversing the pattern once for every feature."""
    placeholder = "00000000-0000-0000-0000-000000000000"
    template = reverse("landrelease:hazard_detail", kwargs={"public_id": placeholder})
    return lambda public_id: template.replace(placeholder, str(public_id))


# Members' map ----------------------------------------------------------------------------------


def hazard_summary(hazards):
    """Count, area and remaining area today per type and status, in one query; every pair of
    type and status gets a row, with zeros when there is no such hazard area."""
    rows = {
        (row["hazard_type"], row["status"]): row
        for row in progress.with_remaining(hazards, timezone.localdate())
        .order_by()
        .values("hazard_type", "status")
        .annotate(
            count=Count("id"),
            area=Sum("area_m2"),
            remaining=Sum("remaining_m2"),
            not_drawn=Count("id", filter=Q(geometry__isnull=True)),
        )
    }
    empty = {"count": 0, "area": 0, "remaining": 0, "not_drawn": 0}
    table = [
        {
            "type": type_value,
            "type_label": type_label,
            "status": status_value,
            "status_label": status_label,
            **{key: rows.get((type_value, status_value), empty)[key] or 0 for key in empty},
        }
        for type_value, type_label in HazardType.choices
        for status_value, status_label in HazardStatus.choices
    ]
    totals = {key: sum(row[key] for row in table) for key in empty}
    return {"rows": table, "totals": totals}


def tile_layer():
    """The tile server of the settings, or None: then the boundaries are the base map."""
    if not settings.MAP_TILE_URL:
        return None
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def map_labels():
    """The map script's words, in the user's language."""
    return {
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "loading": _("Loading the map…"),
        "shown": _("%(count)s hazard areas on the map."),
        "capped": _(
            "The map shows %(count)s of %(total)s hazard areas. Zoom in or filter to see the rest."
        ),
        "failed": _("The map could not load its data. Reload the page to try again."),
        "invalid": _("Some filters are not valid: correct them to update the map."),
        "type": _("Type"),
        "status": _("Status"),
        "area": _("Area"),
        "remaining": _("Remaining today"),
        "sha": _("Suspected hazardous areas"),
        "cha": _("Confirmed hazardous areas"),
        "admin_area": _("Admin area"),
        "open": _("Open the hazard area"),
        "square_metres": _("%(area)s m²"),
    }


@require_GET
@login_required
def map_page(request):
    access.require_reader(request.user)
    filters = MapFilterForm(request.GET, auto_id="map_%s")
    filters.is_valid()  # the page reports bad filters and applies the others
    hazards = filters.filter(HazardArea.objects.all())
    config = {
        "mode": "hazards",
        "tiles": tile_layer(),
        "labels": map_labels(),
        "types": dict(HazardType.choices),
        "statuses": dict(HazardStatus.choices),
    }
    return render(
        request,
        results_template(request, "landrelease/maps_map.html"),
        {
            "filters": filters,
            "summary": hazard_summary(hazards),
            "map_config": config,
            "export_query": filters.query_string(),
        },
    )


@require_GET
@login_required
def map_admin_areas(request):
    """The admin-area boundaries of one level, simplified for the map's zoom."""
    access.require_reader(request.user)
    form = BoundaryForm(request.GET)
    if not form.is_valid():
        return invalid_filters(form)
    level = form.cleaned_data["level"]
    features = [(geometry, area) for area, geometry in boundaries(level, form.cleaned_data["zoom"])]
    return geojson_response(feature_collection(features))


@require_GET
@login_required
def map_hazards(request):
    """The hazard areas matching the filters, with simplified geometry and their figures
    today, at most MAP_FEATURE_LIMIT (largest first); `capped` says when there are more."""
    access.require_reader(request.user)
    form = MapFilterForm(request.GET)
    if not form.is_valid():
        return invalid_filters(form)
    hazards = form.filter(HazardArea.objects.filter(geometry__isnull=False))
    rows = list(
        progress.with_remaining(hazards, timezone.localdate())
        .order_by("-area_m2", "external_id")
        .values_list(
            "public_id",
            "external_id",
            "name",
            "hazard_type",
            "status",
            "area_m2",
            "remaining_m2",
            "admin_area__name",
            "geometry__type",
            as_text("geometry"),
            "min_lon",
            "min_lat",
            "max_lon",
            "max_lat",
        )[: MAP_FEATURE_LIMIT + 1]
    )
    capped = len(rows) > MAP_FEATURE_LIMIT
    rows = rows[:MAP_FEATURE_LIMIT]
    total = hazards.count() if capped else len(rows)
    detail_url = detail_url_maker()
    geometries = hazard_geojson(
        [row[8] for row in rows],
        [row[9] for row in rows],
        [row[10:] for row in rows],
        form.cleaned_data["zoom"],
    )
    features = [
        (
            geometry,
            {
                "public_id": str(public_id),
                "external_id": external_id,
                "name": name,
                "type": hazard_type,
                "status": status,
                "area_m2": area_m2,
                "remaining_m2": remaining_m2,
                "admin_area": admin_area or "",
                "url": detail_url(public_id),
            },
        )
        for (
            public_id,
            external_id,
            name,
            hazard_type,
            status,
            area_m2,
            remaining_m2,
            admin_area,
            *_geometry,
        ), geometry in zip(rows, geometries, strict=True)
    ]
    body = feature_collection(features, limit=MAP_FEATURE_LIMIT, capped=capped, total=total)
    return geojson_response(body)


# Public page -----------------------------------------------------------------------------------


def choropleth_breaks(values, classes=CHOROPLETH_CLASSES):
    """Upper bounds of `classes` classes of equal count over the positive values."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    breaks = []
    for index in range(1, classes + 1):
        bound = positive[min(len(positive) - 1, -(-index * len(positive) // classes) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def choropleth_class(value, breaks):
    """0 for nothing remaining, else 1 + the index of the first class the value fits in."""
    if value <= 0:
        return 0
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index + 1
    return max(len(breaks), 1)


def public_regions(as_of=None):
    """The national summary (the same figures as the members' dashboard) and its remaining area
    per level-1 admin area, each with its choropleth class, and the classes' upper bounds."""
    summary = progress.summary(as_of, level=1)
    regions = [
        {
            "code": row["code"],
            "name": str(row["name"]),
            "remaining_m2": row["remaining_m2"],
            "sha_m2": row["sha_m2"],
            "cha_m2": row["cha_m2"],
            "hazard_count": row["hazard_count"],
        }
        for row in summary["remaining_by_admin_area"]
    ]
    breaks = choropleth_breaks([region["remaining_m2"] for region in regions if region["code"]])
    for region in regions:
        region["class"] = choropleth_class(region["remaining_m2"], breaks)
    return summary, regions, breaks


def legend_classes(breaks):
    """The choropleth's legend: (class, lowest m², highest m²) from the breaks."""
    legend = [{"class": 0, "low": 0, "high": 0}]
    low = 1
    for index, bound in enumerate(breaks):
        legend.append({"class": index + 1, "low": low, "high": bound})
        low = bound + 1
    return legend


def open_hazard_count(summary):
    return sum(row["count"] for row in summary["hazards_by_status"] if row["status"] == "open")


def released_to_date(summary):
    return sum(year["total_m2"] for year in summary["released_by_year"])


@require_GET
def public_progress(request):
    """Article 5 progress for everyone: national totals, the deadline and the remaining area
    per admin area, as a choropleth map and a table."""
    summary, regions, breaks = public_regions()
    config = {"mode": "public", "tiles": tile_layer(), "labels": map_labels()}
    return render(
        request,
        "landrelease/maps_public.html",
        {
            "summary": summary,
            "released_m2": released_to_date(summary),
            "open_count": open_hazard_count(summary),
            "regions": regions,
            "legend": legend_classes(breaks),
            "map_config": config,
        },
    )


@require_GET
def public_admin_areas(request):
    """The level-1 admin areas with their remaining area and choropleth class: boundaries and
    totals only."""
    form = BoundaryForm({"zoom": request.GET.get("zoom", "")})
    if not form.is_valid():
        return invalid_filters(form)
    _summary, regions, breaks = public_regions()
    by_code = {region["code"]: region for region in regions if region["code"]}
    features = [
        (geometry, by_code[area["code"]])
        for area, geometry in boundaries(1, form.cleaned_data["zoom"])
        if area["code"] in by_code
    ]
    body = feature_collection(features, classes=legend_classes(breaks))
    response = geojson_response(body)
    response["Cache-Control"] = "public, max-age=300"
    return response


urlpatterns = [
    path("map/", map_page, name="map"),
    path("map/admin-areas.geojson", map_admin_areas, name="map_admin_areas"),
    path("map/hazards.geojson", map_hazards, name="map_hazards"),
    path("public/", public_progress, name="public_progress"),
    path("public/admin-areas.geojson", public_admin_areas, name="public_admin_areas"),
]
