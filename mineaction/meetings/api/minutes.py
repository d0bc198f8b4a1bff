"""minutes API of the meeting cycle: minutes per meeting and language, their entries (saved
with the revision they were based on: 409 with the current content on conflict), decisions and
action points agreed under agenda items, circulation, amendments, approval and versions.

Same gates, forms and services as the pages, so the rules and messages are the same.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Field as FormField
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TITLES,
    OrganisationRefOut,
    PersonRefOut,
    Problem,
    ProblemOut,
    date,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    person_ref,
    public_id_field,
    text,
)
from mineaction.core.choices import Component
from mineaction.meetings.forms.minutes import (
    ActionPointForm,
    AmendmentForm,
    AmendmentResolveForm,
    CirculateForm,
    DecisionEditForm,
    DecisionForm,
    MinutesStartForm,
)
from mineaction.meetings.models import ActionPoint, Amendment, Minutes
from mineaction.meetings.services import minutes as services

router = Router(tags=["meetings"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(403, 404)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# Schemas ---------------------------------------------------------------------------------------


class MinutesSummaryOut(Schema):
    public_id: uuid.UUID
    meeting: uuid.UUID
    language: str = Field(json_schema_extra={"enum": LANGUAGE_CODES})
    is_authoritative: bool
    status: Minutes.Status
    revision: int = Field(description="Send it back when saving entries (conflict detection).")
    amendments_close_on: datetime.date | None
    approved_at: datetime.datetime | None
    approved_by: str | None = Field(description="Email of the approver.")


class EntryOut(Schema):
    agenda_item: uuid.UUID
    order: int
    title: str
    discussion: str


class DecisionOut(Schema):
    public_id: uuid.UUID
    number: int
    text: str
    agenda_item: uuid.UUID | None


class MinutesActionPointOut(Schema):
    public_id: uuid.UUID
    text: str
    owner_organisation: OrganisationRefOut
    owner_person: PersonRefOut | None
    due_on: datetime.date
    component: str = Field(json_schema_extra={"enum": ["", *Component.values]})
    status: ActionPoint.Status
    agenda_item: uuid.UUID | None


class MinutesOut(MinutesSummaryOut):
    entries: list[EntryOut] = Field(description="One per agenda item, in agenda order.")
    decisions: list[DecisionOut]
    action_points: list[MinutesActionPointOut]


class MinutesConflictOut(ProblemOut):
    current: MinutesOut = Field(description="The minutes as saved now, to merge with.")


class MinutesIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["language"])}

    language: str | None = Field(None, json_schema_extra={"enum": LANGUAGE_CODES})


class EntryIn(Schema):
    model_config = {"extra": "forbid"}

    agenda_item: uuid.UUID
    discussion: str


class EntriesIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["revision"])}

    revision: int | None = Field(None, description="The revision the changes are based on.")
    entries: list[EntryIn] = Field(
        default_factory=list, description="Entries to change; the others stay as they are."
    )
    note: str = Field("", max_length=300, description="What changed, kept with the version.")


class DecisionIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["agenda_item", "text"]),
    }

    agenda_item: str | None = public_id_field("Public id of an agenda item of the meeting.")
    text: str | None = text()


class DecisionPatchIn(Schema):
    model_config = {"extra": "forbid"}

    agenda_item: str | None = public_id_field(
        "Public id of an agenda item of the meeting, or null for none."
    )
    text: str | None = text("The new wording; the number stays.")


class MinutesActionPointIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(
            ["agenda_item", "text", "owner_organisation", "due_on"]
        ),
    }

    agenda_item: str | None = public_id_field("Public id of an agenda item of the meeting.")
    text: str | None = text()
    owner_organisation: str | None = public_id_field("Public id of an organisation.")
    owner_person: str | None = public_id_field("Public id of a person of that organisation.")
    due_on: str | None = date("Not before the meeting.")
    component: str | None = Field(None, json_schema_extra={"enum": ["", *Component.values]})


class CirculateIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["amendments_close_on"]),
    }

    amendments_close_on: str | None = date("A future date.")


class AmendmentOut(Schema):
    public_id: uuid.UUID
    agenda_item: uuid.UUID | None
    proposed_by: PersonRefOut
    comment: str
    proposed_text: str
    status: Amendment.Status
    resolution: str
    resolved_at: datetime.datetime | None
    created_at: datetime.datetime


class AmendmentIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["comment"])}

    agenda_item: str | None = public_id_field("Public id of an agenda item, or null.")
    comment: str | None = text()
    proposed_text: str | None = text("Optional: the wording proposed instead.")


class AmendmentResolveIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["outcome"])}

    outcome: str | None = Field(None, json_schema_extra={"enum": ["accept", "reject"]})
    resolution: str | None = text("Required when rejecting: the reason.")


class VersionOut(Schema):
    revision: int
    note: str
    created_at: datetime.datetime
    created_by: str | None = Field(description="Email of the person who saved it.")


class VersionDetailOut(VersionOut):
    content: dict = Field(description="The full content: entries, decisions, action points.")


# Serialisers -----------------------------------------------------------------------------------


def _item_id(record):
    return record.agenda_item.public_id if record.agenda_item_id else None


def minutes_summary_out(minutes):
    return {
        "public_id": minutes.public_id,
        "meeting": minutes.meeting.public_id,
        "language": minutes.language,
        "is_authoritative": minutes.is_authoritative,
        "status": minutes.status,
        "revision": minutes.revision,
        "amendments_close_on": minutes.amendments_close_on,
        "approved_at": minutes.approved_at,
        "approved_by": minutes.approved_by.email if minutes.approved_by_id else None,
    }


def minutes_out(minutes):
    sections, other_decisions, other_action_points = services.minutes_sections(minutes)
    decisions = [d for s in sections for d in s["decisions"]] + other_decisions
    action_points = [a for s in sections for a in s["action_points"]] + other_action_points
    return {
        **minutes_summary_out(minutes),
        "entries": [
            {
                "agenda_item": s["agenda_item"].public_id,
                "order": s["agenda_item"].order,
                "title": s["agenda_item"].title,
                "discussion": s["discussion"],
            }
            for s in sections
        ],
        "decisions": [
            {
                "public_id": d.public_id,
                "number": d.number,
                "text": d.text,
                "agenda_item": _item_id(d),
            }
            for d in sorted(decisions, key=lambda d: d.number)
        ],
        "action_points": [
            {
                "public_id": a.public_id,
                "text": a.text,
                "owner_organisation": organisation_ref(a.owner_organisation),
                "owner_person": person_ref(a.owner_person) if a.owner_person else None,
                "due_on": a.due_on,
                "component": a.component,
                "status": a.status,
                "agenda_item": _item_id(a),
            }
            for a in action_points
        ],
    }


def amendment_out(amendment):
    return {
        "public_id": amendment.public_id,
        "agenda_item": _item_id(amendment),
        "proposed_by": person_ref(amendment.proposed_by),
        "comment": amendment.comment,
        "proposed_text": amendment.proposed_text,
        "status": amendment.status,
        "resolution": amendment.resolution,
        "resolved_at": amendment.resolved_at,
        "created_at": amendment.created_at,
    }


def version_out(version, *, content=False):
    data = {
        "revision": version.revision,
        "note": version.note,
        "created_at": version.created_at,
        "created_by": version.created_by.email if version.created_by_id else None,
    }
    if content:
        data["content"] = version.content
    return data


# Helpers ---------------------------------------------------------------------------------------


def _minutes(request, public_id, *, write=False):
    return access.get_minutes_for_user(request.auth, public_id, write=write)


def _form(form_class, payload, **kwargs):
    data = {name: ("" if value is None else value) for name, value in payload.model_dump().items()}
    form = form_class(data=data, **kwargs)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    return form


def _act(action, **kwargs):
    """Run a service; its refusals become problems (409: not possible in the current state)."""
    try:
        return action(**kwargs)
    except PermissionDenied as error:
        raise Problem(403, str(error) or None) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise Problem(422, errors=error.message_dict) from None
        raise Problem(409, error.messages[0]) from None


def decision_out(decision):
    return {
        "public_id": decision.public_id,
        "number": decision.number,
        "text": decision.text,
        "agenda_item": _item_id(decision),
    }


def _decision(request, public_id, decision_id):
    """Minutes for a meeting runner and one decision of their meeting (404 otherwise); 409
    when the minutes can no longer change."""
    minutes = _minutes(request, public_id, write=True)
    decision = (
        minutes.meeting.decisions.select_related("agenda_item")
        .filter(public_id=decision_id)
        .first()
        if services.is_public_id(decision_id)
        else None
    )
    if decision is None:
        raise Problem(404)
    problem = services.minutes_edit_problem(minutes)
    if problem:
        raise Problem(409, problem)
    return minutes, decision


def _conflict_response(minutes):
    body = {
        "type": "about:blank",
        "title": str(PROBLEM_TITLES[409]),
        "status": 409,
        "detail": str(
            _(
                "Someone else saved these minutes since the revision you started from. Merge your "
                "changes with the current content and send them again with its revision."
            )
        ),
        "current": MinutesOut.model_validate(minutes_out(minutes)).model_dump(mode="json"),
    }
    return JsonResponse(body, status=409, content_type=PROBLEM_CONTENT_TYPE)


# Minutes ---------------------------------------------------------------------------------------


@router.get(
    "/meetings/{public_id}/minutes",
    response={200: list[MinutesSummaryOut], **LIST},
    summary="List a meeting's minutes",
)
def minutes_list(request, public_id: str):
    """The meeting's minutes, one per language, the authoritative first."""
    meeting = access.get_meeting_for_user(request.auth, public_id)
    minutes = access.visible_minutes(request.auth, meeting.minutes.all()).select_related(
        "meeting", "approved_by"
    )
    return [minutes_summary_out(record) for record in minutes]


