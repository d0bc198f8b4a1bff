"""Work plans API: the plans (list, create, read with activities and milestones, change), the
activities of a plan (add, read, change, delete, report progress), the planned budget per year
and a plan's timeline.

Same gates, forms and services as the pages, so the rules and messages are the same.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

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
    input_changes,
    input_schema_extra,
    organisation_ref,
    public_id_field,
    save_form,
    text,
)
from mineaction.core.choices import Component
from mineaction.core.models import CountryProfile
from mineaction.workplans.forms import (
    ActivityForm,
    ActivityProgressForm,
    PlanScopeForm,
    WorkPlanFilterForm,
    WorkPlanForm,
)
from mineaction.workplans.models import (
    Activity,
    ActivityStatus,
    WorkPlan,
    WorkPlanKind,
    WorkPlanStatus,
)
from mineaction.workplans.services import plans as services
from mineaction.workplans.services.budget import (
    planned_budget_by_year,
    totals_by_year_and_currency,
)
from mineaction.workplans.services.timeline import timeline_data

router = Router(tags=["work plans"])

LIST = error_responses(400, 403)
READ = error_responses(403, 404)
CREATE = error_responses(400, 403, 409, 422)
WRITE = error_responses(400, 403, 404, 409, 422)

MILESTONE_STATES = ["achieved", "overdue", "due"]


# Schemas ---------------------------------------------------------------------------------------


class WorkPlanRefOut(Schema):
    public_id: uuid.UUID
    title: str
    kind: WorkPlanKind


class CurrencyTotalOut(Schema):
    currency: str
    amount: Decimal = Field(description="With cents, as a string.")


class WorkPlanOut(Schema):
    public_id: uuid.UUID
    title: str
    kind: WorkPlanKind
    status: WorkPlanStatus
    starts_on: datetime.date
    ends_on: datetime.date
    owner: OrganisationRefOut | None
    description: str
    activity_count: int
    budget_totals: list[CurrencyTotalOut] = Field(
        description="The budgets of the activities not cancelled, per currency."
    )


class WorkPlanPageOut(PageOut):
    results: list[WorkPlanOut]


class WorkPlanChallengeRefOut(Schema):
    public_id: uuid.UUID
    reference: str
    title: str


class ActivityOut(Schema):
    public_id: uuid.UUID
    work_plan: WorkPlanRefOut
    code: str
    title: str
    description: str
    responsible_organisation: OrganisationRefOut
    component: Component
    starts_on: datetime.date
    ends_on: datetime.date
    budget: Decimal | None
    currency: str
    status: ActivityStatus
    progress_percent: int
    late: bool = Field(description="Past its end date and neither completed nor cancelled.")
    challenges: list[WorkPlanChallengeRefOut] = Field(
        description="The challenges it addresses that the caller may see."
    )


class WorkPlanMilestoneOut(Schema):
    public_id: uuid.UUID
    title: str
    activity: uuid.UUID | None = Field(description="The activity, or null: the whole plan.")
    due_on: datetime.date
    achieved_on: datetime.date | None
    state: str = Field(json_schema_extra={"enum": MILESTONE_STATES})


class WorkPlanDetailOut(WorkPlanOut):
    activities: list[ActivityOut]
    milestones: list[WorkPlanMilestoneOut]


class ActivityProgressOut(Schema):
    public_id: uuid.UUID
    on: datetime.date
    status: ActivityStatus = Field(description="The status the update left the activity in.")
    progress_percent: int
    note: str


class ActivityDetailOut(ActivityOut):
    updates: list[ActivityProgressOut] = Field(description="Progress updates, latest first.")
    milestones: list[WorkPlanMilestoneOut]


class BudgetRowOut(Schema):
    year: int
    currency: str
    component: Component
    amount: Decimal


class BudgetYearOut(Schema):
    year: int
    currency: str
    amount: Decimal


class BudgetOut(Schema):
    rows: list[BudgetRowOut] = Field(description="Per year, currency and component.")
    totals: list[BudgetYearOut] = Field(description="Per year and currency.")


class TimelineActivityOut(Schema):
    public_id: uuid.UUID
    code: str
    title: str
    responsible_organisation: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: ActivityStatus
    status_label: str
    progress_percent: int
    late: bool


class TimelineGroupOut(Schema):
    component: Component
    label: str
    rows: list[TimelineActivityOut]


class TimelinePlanOut(Schema):
    public_id: uuid.UUID
    title: str
    starts_on: datetime.date
    ends_on: datetime.date


class TimelineOut(Schema):
    work_plan: TimelinePlanOut
    starts_on: datetime.date = Field(description="The start of the time axis (a quarter).")
    ends_on: datetime.date = Field(description="The end of the time axis (a quarter).")
    today: datetime.date
    groups: list[TimelineGroupOut]
    milestones: list[WorkPlanMilestoneOut]


class WorkPlanFilters(PageParams):
    kind: str | None = choice(WorkPlanKind.choices)
    status: str | None = choice(WorkPlanStatus.choices)
    year: int | None = Field(None, description="Only plans whose period covers part of it.")


class BudgetFilters(Schema):
    plan: str | None = public_id_field("Public id of a work plan.")
    kind: str | None = choice(WorkPlanKind.choices, "Only plans of this kind.")


class WorkPlanIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["title", "kind", "starts_on", "ends_on"]),
    }

    title: str | None = text()
    kind: str | None = choice(WorkPlanKind.choices)
    starts_on: str | None = date()
    ends_on: str | None = date("Not before it starts.")
    status: str | None = choice(WorkPlanStatus.choices, "Draft when not given.")
    owner: str | None = public_id_field("Public id of the organisation leading the plan.")
    description: str | None = text()


class ActivityIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(
            ["title", "responsible_organisation", "component", "starts_on", "ends_on"]
        ),
    }

    code: str | None = text("The plan's own numbering, such as 2.3.")
    title: str | None = text()
    description: str | None = text()
    responsible_organisation: str | None = public_id_field("Public id of an organisation.")
    component: str | None = choice(Component.choices)
    starts_on: str | None = date("Within the plan's period.")
    ends_on: str | None = date("Within the plan's period, not before it starts.")
    budget: str | int | float | None = Field(
        None, description="Not negative, at most two decimals; null when none."
    )
    currency: str | None = text(
        "ISO 4217 code of the budget; the country profile's currency when not given."
    )
    challenges: list[str] | None = Field(
        None, description="Public ids of the challenges it addresses (all of them)."
    )


class ActivityProgressIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["status"]),
    }

    on: str | None = date("The date of the update (default today); not in the future.")
    status: str | None = choice(
        ActivityStatus.choices, "The status after the update; completed means 100 percent."
    )
    progress_percent: int | None = Field(
        None, description="0 to 100; 100 when completed and not given, and 100 only then."
    )
    note: str | None = text()


# Serialisers -----------------------------------------------------------------------------------


def work_plan_ref(plan):
    return {"public_id": plan.public_id, "title": plan.title, "kind": plan.kind}


def work_plan_out(plan, activity_count, budget_totals):
    return {
        "public_id": plan.public_id,
        "title": plan.title,
        "kind": plan.kind,
        "status": plan.status,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "owner": organisation_ref(plan.owner) if plan.owner_id else None,
        "description": plan.description,
        "activity_count": activity_count,
        "budget_totals": [
            {"currency": currency, "amount": amount} for currency, amount in budget_totals
        ],
    }


def activity_out(activity, challenges, today):
    return {
        "public_id": activity.public_id,
        "work_plan": work_plan_ref(activity.work_plan),
        "code": activity.code,
        "title": activity.title,
        "description": activity.description,
        "responsible_organisation": organisation_ref(activity.responsible_organisation),
        "component": activity.component,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "budget": activity.budget,
        "currency": activity.currency,
        "status": activity.status,
        "progress_percent": activity.progress_percent,
        "late": activity.is_late(today),
        "challenges": [
            {"public_id": c.public_id, "reference": c.reference, "title": c.title}
            for c in challenges
        ],
    }


def milestone_out(milestone, today):
    return {
        "public_id": milestone.public_id,
        "title": milestone.title,
        "activity": milestone.activity.public_id if milestone.activity_id else None,
        "due_on": milestone.due_on,
        "achieved_on": milestone.achieved_on,
        "state": services.milestone_state(milestone, today),
    }


def progress_out(update):
    return {
        "public_id": update.public_id,
        "on": update.on,
        "status": update.status,
        "progress_percent": update.progress_percent,
        "note": update.note,
    }


def _challenges_by_activity(user, activities):
    """{activity id: [challenges the user may see]} in one query."""
    through = Activity.challenges.through
    visible = access.visible_challenges(user)
    links = (
        through.objects.filter(activity__in=activities, challenge__in=visible)
        .select_related("challenge")
        .order_by("challenge__number")
    )
    found = {}
    for link in links:
        found.setdefault(link.activity_id, []).append(link.challenge)
    return found


def _plan_detail_out(user, plan):
    today = timezone.localdate()
    activities = list(
        plan.activities.select_related("work_plan", "responsible_organisation").order_by(
            "starts_on", "code", "id"
        )
    )
    challenges = _challenges_by_activity(user, activities)
    milestones = plan.milestones.select_related("activity").order_by("due_on", "id")
    return {
        **work_plan_out(plan, len(activities), services.budget_totals(activities)),
        "activities": [activity_out(a, challenges.get(a.pk, []), today) for a in activities],
        "milestones": [milestone_out(m, today) for m in milestones],
    }


def _activity_detail_out(user, activity):
    today = timezone.localdate()
    activity = Activity.objects.select_related("work_plan", "responsible_organisation").get(
        pk=activity.pk
    )
    challenges = _challenges_by_activity(user, [activity]).get(activity.pk, [])
    return {
        **activity_out(activity, challenges, today),
        "updates": [progress_out(u) for u in activity.updates.order_by("-on", "-id")],
        "milestones": [
            milestone_out(m, today)
            for m in activity.milestones.select_related("activity").order_by("due_on", "id")
        ],
    }


def _refuse(error):
    """A service's refusal as a 422 with the messages per field."""
    if hasattr(error, "error_dict"):
        return Problem(422, errors=error.message_dict)
    return Problem(422, errors={"__all__": error.messages})


