"""Records shared by the attendance tests: a plenary series, meetings and a small room.

The room of the "held" meeting: five people present (four in person, one online), two of them
women, and one absent.
"""

import datetime

import pytest

from mineaction.conftest import make_organisation
from mineaction.meetings.models import Attendance, Invitation, Meeting, MeetingSeries
from mineaction.stakeholders.models import AgeBand, OrganisationType, Person, Sex

UTC = datetime.UTC


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def make_meeting(series, number, starts_at, **fields):
    return Meeting.objects.create(
        series=series,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        **fields,
    )


def make_attendee(given_name, family_name, organisation, sex, age_band):
    return Person.objects.create(
        given_name=given_name,
        family_name=family_name,
        organisation=organisation,
        sex=sex,
        age_band=age_band,
    )


def register(meeting, person, presence):
    return Attendance.objects.create(
        meeting=meeting,
        person=person,
        organisation=person.organisation,
        presence=presence,
        sex=person.sex,
        age_band=person.age_band,
    )


@pytest.fixture
def series(db):
    return MeetingSeries.objects.create(name="Quarterly plenary")


@pytest.fixture
def room(people, series, ngo_org, authority_org, donor_org):
    """Six invited people of varied constituencies and a meeting that began in the past."""
    survivors = make_organisation(
        "Survivors Network", OrganisationType.AFFECTED_COMMUNITY, acronym="SN"
    )
    university = make_organisation("National University", OrganisationType.ACADEMIC)
    undp = people["secretariat"].organisation
    attendees = {
        "amina": make_attendee("Amina", "Ali", survivors, Sex.FEMALE, AgeBand.FROM_30_TO_44),
        "beatrice": make_attendee("Beatrice", "Bah", ngo_org, Sex.FEMALE, AgeBand.FROM_18_TO_29),
        "carlos": make_attendee("Carlos", "Cruz", authority_org, Sex.MALE, AgeBand.FROM_45_TO_59),
        "david": make_attendee("David", "Dunn", donor_org, Sex.MALE, AgeBand.FROM_60),
        "erik": make_attendee("Erik", "Eng", undp, Sex.MALE, AgeBand.UNDISCLOSED),
        "fatima": make_attendee("Fatima", "Farah", university, Sex.FEMALE, AgeBand.FROM_30_TO_44),
    }
    meeting = make_meeting(series, 1, at(2026, 3, 10), status=Meeting.Status.INVITATIONS_SENT)
    for person in attendees.values():
        Invitation.objects.create(meeting=meeting, person=person)
    informed = make_attendee("Ines", "Informed", ngo_org, Sex.FEMALE, AgeBand.FROM_30_TO_44)
    Invitation.objects.create(meeting=meeting, person=informed, informed_only=True)
    return {"meeting": meeting, "people": attendees, "informed": informed}


# What the secretariat records for the room: 4 in person, 1 online, 1 absent.
ROOM_PRESENCE = {
    "amina": "present",
    "beatrice": "present",
    "carlos": "present",
    "david": "present",
    "erik": "remote",
    "fatima": "absent",
}


def fill_room(room):
    for name, presence in ROOM_PRESENCE.items():
        register(room["meeting"], room["people"][name], presence)