@router.post(
    "/meetings/{public_id}/minutes",
    response={201: MinutesOut, **WRITE},
    summary="Start minutes",
)
def minutes_create(request, public_id: str, payload: MinutesIn):
    """Start the minutes of a held meeting in a language (secretariat). The first are
    authoritative; the meeting moves to "minutes in draft"."""
    meeting = access.get_meeting_for_user(request.auth, public_id, write=True)
    form = _form(MinutesStartForm, payload, meeting=meeting)
    minutes = _act(
        services.minutes_start,
        meeting=meeting,
        language=form.cleaned_data["language"],
        user=request.auth,
    )
    return Status(201, minutes_out(minutes))


@router.get("/minutes/{public_id}", response={200: MinutesOut, **READ}, summary="Get minutes")
def minutes_detail(request, public_id: str):
    return minutes_out(_minutes(request, public_id))


@router.put(
    "/minutes/{public_id}/entries",
    response={200: MinutesOut, 409: MinutesConflictOut, **error_responses(400, 403, 404, 422)},
    summary="Save minutes entries",
)
def minutes_entries_put(request, public_id: str, payload: EntriesIn):
    """Save the discussion under agenda items, based on `revision`. If someone saved since,
    nothing is saved: 409 with the current content, to merge and send again."""
    minutes = _minutes(request, public_id, write=True)
    if payload.revision is None:
        raise Problem(422, errors={"revision": [FormField.default_error_messages["required"]]})
    items = {item.public_id: item for item in minutes.meeting.agenda_items.all()}
    unknown = [str(e.agenda_item) for e in payload.entries if e.agenda_item not in items]
    if unknown:
        raise Problem(
            422,
            errors={
                "entries": [
                    _("This is not an agenda item of the meeting: %(id)s.") % {"id": item_id}
                    for item_id in unknown
                ]
            },
        )
    try:
        minutes = _act(
            services.minutes_save,
            minutes=minutes,
            revision=payload.revision,
            discussions={items[e.agenda_item].pk: e.discussion for e in payload.entries},
            note=payload.note,
            user=request.auth,
        )
    except services.MinutesConflict as conflict:
        return _conflict_response(conflict.minutes)
    return minutes_out(minutes)


