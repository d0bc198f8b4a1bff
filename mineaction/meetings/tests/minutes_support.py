"""Records for the minutes tests: a held meeting with two agenda items and its attendance."""

import datetime

from mineaction.meetings.models import AgendaItem, Attendance, Meeting, MeetingSeries
from mineaction.stakeholders.models import AgeBand, Sex

UTC = datetime.UTC
# 10 March 2025, 09:00 in Nairobi: the meeting's date is 2025-03-10 whatever the server's zone.
MEETING_START = datetime.datetime(2025, 3, 10, 6, 0, tzinfo=UTC)
MEETING_DATE = datetime.date(2025, 3, 10)


def make_held_meeting(people, status=Meeting.Status.HELD):
    series = MeetingSeries.objects.create(name="Quarterly plenary")
    meeting = Meeting.objects.create(
        series=series,
        number=7,
        starts_at=MEETING_START,
        ends_at=MEETING_START + datetime.timedelta(hours=3),
        time_zone="Africa/Nairobi",
        status=status,
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="Article 5 progress")
    AgendaItem.objects.create(meeting=meeting, order=2, title="Resource mobilisation")
    for persona, presence in [
        ("member", Attendance.Presence.PRESENT),
        ("lead_donor", Attendance.Presence.REMOTE),
        ("observer", Attendance.Presence.ABSENT),
    ]:
        person = people[persona]
        Attendance.objects.create(
            meeting=meeting,
            person=person,
            organisation=person.organisation,
            presence=presence,
            sex=Sex.FEMALE,
            age_band=AgeBand.FROM_30_TO_44,
        )
    return meeting


def agenda(meeting):
    return list(meeting.agenda_items.order_by("order"))


def entry_field(item):
    return f"entry_{item.public_id}"
