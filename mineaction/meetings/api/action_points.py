"""action_points API of the meeting cycle: list (filters incl. overdue and mine), read, the
secretariat's change, and progress updates by the secretariat or the owner organisation.

Same gates, forms and services as the pages, so the rules and messages are the same.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    PersonRefOut,
    Problem,
    choice,
    date,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    paginate,
    person_ref,
    public_id_field,
    save_form,
    text,
)
from mineaction.core.choices import Component
from mineaction.meetings.forms.action_points import (
    ActionPointFilterForm,
    ActionPointForm,
    ActionPointProgressForm,
)
from mineaction.meetings.models import ActionPoint, AgendaItem
from mineaction.meetings.services import action_points as services

router = Router(tags=["meetings"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)


class MeetingRefOut(Schema):
    public_id: uuid.UUID
    title: str = Field(description="The meeting's title, or its series and number.")
    starts_at: datetime.datetime


class ActionPointOut(Schema):
    public_id: uuid.UUID
    text: str
    status: ActionPoint.Status
    due_on: datetime.date
    closed_on: datetime.date | None
    overdue: bool = Field(description="Open and past its due date.")
    component: str = Field(json_schema_extra={"enum": ["", *Component.values]})
    meeting: MeetingRefOut = Field(description="The meeting where it was agreed.")
    agenda_item: uuid.UUID | None
    owner_organisation: OrganisationRefOut
    owner_person: PersonRefOut | None


class ActionPointPageOut(PageOut):
    results: list[ActionPointOut]


class ProgressOut(Schema):
    public_id: uuid.UUID
    on: datetime.date
    text: str
    status: ActionPoint.Status = Field(description="The status the update left it in.")


class ActionPointDetailOut(ActionPointOut):
    updates: list[ProgressOut] = Field(description="Progress updates, latest first.")
    reviewed_in: list[MeetingRefOut] = Field(description="Meetings that reviewed it.")


class ActionPointFilters(PageParams):
    q: str | None = Field(None, description="Words in the action.")
    status: str | None = choice(ActionPoint.Status.choices)
    component: str | None = choice(Component.choices)
    owner_organisation: str | None = public_id_field("Public id of the owner organisation.")
    meeting: str | None = public_id_field("Public id of the meeting where it was agreed.")
    overdue: bool = Field(False, description="Only open action points past their due date.")
    mine: bool = Field(
        False, description="Only those owned by the caller's person or organisation."
    )


class ActionPointIn(Schema):
    model_config = {"extra": "forbid"}

    text: str | None = text()
    owner_organisation: str | None = public_id_field("Public id of an organisation.")
    owner_person: str | None = public_id_field(
        "Public id of a person of the owner organisation, or null."
    )
    due_on: str | None = date("Not before the meeting where it was agreed.")
    component: str | None = Field(None, json_schema_extra={"enum": ["", *Component.values]})


class ProgressIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["text", "status"]),
    }

    on: str | None = date("The date of the update (default today).")
    text: str | None = text()
    status: str | None = choice(
        ActionPoint.Status.choices,
        "The status after the update. Done and dropped close the action point; only the "
        "secretariat reopens one.",
    )


def meeting_ref(meeting):
    return {"public_id": meeting.public_id, "title": str(meeting), "starts_at": meeting.starts_at}


def action_point_out(action_point, today):
    return {
        "public_id": action_point.public_id,
        "text": action_point.text,
        "status": action_point.status,
        "due_on": action_point.due_on,
        "closed_on": action_point.closed_on,
        "overdue": action_point.is_open and action_point.due_on < today,
        "component": action_point.component,
        "meeting": meeting_ref(action_point.meeting),
        "agenda_item": action_point.agenda_item.public_id if action_point.agenda_item else None,
        "owner_organisation": organisation_ref(action_point.owner_organisation),
        "owner_person": person_ref(action_point.owner_person)
        if action_point.owner_person
        else None,
    }


def progress_out(update):
    return {
        "public_id": update.public_id,
        "on": update.on,
        "text": update.text,
        "status": update.status,
    }


def _with_related(queryset):
    return queryset.select_related(
        "meeting__series",
        "agenda_item",
        "owner_organisation",
        "owner_person__organisation",
    )


def _get(request, public_id, *, write=False):
    action_point = access.get_action_point_for_user(request.auth, public_id, write=write)
    return _with_related(ActionPoint.objects).get(pk=action_point.pk)


def _detail_out(request, action_point):
    reviewed_in = AgendaItem.objects.filter(
        reviewed_action_points=action_point, meeting__in=access.visible_meetings(request.auth)
    ).select_related("meeting__series")
    return {
        **action_point_out(action_point, timezone.localdate()),
        "updates": [progress_out(update) for update in action_point.updates.all()],
        "reviewed_in": [meeting_ref(item.meeting) for item in reviewed_in],
    }


@router.get(
    "/action-points", response={200: ActionPointPageOut, **LIST}, summary="List action points"
)
def action_point_list(request, filters: Query[ActionPointFilters]):
    """Action points of the meetings the caller may see, by due date."""
    access.require_reader(request.auth)
    sent = filters.model_fields_set - set(PageParams.model_fields) - {"mine"}
    form = ActionPointFilterForm(
        data=filters.model_dump(include=sent), meetings=access.visible_meetings(request.auth)
    )
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    action_points = services.visible_action_points(request.auth)
    if filters.mine:
        action_points = services.own_action_points(request.auth, action_points)
    action_points = _with_related(form.filter(action_points)).order_by("due_on", "id")
    today = timezone.localdate()
    return paginate(action_points, filters, lambda record: action_point_out(record, today))


@router.get(
    "/action-points/{public_id}",
    response={200: ActionPointDetailOut, **READ},
    summary="Get an action point",
)
def action_point_detail(request, public_id: str):
    """The action point with its progress updates and the meetings that reviewed it."""
    return _detail_out(request, _get(request, public_id))


@router.patch(
    "/action-points/{public_id}",
    response={200: ActionPointDetailOut, **WRITE},
    summary="Change an action point",
)
def action_point_patch(request, public_id: str, payload: ActionPointIn):
    """Change the action, its owner, due date or component (the secretariat). The status
    changes through progress updates."""
    action_point = _get(request, public_id)
    if not access.can_run_meetings(request.auth):
        raise Problem(403, _("Only the secretariat changes an action point."))
    form = ActionPointForm(data={}, instance=action_point)
    data = model_to_dict(action_point, fields=list(form.fields))
    for name in ("owner_organisation", "owner_person"):
        form.fields[name].to_field_name = "public_id"
        related = getattr(action_point, name)
        data[name] = related.public_id if related is not None else None
    data.update(input_changes(payload, partial=True))
    form.data = data
    saved = save_form(form, services.action_point_save)
    return _detail_out(request, _with_related(ActionPoint.objects).get(pk=saved.pk))


@router.post(
    "/action-points/{public_id}/updates",
    response={201: ProgressOut, **WRITE},
    summary="Record progress on an action point",
)
def action_point_progress(request, public_id: str, payload: ProgressIn):
    """Record progress and the status it leaves the action point in (the secretariat, or
    anyone of the owner organisation)."""
    action_point = _get(request, public_id, write=True)
    data = input_changes(payload, partial=False)
    data["on"] = data.get("on") or timezone.localdate().isoformat()
    form = ActionPointProgressForm(
        data=data, action_point=action_point, can_reopen=access.can_run_meetings(request.auth)
    )
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        update = services.action_point_progress_add(
            action_point=action_point, by=request.auth, **form.cleaned_data
        )
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return Status(201, progress_out(update))