@router.post(
    "/minutes/{public_id}/authoritative",
    response={200: MinutesOut, **WRITE},
    summary="Make minutes authoritative",
)
def minutes_authoritative(request, public_id: str):
    """Make this language's minutes the authoritative ones (before any approval)."""
    minutes = _minutes(request, public_id, write=True)
    return minutes_out(_act(services.minutes_make_authoritative, minutes=minutes))


@router.post(
    "/minutes/{public_id}/decisions",
    response={201: DecisionOut, **WRITE},
    summary="Record a decision",
)
def minutes_decision_create(request, public_id: str, payload: DecisionIn):
    """A decision under an agenda item, numbered after the meeting's last one."""
    minutes = _minutes(request, public_id, write=True)
    form = _form(DecisionForm, payload, meeting=minutes.meeting)
    decision = _act(
        services.minutes_decision_add,
        minutes=minutes,
        agenda_item=form.cleaned_data["agenda_item"],
        text=form.cleaned_data["text"],
        user=request.auth,
    )
    return Status(201, decision_out(decision))


@router.patch(
    "/minutes/{public_id}/decisions/{decision_id}",
    response={200: DecisionOut, **WRITE},
    summary="Change a decision",
)
def minutes_decision_patch(request, public_id: str, decision_id: str, payload: DecisionPatchIn):
    """Change a decision's wording or agenda item (secretariat) as a new version of the
    minutes; its number stays. 409 once the minutes are approved or distributed."""
    minutes, decision = _decision(request, public_id, decision_id)
    data = {
        "agenda_item": decision.agenda_item.public_id if decision.agenda_item_id else "",
        "text": decision.text,
        **{
            name: "" if value is None else value
            for name, value in input_changes(payload, partial=True).items()
        },
    }
    form = DecisionEditForm(data=data, meeting=minutes.meeting)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    decision = _act(
        services.decision_update,
        minutes=minutes,
        decision=decision,
        text=form.cleaned_data["text"],
        agenda_item=form.cleaned_data["agenda_item"],
        user=request.auth,
    )
    return decision_out(decision)