# Plans -----------------------------------------------------------------------------------------


@router.get(
    "/work-plans",
    response={200: WorkPlanPageOut, **LIST},
    url_name="work_plan_list",
    summary="List work plans",
)
def work_plan_list(request, filters: Query[WorkPlanFilters]):
    """Work plans, latest first, with their number of activities and budget per currency."""
    access.require_reader(request.auth)
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = WorkPlanFilterForm(data=filters.model_dump(include=sent))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    plans = services.with_activity_counts(form.filter(WorkPlan.objects.select_related("owner")))
    plans = plans.order_by("-starts_on", "title", "id")
    count = plans.count()
    start = (filters.page - 1) * filters.page_size
    page = list(plans[start : start + filters.page_size]) if start < count else []
    totals = services.budget_totals_by_plan([plan.pk for plan in page])
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            work_plan_out(plan, plan.activity_count, totals.get(plan.pk, [])) for plan in page
        ],
    }


@router.post(
    "/work-plans",
    response={201: WorkPlanDetailOut, **CREATE},
    url_name="work_plan_create",
    summary="Create a work plan",
)
def work_plan_create(request, payload: WorkPlanIn):
    """Create a plan (secretariat, lead authority, administrators); then add its activities."""
    access.require_reader(request.auth)
    if not access.can_manage_work_plans(request.auth):
        raise Problem(403, _("Only those who manage work plans create them."))
    data = {"status": WorkPlanStatus.DRAFT, **input_changes(payload, partial=True)}
    form = WorkPlanForm(data=data)
    try:
        plan = save_form(form, services.work_plan_save)
    except ValidationError as error:
        raise _refuse(error) from None
    return Status(201, _plan_detail_out(request.auth, plan))


