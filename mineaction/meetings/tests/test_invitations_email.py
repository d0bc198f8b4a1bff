import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mineaction.core.mail import deliver_due
from mineaction.core.models import OutboundEmail
from mineaction.meetings.models import Meeting
from mineaction.meetings.services import invitations as services
from mineaction.meetings.services import meetings as meeting_services
from mineaction.meetings.tests.invitations_support import (
    PARIS,
    arabic_invitee,
    calendar_of,
    french_invitee,
    invite,
    make_invitee,
    make_meeting,
    message_to,
    rsvp_link,
)

FRENCH_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
FRENCH_MONTHS += ["septembre", "octobre", "novembre", "décembre"]
ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس"]
ARABIC_MONTHS += ["سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def meeting(people):
    return make_meeting()


@pytest.fixture
def claire(ngo_org):
    return french_invitee(ngo_org)


@pytest.fixture
def layla(ngo_org):
    return arabic_invitee(ngo_org)


def send(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitations_send(meeting=meeting)


def send_update(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitations_send_update(meeting=meeting)


def test_each_invitee_gets_the_invitation_in_their_own_language(
    meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire, layla)
    assert send(meeting, django_capture_on_commit_callbacks) == 2
    french = message_to(smtp_server, "claire.dubois@example.org")
    arabic = message_to(smtp_server, "layla.haddad@example.org")
    assert french["Content-Language"] == "fr"
    assert arabic["Content-Language"] == "ar"
    assert '<html lang="fr" dir="ltr">' in french.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in arabic.get_body(("html",)).get_content()
    french_text = french.get_body(("plain",)).get_content()
    # Django's own catalogues format the dates: the person's language was active.
    assert any(month in french_text for month in FRENCH_MONTHS)
    assert french_text.startswith("Bonjour Claire,")
    arabic_text = arabic.get_body(("plain",)).get_content()
    assert arabic_text.startswith("Layla المحترم/المحترمة،")
    assert any(month in arabic_text for month in ARABIC_MONTHS)
    local_start = meeting.starts_at.astimezone(PARIS)
    assert f"{local_start.day} {FRENCH_MONTHS[local_start.month - 1]}" in french_text
    assert "09:30" in french_text or "9:30" in french_text
    assert "(heure de Europe/Paris)" in french_text


def test_the_invitation_carries_an_icalendar_request(
    meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    send(meeting, django_capture_on_commit_callbacks)
    message = message_to(smtp_server, "claire.dubois@example.org")
    calendar, method = calendar_of(message)
    meeting.refresh_from_db()
    assert method == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    [event] = calendar.events
    assert str(event["UID"]) == meeting.ical_uid == f"meeting-{meeting.public_id}@mineaction"
    assert event["SEQUENCE"] == meeting.ical_sequence == 1
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert [str(zone["TZID"]) for zone in calendar.timezones] == ["Europe/Paris"]
    assert str(event["SUMMARY"]) == "Quarterly plenary"
    assert str(event["LOCATION"]) == "Ministry of Defence, Room 4"
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.public_id}/"
    assert str(event["ORGANIZER"]) == "mailto:platform@localhost"
    assert event["ORGANIZER"].params["CN"] == "Mine Action Platform"
    assert str(event["STATUS"]) == "CONFIRMED"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:claire.dubois@example.org"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["CN"] == "Claire Dubois"
    description = str(event["DESCRIPTION"])
    assert "1. Review of open action points (15 min)" in description
    assert "2. Article 5 progress (45 min)" in description
    assert "https://meet.example.org/plenary" in description
    assert f"http://testserver{rsvp_link(message)}" in description
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"


def test_sending_marks_the_meeting_and_records_the_version_sent(
    meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    [invitation] = invite(meeting, claire)
    send(meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    invitation.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT
    assert invitation.sent_sequence == meeting.ical_sequence
    outbound = OutboundEmail.objects.get()
    assert (outbound.purpose, outbound.language, outbound.status) == (
        "meeting_invitation",
        "fr",
        OutboundEmail.Status.SENT,
    )


def test_informed_people_get_no_invitation(
    meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    invite(meeting, layla, informed_only=True)
    assert send(meeting, django_capture_on_commit_callbacks) == 1
    assert [message["X-Envelope-To"] for message in smtp_server] == ["claire.dubois@example.org"]


def test_sending_again_sends_nothing_twice(
    meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    send(meeting, django_capture_on_commit_callbacks)
    assert send(meeting, django_capture_on_commit_callbacks) == 0
    assert send_update(meeting, django_capture_on_commit_callbacks) == 0
    assert len(smtp_server) == 1
    invite(meeting, layla)
    assert send(meeting, django_capture_on_commit_callbacks) == 1
    assert [message["X-Envelope-To"] for message in smtp_server] == [
        "claire.dubois@example.org",
        "layla.haddad@example.org",
    ]


def test_a_postponed_meeting_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    send(meeting, django_capture_on_commit_callbacks)
    invite(meeting, layla)  # invited later, not yet sent: receives nothing from the update
    first, _method = calendar_of(smtp_server[0])
    new_start = meeting.starts_at + datetime.timedelta(days=7)
    meeting_services.meeting_postpone(
        meeting=Meeting.objects.get(pk=meeting.pk),
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(hours=2),
        reason="The ministry's hall is being repaired.",
    )
    assert send_update(meeting, django_capture_on_commit_callbacks) == 1
    assert len(smtp_server) == 2
    update = smtp_server[1]
    assert update["X-Envelope-To"] == "claire.dubois@example.org"
    assert update["Subject"].startswith("Invitation mise à jour : Quarterly plenary, ")
    assert "The ministry's hall is being repaired." in update.get_body(("plain",)).get_content()
    calendar, method = calendar_of(update)
    [before], [after] = first.events, calendar.events
    assert method == "REQUEST"
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == new_start
    assert send_update(meeting, django_capture_on_commit_callbacks) == 0
    assert len(smtp_server) == 2


def test_a_cancelled_meeting_sends_a_cancellation(
    meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    invite(meeting, layla, informed_only=True)
    send(meeting, django_capture_on_commit_callbacks)
    first, _method = calendar_of(smtp_server[0])
    meeting_services.meeting_cancel(
        meeting=Meeting.objects.get(pk=meeting.pk), reason="Elections were called."
    )
    assert send_update(meeting, django_capture_on_commit_callbacks) == 1
    cancellation = smtp_server[1]
    assert cancellation["X-Envelope-To"] == "claire.dubois@example.org"
    assert cancellation["Subject"].startswith("Annulation : Quarterly plenary, ")
    text = cancellation.get_body(("plain",)).get_content()
    assert "/meetings/rsvp/" not in text
    calendar, method = calendar_of(cancellation)
    assert method == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.events
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["UID"] == first.events[0]["UID"]
    assert event["SEQUENCE"] > first.events[0]["SEQUENCE"]
    assert send_update(meeting, django_capture_on_commit_callbacks) == 0
    with pytest.raises(ValidationError) as refused:
        services.invitations_send(meeting=meeting)
    assert refused.value.messages == [
        "The meeting is “Cancelled”: invitations can no longer be sent."
    ]


def test_an_unchanged_meeting_that_was_held_sends_no_update(
    meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    send(meeting, django_capture_on_commit_callbacks)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, ical_sequence=meeting.ical_sequence + 5
    )
    assert send_update(meeting, django_capture_on_commit_callbacks) == 0
    assert len(smtp_server) == 1


def test_sending_with_nobody_invited_is_refused(meeting, smtp_server):
    with pytest.raises(ValidationError) as refused:
        services.invitations_send(meeting=meeting)
    assert refused.value.messages == [
        "Nobody is invited yet. Add people before sending invitations."
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_invitations_survive_a_mail_server_outage(
    meeting, claire, settings, django_capture_on_commit_callbacks, request
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    [invitation] = invite(meeting, claire)
    assert send(meeting, django_capture_on_commit_callbacks) == 1
    outbound = OutboundEmail.objects.get()
    assert outbound.status == OutboundEmail.Status.QUEUED
    assert outbound.last_error != ""
    invitation.refresh_from_db()
    assert invitation.sent_sequence is not None  # queued: sending again would duplicate it
    inbox = request.getfixturevalue("smtp_server")
    deliver_due(now=timezone.now() + datetime.timedelta(minutes=2))
    assert [message["X-Envelope-To"] for message in inbox] == ["claire.dubois@example.org"]


def test_organisations_bring_their_current_members_and_skip_those_without_email(
    meeting, ngo_org, people
):
    no_email = make_invitee(None, ngo_org, language="en", given_name="Nadia", family_name="Noemail")
    former = make_invitee(
        "former.member@example.org",
        ngo_org,
        language="en",
        given_name="Former",
        family_name="Member",
        role=None,
    )
    result = services.invitations_add(meeting=meeting, organisations=[ngo_org])
    invited = {invitation.person for invitation in result["added"]}
    assert people["member"] in invited and people["observer"] in invited
    assert former not in invited
    assert result["without_email"] == [no_email]
    again = services.invitations_add(meeting=meeting, people=[people["member"]])
    assert again["added"] == [] and again["already"] == [people["member"]]