@router.delete(
    "/minutes/{public_id}/decisions/{decision_id}",
    response={204: None, **WRITE},
    summary="Delete a decision",
)
def minutes_decision_delete(request, public_id: str, decision_id: str):
    """Delete a decision (secretariat) as a new version of the minutes; the other decisions
    keep their numbers. 409 once the minutes are approved or distributed."""
    minutes, decision = _decision(request, public_id, decision_id)
    _act(services.decision_delete, minutes=minutes, decision=decision, user=request.auth)
    return Status(204, None)


@router.post(
    "/minutes/{public_id}/action-points",
    response={201: MinutesActionPointOut, **WRITE},
    summary="Add an action point",
)
def minutes_action_point_create(request, public_id: str, payload: MinutesActionPointIn):
    """An action point agreed under an agenda item; due not before the meeting, owner person
    of the owner organisation."""
    minutes = _minutes(request, public_id, write=True)
    form = _form(ActionPointForm, payload, meeting=minutes.meeting)
    action_point = _act(
        services.minutes_action_point_add, minutes=minutes, form=form, user=request.auth
    )
    return Status(
        201,
        {
            "public_id": action_point.public_id,
            "text": action_point.text,
            "owner_organisation": organisation_ref(action_point.owner_organisation),
            "owner_person": person_ref(action_point.owner_person)
            if action_point.owner_person
            else None,
            "due_on": action_point.due_on,
            "component": action_point.component,
            "status": action_point.status,
            "agenda_item": _item_id(action_point),
        },
    )


