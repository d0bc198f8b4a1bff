"""invitations API of the meeting cycle: the list of people invited or informed with their
answers, adding and removing them, sending the invitations and their updates, answering by the
personal link (no log-in: the signed token is the key), and the meeting's calendar file.

Same gates, forms and services as the pages, so the rules and the messages are the same.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    PageOut,
    PageParams,
    PersonRefOut,
    Problem,
    choice,
    error_responses,
    form_errors,
    paginate,
    person_ref,
)
from mineaction.meetings.api.common import refused
from mineaction.meetings.forms.invitations import ANSWERS, InvitationAddForm, RsvpForm
from mineaction.meetings.models import Invitation
from mineaction.meetings.services import invitations as services

router = Router(tags=["meetings"])

READ = error_responses(403, 404)
WRITE = error_responses(403, 404, 409, 422)
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


class InvitationOut(Schema):
    public_id: uuid.UUID
    meeting: uuid.UUID
    person: PersonRefOut
    informed_only: bool = Field(description="Receives the minutes but is not invited.")
    response: Invitation.Response
    responded_at: datetime.datetime | None
    sent_sequence: int | None = Field(
        description="The iCalendar SEQUENCE of the last invitation email sent; null: not sent."
    )
    up_to_date: bool = Field(
        description="The invitee has the latest version of the meeting (or is not sent any)."
    )


class ResponseCountOut(Schema):
    key: Invitation.Response
    label: str
    count: int


class InvitationPageOut(PageOut):
    results: list[InvitationOut]
    responses: list[ResponseCountOut] = Field(description="Answers of the invited people.")
    invited: int
    informed: int
    not_sent: int = Field(description="Invited people who have not been sent the invitation.")
    out_of_date: int = Field(description="Invited people who have an earlier version.")


class InvitationsIn(Schema):
    model_config = {"extra": "forbid"}

    people: list[uuid.UUID] = Field(default_factory=list, description="People by public id.")
    organisations: list[uuid.UUID] = Field(
        default_factory=list, description="Everyone in them who holds a current role."
    )
    working_groups: list[uuid.UUID] = Field(
        default_factory=list, description="Every member of the working groups."
    )
    informed_only: bool = Field(False, description="Only inform them: they receive the minutes.")


class InvitationsAddedOut(Schema):
    added: list[InvitationOut]
    already_invited: list[PersonRefOut]
    without_email: list[PersonRefOut] = Field(
        description="People of the organisations or groups left out for lack of an email address."
    )


class SentOut(Schema):
    sent: int = Field(description="Emails queued now; 0 when everyone already had this version.")


class RsvpIn(Schema):
    model_config = {"extra": "forbid"}

    response: str | None = choice(ANSWERS)


class RsvpOut(Schema):
    meeting: uuid.UUID
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    response: Invitation.Response
    responded_at: datetime.datetime | None


def invitation_out(invitation, meeting=None):
    meeting = meeting or invitation.meeting
    return {
        "public_id": invitation.public_id,
        "meeting": meeting.public_id,
        "person": person_ref(invitation.person),
        "informed_only": invitation.informed_only,
        "response": invitation.response,
        "responded_at": invitation.responded_at,
        "sent_sequence": invitation.sent_sequence,
        "up_to_date": invitation.sent_sequence is None
        or invitation.sent_sequence >= meeting.ical_sequence,
    }


@router.get(
    "/meetings/{public_id}/invitations",
    response={200: InvitationPageOut, **READ},
    summary="List a meeting's invitations",
)
def invitations_list(request, public_id: str, params: Query[PageParams]):
    """The people invited or informed, with their answers, and the counts of answers."""
    meeting = access.get_meeting_for_user(request.auth, public_id)
    invitations = meeting.invitations.select_related("person__organisation").order_by(
        "informed_only", "person__family_name", "person__given_name", "pk"
    )
    page = paginate(invitations, params, lambda invitation: invitation_out(invitation, meeting))
    return {**page, **services.invitation_counts(meeting)}


@router.post(
    "/meetings/{public_id}/invitations",
    response={201: InvitationsAddedOut, **WRITE},
    summary="Invite people, organisations or working groups",
)
def invitations_create(request, public_id: str, payload: InvitationsIn):
    """Add people to the list (nothing is sent until the invitations are sent). People already
    on it keep their invitation."""
    meeting = access.get_meeting_for_user(request.auth, public_id, write=True)
    data = payload.model_dump()
    form = InvitationAddForm(
        data={
            "people": [str(value) for value in data["people"]],
            "organisations": [str(value) for value in data["organisations"]],
            "working_groups": [str(value) for value in data["working_groups"]],
            "informed_only": data["informed_only"],
        },
        by_public_id=True,
    )
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        result = services.invitations_add(meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        refused(error)
    return Status(
        201,
        {
            "added": [invitation_out(invitation, meeting) for invitation in result["added"]],
            "already_invited": [person_ref(person) for person in result["already"]],
            "without_email": [person_ref(person) for person in result["without_email"]],
        },
    )


@router.delete(
    "/invitations/{public_id}", response={204: None, **WRITE}, summary="Remove an invitation"
)
def invitations_delete(request, public_id: str):
    """Take someone off the list; refused (409) once the invitation has been sent."""
    invitation = access.get_invitation_for_user(request.auth, public_id, write=True)
    try:
        services.invitation_remove(invitation=invitation)
    except ValidationError as error:
        refused(error)
    return Status(204, None)


@router.post(
    "/meetings/{public_id}/invitations/send",
    response={200: SentOut, **WRITE},
    summary="Send the invitations",
)
def invitations_send(request, public_id: str):
    """Email everyone invited who has not had the invitation, each in their language, with the
    iCalendar request and a personal answer link. Informed people get nothing. A planned
    meeting becomes "invitations sent"."""
    meeting = access.get_meeting_for_user(request.auth, public_id, write=True)
    try:
        return {"sent": services.invitations_send(meeting=meeting)}
    except ValidationError as error:
        refused(error)


@router.post(
    "/meetings/{public_id}/invitations/send-update",
    response={200: SentOut, **WRITE},
    summary="Send the updated or cancelled invitations",
)
def invitations_send_update(request, public_id: str):
    """After the meeting changed, was postponed or cancelled: send the new version (same UID,
    higher SEQUENCE; METHOD:CANCEL when cancelled) to everyone who had an earlier one."""
    meeting = access.get_meeting_for_user(request.auth, public_id, write=True)
    try:
        return {"sent": services.invitations_send_update(meeting=meeting)}
    except ValidationError as error:
        refused(error)


@router.get(
    "/meetings/{public_id}/calendar.ics",
    response=READ,
    summary="Download a meeting as iCalendar",
    openapi_extra={
        "responses": {
            200: {
                "description": "The meeting as an iCalendar file (METHOD:PUBLISH).",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def invitations_calendar(request, public_id: str):
    meeting = access.get_meeting_for_user(request.auth, public_id)
    response = HttpResponse(services.meeting_ics(meeting), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.public_id}.ics"'
    return response


def _rsvp_invitation(token):
    try:
        return services.invitation_from_token(token)
    except ValidationError as error:
        status = 410 if error.code == services.EXPIRED else 400
        raise Problem(status, " ".join(str(message) for message in error.messages)) from None


@router.post(
    "/rsvp/{token}",
    auth=None,
    response={200: RsvpOut, **error_responses(400, 409, 410, 422)},
    summary="Answer an invitation",
)
def invitations_rsvp(request, token: str, payload: RsvpIn):
    """Answer with the token of the personal link in the invitation email; no log-in needed.
    An altered token is refused with 400, an expired one with 410."""
    invitation = _rsvp_invitation(token)
    problem = services.rsvp_problem(invitation)
    if problem:
        raise Problem(409, problem)
    form = RsvpForm(data={"response": payload.response})
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        invitation = services.invitation_respond(
            invitation=invitation, response=form.cleaned_data["response"]
        )
    except ValidationError as error:
        refused(error)
    meeting = invitation.meeting
    return {
        "meeting": meeting.public_id,
        "summary": str(meeting),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "response": invitation.response,
        "responded_at": invitation.responded_at,
    }
