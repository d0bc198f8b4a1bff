"""Registering attendance and the inclusion figures drawn from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mineaction.conftest import make_organisation
from mineaction.meetings.models import Attendance, Meeting, MeetingSeries
from mineaction.meetings.services import attendance as services
from mineaction.meetings.services.meetings import meeting_cancel
from mineaction.meetings.tests import attendance_support
from mineaction.meetings.tests.attendance_support import (
    ROOM_PRESENCE,
    at,
    fill_room,
    make_attendee,
    make_meeting,
    register,
)
from mineaction.stakeholders.models import AgeBand, OrganisationType, Sex

room = attendance_support.room
series = attendance_support.series


def by_key(rows):
    return {row["key"]: row for row in rows}


def counts(rows):
    return {row["key"]: row["count"] for row in rows if row["count"]}


def entries(room, presence=ROOM_PRESENCE):
    return [{"person": room["people"][name], "presence": value} for name, value in presence.items()]


def meeting_figures(meeting):
    with translation.override("en"):
        return services.inclusion_for_meeting(meeting=meeting, meetings=Meeting.objects.all())


# Registering -----------------------------------------------------------------------------------


def test_registering_records_everyone_with_their_organisation_sex_and_age_band(room):
    services.attendance_register(meeting=room["meeting"], entries=entries(room))

    amina = Attendance.objects.get(person=room["people"]["amina"])
    assert (amina.presence, amina.organisation.name, amina.sex, amina.age_band) == (
        "present",
        "Survivors Network",
        "female",
        "30_44",
    )
    assert Attendance.objects.filter(meeting=room["meeting"]).count() == 6


def test_registering_marks_a_meeting_whose_invitations_went_out_as_held(room):
    services.attendance_register(meeting=room["meeting"], entries=entries(room))

    room["meeting"].refresh_from_db()
    assert room["meeting"].status == Meeting.Status.HELD


def test_registering_never_moves_a_meeting_backwards(room):
    Meeting.objects.filter(pk=room["meeting"].pk).update(status=Meeting.Status.MINUTES_APPROVED)
    room["meeting"].refresh_from_db()

    services.attendance_register(meeting=room["meeting"], entries=entries(room))

    room["meeting"].refresh_from_db()
    assert room["meeting"].status == Meeting.Status.MINUTES_APPROVED


def test_sex_and_age_band_given_in_the_room_are_recorded_without_changing_the_person(room):
    erik = room["people"]["erik"]
    services.attendance_register(
        meeting=room["meeting"],
        entries=[{"person": erik, "presence": "remote", "age_band": AgeBand.FROM_30_TO_44}],
    )

    assert Attendance.objects.get(person=erik).age_band == "30_44"
    erik.refresh_from_db()
    assert erik.age_band == AgeBand.UNDISCLOSED


def test_registering_again_corrects_the_presence_and_keeps_the_organisation_of_the_time(
    room, ngo_org
):
    amina = room["people"]["amina"]
    services.attendance_register(meeting=room["meeting"], entries=entries(room))
    amina.organisation = ngo_org
    amina.save()

    services.attendance_register(
        meeting=room["meeting"], entries=[{"person": amina, "presence": "remote"}]
    )

    record = Attendance.objects.get(person=amina)
    assert (record.presence, record.organisation.name) == ("remote", "Survivors Network")
    assert Attendance.objects.filter(meeting=room["meeting"]).count() == 6


def test_a_cancelled_meeting_refuses_attendance_and_nothing_changes(room):
    meeting_cancel(meeting=room["meeting"], reason="Flooding")

    with pytest.raises(ValidationError) as refused:
        services.attendance_register(meeting=room["meeting"], entries=entries(room))

    assert refused.value.messages == [
        "The meeting was cancelled: there is no attendance to register."
    ]
    assert Attendance.objects.count() == 0
    room["meeting"].refresh_from_db()
    assert room["meeting"].status == Meeting.Status.CANCELLED


def test_a_meeting_that_has_not_started_refuses_attendance(room):
    meeting = room["meeting"]
    with pytest.raises(ValidationError) as refused:
        services.attendance_register(
            meeting=meeting, entries=entries(room), now=meeting.starts_at - datetime.timedelta(1)
        )

    assert refused.value.messages == [
        "The meeting has not started yet. Attendance can be registered once it has begun."
    ]
    assert Attendance.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT


def test_a_bad_presence_value_saves_no_line_at_all(room):
    bad = [*entries(room)[:3], {"person": room["people"]["erik"], "presence": "asleep"}]

    with pytest.raises(ValidationError):
        services.attendance_register(meeting=room["meeting"], entries=bad)

    assert Attendance.objects.count() == 0
    room["meeting"].refresh_from_db()
    assert room["meeting"].status == Meeting.Status.INVITATIONS_SENT


def test_the_sheet_lists_invited_people_and_those_registered_but_not_the_informed(room, people):
    register(room["meeting"], people["member"], "present")

    rows = services.attendance_sheet(meeting=room["meeting"])

    assert [str(row.person) for row in rows] == [
        "Amina Ali",
        "Beatrice Bah",
        "Carlos Cruz",
        "David Dunn",
        "Erik Eng",
        "Fatima Farah",
        "Ngo Member",
    ]
    assert rows[-1].invitation is None
    assert rows[-1].attendance.presence == "present"


# Figures of a meeting --------------------------------------------------------------------------


def test_meeting_figures_count_people_present_in_person_and_online(room):
    fill_room(room)

    figures = meeting_figures(room["meeting"])["figures"]

    assert (
        figures["registered"],
        figures["present"],
        figures["in_person"],
        figures["remote"],
        figures["absent"],
    ) == (6, 5, 4, 1, 1)
    assert (figures["women"], figures["women_percent"]) == (2, 40.0)


def test_meeting_breakdowns_count_only_the_people_present(room):
    fill_room(room)

    figures = meeting_figures(room["meeting"])["figures"]

    assert counts(figures["by_sex"]) == {"female": 2, "male": 3}
    assert counts(figures["by_age_band"]) == {
        "30_44": 1,
        "18_29": 1,
        "45_59": 1,
        "60_plus": 1,
        "undisclosed": 1,
    }
    assert counts(figures["by_organisation_type"]) == {
        "national_authority": 1,
        "donor_state": 1,
        "un_agency": 1,
        "national_ngo": 1,
        "affected_community": 1,
    }
    assert by_key(figures["by_sex"])["female"] == {
        "key": "female",
        "label": "Female",
        "count": 2,
        "percent": 40.0,
    }


def test_constituencies_present_leave_out_the_absent_academic(room):
    fill_room(room)

    constituencies = meeting_figures(room["meeting"])["figures"]["constituencies"]

    assert {row["key"]: (row["count"], row["present"]) for row in constituencies} == {
        "affected_communities": (1, True),
        "national_ngos": (1, True),
        "academia": (0, False),
        "private_sector": (0, False),
        "women": (2, True),
    }


def test_figures_stay_as_captured_when_the_person_changes_afterwards(room, ngo_org):
    fill_room(room)
    amina = room["people"]["amina"]
    amina.sex = Sex.MALE
    amina.age_band = AgeBand.FROM_60
    amina.organisation = make_organisation("Big Demining Ltd", OrganisationType.COMMERCIAL_OPERATOR)
    amina.save()

    figures = meeting_figures(room["meeting"])["figures"]

    assert (figures["women"], figures["women_percent"]) == (2, 40.0)
    assert by_key(figures["constituencies"])["affected_communities"]["count"] == 1
    assert by_key(figures["constituencies"])["private_sector"]["count"] == 0
    assert by_key(figures["by_age_band"])["60_plus"]["count"] == 1


def test_a_meeting_without_attendance_has_zero_figures(room):
    figures = meeting_figures(room["meeting"])["figures"]

    assert (figures["present"], figures["women_percent"]) == (0, 0.0)
    assert all(not row["present"] for row in figures["constituencies"])


def test_meeting_figures_take_two_queries(room):
    fill_room(room)

    with CaptureQueriesContext(connection) as captured:
        services.inclusion_for_meeting(meeting=room["meeting"], meetings=Meeting.objects.all())

    assert len(captured.captured_queries) == 2


# Constituencies absent for the last meetings ---------------------------------------------------


@pytest.fixture
def four_meetings(room, series):
    """Four meetings of the series in 2025: academia attends only the first, nobody from the
    private sector ever; the room's 2026 meeting comes after."""
    academic = room["people"]["fatima"]
    ngo = room["people"]["beatrice"]
    meetings = [make_meeting(series, 10 + n, at(2025, 3 * n + 1, 15)) for n in range(4)]
    for meeting in meetings:
        register(meeting, ngo, "present")
    register(meetings[0], academic, "present")
    register(meetings[1], academic, "absent")
    return meetings


