"""meetings API of the meeting cycle: series (list, create) and meetings (list, read, change,
create the next of a series, postpone, cancel, mark as held).

Same gates, forms and services as the pages, so the rules and the messages are the same.
Dates and times are ISO 8601; a value without a UTC offset is the wall-clock time in the
meeting's time zone.
"""

import datetime
import uuid

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
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    paginate,
    public_id_field,
    save_form,
    text,
)
from mineaction.core.choices import Component, Visibility
from mineaction.core.pages import uuid_or_none
from mineaction.meetings.api.common import refused, require_runner
from mineaction.meetings.forms.meetings import (
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
    MeetingPostponeForm,
    MeetingSeriesForm,
)
from mineaction.meetings.models import Meeting, MeetingSeries
from mineaction.meetings.services import meetings as services
from mineaction.stakeholders.models import LeadDonorTerm

router = Router(tags=["meetings"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)
DATETIME_NOTE = "ISO 8601; without a UTC offset, the wall-clock time in the meeting's time zone."


# Series ----------------------------------------------------------------------------------------


class SeriesRefOut(Schema):
    public_id: uuid.UUID
    name: str


class MeetingSeriesOut(Schema):
    public_id: uuid.UUID
    name: str
    kind: MeetingSeries.Kind
    component: str = Field(json_schema_extra={"enum": ["", *Component.values]})
    working_group: uuid.UUID | None
    frequency: MeetingSeries.Frequency
    default_time_zone: str
    default_venue: str
    visibility: Visibility


class MeetingSeriesPageOut(PageOut):
    results: list[MeetingSeriesOut]


class MeetingSeriesIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["name", "default_time_zone"]),
    }

    name: str | None = text()
    kind: str | None = choice(MeetingSeries.Kind.choices)
    component: str | None = choice(Component.choices)
    working_group: str | None = public_id_field("Public id of the working group that meets.")
    frequency: str | None = choice(MeetingSeries.Frequency.choices)
    default_time_zone: str | None = text("IANA time zone name, such as Africa/Nairobi.")
    default_venue: str | None = text()
    visibility: str | None = choice(Visibility.choices)


def series_out(series):
    return {
        "public_id": series.public_id,
        "name": series.name,
        "kind": series.kind,
        "component": series.component,
        "working_group": series.working_group.public_id if series.working_group else None,
        "frequency": series.frequency,
        "default_time_zone": series.default_time_zone,
        "default_venue": series.default_venue,
        "visibility": series.visibility,
    }


@router.get(
    "/meeting-series",
    response={200: MeetingSeriesPageOut, **LIST},
    summary="List meeting series",
)
def meetings_series_list(request, params: Query[PageParams]):
    access.require_reader(request.auth)
    series = MeetingSeries.objects.select_related("working_group").order_by("name", "pk")
    return paginate(series, params, series_out)


@router.post(
    "/meeting-series",
    response={201: MeetingSeriesOut, **WRITE},
    summary="Create a meeting series",
)
def meetings_series_create(request, payload: MeetingSeriesIn):
    """Set up a series (secretariat, lead authority, administrators)."""
    require_runner(request.auth)
    form = MeetingSeriesForm(data={})
    form.fields["working_group"].to_field_name = "public_id"
    defaults = {
        "kind": MeetingSeries.Kind.PLENARY,
        "frequency": MeetingSeries.Frequency.QUARTERLY,
        "visibility": Visibility.MEMBERS,
    }
    form.data = {**defaults, **input_changes(payload, partial=True)}
    return Status(201, series_out(save_form(form)))


# Meetings --------------------------------------------------------------------------------------


