"""Pages of the Article 5 records: hazard areas, land release, milestones and admin areas.

Members read them all, precise geometry included; the data manager, the lead authority and
administrators correct them by hand between imports. Every view: check access through
`core.access`, act, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    ProtectedError,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import confirmed, form_data, render_form, results_template
from mineaction.landrelease import geometry
from mineaction.landrelease.forms import (
    AdminAreaTreeForm,
    HazardAreaCreateForm,
    HazardAreaForm,
    HazardFilterForm,
    LandReleaseCreateForm,
    LandReleaseForm,
    MilestoneForm,
    ReleaseFilterForm,
    hazard_counts_by_area_path,
    released_by_method,
    remaining_of,
    with_remaining,
)
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    DeviceCategory,
    HazardArea,
    HazardStatus,
    LandRelease,
)

PAGE_SIZE = 50
GEOJSON_CONTENT_TYPE = "application/geo+json"


# Hazard areas ----------------------------------------------------------------------------------


@require_GET
@login_required
def hazard_list(request):
    access.require_reader(request.user)
    filters = HazardFilterForm(request.GET)
    filters.is_valid()
    hazards = filters.filter(
        with_remaining(HazardArea.objects.select_related("admin_area"), timezone.localdate())
    )
    page = Paginator(hazards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "landrelease/records_hazard_list.html"),
        {
            "filters": filters,
            "page": page,
            "can_manage": access.can_manage_land_data(request.user),
        },
    )


def _discrepancy(hazard):
    """(percent, warn): how far the recorded area is from the geometry's, and whether that is
    beyond the warning threshold."""
    discrepancy = hazard.area_discrepancy
    if discrepancy is None:
        return None, False
    return round(discrepancy * 100, 1), discrepancy > geometry.AREA_DISCREPANCY_WARNING


@require_GET
@login_required
def hazard_detail(request, public_id):
    hazard = access.get_hazard_area_for_user(request.user, public_id)
    today = timezone.localdate()
    released, remaining = remaining_of(hazard, today)
    percent, warn = _discrepancy(hazard)
    return render(
        request,
        "landrelease/records_hazard_detail.html",
        {
            "hazard": hazard,
            "today": today,
            "released_m2": released,
            "remaining_m2": remaining,
            "by_method": released_by_method(hazard, today),
            "releases": hazard.releases.select_related("operator").order_by(
                "-end_date", "external_id"
            ),
            "discrepancy_percent": percent,
            "discrepancy_warning": warn,
            "discrepancy_limit": round(geometry.AREA_DISCREPANCY_WARNING * 100),
            "can_manage": access.can_manage_land_data(request.user),
        },
    )


@require_GET
@login_required
def hazard_geometry(request, public_id):
    """The hazard area as a GeoJSON Feature file, for GIS software (members only: precise
    hazard geometry is never public)."""
    hazard = access.get_hazard_area_for_user(request.user, public_id)
    feature = {
        "type": "Feature",
        "id": str(hazard.public_id),
        "geometry": hazard.geometry,
        "properties": {
            "external_id": hazard.external_id,
            "name": hazard.name,
            "type": hazard.hazard_type,
            "status": hazard.status,
            "area_m2": hazard.area_m2,
            "recorded_area_m2": hazard.recorded_area_m2,
            "geometry_area_m2": hazard.geometry_area_m2,
            "date_recorded": hazard.date_recorded,
        },
    }
    response = JsonResponse(feature, content_type=GEOJSON_CONTENT_TYPE)
    try:
        name = get_valid_filename(hazard.external_id)
    except SuspiciousFileOperation:  # an external id such as ".."
        name = "hazard-area"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.geojson"
    )
    return response


def _warn_discrepancy(request, hazard):
    percent, warn = _discrepancy(hazard)
    if warn:
        messages.warning(
            request,
            _(
                "The recorded area differs from the geometry's area by %(percent)s %%: check "
                "the recorded area and the geometry."
            )
            % {"percent": percent},
        )


@require_http_methods(["GET", "POST"])
@login_required
def hazard_create(request):
    access.require_land_data_manager(request.user)
    form = HazardAreaCreateForm(form_data(request))
    if form.is_valid():
        hazard = form.save()
        messages.success(request, _("The hazard area has been added."))
        _warn_discrepancy(request, hazard)
        return redirect("landrelease:hazard_detail", hazard.public_id)
    return render_form(
        request,
        form,
        title=_("New hazard area"),
        cancel_url=reverse("landrelease:hazard_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def hazard_edit(request, public_id):
    hazard = access.get_hazard_area_for_user(request.user, public_id, write=True)
    form = HazardAreaForm(form_data(request), instance=hazard)
    if form.is_valid():
        form.save()
        messages.success(request, _("The hazard area has been saved."))
        _warn_discrepancy(request, hazard)
        return redirect("landrelease:hazard_detail", hazard.public_id)
    return render_form(
        request,
        form,
        title=_("Edit hazard area"),
        subject=hazard.external_id,
        cancel_url=reverse("landrelease:hazard_detail", args=[hazard.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def hazard_delete(request, public_id):
    """Confirmation page; a hazard area with land release records cannot be deleted (its
    releases would lose their land): they must be deleted first."""
    hazard = access.get_hazard_area_for_user(request.user, public_id, write=True)
    release_count = hazard.releases.count()
    if confirmed(request) and not release_count:
        try:
            hazard.delete()
        except ProtectedError:  # a release was recorded since the count
            release_count = hazard.releases.count()
        else:
            messages.success(
                request,
                _("Hazard area %(external_id)s has been deleted.")
                % {"external_id": hazard.external_id},
            )
            return redirect("landrelease:hazard_list")
    refused = confirmed(request)
    return render(
        request,
        "landrelease/records_hazard_delete.html",
        {"hazard": hazard, "release_count": release_count, "refused": refused},
        status=400 if refused else 200,
    )


# Land release ----------------------------------------------------------------------------------


@require_GET
@login_required
def release_list(request):
    access.require_reader(request.user)
    filters = ReleaseFilterForm(request.GET)
    filters.is_valid()
    releases = filters.filter(LandRelease.objects.select_related("hazard_area", "operator"))
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    total = releases.order_by().aggregate(total=Coalesce(Sum("area_m2"), 0))["total"]
    return render(
        request,
        results_template(request, "landrelease/records_release_list.html"),
        {"filters": filters, "page": page, "total_m2": total},
    )


@require_GET
@login_required
def release_detail(request, public_id):
    release = access.get_land_release_for_user(request.user, public_id)
    labels = dict(DeviceCategory.choices)
    devices = [
        {"label": labels[category], "count": getattr(release, field)}
        for category, field in DEVICE_FIELDS.items()
    ]
    return render(
        request,
        "landrelease/records_release_detail.html",
        {
            "release": release,
            "hazard": release.hazard_area,
            "devices": devices,
            "devices_total": sum(row["count"] for row in devices),
            "can_manage": access.can_manage_land_data(request.user),
        },
    )


def _save_release(request, form, *, title, cancel_url, success):
    """Save, or ask to confirm a release larger than what remains of its hazard area."""
    if form.is_valid():
        if form.needs_confirmation():
            form.ask_confirmation()
        else:
            release = form.save()
            messages.success(request, success)
            if form.over_release:
                messages.warning(request, form.over_release)
            return redirect("landrelease:release_detail", release.public_id)
    return render(
        request,
        "landrelease/records_release_form.html",
        {
            "form": form,
            "hazard": form.hazard,
            "title": title,
            "cancel_url": cancel_url,
            "over_release": form.over_release if form.is_valid() else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def release_create(request, public_id):
    hazard = access.get_hazard_area_for_user(request.user, public_id, write=True)
    form = LandReleaseCreateForm(form_data(request), hazard=hazard)
    return _save_release(
        request,
        form,
        title=_("New land release"),
        cancel_url=reverse("landrelease:hazard_detail", args=[hazard.public_id]),
        success=_("The land release has been added."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def release_edit(request, public_id):
    release = access.get_land_release_for_user(request.user, public_id, write=True)
    form = LandReleaseForm(form_data(request), instance=release, hazard=release.hazard_area)
    return _save_release(
        request,
        form,
        title=_("Edit land release %(external_id)s") % {"external_id": release.external_id},
        cancel_url=reverse("landrelease:release_detail", args=[release.public_id]),
        success=_("The land release has been saved."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def release_delete(request, public_id):
    release = access.get_land_release_for_user(request.user, public_id, write=True)
    hazard = release.hazard_area
    if confirmed(request):
        release.delete()
        messages.success(
            request,
            _("Land release %(external_id)s has been deleted.")
            % {"external_id": release.external_id},
        )
        return redirect("landrelease:hazard_detail", hazard.public_id)
    return render(
        request, "landrelease/records_release_delete.html", {"release": release, "hazard": hazard}
    )


# Article 5 milestones --------------------------------------------------------------------------


def _milestones_by_year(milestones):
    """[{"year", "national", "regions", "regional_total_m2"}], national milestone first."""
    years = {}
    for milestone in milestones:
        year = years.setdefault(
            milestone.year,
            {"year": milestone.year, "national": None, "regions": [], "regional_total_m2": 0},
        )
        if milestone.admin_area_id is None:
            year["national"] = milestone
        else:
            year["regions"].append(milestone)
            year["regional_total_m2"] += milestone.planned_area_m2
    return list(years.values())


@require_GET
@login_required
def milestone_list(request):
    access.require_reader(request.user)
    milestones = Article5Milestone.objects.select_related("admin_area").order_by(
        "year", F("admin_area__path").asc(nulls_first=True)
    )
    return render(
        request,
        "landrelease/records_milestone_list.html",
        {
            "years": _milestones_by_year(milestones),
            "can_manage": access.can_manage_land_data(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_create(request):
    access.require_land_data_manager(request.user)
    form = MilestoneForm(form_data(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("The milestone has been added."))
        return redirect("landrelease:milestone_list")
    return render_form(
        request,
        form,
        title=_("New Article 5 milestone"),
        intro=gettext_lazy(
            "The area planned for release in a year, nationally or in one region, as in the "
            "annual plan of the Article 5 extension request."
        ),
        cancel_url=reverse("landrelease:milestone_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_edit(request, public_id):
    milestone = access.get_milestone_for_user(request.user, public_id, write=True)
    form = MilestoneForm(form_data(request), instance=milestone)
    if form.is_valid():
        form.save()
        messages.success(request, _("The milestone has been saved."))
        return redirect("landrelease:milestone_list")
    return render_form(
        request,
        form,
        title=_("Edit Article 5 milestone"),
        subject=milestone,
        cancel_url=reverse("landrelease:milestone_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_delete(request, public_id):
    milestone = access.get_milestone_for_user(request.user, public_id, write=True)
    if confirmed(request):
        milestone.delete()
        messages.success(request, _("The milestone has been deleted."))
        return redirect("landrelease:milestone_list")
    return render(request, "landrelease/records_milestone_delete.html", {"milestone": milestone})


# Admin areas -----------------------------------------------------------------------------------


def _tree(areas, counts):
    """The areas as nested nodes {"area", "count", "children"} (an area whose parent is not
    shown is a root)."""
    nodes = {
        area.pk: {"area": area, "count": counts.get(area.path, 0), "children": []} for area in areas
    }
    roots = []
    for area in areas:
        parent = nodes.get(area.parent_id)
        (parent["children"] if parent else roots).append(nodes[area.pk])
    return roots


@require_GET
@login_required
def admin_area_list(request):
    access.require_reader(request.user)
    form = AdminAreaTreeForm(request.GET)
    depth = (form.is_valid() and form.cleaned_data["depth"]) or 2
    areas = list(AdminArea.objects.filter(level__lte=depth).order_by("path"))
    return render(
        request,
        "landrelease/records_admin_area_list.html",
        {
            "form": form,
            "depth": depth,
            "roots": _tree(areas, hazard_counts_by_area_path()),
            "area_count": len(areas),
            "without_area": HazardArea.objects.filter(admin_area__isnull=True).count(),
        },
    )


def _hazard_count_in(path_ref):
    """The number of hazard areas in the admin area at `path_ref` and its sub-areas."""
    hazards = (
        HazardArea.objects.filter(admin_area__path__startswith=path_ref)
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return Coalesce(Subquery(hazards, output_field=IntegerField()), 0)


@require_GET
@login_required
def admin_area_detail(request, public_id):
    area = access.get_admin_area_for_user(request.user, public_id)
    today = timezone.localdate()
    ancestor_codes = area.path.strip("/").split("/")[:-1]
    hazards = with_remaining(
        HazardArea.objects.filter(admin_area__path__startswith=area.path), today
    )
    # Aggregate names differ from the annotations they sum (same names would sum themselves).
    figures = hazards.aggregate(
        count=Count("pk"),
        open=Count("pk", filter=Q(status=HazardStatus.OPEN)),
        baseline_total_m2=Coalesce(Sum("area_m2"), 0),
        remaining_total_m2=Coalesce(Sum("remaining_m2"), 0),
    )
    return render(
        request,
        "landrelease/records_admin_area_detail.html",
        {
            "area": area,
            "today": today,
            "ancestors": AdminArea.objects.filter(code__in=ancestor_codes).order_by("level"),
            "children": area.children.annotate(
                hazard_count=_hazard_count_in(OuterRef("path"))
            ).order_by("path"),
            "figures": figures,
            "milestones": area.milestones.order_by("year"),
        },
    )


urlpatterns = [
    path("hazards/", hazard_list, name="hazard_list"),
    path("hazards/new/", hazard_create, name="hazard_create"),
    path("hazards/<uuid:public_id>/", hazard_detail, name="hazard_detail"),
    path("hazards/<uuid:public_id>/geometry.geojson", hazard_geometry, name="hazard_geometry"),
    path("hazards/<uuid:public_id>/edit/", hazard_edit, name="hazard_edit"),
    path("hazards/<uuid:public_id>/delete/", hazard_delete, name="hazard_delete"),
    path("hazards/<uuid:public_id>/releases/new/", release_create, name="release_create"),
    path("releases/", release_list, name="release_list"),
    path("releases/<uuid:public_id>/", release_detail, name="release_detail"),
    path("releases/<uuid:public_id>/edit/", release_edit, name="release_edit"),
    path("releases/<uuid:public_id>/delete/", release_delete, name="release_delete"),
    path("milestones/", milestone_list, name="milestone_list"),
    path("milestones/new/", milestone_create, name="milestone_create"),
    path("milestones/<uuid:public_id>/edit/", milestone_edit, name="milestone_edit"),
    path("milestones/<uuid:public_id>/delete/", milestone_delete, name="milestone_delete"),
    path("admin-areas/", admin_area_list, name="admin_area_list"),
    path("admin-areas/<uuid:public_id>/", admin_area_detail, name="admin_area_detail"),
]