def absent_keys(absent_for_last):
    return [row["key"] for row in absent_for_last["constituencies"] if row["absent"]]


def test_constituencies_absent_from_the_last_three_meetings_up_to_this_one(four_meetings):
    result = services.inclusion_for_meeting(
        meeting=four_meetings[3], meetings=Meeting.objects.all()
    )["absent_for_last"]

    assert [ref["number"] for ref in result["meetings"]] == [13, 12, 11]
    assert absent_keys(result) == ["affected_communities", "academia", "private_sector"]


def test_a_longer_look_back_finds_the_academic_who_came_once(four_meetings):
    result = services.inclusion_for_meeting(
        meeting=four_meetings[3], meetings=Meeting.objects.all(), last=4
    )["absent_for_last"]

    assert len(result["meetings"]) == 4
    assert absent_keys(result) == ["affected_communities", "private_sector"]


def test_meetings_without_attendance_or_cancelled_are_skipped_when_looking_back(
    four_meetings, series
):
    make_meeting(series, 20, at(2025, 11, 1))
    cancelled = make_meeting(series, 21, at(2025, 11, 2), status=Meeting.Status.CANCELLED)
    operator = make_organisation("Clearance Co", OrganisationType.COMMERCIAL_OPERATOR)
    paula = make_attendee("Paula", "Private", operator, Sex.FEMALE, AgeBand.FROM_30_TO_44)
    register(cancelled, paula, "present")

    result = services.inclusion_for_meeting(meeting=cancelled, meetings=Meeting.objects.all())

    assert [ref["number"] for ref in result["absent_for_last"]["meetings"]] == [13, 12, 11]
    assert "private_sector" in absent_keys(result["absent_for_last"])


