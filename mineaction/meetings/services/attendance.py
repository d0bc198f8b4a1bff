"""Attendance: who was present, online or absent at a meeting, and the inclusion figures drawn
from it (share of women, age bands, organisation types, constituencies present and absent).

Organisation, sex and age band are captured on the attendance record when it is first made, so
later changes to the person do not rewrite the history of past meetings. The pages and the API
call these functions, so a figure is the same everywhere.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.meetings.models import Attendance, Invitation, Meeting
from mineaction.meetings.services.meetings import meeting_mark_held
from mineaction.stakeholders.models import AgeBand, OrganisationType, Person, Sex
from mineaction.stakeholders.services import CONSTITUENCIES

Presence = Attendance.Presence
Status = Meeting.Status

# In person and online both count as present in the figures.
PRESENT = (Presence.PRESENT, Presence.REMOTE)
DEFAULT_LAST = 3
MAX_LAST = 20
# Registering attendance moves a meeting not yet held to "held" (never backwards).
MARKS_HELD = {Status.PLANNED, Status.INVITATIONS_SENT, Status.POSTPONED}


# Registering -----------------------------------------------------------------------------------


def attendance_problem(meeting, *, now=None):
    """Why attendance cannot be registered for `meeting` now, or None."""
    if meeting.status == Status.CANCELLED:
        return _("The meeting was cancelled: there is no attendance to register.")
    if meeting.starts_at > (now or timezone.now()):
        return _("The meeting has not started yet. Attendance can be registered once it has begun.")
    return None


@dataclasses.dataclass
class SheetRow:
    """A line of the attendance sheet: a person, their record if any, their invitation if any."""

    person: Person
    attendance: Attendance | None = None
    invitation: Invitation | None = None


def attendance_sheet(*, meeting, extra_people=()):
    """Everyone invited to attend (not the informed-only), everyone already registered and
    `extra_people`, each once, by family name. Three queries whatever the size."""
    rows = {}
    for person in extra_people:
        rows[person.pk] = SheetRow(person=person)
    invitations = meeting.invitations.filter(informed_only=False).select_related(
        "person__organisation"
    )
    for invitation in invitations:
        rows.setdefault(invitation.person_id, SheetRow(person=invitation.person))
        rows[invitation.person_id].invitation = invitation
    for attendance in meeting.attendances.select_related("person__organisation", "organisation"):
        rows.setdefault(attendance.person_id, SheetRow(person=attendance.person))
        rows[attendance.person_id].attendance = attendance
    return sorted(
        rows.values(),
        key=lambda row: (
            row.person.family_name.lower(),
            row.person.given_name.lower(),
            row.person.pk,
        ),
    )


@transaction.atomic
def attendance_register(*, meeting, entries, now=None):
    """Record the presence of each person in `entries` (dicts with `person`, `presence` and
    optionally `sex` and `age_band` as given in the room). A new record captures the person's
    organisation, sex and age band of today; an existing one keeps its organisation. People not
    in `entries` keep their record. A meeting not yet held becomes "held".

    Raises ValidationError (and changes nothing) for a cancelled or not yet started meeting.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    problem = attendance_problem(meeting, now=now)
    if problem:
        raise ValidationError(problem, code="attendance_refused")
    existing = {
        attendance.person_id: attendance
        for attendance in meeting.attendances.filter(
            person__in=[entry["person"] for entry in entries]
        )
    }
    saved = []
    for entry in entries:
        person = entry["person"]
        attendance = existing.get(person.pk) or Attendance(
            meeting=meeting,
            person=person,
            organisation_id=person.organisation_id,
            sex=person.sex,
            age_band=person.age_band,
        )
        attendance.presence = entry["presence"]
        attendance.sex = entry.get("sex") or attendance.sex
        attendance.age_band = entry.get("age_band") or attendance.age_band
        attendance.full_clean(exclude=["meeting", "person", "organisation"], validate_unique=False)
        attendance.save()
        saved.append(attendance)
    if saved and meeting.status in MARKS_HELD:
        meeting_mark_held(meeting=meeting)
    return saved


# Inclusion figures -----------------------------------------------------------------------------


def _percent(count, total):
    return round(100 * count / total, 1) if total else 0.0


def _breakdown(counts, choices, total):
    return [
        {
            "key": value,
            "label": str(label),
            "count": counts.get(value, 0),
            "percent": _percent(counts.get(value, 0), total),
        }
        for value, label in choices
    ]


def _empty_tally():
    return {
        "presence": {},
        "organisation_type": {},
        "sex": {},
        "age_band": {},
    }


def _add(tally, row):
    """Add a grouped attendance row to a tally; breakdowns count the people present only."""
    count = row["count"]
    presence = tally["presence"]
    presence[row["presence"]] = presence.get(row["presence"], 0) + count
    if row["presence"] not in PRESENT:
        return
    for dimension, value in (
        ("organisation_type", row["organisation__type"]),
        ("sex", row["sex"]),
        ("age_band", row["age_band"]),
    ):
        tally[dimension][value] = tally[dimension].get(value, 0) + count


def _constituency_counts(tally):
    return [
        (key, label, tally[dimension].get(value, 0))
        for key, label, dimension, value, _thin_share in CONSTITUENCIES
    ]


