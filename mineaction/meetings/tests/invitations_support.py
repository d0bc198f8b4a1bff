"""Helpers for the invitation tests: a meeting with an agenda, invitees in French and Arabic, and
reading the received email's iCalendar part back with the icalendar library."""

import datetime
import re
import zoneinfo

import icalendar
from django.utils import timezone

from mineaction.core.choices import Role
from mineaction.meetings.models import AgendaItem, Invitation, Meeting, MeetingSeries
from mineaction.stakeholders.models import Person

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def make_meeting(*, days_ahead=30, number=1, **fields):
    series, _created = MeetingSeries.objects.get_or_create(
        name="National mine action platform", defaults={"default_time_zone": "Europe/Paris"}
    )
    day = timezone.now().astimezone(PARIS).date() + datetime.timedelta(days=days_ahead)
    starts_at = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=PARIS)
    values = {
        "series": series,
        "number": number,
        "title": "Quarterly plenary",
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=3),
        "time_zone": "Europe/Paris",
        "venue": "Ministry of Defence, Room 4",
        "online_url": "https://meet.example.org/plenary",
    }
    meeting = Meeting.objects.create(**(values | fields))
    AgendaItem.objects.create(meeting=meeting, order=1, title="Review of open action points")
    AgendaItem.objects.create(
        meeting=meeting, order=2, title="Article 5 progress", duration_minutes=45
    )
    return meeting


def make_invitee(email, organisation, *, language, given_name, family_name, role=Role.MEMBER):
    person = Person.objects.create(
        email=email,
        organisation=organisation,
        given_name=given_name,
        family_name=family_name,
        language=language,
    )
    if role:
        person.memberships.create(role=role, starts_on=datetime.date(2020, 1, 1))
    return person


def french_invitee(organisation):
    return make_invitee(
        "claire.dubois@example.org",
        organisation,
        language="fr",
        given_name="Claire",
        family_name="Dubois",
    )


def arabic_invitee(organisation):
    return make_invitee(
        "layla.haddad@example.org",
        organisation,
        language="ar",
        given_name="Layla",
        family_name="Haddad",
    )


def invite(meeting, *people, informed_only=False):
    return [
        Invitation.objects.create(meeting=meeting, person=person, informed_only=informed_only)
        for person in people
    ]


def message_to(messages, address):
    [message] = [m for m in messages if m["X-Envelope-To"] == address]
    return message


def calendar_of(message):
    """The iCalendar alternative of a received email, parsed, and its METHOD parameter."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content()), part.get_param("method")


def rsvp_link(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/meetings/rsvp/\S+/)", text).group(1)