@router.get(
    "/work-plans/budget",
    response={200: BudgetOut, **LIST},
    url_name="work_plan_budget",
    summary="Planned budget per year",
)
def work_plan_budget(request, filters: Query[BudgetFilters]):
    """What the activities ask for per calendar year, currency and component (each activity's
    budget shared over its years in proportion to the days; cancelled ones left out)."""
    access.require_reader(request.auth)
    form = PlanScopeForm(data=filters.model_dump(exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    rows = planned_budget_by_year(form.filter(Activity.objects.all()))
    return {"rows": rows, "totals": totals_by_year_and_currency(rows)}


def _plan_values(plan):
    return {
        "title": plan.title,
        "kind": plan.kind,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "status": plan.status,
        "owner": plan.owner.public_id if plan.owner_id else None,
        "description": plan.description,
    }


@router.get(
    "/work-plans/{public_id}",
    response={200: WorkPlanDetailOut, **READ},
    url_name="work_plan_detail",
    summary="Get a work plan",
)
def work_plan_detail(request, public_id: str):
    """The plan with its activities and milestones."""
    plan = access.get_work_plan_for_user(request.auth, public_id)
    return _plan_detail_out(request.auth, plan)


@router.patch(
    "/work-plans/{public_id}",
    response={200: WorkPlanDetailOut, **WRITE},
    url_name="work_plan_patch",
    summary="Change a work plan",
)
def work_plan_patch(request, public_id: str, payload: WorkPlanIn):
    """Change the fields sent. The period must still hold the activities and milestones."""
    plan = access.get_work_plan_for_user(request.auth, public_id, write=True)
    form = WorkPlanForm(
        data={**_plan_values(plan), **input_changes(payload, partial=True)}, instance=plan
    )
    try:
        save_form(form, services.work_plan_save)
    except ValidationError as error:
        raise _refuse(error) from None
    return _plan_detail_out(request.auth, plan)


@router.get(
    "/work-plans/{public_id}/timeline",
    response={200: TimelineOut, **READ},
    url_name="work_plan_timeline",
    summary="Get a work plan's timeline",
)
def work_plan_timeline(request, public_id: str):
    """What the timeline draws: the axis, the activities by component and the milestones."""
    plan = access.get_work_plan_for_user(request.auth, public_id)
    activities = plan.activities.select_related("responsible_organisation")
    milestones = plan.milestones.select_related("activity")
    return timeline_data(plan, activities, milestones, timezone.localdate())


# Activities ------------------------------------------------------------------------------------


def _base_currency():
    profile = CountryProfile.load()
    return profile.currency if profile else ""


def _budget_value(data):
    """Numbers are passed to the form as text, so they get the form's messages and no float
    rounding (a JSON 0.1 is "0.1")."""
    if isinstance(data.get("budget"), int | float) and not isinstance(data["budget"], bool):
        data["budget"] = str(data["budget"])
    return data


def _save_activity(form):
    try:
        return save_form(form, services.activity_save)
    except ValidationError as error:
        raise _refuse(error) from None


@router.post(
    "/work-plans/{public_id}/activities",
    response={201: ActivityDetailOut, **WRITE},
    url_name="work_plan_activity_create",
    summary="Add an activity to a work plan",
)
def work_plan_activity_create(request, public_id: str, payload: ActivityIn):
    """Add an activity (those who manage work plans). It starts as planned, at 0 percent."""
    plan = access.get_work_plan_for_user(request.auth, public_id, write=True)
    data = _budget_value({"currency": _base_currency(), **input_changes(payload, partial=True)})
    form = ActivityForm(data=data, instance=Activity(work_plan=plan), user=request.auth)
    activity = _save_activity(form)
    return Status(201, _activity_detail_out(request.auth, activity))


def _activity_values(user, activity):
    visible = access.visible_challenges(user).filter(activities=activity)
    return {
        "code": activity.code,
        "title": activity.title,
        "description": activity.description,
        "responsible_organisation": activity.responsible_organisation.public_id,
        "component": activity.component,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "budget": activity.budget,
        "currency": activity.currency,
        "challenges": [str(public_id) for public_id in visible.values_list("public_id", flat=True)],
    }


@router.get(
    "/activities/{public_id}",
    response={200: ActivityDetailOut, **READ},
    url_name="activity_detail",
    summary="Get an activity",
)
def activity_detail(request, public_id: str):
    """The activity with its progress updates and milestones."""
    activity = access.get_activity_for_user(request.auth, public_id)
    return _activity_detail_out(request.auth, activity)


@router.patch(
    "/activities/{public_id}",
    response={200: ActivityDetailOut, **WRITE},
    url_name="activity_patch",
    summary="Change an activity",
)
def activity_patch(request, public_id: str, payload: ActivityIn):
    """Change the fields sent (those who manage work plans). Status and progress change
    through progress updates."""
    activity = access.get_activity_for_user(request.auth, public_id, write=True)
    data = {
        **_activity_values(request.auth, activity),
        **_budget_value(input_changes(payload, partial=True)),
    }
    form = ActivityForm(data=data, instance=activity, user=request.auth)
    _save_activity(form)
    return _activity_detail_out(request.auth, activity)


@router.delete(
    "/activities/{public_id}",
    response={204: None, **WRITE},
    url_name="activity_delete",
    summary="Delete an activity",
)
def activity_delete(request, public_id: str):
    """Delete an activity with its progress updates. Refused (409) while it has milestones."""
    activity = access.get_activity_for_user(request.auth, public_id, write=True)
    try:
        services.activity_delete(activity=activity)
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    return Status(204, None)


@router.post(
    "/activities/{public_id}/progress",
    response={201: ActivityProgressOut, **WRITE},
    url_name="activity_progress",
    summary="Report progress on an activity",
)
def activity_progress(request, public_id: str, payload: ActivityProgressIn):
    """Record progress and the status it leaves the activity in (those who manage work plans,
    or anyone speaking for the responsible organisation)."""
    activity = access.get_activity_for_progress(request.auth, public_id)
    data = input_changes(payload, partial=False)
    data["on"] = data.get("on") or timezone.localdate().isoformat()
    data["note"] = data.get("note") or ""
    form = ActivityProgressForm(data=data, activity=activity)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        update = services.activity_progress_add(activity=activity, **form.cleaned_data)
    except ValidationError as error:
        raise _refuse(error) from None
    return Status(201, progress_out(update))
