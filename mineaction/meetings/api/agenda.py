"""agenda API of the meeting cycle: a meeting's agenda items (list, add, change, remove).

Same gates, forms and services as the pages. Items are added at the end of the agenda;
documents are attached on the meeting's page.
"""

import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    PersonRefOut,
    Problem,
    choice,
    error_responses,
    input_changes,
    input_schema_extra,
    person_ref,
    public_id_field,
    save_form,
    text,
)
from mineaction.core.choices import Component
from mineaction.meetings.forms.agenda import AgendaItemForm
from mineaction.meetings.models import AgendaItem
from mineaction.meetings.services import agenda as services

router = Router(tags=["meetings"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)


class AgendaDocumentOut(Schema):
    public_id: uuid.UUID
    title: str
    download_url: str


class AgendaItemOut(Schema):
    public_id: uuid.UUID
    order: int
    title: str
    description: str
    kind: AgendaItem.Kind
    component: str = Field(json_schema_extra={"enum": ["", *Component.values]})
    presenter: PersonRefOut | None
    duration_minutes: int
    reviewed_action_points: list[uuid.UUID]
    documents: list[AgendaDocumentOut]


class AgendaOut(Schema):
    total_minutes: int = Field(description="The sum of the items' durations.")
    meeting_minutes: int = Field(description="The meeting's length.")
    over_by_minutes: int = Field(description="How much longer the agenda is than the meeting.")
    items: list[AgendaItemOut]


class AgendaItemIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["title"])}

    title: str | None = text()
    description: str | None = text()
    kind: str | None = choice(AgendaItem.Kind.choices)
    component: str | None = choice(Component.choices)
    presenter: str | None = public_id_field("Public id of the person presenting.")
    duration_minutes: int | None = Field(None, ge=1)
    reviewed_action_points: list[str] | None = Field(
        None, description="Public ids of open action points of the series reviewed here."
    )


def agenda_item_out(item):
    return {
        "public_id": item.public_id,
        "order": item.order,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "component": item.component,
        "presenter": person_ref(item.presenter) if item.presenter else None,
        "duration_minutes": item.duration_minutes,
        "reviewed_action_points": [p.public_id for p in item.reviewed_action_points.all()],
        "documents": [
            {
                "public_id": document.public_id,
                "title": document.title,
                "download_url": reverse(
                    "meetings:agenda_document_download", args=[document.public_id]
                ),
            }
            for document in item.documents.all()
        ],
    }


def _editable_meeting(user, public_id):
    meeting = access.get_meeting_for_user(user, public_id, write=True)
    if meeting.is_closed:
        raise Problem(409, _("The agenda of a closed meeting cannot be changed."))
    return meeting


def _agenda_item(user, meeting_id, item_id, *, write=False):
    item = access.get_agenda_item_for_user(user, item_id, write=write)
    if str(item.meeting.public_id) != str(meeting_id):
        raise Problem(404)
    if write and item.meeting.is_closed:
        raise Problem(409, _("The agenda of a closed meeting cannot be changed."))
    return item


@router.get(
    "/meetings/{public_id}/agenda", response={200: AgendaOut, **READ}, summary="Get the agenda"
)
def agenda_list(request, public_id: str):
    """The meeting's agenda items in order, with the total time against the meeting's length."""
    meeting = access.get_meeting_for_user(request.auth, public_id)
    items = list(
        meeting.agenda_items.select_related("presenter__organisation").prefetch_related(
            "documents", "reviewed_action_points"
        )
    )
    timing = services.agenda_timing(meeting, items)
    return {
        "total_minutes": timing["total"],
        "meeting_minutes": timing["length"],
        "over_by_minutes": timing["over_by"],
        "items": [agenda_item_out(item) for item in items],
    }


def _form(meeting, data, instance=None):
    return AgendaItemForm(data=data, instance=instance, meeting=meeting)


@router.post(
    "/meetings/{public_id}/agenda",
    response={201: AgendaItemOut, **WRITE},
    summary="Add an agenda item",
)
def agenda_create(request, public_id: str, payload: AgendaItemIn):
    """Add an item at the end of the agenda (secretariat, lead authority, administrators)."""
    meeting = _editable_meeting(request.auth, public_id)
    data = {"kind": AgendaItem.Kind.DISCUSSION, "duration_minutes": 15}
    data.update(input_changes(payload, partial=True))
    item = save_form(_form(meeting, data), services.agenda_item_save)
    return Status(201, agenda_item_out(item))


@router.patch(
    "/meetings/{public_id}/agenda/{item_id}",
    response={200: AgendaItemOut, **WRITE},
    summary="Change an agenda item",
)
def agenda_patch(request, public_id: str, item_id: str, payload: AgendaItemIn):
    item = _agenda_item(request.auth, public_id, item_id, write=True)
    data = {
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "component": item.component,
        "presenter": item.presenter.public_id if item.presenter else None,
        "duration_minutes": item.duration_minutes,
        "reviewed_action_points": [p.public_id for p in item.reviewed_action_points.all()],
        **input_changes(payload, partial=True),
    }
    saved = save_form(_form(item.meeting, data, instance=item), services.agenda_item_save)
    return agenda_item_out(saved)


@router.delete(
    "/meetings/{public_id}/agenda/{item_id}",
    response={204: None, **WRITE},
    summary="Remove an agenda item",
)
def agenda_delete(request, public_id: str, item_id: str):
    """Remove the item; the items after it move up."""
    item = _agenda_item(request.auth, public_id, item_id, write=True)
    services.agenda_item_delete(agenda_item=item)
    return Status(204, None)