@router.post(
    "/minutes/{public_id}/circulate",
    response={200: MinutesOut, **WRITE},
    summary="Circulate minutes for amendment",
)
def minutes_circulate(request, public_id: str, payload: CirculateIn):
    """Open the amendment window until a future date and email the attendees."""
    minutes = _minutes(request, public_id, write=True)
    form = _form(CirculateForm, payload)
    minutes = _act(
        services.minutes_circulate,
        minutes=minutes,
        closes_on=form.cleaned_data["amendments_close_on"],
        user=request.auth,
    )
    return minutes_out(minutes)


@router.post(
    "/minutes/{public_id}/approve",
    response={200: MinutesOut, **WRITE},
    summary="Approve minutes",
)
def minutes_approve(request, public_id: str):
    """The lead authority approves circulated minutes with no open amendment."""
    minutes = _minutes(request, public_id)
    if not access.can_approve_minutes(request.auth):
        raise Problem(403, services.APPROVER_ONLY)
    return minutes_out(_act(services.minutes_approve, minutes=minutes, user=request.auth))


# Amendments ------------------------------------------------------------------------------------


@router.get(
    "/minutes/{public_id}/amendments",
    response={200: list[AmendmentOut], **READ},
    summary="List amendments",
)
def minutes_amendment_list(request, public_id: str):
    minutes = _minutes(request, public_id)
    amendments = minutes.amendments.select_related(
        "agenda_item", "proposed_by", "proposed_by__organisation"
    )
    return [amendment_out(amendment) for amendment in amendments]


@router.post(
    "/minutes/{public_id}/amendments",
    response={201: AmendmentOut, **WRITE},
    summary="Propose an amendment",
)
def minutes_amendment_create(request, public_id: str, payload: AmendmentIn):
    """While the minutes are circulated: a comment or proposed wording, by an attendee or the
    secretariat."""
    minutes = _minutes(request, public_id)
    person = access.person_of(request.auth)
    if person is None or not services.can_propose_amendment(request.auth, minutes):
        raise Problem(
            403,
            _("Only the people who attended the meeting and the secretariat propose amendments."),
        )
    problem = services.amendment_window_problem(minutes)
    if problem:
        raise Problem(409, problem)
    form = _form(AmendmentForm, payload, meeting=minutes.meeting)
    amendment = _act(
        services.amendment_propose,
        minutes=minutes,
        person=person,
        agenda_item=form.cleaned_data["agenda_item"],
        comment=form.cleaned_data["comment"],
        proposed_text=form.cleaned_data["proposed_text"],
    )
    return Status(201, amendment_out(amendment))


@router.post(
    "/minutes/amendments/{public_id}/resolve",
    response={200: AmendmentOut, **WRITE},
    summary="Resolve an amendment",
)
def minutes_amendment_resolve(request, public_id: str, payload: AmendmentResolveIn):
    """Accept (then change the entries) or reject with a reason (secretariat)."""
    minutes_id = (
        Amendment.objects.filter(public_id=public_id)
        .values_list("minutes__public_id", flat=True)
        .first()
        if services.is_public_id(public_id)
        else None
    )
    if minutes_id is None:
        raise Problem(404)
    minutes = _minutes(request, minutes_id, write=True)
    amendment = minutes.amendments.get(public_id=public_id)
    form = _form(AmendmentResolveForm, payload)
    amendment = _act(
        services.amendment_resolve,
        amendment=amendment,
        accept=form.accepted,
        resolution=form.cleaned_data["resolution"],
        user=request.auth,
    )
    return amendment_out(amendment)


@router.get(
    "/minutes/{public_id}/versions",
    response={200: list[VersionOut], **READ},
    summary="List versions of minutes",
)
def minutes_version_list(request, public_id: str):
    minutes = _minutes(request, public_id)
    return [version_out(v) for v in minutes.versions.select_related("created_by")]


@router.get(
    "/minutes/{public_id}/versions/{revision}",
    response={200: VersionDetailOut, **READ},
    summary="Get a version of minutes",
)
def minutes_version_detail(request, public_id: str, revision: int):
    minutes = _minutes(request, public_id)
    version = minutes.versions.select_related("created_by").filter(revision=revision).first()
    if version is None:
        raise Problem(404)
    return version_out(version, content=True)
