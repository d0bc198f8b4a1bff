import datetime

import pytest
from django.core.exceptions import ValidationError

from mineaction.conftest import make_person
from mineaction.core.choices import Role
from mineaction.meetings.models import ActionPoint, AgendaItem, Meeting, MeetingSeries
from mineaction.meetings.services.action_points import (
    action_point_create,
    open_action_points_for_review,
)

PAST_MEETING_START = datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)


def make_meeting(series=None, number=1, starts_at=PAST_MEETING_START):
    series = series or MeetingSeries.objects.get_or_create(name="Quarterly plenary")[0]
    return Meeting.objects.create(
        series=series,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
    )


def make_action_point(meeting, organisation, **fields):
    fields.setdefault("text", "Share the survey results")
    fields.setdefault("due_on", datetime.date(2024, 6, 1))
    return ActionPoint.objects.create(meeting=meeting, owner_organisation=organisation, **fields)


@pytest.fixture
def meeting(db):
    return make_meeting()


def test_action_point_create_records_the_action_point(meeting, ngo_org):
    owner = make_person("owner.person@example.org", ngo_org, role=Role.MEMBER)
    item = AgendaItem.objects.create(meeting=meeting, title="Survey")
    action_point = action_point_create(
        meeting=meeting,
        agenda_item=item,
        text="  Share the survey results  ",
        owner_organisation=ngo_org,
        owner_person=owner,
        due_on=datetime.date(2024, 4, 1),
        component="technical",
    )
    assert action_point.text == "Share the survey results"
    assert action_point.status == ActionPoint.Status.OPEN
    assert (action_point.agenda_item, action_point.owner_person) == (item, owner)


def test_action_point_create_refuses_a_due_date_before_the_meeting(meeting, ngo_org):
    with pytest.raises(ValidationError) as refused:
        action_point_create(
            meeting=meeting,
            text="Too late already",
            owner_organisation=ngo_org,
            due_on=datetime.date(2024, 2, 29),
        )
    assert refused.value.message_dict == {
        "due_on": ["The due date cannot be before the meeting where it was agreed (2024-03-01)."]
    }
    assert ActionPoint.objects.count() == 0


def test_action_point_create_accepts_the_meeting_day_as_due_date(meeting, ngo_org):
    action_point = action_point_create(
        meeting=meeting,
        text="Same day",
        owner_organisation=ngo_org,
        due_on=datetime.date(2024, 3, 1),
    )
    assert action_point.due_on == datetime.date(2024, 3, 1)


def test_action_point_create_refuses_an_owner_of_another_organisation(meeting, ngo_org, donor_org):
    stranger = make_person("someone.else@example.org", donor_org)
    with pytest.raises(ValidationError) as refused:
        action_point_create(
            meeting=meeting,
            text="Owned by the wrong person",
            owner_organisation=ngo_org,
            owner_person=stranger,
            due_on=datetime.date(2024, 4, 1),
        )
    assert refused.value.message_dict == {
        "owner_person": [
            "The owner must be a person of the owner organisation (Clear Fields Association)."
        ]
    }
    assert ActionPoint.objects.count() == 0


def test_action_point_create_refuses_empty_text_and_another_meetings_agenda_item(meeting, ngo_org):
    other_item = AgendaItem.objects.create(meeting=make_meeting(number=2), title="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        action_point_create(
            meeting=meeting,
            agenda_item=other_item,
            text="   ",
            owner_organisation=ngo_org,
            due_on=datetime.date(2024, 4, 1),
        )
    assert refused.value.message_dict == {
        "text": ["Say what has to be done."],
        "agenda_item": ["The agenda item belongs to another meeting."],
    }
    assert ActionPoint.objects.count() == 0


def test_open_action_points_of_earlier_meetings_of_the_series_are_up_for_review(ngo_org):
    first = make_meeting(number=1)
    second = make_meeting(number=2, starts_at=PAST_MEETING_START + datetime.timedelta(days=91))
    third = make_meeting(number=3, starts_at=PAST_MEETING_START + datetime.timedelta(days=182))
    other_series = make_meeting(
        MeetingSeries.objects.create(name="Technical working group"),
        starts_at=PAST_MEETING_START - datetime.timedelta(days=10),
    )
    still_open = make_action_point(first, ngo_org, text="Still open")
    in_progress = make_action_point(second, ngo_org, text="Under way", status="in_progress")
    make_action_point(first, ngo_org, text="Done", status="done")
    make_action_point(first, ngo_org, text="Dropped", status="dropped")
    make_action_point(third, ngo_org, text="Agreed at the meeting itself")
    make_action_point(other_series, ngo_org, text="Other series")

    assert list(open_action_points_for_review(meeting=second)) == [still_open]
    assert set(open_action_points_for_review(meeting=third)) == {still_open, in_progress}
    assert list(open_action_points_for_review(meeting=first)) == []
