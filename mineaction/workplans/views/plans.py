"""Work plan pages: the list, a plan with its activities, milestones and budget per year, its
timeline, the export of activities, and the managers' create and edit. Every view: check
access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Sum
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import form_errors, problem_response
from mineaction.core.choices import Component
from mineaction.core.pages import form_data, render_form, results_template
from mineaction.core.tables import table_response
from mineaction.workplans.forms import PlanScopeForm, WorkPlanFilterForm, WorkPlanForm
from mineaction.workplans.models import Activity, ActivityStatus, WorkPlan
from mineaction.workplans.services import budget as budget_services
from mineaction.workplans.services import exports
from mineaction.workplans.services import plans as services
from mineaction.workplans.services.timeline import timeline_data, timeline_svg

PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")


def unknown_format(fmt, formats):
    return problem_response(
        400,
        errors={
            "format": [
                _("Unknown format “%(format)s”. Choose one of: %(formats)s.")
                % {"format": fmt, "formats": ", ".join(formats)}
            ]
        },
    )


def component_groups(activities):
    """[{"component", "label", "activities"}] in the order of the components."""
    groups = []
    for component in Component:
        members = [a for a in activities if a.component == component]
        if members:
            groups.append(
                {"component": component.value, "label": component.label, "activities": members}
            )
    return groups


def budget_context(rows):
    """The planned budget per year as the pages' table: component columns and lines."""
    components, lines = budget_services.budget_table(rows)
    return {
        "budget_components": [Component(value).label for value in components],
        "budget_lines": lines,
    }


# List ------------------------------------------------------------------------------------------


@require_GET
@login_required
def plan_list(request):
    access.require_reader(request.user)
    filters = WorkPlanFilterForm(request.GET)
    filters.is_valid()
    plans = filters.filter(WorkPlan.objects.select_related("owner"))
    page = Paginator(
        services.with_activity_counts(plans).order_by("-starts_on", "title", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    totals = services.budget_totals_by_plan([plan.pk for plan in page])
    for plan in page:
        plan.budget_totals = totals.get(plan.pk, [])
    listed = Activity.objects.filter(work_plan__in=plans)
    return render(
        request,
        results_template(request, "workplans/plans_list.html"),
        {
            "filters": filters,
            "page": page,
            "activity_total": listed.count(),
            "budget_total": list(
                listed.filter(budget__isnull=False)
                .exclude(status=ActivityStatus.CANCELLED)
                .values("currency")
                .annotate(total=Sum("budget"), activities=Count("id"))
                .order_by("currency")
            ),
            "can_manage": access.can_manage_work_plans(request.user),
        },
    )


# Create and edit -------------------------------------------------------------------------------


def _save_plan(request, form):
    try:
        return services.work_plan_save(form=form)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request):
    access.require_work_plan_manager(request.user)
    form = WorkPlanForm(form_data(request))
    if form.is_valid() and (plan := _save_plan(request, form)):
        messages.success(request, _("The work plan has been created. Add its activities."))
        return redirect("workplans:plan_detail", plan.public_id)
    return render_form(
        request, form, title=_("New work plan"), cancel_url=reverse("workplans:plan_list")
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request, public_id):
    plan = access.get_work_plan_for_user(request.user, public_id, write=True)
    form = WorkPlanForm(form_data(request), instance=plan)
    if form.is_valid() and _save_plan(request, form):
        messages.success(request, _("The work plan has been saved."))
        return redirect("workplans:plan_detail", plan.public_id)
    return render_form(
        request,
        form,
        title=_("Edit work plan"),
        subject=plan.title,
        cancel_url=reverse("workplans:plan_detail", args=[plan.public_id]),
    )


# A plan ----------------------------------------------------------------------------------------


def _plan_records(plan):
    """The plan's activities (with their organisation) and milestones (with their activity)."""
    activities = list(
        plan.activities.select_related("responsible_organisation").order_by(
            "starts_on", "code", "id"
        )
    )
    milestones = list(plan.milestones.select_related("activity").order_by("due_on", "id"))
    return activities, milestones


@require_GET
@login_required
def plan_detail(request, public_id):
    plan = access.get_work_plan_for_user(request.user, public_id)
    today = timezone.localdate()
    activities, milestones = _plan_records(plan)
    for activity in activities:
        activity.late = activity.is_late(today)
    for milestone in milestones:
        milestone.state = services.milestone_state(milestone, today)
    challenges = (
        access.visible_challenges(request.user)
        .filter(activities__work_plan=plan)
        .distinct()
        .order_by("number")
    )
    return render(
        request,
        "workplans/plans_detail.html",
        {
            "plan": plan,
            "groups": component_groups(activities),
            "activity_count": len(activities),
            "late_count": sum(activity.late for activity in activities),
            "budget_totals": services.budget_totals(activities),
            "milestones": milestones,
            "challenges": challenges,
            "today": today,
            "can_manage": access.can_manage_work_plans(request.user),
            **budget_context(budget_services.planned_budget_by_year(activities)),
        },
    )


@require_GET
@login_required
def plan_timeline(request, public_id):
    """The plan's activities and milestones on a time axis, with the same data as a table and
    as JSON (`?format=json`)."""
    plan = access.get_work_plan_for_user(request.user, public_id)
    fmt = request.GET.get("format", "")
    if fmt not in ("", "json"):
        return unknown_format(fmt, ["json"])
    activities, milestones = _plan_records(plan)
    data = timeline_data(plan, activities, milestones, timezone.localdate())
    if fmt == "json":
        return JsonResponse(data, encoder=DjangoJSONEncoder)
    return render(
        request,
        "workplans/plans_timeline.html",
        {
            "plan": plan,
            "timeline": data,
            "svg": timeline_svg(data),
            "statuses": ActivityStatus.choices,
        },
    )


# Export ----------------------------------------------------------------------------------------


def activities_for_export(user, activities):
    return activities.select_related("work_plan", "responsible_organisation").prefetch_related(
        Prefetch(
            "challenges",
            queryset=access.visible_challenges(user).order_by("number"),
            to_attr="visible_challenges",
        )
    )


@require_GET
@login_required
def plan_export(request):
    """The activities of one plan, of a kind of plan or of every plan as CSV or XLSX."""
    access.require_reader(request.user)
    fmt = request.GET.get("format") or "csv"
    if fmt not in EXPORT_FORMATS:
        return unknown_format(fmt, EXPORT_FORMATS)
    scope = PlanScopeForm(request.GET)
    if not scope.is_valid():
        return problem_response(400, errors=form_errors(scope))
    activities = scope.filter(Activity.objects.all()).order_by(
        "work_plan__starts_on", "work_plan__title", "work_plan_id", "starts_on", "code", "id"
    )
    plan = scope.cleaned_data.get("plan")
    filename = f"activities-{plan.public_id}" if plan else "activities"
    return table_response(
        exports.activity_columns(),
        activities_for_export(request.user, activities),
        fmt=fmt,
        filename=filename,
        title=_("Activities"),
    )


urlpatterns = [
    path("", plan_list, name="plan_list"),
    path("new/", plan_create, name="plan_create"),
    path("export/", plan_export, name="plan_export"),
    path("<uuid:public_id>/", plan_detail, name="plan_detail"),
    path("<uuid:public_id>/edit/", plan_edit, name="plan_edit"),
    path("<uuid:public_id>/timeline/", plan_timeline, name="plan_timeline"),
]
