"""Attendance API of the meeting cycle: a meeting's attendance with its inclusion figures,
registering attendance, and the inclusion figures of a year.

The same gates, forms and services as the pages, so the figures and the messages agree.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PersonRefOut,
    Problem,
    error_responses,
    form_errors,
    input_schema_extra,
    organisation_ref,
    person_ref,
)
from mineaction.meetings.forms.attendance import (
    AttendanceSheetForm,
    InclusionFilterForm,
    LastMeetingsForm,
    people_by_public_id,
)
from mineaction.meetings.models import Attendance
from mineaction.meetings.services import attendance as services
from mineaction.stakeholders.models import AgeBand, Sex

router = Router(tags=["meetings"])

READ = error_responses(400, 403, 404)
WRITE = error_responses(403, 404, 409, 422)


# Schemas ---------------------------------------------------------------------------------------


class AttendanceMeetingRefOut(Schema):
    public_id: uuid.UUID
    title: str
    number: int
    series: str
    starts_at: datetime.datetime
    status: str
    status_label: str


class ShareOut(Schema):
    key: str
    label: str
    count: int
    percent: float


class ConstituencyPresentOut(Schema):
    key: str
    label: str
    count: int = Field(description="People of the constituency present (in person or online).")
    present: bool


class FiguresOut(Schema):
    registered: int = Field(description="People with attendance registered, absent included.")
    present: int = Field(description="People present in person or online.")
    in_person: int
    remote: int
    absent: int
    women: int
    women_percent: float = Field(description="Women among the people present, in per cent.")
    by_sex: list[ShareOut]
    by_age_band: list[ShareOut]
    by_organisation_type: list[ShareOut]
    constituencies: list[ConstituencyPresentOut]


class ConstituencyAbsenceOut(Schema):
    key: str
    label: str
    count: int = Field(description="Attendances of the constituency over these meetings.")
    absent: bool = Field(description="Nobody of the constituency attended any of them.")


class SeriesRefOut(Schema):
    public_id: uuid.UUID
    name: str


class AbsentForLastOut(Schema):
    last: int = Field(description="How many of the series' last meetings were asked for.")
    meetings: list[AttendanceMeetingRefOut] = Field(
        description="The meetings looked at: the last ones with attendance, most recent first."
    )
    constituencies: list[ConstituencyAbsenceOut]
    absent: list[str] = Field(description="The labels of the constituencies absent throughout.")


class SeriesAbsentForLastOut(AbsentForLastOut):
    series: SeriesRefOut


class AttendanceOut(Schema):
    public_id: uuid.UUID
    person: PersonRefOut
    organisation: OrganisationRefOut = Field(description="The organisation at the time.")
    presence: Attendance.Presence
    sex: Sex | None = Field(description="At the time; only for those who may see it.")
    age_band: AgeBand | None = Field(description="At the time; only for those who may see it.")


class MeetingAttendanceOut(Schema):
    meeting: AttendanceMeetingRefOut
    attendance: list[AttendanceOut]
    figures: FiguresOut
    absent_for_last: AbsentForLastOut


class AttendanceEntryIn(Schema):
    model_config = {"extra": "forbid"}

    person: str | None = Field(
        None, description="The person's public id.", json_schema_extra={"format": "uuid"}
    )
    presence: str | None = Field(None, json_schema_extra={"enum": list(Attendance.Presence.values)})
    sex: str | None = Field(
        None,
        description="As given in the room; the person's record (or the attendance already "
        "registered) when left out.",
        json_schema_extra={"enum": list(Sex.values)},
    )
    age_band: str | None = Field(
        None,
        description="As given in the room; the person's record (or the attendance already "
        "registered) when left out.",
        json_schema_extra={"enum": list(AgeBand.values)},
    )


class AttendanceIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["entries"])}

    entries: list[AttendanceEntryIn] | None = Field(
        None, description="One entry per person; each needs `person` and `presence`."
    )


class LastParams(Schema):
    last: int | None = Field(
        None, description="How many of the series' last meetings to look back over (default 3)."
    )


class InclusionParams(LastParams):
    year: int | None = Field(None, description="The calendar year; this year when empty.")
    series: str | None = Field(
        None,
        description="A series' public id; every series when empty.",
        json_schema_extra={"format": "uuid"},
    )


class YearMeetingOut(Schema):
    meeting: AttendanceMeetingRefOut
    attendance_registered: bool
    figures: FiguresOut


class InclusionOut(Schema):
    year: int
    series: SeriesRefOut | None
    last: int
    total: FiguresOut = Field(
        description="The meetings of the year together; a person counts once per meeting."
    )
    meetings: list[YearMeetingOut]
    absent_for_last: list[SeriesAbsentForLastOut]


# Endpoints -------------------------------------------------------------------------------------


def _bound(form_class, params):
    """A filter form bound to the query; a bad value is a 400 (the page reports and ignores)."""
    sent = {name: value for name, value in params.model_dump().items() if value is not None}
    form = form_class(data=sent)
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


def attendance_out(attendance, *, sensitive):
    return {
        "public_id": attendance.public_id,
        "person": person_ref(attendance.person),
        "organisation": organisation_ref(attendance.organisation),
        "presence": attendance.presence,
        "sex": attendance.sex if sensitive else None,
        "age_band": attendance.age_band if sensitive else None,
    }


def _meeting_attendance(user, meeting, last):
    inclusion = services.inclusion_for_meeting(
        meeting=meeting, meetings=access.visible_meetings(user), last=last
    )
    attendances = meeting.attendances.select_related(
        "person__organisation", "organisation"
    ).order_by("person__family_name", "person__given_name", "pk")
    sensitive = access.can_see_sensitive(user)
    return {
        "meeting": inclusion["meeting"],
        "attendance": [attendance_out(a, sensitive=sensitive) for a in attendances],
        "figures": inclusion["figures"],
        "absent_for_last": inclusion["absent_for_last"],
    }


@router.get(
    "/meetings/{public_id}/attendance",
    response={200: MeetingAttendanceOut, **READ},
    summary="A meeting's attendance",
)
def attendance_detail(request, public_id: str, params: Query[LastParams]):
    """Who was present, online or absent, the meeting's inclusion figures and the constituencies
    absent from the series' last meetings. Sex and age band of individuals only for those who
    may see sensitive data; the figures for every reader who can see the meeting."""
    meeting = access.get_meeting_for_user(request.auth, public_id)
    last = _bound(LastMeetingsForm, params).value()
    return _meeting_attendance(request.auth, meeting, last)


def _normalised(value):
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _entries_form(payload, meeting):
    """The sheet's form bound to the entries; missing, unknown or repeated people are refused
    (422), before anything is saved."""
    entries = payload.entries or []
    if not entries:
        raise Problem(422, errors={"entries": [_("List at least one person.")]})
    ids = [_normalised(entry.person) for entry in entries]
    people, _unknown = people_by_public_id([value for value in ids if value])
    found = {str(person.public_id) for person in people}
    errors = {}
    for index, value in enumerate(ids):
        if entries[index].person is None:
            errors[f"entries.{index}.person"] = [_("This field is required.")]
        elif value not in found:
            errors[f"entries.{index}.person"] = [_("There is no such person.")]
        elif ids.index(value) != index:
            errors[f"entries.{index}.person"] = [_("This person is listed twice.")]
    if errors:
        raise Problem(422, errors=errors)
    rows = {
        str(row.person.public_id): row
        for row in services.attendance_sheet(meeting=meeting, extra_people=people)
    }
    data = {}
    for value, entry in zip(ids, entries, strict=True):
        for name in ("presence", "sex", "age_band"):
            if getattr(entry, name) is not None:
                data[f"{value}-{name}"] = getattr(entry, name)
    form = AttendanceSheetForm(data, rows=[rows[value] for value in ids], presence_required=True)
    if not form.is_valid():
        index_of = {value: index for index, value in enumerate(ids)}
        raise Problem(
            422,
            errors={
                _entry_field(key, index_of): messages for key, messages in form_errors(form).items()
            },
        )
    return form


def _entry_field(key, index_of):
    """`<person id>-presence` -> `entries.<index>.presence`."""
    person, _sep, name = key.rpartition("-")
    if person in index_of:
        return f"entries.{index_of[person]}.{name}"
    return key


@router.put(
    "/meetings/{public_id}/attendance",
    response={200: MeetingAttendanceOut, **WRITE},
    summary="Register attendance",
)
def attendance_put(request, public_id: str, payload: AttendanceIn):
    """Record or correct the presence of the people listed (secretariat, lead authority,
    administrators). People not listed keep their record. A new record captures the person's
    organisation, sex and age band of today. A meeting not yet held becomes "held". Refused
    (409) for a cancelled meeting or one that has not started; a bad entry changes nothing."""
    meeting = access.get_meeting_for_user(request.auth, public_id, write=True)
    problem = services.attendance_problem(meeting)
    if problem:
        raise Problem(409, problem)
    form = _entries_form(payload, meeting)
    try:
        services.attendance_register(meeting=meeting, entries=form.entries())
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    meeting.refresh_from_db()
    return _meeting_attendance(request.auth, meeting, services.DEFAULT_LAST)


@router.get(
    "/inclusion",
    response={200: InclusionOut, **error_responses(400, 403)},
    summary="Inclusion figures of a year",
)
def attendance_inclusion(request, params: Query[InclusionParams]):
    """The inclusion page as data: per meeting of the year (of one series or all) the people
    present, the share of women, age bands, organisation types and constituencies present; the
    year's total; per series the constituencies absent from its last meetings."""
    access.require_reader(request.auth)
    year, series, last = _bound(InclusionFilterForm, params).values()
    return services.inclusion_for_year(
        year=year, series=series, last=last, meetings=access.visible_meetings(request.auth)
    )
