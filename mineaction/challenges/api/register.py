"""Challenge register API: list (the page's filters), raise, read with the dated history,
change, move the status, and the CSV/XLSX export.

Same gates, forms and services as the pages, so the rules and messages are the same.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.challenges.forms import (
    ChallengeFilterForm,
    ChallengeForm,
    ChallengeStatusForm,
    list_order,
)
from mineaction.challenges.models import (
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    ChallengeStatusChange,
)
from mineaction.challenges.services import register as services
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
    text,
)
from mineaction.core.choices import Component, Visibility
from mineaction.core.tables import export_openapi

router = Router(tags=["challenges"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 422)
LIST = error_responses(400, 403)
VISIBILITIES = [(value, label) for value, label in Visibility.choices if value != Visibility.PUBLIC]


class ChallengeRegionRefOut(Schema):
    public_id: uuid.UUID
    code: str
    name: str
    level: int


class ChallengeOut(Schema):
    public_id: uuid.UUID
    reference: str = Field(examples=["CH-007"])
    title: str
    kind: ChallengeKind
    component: Component
    status: ChallengeStatus
    status_changed_on: datetime.date
    is_open: bool
    region: ChallengeRegionRefOut | None = Field(description="Null for a national challenge.")
    raised_by_organisation: OrganisationRefOut
    raised_on: datetime.date
    priority_rank: int | None = Field(description="Rank in the latest closed round with it.")
    priority_score: Decimal | None
    visibility: str = Field(json_schema_extra={"enum": [value for value, _l in VISIBILITIES]})


class ChallengePageOut(PageOut):
    results: list[ChallengeOut]


class HistoryEntryOut(Schema):
    on: datetime.date
    kind: str = Field(
        description="raised, status_change, meeting, decision, action_point, round_result, "
        "activity or instrument.",
        json_schema_extra={"enum": list(services.KIND_ORDER)},
    )
    label: str = Field(description="The record the entry is about.")
    url: str = Field(description="The page of that record, or empty.")
    status: str = Field(description="The new status; an action point's or activity's status.")
    from_status: str
    note: str
    meeting: str
    meeting_url: str
    prioritisation_round: str
    rank: int | None
    score: Decimal | None
    out_of: int | None = Field(description="Challenges in the round.")


class DocumentOut(Schema):
    public_id: uuid.UUID
    title: str
    url: str


class ChallengeDetailOut(ChallengeOut):
    description: str
    evidence: str
    resolution: str
    raised_by: PersonRefOut | None
    restricted_to: list[OrganisationRefOut] = Field(
        description="Shown to the secretariat and to the raising organisation only."
    )
    documents: list[DocumentOut]
    history: list[HistoryEntryOut] = Field(description="Oldest first.")


class StatusChangeOut(Schema):
    public_id: uuid.UUID
    from_status: str
    to_status: ChallengeStatus
    on: datetime.date
    note: str
    meeting: uuid.UUID | None
    challenge: ChallengeDetailOut


class ChallengeFilters(PageParams):
    q: str | None = Field(None, description="Words in the reference, title or texts.")
    component: str | None = choice(Component.choices)
    status: str | None = choice(ChallengeStatus.choices)
    kind: str | None = choice(ChallengeKind.choices)
    region: str | None = text("The code of an admin area; the areas inside it are included.")
    state: str | None = Field(
        None,
        description="open (identified to being addressed) or closed (resolved or parked).",
        json_schema_extra={"enum": ["open", "closed"]},
    )


class ChallengeExportFilters(Schema):
    format: str = Field(
        "csv", description="csv or xlsx (Excel).", json_schema_extra={"enum": ["csv", "xlsx"]}
    )
    q: str | None = None
    component: str | None = choice(Component.choices)
    status: str | None = choice(ChallengeStatus.choices)
    kind: str | None = choice(ChallengeKind.choices)
    region: str | None = text("The code of an admin area.")
    state: str | None = Field(None, json_schema_extra={"enum": ["open", "closed"]})


class ChallengeIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["title", "component", "description"]),
    }

    title: str | None = text()
    kind: str | None = choice(ChallengeKind.choices, "Default: challenge.")
    component: str | None = choice(Component.choices)
    description: str | None = text()
    evidence: str | None = text("Figures, reports or observations that show the challenge.")
    region: str | None = text("The code of a province or district; null for national.")
    visibility: str | None = choice(VISIBILITIES, "Default: members.")
    restricted_to: list[str] | None = Field(
        None,
        description="Public ids of the organisations that may see a restricted challenge.",
        json_schema_extra={"items": {"type": "string", "format": "uuid"}},
    )


class StatusIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["to_status"])}

    to_status: str | None = choice(ChallengeStatus.choices, "One of the allowed next statuses.")
    on: str | None = date("The date of the change (default today).")
    note: str | None = text()
    meeting: str | None = public_id_field("Public id of the meeting where it was decided.")
    resolution: str | None = text("Required for resolved and parked.")


def region_ref(area):
    return {"public_id": area.public_id, "code": area.code, "name": area.name, "level": area.level}


def challenge_out(challenge):
    return {
        "public_id": challenge.public_id,
        "reference": challenge.reference,
        "title": challenge.title,
        "kind": challenge.kind,
        "component": challenge.component,
        "status": challenge.status,
        "status_changed_on": challenge.status_changed_on,
        "is_open": challenge.is_open,
        "region": region_ref(challenge.region) if challenge.region_id else None,
        "raised_by_organisation": organisation_ref(challenge.raised_by_organisation),
        "raised_on": challenge.raised_on,
        "priority_rank": challenge.priority_rank,
        "priority_score": challenge.priority_score,
        "visibility": challenge.visibility,
    }


def history_out(entry):
    return {
        "on": entry.on,
        "kind": entry.kind,
        "label": entry.label,
        "url": entry.url,
        "status": entry.status,
        "from_status": entry.from_status,
        "note": entry.note,
        "meeting": entry.meeting,
        "meeting_url": entry.meeting_url,
        "prioritisation_round": entry.prioritisation_round,
        "rank": entry.rank,
        "score": entry.score,
        "out_of": entry.out_of,
    }


def _sees_restriction(user, challenge):
    person = access.person_of(user)
    return access.can_run_meetings(user) or (
        person is not None and person.organisation_id == challenge.raised_by_organisation_id
    )


def _detail_out(request, challenge):
    challenge = (
        Challenge.objects.select_related(
            "region", "raised_by__organisation", "raised_by_organisation"
        )
    ).get(pk=challenge.pk)
    sees_restriction = _sees_restriction(request.auth, challenge)
    restricted_to = challenge.restricted_to.all() if sees_restriction else []
    return {
        **challenge_out(challenge),
        "description": challenge.description,
        "evidence": challenge.evidence,
        "resolution": challenge.resolution,
        "raised_by": person_ref(challenge.raised_by) if challenge.raised_by_id else None,
        "restricted_to": [organisation_ref(organisation) for organisation in restricted_to],
        "documents": [
            {
                "public_id": document.public_id,
                "title": document.title,
                "url": request.build_absolute_uri(
                    reverse("challenges:challenge_document_download", args=[document.public_id])
                ),
            }
            for document in challenge.documents.all()
        ],
        "history": [
            history_out(entry) for entry in services.challenge_history(challenge, request.auth)
        ],
    }


def _filter_form(filters, names):
    sent = {name: value for name, value in filters.model_dump(include=names).items() if value}
    form = ChallengeFilterForm(data=sent)
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


FILTER_NAMES = {"q", "component", "status", "kind", "region", "state"}


@router.get(
    "/challenges",
    response={200: ChallengePageOut, **LIST},
    url_name="challenge_list",
    summary="List challenges",
)
def challenge_list(request, filters: Query[ChallengeFilters]):
    """The challenges the caller may see: the members' priorities first, then the newest."""
    access.require_reader(request.auth)
    form = _filter_form(filters, FILTER_NAMES)
    challenges = list_order(form.filter(access.visible_challenges(request.auth))).select_related(
        "region", "raised_by_organisation"
    )
    return paginate(challenges, filters, challenge_out)