# Figures of a year -----------------------------------------------------------------------------


def year_figures(**kwargs):
    with translation.override("en"):
        return services.inclusion_for_year(meetings=Meeting.objects.all(), **kwargs)


def test_the_year_lists_its_meetings_in_date_order_and_adds_them_up(four_meetings, room):
    fill_room(room)

    result = year_figures(year=2025)

    assert [row["meeting"]["number"] for row in result["meetings"]] == [10, 11, 12, 13]
    assert [row["figures"]["present"] for row in result["meetings"]] == [2, 1, 1, 1]
    total = result["total"]
    assert (total["present"], total["absent"], total["women"], total["women_percent"]) == (
        5,
        1,
        5,
        100.0,
    )
    assert by_key(total["constituencies"])["academia"]["count"] == 1


def test_the_year_of_the_room_counts_only_its_meeting(four_meetings, room):
    fill_room(room)

    result = year_figures(year=2026)

    assert [row["meeting"]["number"] for row in result["meetings"]] == [1]
    assert (result["total"]["present"], result["total"]["women"]) == (5, 2)
    # Looking back from the end of 2026 over the room's meeting and the last two of 2025.
    absent = result["absent_for_last"][0]
    assert absent["series"]["name"] == "Quarterly plenary"
    assert [ref["number"] for ref in absent["meetings"]] == [1, 13, 12]
    # The academic was absent from the room and missing from the two meetings before.
    assert absent_keys(absent) == ["academia", "private_sector"]
    assert absent["absent"] == ["Academia", "Private sector"]


def test_a_meeting_of_the_year_without_attendance_is_listed_but_not_counted(room, series):
    fill_room(room)
    make_meeting(series, 2, at(2026, 6, 10))

    result = year_figures(year=2026)

    assert [
        (row["meeting"]["number"], row["attendance_registered"]) for row in result["meetings"]
    ] == [
        (1, True),
        (2, False),
    ]
    assert result["total"]["present"] == 5


def test_the_year_can_be_limited_to_one_series(room, series):
    fill_room(room)
    other = MeetingSeries.objects.create(name="Technical working group")
    make_meeting(other, 1, at(2026, 4, 1))

    assert len(year_figures(year=2026)["meetings"]) == 2
    only = year_figures(year=2026, series=series)
    assert [row["meeting"]["series"] for row in only["meetings"]] == ["Quarterly plenary"]
    assert only["series"]["name"] == "Quarterly plenary"


def test_year_figures_take_two_queries_however_many_meetings(four_meetings, room):
    fill_room(room)

    with CaptureQueriesContext(connection) as captured:
        services.inclusion_for_year(year=2025, meetings=Meeting.objects.all())

    assert len(captured.captured_queries) == 2
