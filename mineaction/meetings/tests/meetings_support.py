"""Records for the tests of the meetings and agenda parts: a quarterly series and its meetings."""

import datetime

from mineaction.meetings.models import ActionPoint, Meeting, MeetingSeries

UTC = datetime.UTC


def make_series(name="Quarterly plenary", **fields):
    fields.setdefault("frequency", MeetingSeries.Frequency.QUARTERLY)
    fields.setdefault("default_time_zone", "Africa/Nairobi")
    fields.setdefault("default_venue", "Mine Action Centre, Room 1")
    return MeetingSeries.objects.create(name=name, **fields)


def make_meeting(series, number=1, starts_at=None, hours=3, **fields):
    starts_at = starts_at or datetime.datetime(2030, 1, 31, 6, 0, tzinfo=UTC)
    fields.setdefault("time_zone", series.default_time_zone)
    return Meeting.objects.create(
        series=series,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **fields,
    )


def make_action_point(meeting, organisation, text, status=ActionPoint.Status.OPEN, **fields):
    fields.setdefault("due_on", datetime.date(2030, 3, 1))
    return ActionPoint.objects.create(
        meeting=meeting, owner_organisation=organisation, text=text, status=status, **fields
    )