@router.get(
    "/challenges/export",
    response=LIST,
    url_name="challenge_export",
    summary="Export challenges",
    openapi_extra=export_openapi("The challenges as CSV or XLSX."),
)
def challenge_export(request, filters: Query[ChallengeExportFilters]):
    """The challenges the caller may see, with the list's filters, as a spreadsheet."""
    access.require_reader(request.auth)
    if filters.format not in services.EXPORT_FORMATS:
        raise Problem(
            400,
            errors={
                "format": [
                    _("Unknown format: %(format)s. Use one of: %(formats)s.")
                    % {"format": filters.format, "formats": ", ".join(services.EXPORT_FORMATS)}
                ]
            },
        )
    form = _filter_form(filters, FILTER_NAMES)
    challenges = list_order(form.filter(access.visible_challenges(request.auth)))
    return services.challenges_export(challenges, fmt=filters.format)


def _challenge_form(data, instance=None):
    """The page's form, reading the region by code and organisations by public id."""
    form = ChallengeForm(data=data, instance=instance)
    form.fields["region"].to_field_name = "code"
    form.fields["restricted_to"].to_field_name = "public_id"
    return form


def _validated(form):
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    return form.values()


@router.post(
    "/challenges",
    response={201: ChallengeDetailOut, **WRITE},
    url_name="challenge_create",
    summary="Raise a challenge",
)
def challenge_create(request, payload: ChallengeIn):
    """Raise a challenge on behalf of the caller's organisation."""
    access.require_reader(request.auth)
    if not access.can_raise_challenge(request.auth):
        raise Problem(403, _("Observers read the challenges; members raise them."))
    person = access.person_of(request.auth)
    if person is None:
        raise Problem(
            403,
            _(
                "A challenge is raised on behalf of an organisation, and your account is not "
                "linked to a person of an organisation."
            ),
        )
    data = input_changes(payload, partial=False)
    data["kind"] = data.get("kind") or ChallengeKind.CHALLENGE
    data["visibility"] = data.get("visibility") or Visibility.MEMBERS
    data["restricted_to"] = data.get("restricted_to") or []
    values = _validated(_challenge_form(data))
    try:
        challenge = services.challenge_raise(
            **values, person=person, organisation=person.organisation
        )
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return Status(201, _detail_out(request, challenge))