def _figures(tally):
    """Plain data from a tally: who was present and how diverse the room was."""
    presence = tally["presence"]
    present = sum(presence.get(value, 0) for value in PRESENT)
    women = tally["sex"].get(Sex.FEMALE, 0)
    return {
        "registered": sum(presence.values()),
        "present": present,
        "in_person": presence.get(Presence.PRESENT, 0),
        "remote": presence.get(Presence.REMOTE, 0),
        "absent": presence.get(Presence.ABSENT, 0),
        "women": women,
        "women_percent": _percent(women, present),
        "by_sex": _breakdown(tally["sex"], Sex.choices, present),
        "by_age_band": _breakdown(tally["age_band"], AgeBand.choices, present),
        "by_organisation_type": _breakdown(
            tally["organisation_type"], OrganisationType.choices, present
        ),
        "constituencies": [
            {"key": key, "label": str(label), "count": count, "present": count > 0}
            for key, label, count in _constituency_counts(tally)
        ],
    }


def _grouped_attendance(meeting_ids):
    """One query: attendance counts per meeting, presence, organisation type, sex, age band."""
    return (
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .values("meeting_id", "presence", "organisation__type", "sex", "age_band")
        .annotate(count=Count("id"))
        .order_by()
    )


def _tallies(meeting_ids):
    tallies = {meeting_id: _empty_tally() for meeting_id in meeting_ids}
    for row in _grouped_attendance(meeting_ids):
        _add(tallies[row["meeting_id"]], row)
    return tallies


def _merge(tallies):
    merged = _empty_tally()
    for tally in tallies:
        for dimension, counts in tally.items():
            for value, count in counts.items():
                merged[dimension][value] = merged[dimension].get(value, 0) + count
    return merged


def meeting_ref(meeting):
    return {
        "public_id": meeting.public_id,
        "title": str(meeting),
        "number": meeting.number,
        "series": meeting.series.name,
        "starts_at": meeting.starts_at,
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
    }


def _absent_for_last(series_meetings, tallies, last):
    """The constituencies nobody represented at any of `series_meetings` (the last `last`
    meetings of a series with attendance registered, most recent first)."""
    counts = _constituency_counts(_merge(tallies[meeting.pk] for meeting in series_meetings))
    return {
        "last": last,
        "meetings": [meeting_ref(meeting) for meeting in series_meetings],
        "constituencies": [
            {"key": key, "label": str(label), "count": count, "absent": count == 0}
            for key, label, count in counts
        ],
        "absent": [str(label) for _key, label, count in counts if count == 0],
    }


def _with_attendance(meetings):
    registered = Attendance.objects.filter(meeting=OuterRef("pk"))
    return (
        meetings.exclude(status=Status.CANCELLED)
        .annotate(has_attendance=Exists(registered))
        .select_related("series")
        .order_by("-starts_at", "-pk")
    )


def inclusion_for_meeting(*, meeting, meetings, last=DEFAULT_LAST):
    """The inclusion figures of one meeting, and the constituencies absent from all of the last
    `last` meetings of its series (up to this one) among `meetings`, the meetings the reader may
    see. Two queries."""
    earlier = [
        candidate
        for candidate in _with_attendance(
            meetings.filter(series_id=meeting.series_id, starts_at__lte=meeting.starts_at)
        )
        if candidate.has_attendance
    ][:last]
    tallies = _tallies({meeting.pk, *(candidate.pk for candidate in earlier)})
    return {
        "meeting": meeting_ref(meeting),
        "figures": _figures(tallies[meeting.pk]),
        "absent_for_last": _absent_for_last(earlier, tallies, last),
    }


def inclusion_for_year(*, year, meetings, series=None, last=DEFAULT_LAST):
    """The inclusion figures of every meeting held in `year` among `meetings` (the meetings the
    reader may see; of `series` only when given), their total, and per series the
    constituencies absent from all of its last `last` meetings up to the end of the year.

    In the total a person present at two meetings counts twice: it counts attendances.
    Two queries.
    """
    if series is not None:
        meetings = meetings.filter(series=series)
    year_end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    candidates = list(_with_attendance(meetings.filter(starts_at__lt=year_end)))
    in_year = [m for m in candidates if timezone.localtime(m.starts_at).year == year]
    series_in_year = {m.series_id: m.series for m in in_year}
    latest = {series_id: [] for series_id in series_in_year}
    for candidate in candidates:
        picked = latest.get(candidate.series_id)
        if picked is not None and candidate.has_attendance and len(picked) < last:
            picked.append(candidate)
    tallies = _tallies(
        {m.pk for m in in_year} | {m.pk for picked in latest.values() for m in picked}
    )
    in_year.reverse()
    return {
        "year": year,
        "series": (
            {"public_id": series.public_id, "name": series.name} if series is not None else None
        ),
        "last": last,
        "total": _figures(_merge(tallies[m.pk] for m in in_year if m.has_attendance)),
        "meetings": [
            {
                "meeting": meeting_ref(m),
                "attendance_registered": m.has_attendance,
                "figures": _figures(tallies[m.pk]),
            }
            for m in in_year
        ],
        "absent_for_last": [
            {
                "series": {"public_id": s.public_id, "name": s.name},
                **_absent_for_last(latest[s.pk], tallies, last),
            }
            for s in sorted(series_in_year.values(), key=lambda s: s.name)
        ],
    }