class MeetingOut(Schema):
    public_id: uuid.UUID
    series: SeriesRefOut
    number: int
    title: str = Field(description="The meeting's title, or its series and number.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    venue: str
    online_url: str
    focus: Meeting.Focus
    status: Meeting.Status
    status_note: str = Field(description="The reason for postponing or cancelling.")
    visibility: Visibility
    restricted_to: list[OrganisationRefOut]
    chair: OrganisationRefOut | None
    co_chair: OrganisationRefOut | None = Field(
        description="The lead donor whose rotation term covers the meeting's date."
    )
    convener: OrganisationRefOut | None
    ical_uid: str
    ical_sequence: int = Field(description="Grows with each change sent to invitees.")


class MeetingPageOut(PageOut):
    results: list[MeetingOut]


class MeetingFilters(PageParams):
    series: uuid.UUID | None = Field(None, description="Public id of a meeting series.")
    status: str | None = choice(Meeting.Status.choices)
    when: str | None = Field(None, json_schema_extra={"enum": ["upcoming", "past"]})


class MeetingIn(Schema):
    model_config = {"extra": "forbid"}

    title: str | None = text()
    starts_at: str | None = text(DATETIME_NOTE, format="date-time")
    ends_at: str | None = text(DATETIME_NOTE, format="date-time")
    time_zone: str | None = text("IANA time zone name, such as Africa/Nairobi.")
    venue: str | None = text()
    online_url: str | None = text(format="uri")
    focus: str | None = choice(Meeting.Focus.choices)
    chair: str | None = public_id_field("Public id of the chairing organisation.")
    convener: str | None = public_id_field("Public id of the convening organisation.")
    visibility: str | None = choice(Visibility.choices)
    restricted_to: list[str] | None = Field(
        None, description="Public ids of the organisations that see a restricted meeting."
    )


class MeetingCreateIn(MeetingIn):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["series"])}

    series: str | None = public_id_field(
        "Public id of the series; every other field is proposed from it when not sent."
    )
    number: int | None = Field(None, description="Proposed: the series' last number + 1.")


class MeetingPostponeIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["starts_at", "ends_at", "reason"]),
    }

    starts_at: str | None = text(DATETIME_NOTE, format="date-time")
    ends_at: str | None = text(DATETIME_NOTE, format="date-time")
    reason: str | None = text()


class MeetingCancelIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["reason"])}

    reason: str | None = text()


def _co_chair(meeting, terms):
    on = timezone.localtime(meeting.starts_at).date()
    term = next((t for t in terms if t.starts_on <= on <= t.ends_on), None)
    return organisation_ref(term.organisation) if term else None


def _ref(organisation):
    return organisation_ref(organisation) if organisation is not None else None


def meeting_out(meeting, terms=None):
    if terms is None:
        terms = list(LeadDonorTerm.objects.select_related("organisation"))
    return {
        "public_id": meeting.public_id,
        "series": {"public_id": meeting.series.public_id, "name": meeting.series.name},
        "number": meeting.number,
        "title": str(meeting),
        "starts_at": meeting.starts_at.astimezone(datetime.UTC),
        "ends_at": meeting.ends_at.astimezone(datetime.UTC),
        "time_zone": meeting.time_zone,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "focus": meeting.focus,
        "status": meeting.status,
        "status_note": meeting.status_note,
        "visibility": meeting.visibility,
        "restricted_to": [organisation_ref(o) for o in meeting.restricted_to.all()],
        "chair": _ref(meeting.chair),
        "co_chair": _co_chair(meeting, terms),
        "convener": _ref(meeting.convener),
        "ical_uid": meeting.ical_uid,
        "ical_sequence": meeting.ical_sequence,
    }


def _meeting(user, public_id, *, write=False):
    return access.get_meeting_for_user(user, public_id, write=write)


@router.get("/meetings", response={200: MeetingPageOut, **LIST}, summary="List meetings")
def meetings_list(request, filters: Query[MeetingFilters]):
    """Meetings the user may see, latest first (earliest first for upcoming ones)."""
    access.require_reader(request.auth)
    sent = filters.model_dump(include=filters.model_fields_set - set(PageParams.model_fields))
    form = MeetingFilterForm(data={k: str(v) for k, v in sent.items() if v is not None})
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    meetings = form.filter(
        access.visible_meetings(request.auth)
        .select_related("series", "chair", "convener")
        .prefetch_related("restricted_to")
        .order_by("-starts_at", "pk")
    )
    terms = list(LeadDonorTerm.objects.select_related("organisation"))
    return paginate(meetings, filters, lambda meeting: meeting_out(meeting, terms))


@router.get("/meetings/{public_id}", response={200: MeetingOut, **READ}, summary="Get a meeting")
def meetings_detail(request, public_id: str):
    return meeting_out(_meeting(request.auth, public_id))