@router.get(
    "/challenges/{public_id}",
    response={200: ChallengeDetailOut, **READ},
    url_name="challenge_detail",
    summary="Get a challenge",
)
def challenge_detail(request, public_id: str):
    """The challenge with its documents and dated history."""
    return _detail_out(request, access.get_challenge_for_user(request.auth, public_id))


@router.patch(
    "/challenges/{public_id}",
    response={200: ChallengeDetailOut, **WRITE},
    url_name="challenge_patch",
    summary="Change a challenge",
)
def challenge_patch(request, public_id: str, payload: ChallengeIn):
    """Change what the challenge says (the secretariat; the raising organisation while it is
    identified). The status changes through `POST .../status`."""
    challenge = access.get_challenge_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if not changes:
        return _detail_out(request, challenge)
    data = {
        "title": challenge.title,
        "kind": challenge.kind,
        "component": challenge.component,
        "description": challenge.description,
        "evidence": challenge.evidence,
        "region": challenge.region.code if challenge.region_id else None,
        "visibility": challenge.visibility,
        "restricted_to": [str(o.public_id) for o in challenge.restricted_to.all()],
    }
    data.update(changes)
    data["restricted_to"] = data.get("restricted_to") or []
    values = _validated(_challenge_form(data, instance=challenge))
    try:
        services.challenge_update(challenge=challenge, **values)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return _detail_out(request, challenge)


@router.post(
    "/challenges/{public_id}/status",
    response={201: StatusChangeOut, **WRITE},
    url_name="challenge_status",
    summary="Change a challenge's status",
)
def challenge_status(request, public_id: str, payload: StatusIn):
    """Move the challenge to one of the statuses allowed from its own (the secretariat)."""
    challenge = access.get_challenge_for_user(request.auth, public_id)
    if not access.can_change_challenge_status(request.auth):
        raise Problem(403, _("Only the secretariat changes the status of a challenge."))
    data = input_changes(payload, partial=False)
    data["on"] = data.get("on") or timezone.localdate().isoformat()
    form = ChallengeStatusForm(
        data={name: value for name, value in data.items() if value is not None},
        challenge=challenge,
        meetings=access.visible_meetings(request.auth),
    )
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        change = services.challenge_change_status(challenge=challenge, **form.cleaned_data)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return Status(201, status_change_out(request, change))


def status_change_out(request, change: ChallengeStatusChange):
    return {
        "public_id": change.public_id,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "on": change.on,
        "note": change.note,
        "meeting": change.meeting.public_id if change.meeting_id else None,
        "challenge": _detail_out(request, change.challenge),
    }
