"""Pages of the action plan catalogue: the plans with their progress per section for a year, a
plan with each action's status, evidence, indicators and the partnerships and commitments that
address it, an action's assessments over the years, and the managers' changes and assessments.
Every view: check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import problem_response
from mineaction.core.pages import form_data, render_form
from mineaction.partnerships.forms import AssessmentForm, PlanActionForm, YearForm
from mineaction.partnerships.models import ActionPlan, Commitment, Partnership, PlanAction
from mineaction.partnerships.services import plans as services


def _year(request, plan=None, *, today):
    """(year, form): the year asked for, else the plan's default (else this year)."""
    form = YearForm(request.GET)
    year = form.chosen_year() if form.is_valid() else None
    if year is None:
        year = services.default_year(plan, today) if plan is not None else today.year
    return year, form


def _unknown_format(fmt):
    return problem_response(
        400,
        errors={
            "format": [
                _("Unknown format “%(format)s”. Choose one of: %(formats)s.")
                % {"format": fmt, "formats": "json"}
            ]
        },
    )


@require_GET
@login_required
def action_plan_list(request):
    """Every plan with its progress per section: for the year asked, else each plan's own
    default year."""
    access.require_reader(request.user)
    today = timezone.localdate()
    form = YearForm(request.GET)
    chosen = form.chosen_year() if form.is_valid() else None
    plans = list(ActionPlan.objects.order_by("-first_year", "code"))
    years = {plan.pk: chosen or services.default_year(plan, today) for plan in plans}
    progress = services.plans_progress(plans, years)
    fmt = request.GET.get("format", "")
    if fmt not in ("", "json"):
        return _unknown_format(fmt)
    if fmt == "json":
        return JsonResponse({"plans": [services.progress_json(p) for p in progress]})
    return render(
        request,
        "partnerships/plans_list.html",
        {
            "form": form,
            "chosen_year": chosen,
            "progress": progress,
            "status_keys": [(key, services.status_label(key)) for key in services.PROGRESS_KEYS],
            "this_year": today.year,
        },
    )


def _addressed_by(plan):
    """{action pk: {"partnerships": [...], "commitments": [...], "indicators": [...]}}: two
    queries per kind of record, however many actions."""
    actions = PlanAction.objects.filter(section__action_plan=plan).prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.order_by("title")),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("party").order_by("due_on", "id"),
        ),
        "indicators",
    )
    return {
        action.pk: {
            "partnerships": list(action.partnerships.all()),
            "commitments": list(action.commitments.all()),
            "indicators": sorted(action.indicators.all(), key=lambda indicator: indicator.name),
        }
        for action in actions
    }


@require_GET
@login_required
def action_plan_detail(request, public_id):
    plan = access.get_action_plan_for_user(request.user, public_id)
    today = timezone.localdate()
    year, form = _year(request, plan, today=today)
    progress = services.plan_progress(plan, year)
    fmt = request.GET.get("format", "")
    if fmt not in ("", "json"):
        return _unknown_format(fmt)
    if fmt == "json":
        return JsonResponse(services.progress_json(progress, with_actions=True))
    addressed = _addressed_by(plan)
    for section in progress.sections:
        section.rows = [
            {
                "action": action,
                "status": status,
                "status_label": services.status_label(status),
                "assessment": assessment,
                **addressed[action.pk],
            }
            for action, status, assessment in section.actions
        ]
    return render(
        request,
        "partnerships/plans_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "year": year,
            "form": form,
            "status_keys": [(key, services.status_label(key)) for key in services.PROGRESS_KEYS],
            "years": range(plan.first_year, max(plan.last_year, today.year) + 1),
            "can_manage": access.can_manage_partnerships(request.user),
        },
    )


@require_GET
@login_required
def plan_action_detail(request, public_id):
    action = access.get_plan_action_for_user(request.user, public_id)
    return render(
        request,
        "partnerships/plans_action_detail.html",
        {
            "action": action,
            "plan": action.section.action_plan,
            "assessments": action.assessments.order_by("-year"),
            "indicators": action.indicators.order_by("name"),
            "partnerships": action.partnerships.select_related("state_party").order_by("title"),
            "commitments": action.commitments.select_related("party", "partnership").order_by(
                "due_on", "id"
            ),
            "can_manage": access.can_manage_partnerships(request.user),
            "today": timezone.localdate(),
        },
    )


def _manager_action(request, public_id):
    action = access.get_plan_action_for_user(request.user, public_id)
    if not access.can_manage_partnerships(request.user):
        raise PermissionDenied
    return action


@require_http_methods(["GET", "POST"])
@login_required
def plan_action_edit(request, public_id):
    """A manager rewords the short title, or marks the action as not applying to the State."""
    action = _manager_action(request, public_id)
    form = PlanActionForm(form_data(request), instance=action)
    if form.is_valid():
        try:
            services.plan_action_update(
                plan_action=action,
                short_title=form.cleaned_data["short_title"],
                applies_to_state=form.cleaned_data["applies_to_state"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action has been saved."))
            return redirect("partnerships:plan_action_detail", action.public_id)
    return render_form(
        request,
        form,
        title=_("Edit the action"),
        subject=_("#%(number)s of %(plan)s")
        % {"number": action.number, "plan": action.section.action_plan},
        cancel_url=reverse("partnerships:plan_action_detail", args=[action.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_action_assess(request, public_id):
    """A manager records the State's status of the action for a year, with its evidence."""
    action = _manager_action(request, public_id)
    today = timezone.localdate()
    plan = action.section.action_plan
    initial = {"year": services.default_year(plan, today)}
    year_form = YearForm(request.GET)
    if year_form.is_valid() and year_form.chosen_year():
        initial["year"] = year_form.chosen_year()
    earlier = action.assessments.filter(year=initial["year"]).first()
    if earlier is not None:
        initial.update(status=earlier.status, evidence=earlier.evidence)
    form = AssessmentForm(form_data(request), plan_action=action, today=today, initial=initial)
    if form.is_valid():
        try:
            _assessment, created = services.action_assess(
                plan_action=action, today=today, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                (
                    _("The assessment for %(year)s has been recorded.")
                    if created
                    else _("The assessment for %(year)s has been replaced.")
                )
                % {"year": form.cleaned_data["year"]},
            )
            return redirect("partnerships:plan_action_detail", action.public_id)
    return render_form(
        request,
        form,
        title=_("Assess the action"),
        subject=_("#%(number)s %(title)s") % {"number": action.number, "title": action.short_title},
        intro=_("%(plan)s, %(first)s–%(last)s.")
        % {"plan": plan.title, "first": plan.first_year, "last": plan.last_year},
        cancel_url=reverse("partnerships:plan_action_detail", args=[action.public_id]),
    )


urlpatterns = [
    path("action-plans/", action_plan_list, name="action_plan_list"),
    path("action-plans/<uuid:public_id>/", action_plan_detail, name="action_plan_detail"),
    path("action-plans/actions/<uuid:public_id>/", plan_action_detail, name="plan_action_detail"),
    path("action-plans/actions/<uuid:public_id>/edit/", plan_action_edit, name="plan_action_edit"),
    path(
        "action-plans/actions/<uuid:public_id>/assess/",
        plan_action_assess,
        name="plan_action_assess",
    ),
]