def _values(meeting):
    """The meeting's current values as the form takes them (organisations by public id)."""
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(datetime.UTC),
        "ends_at": meeting.ends_at.astimezone(datetime.UTC),
        "time_zone": meeting.time_zone,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "focus": meeting.focus,
        "chair": meeting.chair.public_id if meeting.chair else None,
        "convener": meeting.convener.public_id if meeting.convener else None,
        "visibility": meeting.visibility,
        "restricted_to": [o.public_id for o in meeting.restricted_to.all()],
    }


def _meeting_form(data, instance=None, initial=None):
    form = MeetingForm(data=data, instance=instance, initial=initial)
    for name in ("chair", "convener", "restricted_to"):
        form.fields[name].to_field_name = "public_id"
    return form


@router.patch(
    "/meetings/{public_id}", response={200: MeetingOut, **WRITE}, summary="Change a meeting"
)
def meetings_patch(request, public_id: str, payload: MeetingIn):
    """Change the fields sent. A change of date, time, time zone, venue or link raises the
    iCalendar sequence, so invitees can be sent an updated invitation."""
    meeting = _meeting(request.auth, public_id, write=True)
    if meeting.status not in services.NOT_YET_HELD:
        raise Problem(
            409,
            _("A meeting that is “%(status)s” cannot be changed.")
            % {"status": meeting.get_status_display()},
        )
    data = {**_values(meeting), **input_changes(payload, partial=True)}
    form = _meeting_form(data, instance=meeting)
    return meeting_out(save_form(form, services.meeting_update))


@router.post(
    "/meetings",
    response={201: MeetingOut, **WRITE},
    summary="Create the next meeting of a series",
)
def meetings_create(request, payload: MeetingCreateIn):
    """Create the next meeting of a series with its proposed agenda; fields not sent take the
    proposed values (number, date by the series' rule, usual venue, chair and convener)."""
    require_runner(request.auth)
    sent = input_changes(payload, partial=True)
    series = MeetingSeries.objects.filter(public_id=uuid_or_none(sent.get("series"))).first()
    if series is None:
        raise Problem(422, errors={"series": [_("Choose an existing meeting series.")]})
    proposal = services.meeting_propose_next(series=series, user=request.auth)
    data = {
        **{name: value for name, value in proposal.items() if name in MeetingForm.Meta.fields},
        "series": series.public_id,
        "chair": proposal["chair"].public_id if proposal["chair"] else None,
        "convener": proposal["convener"].public_id if proposal["convener"] else None,
        "restricted_to": [],
        **sent,
    }
    form = _meeting_form(data)
    return Status(201, meeting_out(save_form(form, services.meeting_create)))


def _act(change):
    try:
        return change()
    except ValidationError as error:
        refused(error)


@router.post(
    "/meetings/{public_id}/postpone",
    response={200: MeetingOut, **WRITE},
    summary="Postpone a meeting",
)
def meetings_postpone(request, public_id: str, payload: MeetingPostponeIn):
    """Move the meeting to a new date and time, giving the reason."""
    meeting = _meeting(request.auth, public_id, write=True)
    form = MeetingPostponeForm(data=input_changes(payload, partial=True), meeting=meeting)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    data = form.cleaned_data
    return meeting_out(
        _act(
            lambda: services.meeting_postpone(
                meeting=meeting,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        )
    )


@router.post(
    "/meetings/{public_id}/cancel", response={200: MeetingOut, **WRITE}, summary="Cancel a meeting"
)
def meetings_cancel(request, public_id: str, payload: MeetingCancelIn):
    meeting = _meeting(request.auth, public_id, write=True)
    form = MeetingCancelForm(data=input_changes(payload, partial=True))
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    reason = form.cleaned_data["reason"]
    return meeting_out(_act(lambda: services.meeting_cancel(meeting=meeting, reason=reason)))


@router.post(
    "/meetings/{public_id}/held",
    response={200: MeetingOut, **WRITE},
    summary="Mark a meeting as held",
)
def meetings_held(request, public_id: str):
    """Record that the meeting took place (not before its day)."""
    meeting = _meeting(request.auth, public_id, write=True)
    return meeting_out(_act(lambda: services.meeting_mark_held(meeting=meeting)))
