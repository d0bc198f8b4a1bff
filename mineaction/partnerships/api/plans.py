"""Action plan API: the plans with their progress per section for a year, a plan's sections and
actions with each action's status and evidence for the year, and the managers' assessment of an
action for a year.

Same gates, forms and services as the pages, so the rules, messages and figures are the same.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    Problem,
    choice,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    text,
)
from mineaction.partnerships.forms import FIRST_YEAR, LAST_YEAR, AssessmentForm
from mineaction.partnerships.models import ActionPlan, ActionStatus
from mineaction.partnerships.services import plans as services

router = Router(tags=["partnerships"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 422)
LIST = error_responses(400, 403)
STATUS_KEYS = list(services.PROGRESS_KEYS)


class PlanYearParams(Schema):
    year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="The year of the progress; default: this year inside the plan's years, "
        "its last year once it is over, its first year before it begins.",
    )


class PlanProgressCountsOut(Schema):
    achieved: int
    in_progress: int
    not_started: int
    not_applicable: int = Field(description="Assessed so, or not applying to the State.")
    not_assessed: int = Field(description="No assessment for the year.")


class PlanSectionOut(Schema):
    public_id: uuid.UUID
    number: str = Field(examples=["IV"])
    title: str
    counts: PlanProgressCountsOut
    total: int


class ActionPlanOut(Schema):
    public_id: uuid.UUID
    code: str
    title: str
    first_year: int
    last_year: int
    adopted_at: str
    year: int = Field(description="The year of the progress figures.")
    counts: PlanProgressCountsOut
    total: int
    sections: list[PlanSectionOut]


class PlanActionStatusOut(Schema):
    public_id: uuid.UUID
    number: int
    short_title: str
    applies_to_state: bool
    status: str = Field(
        description="The status for the year: an assessment's, not_applicable for an action "
        "that does not apply to the State, or not_assessed.",
        json_schema_extra={"enum": STATUS_KEYS},
    )
    evidence: str = Field(description="The evidence of the year's assessment.")


class PlanSectionDetailOut(PlanSectionOut):
    actions: list[PlanActionStatusOut]


class ActionPlanDetailOut(ActionPlanOut):
    sections: list[PlanSectionDetailOut]


class ActionAssessmentOut(Schema):
    public_id: uuid.UUID
    plan_action: uuid.UUID
    year: int
    status: ActionStatus
    evidence: str


class ActionAssessmentIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["year", "status"]),
    }

    year: int | None = Field(
        None, description="From the plan's first year to this year; one assessment per year."
    )
    status: str | None = choice(ActionStatus.choices)
    evidence: str | None = text("What shows the status.")


def _plan_year(plan, params, today):
    return params.year if params.year is not None else services.default_year(plan, today)


@router.get(
    "/action-plans",
    response={200: list[ActionPlanOut], **LIST},
    url_name="action_plan_list",
    summary="List action plans",
)
def action_plan_list(request, params: Query[PlanYearParams]):
    """The Convention's action plans with the State's progress per section, newest first."""
    access.require_reader(request.auth)
    today = timezone.localdate()
    plans = list(ActionPlan.objects.order_by("-first_year", "code"))
    years = {plan.pk: _plan_year(plan, params, today) for plan in plans}
    return [services.progress_json(progress) for progress in services.plans_progress(plans, years)]


@router.get(
    "/action-plans/{public_id}",
    response={200: ActionPlanDetailOut, **READ, **LIST},
    url_name="action_plan_detail",
    summary="Get an action plan",
)
def action_plan_detail(request, public_id: str, params: Query[PlanYearParams]):
    """The plan's sections and actions, each with its status and evidence for the year."""
    plan = access.get_action_plan_for_user(request.auth, public_id)
    year = _plan_year(plan, params, timezone.localdate())
    return services.progress_json(services.plan_progress(plan, year), with_actions=True)


@router.put(
    "/plan-actions/{public_id}/assessments",
    response={200: ActionAssessmentOut, 201: ActionAssessmentOut, **WRITE},
    url_name="plan_action_assess",
    summary="Assess a plan action for a year",
)
def plan_action_assess(request, public_id: str, payload: ActionAssessmentIn):
    """Record the State's status of the action for a year (managers). An assessment of a year
    already assessed replaces it (200); a new year answers 201."""
    action = access.get_plan_action_for_user(request.auth, public_id)
    if not access.can_manage_partnerships(request.auth):
        raise Problem(403, _("Only the secretariat and the lead authority assess the actions."))
    today = timezone.localdate()
    form = AssessmentForm(
        data=input_changes(payload, partial=False), plan_action=action, today=today
    )
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        assessment, created = services.action_assess(
            plan_action=action, today=today, **form.cleaned_data
        )
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    body = {
        "public_id": assessment.public_id,
        "plan_action": action.public_id,
        "year": assessment.year,
        "status": assessment.status,
        "evidence": assessment.evidence,
    }
    return Status(201 if created else 200, body)
