"""Services of the meetings part: recurrence, proposals, the status flow and the sequence."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mineaction.meetings.models import ActionPoint, AgendaItem, Meeting, MeetingSeries
from mineaction.meetings.services import meetings as services
from mineaction.meetings.services.agenda import agenda_propose
from mineaction.meetings.tests.meetings_support import (
    UTC,
    make_action_point,
    make_meeting,
    make_series,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("frequency", "previous", "expected"),
    [
        (
            "quarterly",
            datetime.datetime(2025, 1, 31, 9, tzinfo=UTC),
            datetime.datetime(2025, 4, 30, 9, tzinfo=UTC),
        ),
        (
            "monthly",
            datetime.datetime(2024, 1, 31, 9, tzinfo=UTC),
            datetime.datetime(2024, 2, 29, 9, tzinfo=UTC),
        ),
        (
            "quarterly",
            datetime.datetime(2025, 11, 15, 9, tzinfo=UTC),
            datetime.datetime(2026, 2, 15, 9, tzinfo=UTC),
        ),
        (
            "half_yearly",
            datetime.datetime(2025, 8, 31, 9, tzinfo=UTC),
            datetime.datetime(2026, 2, 28, 9, tzinfo=UTC),
        ),
        (
            "yearly",
            datetime.datetime(2024, 2, 29, 9, tzinfo=UTC),
            datetime.datetime(2025, 2, 28, 9, tzinfo=UTC),
        ),
    ],
)
def test_next_start_follows_the_series_rule_and_clips_to_the_month_end(
    frequency, previous, expected
):
    series = MeetingSeries(name="S", frequency=frequency)
    assert series.next_start(previous) == expected


def test_a_series_that_does_not_repeat_proposes_no_next_start():
    series = MeetingSeries(name="S", frequency=MeetingSeries.Frequency.NONE)
    assert series.next_start(datetime.datetime(2025, 1, 31, tzinfo=UTC)) is None


def test_the_next_meeting_is_proposed_from_the_last_one(people, authority_org):
    series = make_series()
    make_meeting(series, number=4, starts_at=datetime.datetime(2030, 1, 31, 6, tzinfo=UTC))
    proposal = services.meeting_propose_next(series=series, user=people["secretariat"].user)
    assert proposal["number"] == 5
    assert proposal["starts_at"] == datetime.datetime(2030, 4, 30, 6, tzinfo=UTC)
    assert proposal["ends_at"] == datetime.datetime(2030, 4, 30, 9, tzinfo=UTC)
    assert proposal["venue"] == "Mine Action Centre, Room 1"
    assert proposal["chair"] == authority_org
    assert proposal["convener"] == people["secretariat"].organisation


def test_the_first_meeting_of_a_series_is_proposed_for_tomorrow_morning(people):
    series = make_series()
    proposal = services.meeting_propose_next(series=series)
    assert proposal["number"] == 1
    assert proposal["starts_at"].hour == 9
    assert str(proposal["starts_at"].tzinfo) == "Africa/Nairobi"


def test_open_action_points_carry_over_into_the_next_meetings_review(people, ngo_org):
    series = make_series()
    other_series = make_series("Technical working group")
    first = make_meeting(series, number=1)
    second = make_meeting(series, number=2, starts_at=datetime.datetime(2030, 4, 30, 6, tzinfo=UTC))
    still_open = make_action_point(first, ngo_org, "Share the survey report")
    in_progress = make_action_point(
        second, ngo_org, "Draft the workplan", ActionPoint.Status.IN_PROGRESS
    )
    make_action_point(first, ngo_org, "Book the room", ActionPoint.Status.DONE)
    make_action_point(second, ngo_org, "Invite the ministry", ActionPoint.Status.DROPPED)
    make_action_point(make_meeting(other_series), ngo_org, "Other series' action")
    third = make_meeting(series, number=3, starts_at=datetime.datetime(2030, 7, 30, 6, tzinfo=UTC))

    items = agenda_propose(meeting=third)

    assert [(item.order, item.kind) for item in items] == [
        (1, AgendaItem.Kind.INFORMATION),
        (2, AgendaItem.Kind.ACTION_POINT_REVIEW),
        (3, AgendaItem.Kind.PRIORITY_REVIEW),
        (4, AgendaItem.Kind.DISCUSSION),
    ]
    assert [item.title for item in items] == [
        "Opening and adoption of the agenda",
        "Review of open action points",
        "Review of priority challenges",
        "Any other business",
    ]
    assert set(items[1].reviewed_action_points.all()) == {still_open, in_progress}


def test_changing_the_date_raises_the_calendar_sequence_and_the_title_does_not(people):
    meeting = make_meeting(make_series())
    meeting.title = "Renamed"
    meeting.save()
    services._save_with_sequence(meeting)
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 0
    services.meeting_postpone(
        meeting=meeting,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        ends_at=meeting.ends_at + datetime.timedelta(days=7),
        reason="The minister is travelling.",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_note, meeting.ical_sequence) == (
        Meeting.Status.POSTPONED,
        "The minister is travelling.",
        1,
    )


def test_a_cancelled_meeting_cannot_be_postponed_held_or_cancelled_again(people):
    meeting = make_meeting(make_series())
    services.meeting_cancel(meeting=meeting, reason="No quorum.")
    with pytest.raises(ValidationError) as postponing:
        services.meeting_postpone(
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            reason="Try again",
        )
    assert postponing.value.messages == [
        "A meeting that is “Cancelled” cannot be postponed any more."
    ]
    with pytest.raises(ValidationError) as holding:
        services.meeting_mark_held(meeting=meeting)
    assert holding.value.messages == ["The meeting is “Cancelled”: it cannot become “Held”."]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ical_sequence) == (Meeting.Status.CANCELLED, 1)


def test_a_meeting_cannot_be_marked_as_held_before_its_day(people):
    meeting = make_meeting(make_series())
    with pytest.raises(ValidationError) as refusal:
        services.meeting_mark_held(meeting=meeting, today=datetime.date(2030, 1, 30))
    assert refusal.value.messages == [
        "A meeting cannot be marked as held before the day it takes place."
    ]
    services.meeting_mark_held(meeting=meeting, today=datetime.date(2030, 1, 31))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_statuses_after_held_move_forward_only(people):
    meeting = make_meeting(make_series(), status=Meeting.Status.HELD)
    services.meeting_set_status(meeting=meeting, status=Meeting.Status.MINUTES_DRAFT)
    with pytest.raises(ValidationError):
        services.meeting_set_status(meeting=meeting, status=Meeting.Status.PLANNED)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFT
