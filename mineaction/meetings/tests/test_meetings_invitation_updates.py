"""Changing, postponing or cancelling a meeting whose invitations were sent sends the update
(same UID, higher SEQUENCE) or the cancellation by itself, from the pages and from the API."""

import datetime

import pytest
from django.urls import reverse

from mineaction.core.choices import Visibility
from mineaction.core.models import OutboundEmail
from mineaction.core.tests.api_support import send, token_client
from mineaction.meetings.models import Meeting
from mineaction.meetings.services import invitations as invitation_services
from mineaction.meetings.services import meetings as services
from mineaction.meetings.tests.invitations_support import (
    arabic_invitee,
    calendar_of,
    french_invitee,
    invite,
    make_meeting,
    message_to,
)

CLAIRE = "claire.dubois@example.org"
LAYLA = "layla.haddad@example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def meeting(people):
    return make_meeting()


@pytest.fixture
def invited(meeting, ngo_org, smtp_server, django_capture_on_commit_callbacks):
    """The meeting with Claire and Layla invited and their invitations sent."""
    invite(meeting, french_invitee(ngo_org), arabic_invitee(ngo_org))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_services.invitations_send(meeting=meeting)
    assert len(smtp_server) == 2
    meeting.refresh_from_db()
    return meeting


def event_of(message):
    calendar, method = calendar_of(message)
    [event] = calendar.events
    return event, method


def new_messages(smtp_server):
    return smtp_server[2:]


def assert_each_invitee_got(smtp_server, meeting, *, method):
    """Claire and Layla each received one more message: the same event, a higher SEQUENCE."""
    later = new_messages(smtp_server)
    assert sorted(message["X-Envelope-To"] for message in later) == [CLAIRE, LAYLA]
    for address in (CLAIRE, LAYLA):
        first, _method = event_of(message_to(smtp_server[:2], address))
        update = message_to(later, address)
        event, sent_method = event_of(update)
        assert sent_method == method
        assert str(event["UID"]) == str(first["UID"]) == meeting.ical_uid
        assert event["SEQUENCE"] > first["SEQUENCE"]
        assert event["SEQUENCE"] == meeting.ical_sequence
    assert set(meeting.invitations.values_list("sent_sequence", flat=True)) == {
        meeting.ical_sequence
    }


# Services ------------------------------------------------------------------------------------


def test_postponing_sends_each_invitee_the_update(
    invited, smtp_server, django_capture_on_commit_callbacks
):
    new_start = invited.starts_at + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_postpone(
            meeting=Meeting.objects.get(pk=invited.pk),
            starts_at=new_start,
            ends_at=new_start + datetime.timedelta(hours=2),
            reason="The ministry's hall is being repaired.",
        )
    invited.refresh_from_db()
    later = new_messages(smtp_server)
    assert_each_invitee_got(smtp_server, invited, method="REQUEST")
    event, _method = event_of(message_to(later, CLAIRE))
    assert event.decoded("DTSTART") == new_start
    assert invitation_services.invitation_counts(invited)["out_of_date"] == 0


def test_cancelling_sends_each_invitee_a_cancellation(
    invited, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(
            meeting=Meeting.objects.get(pk=invited.pk), reason="Elections were called."
        )
    invited.refresh_from_db()
    assert_each_invitee_got(smtp_server, invited, method="CANCEL")
    calendar, _method = calendar_of(message_to(new_messages(smtp_server), CLAIRE))
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.events[0]["STATUS"]) == "CANCELLED"


def test_nothing_is_sent_when_no_invitation_went_out(
    meeting, ngo_org, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, french_invitee(ngo_org))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.meeting_cancel(meeting=meeting, reason="Elections were called.")
    assert callbacks == []
    assert smtp_server == []
    assert not OutboundEmail.objects.exists()


def test_marking_as_held_sends_nothing(invited, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_mark_held(
            meeting=invited, today=invited.starts_at.date() + datetime.timedelta(days=1)
        )
    invited.refresh_from_db()
    assert invited.status == Meeting.Status.HELD
    assert len(smtp_server) == 2


# Pages -----------------------------------------------------------------------------------------


def _edit_data(meeting, **changes):
    data = {
        "title": meeting.title,
        "starts_at": "2030-03-04T09:30",
        "ends_at": "2030-03-04T12:30",
        "time_zone": meeting.time_zone,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "focus": meeting.focus,
        "chair": "",
        "convener": "",
        "visibility": Visibility.MEMBERS,
    }
    return data | changes


def test_editing_the_venue_on_the_page_sends_the_update(
    clients, invited, smtp_server, django_capture_on_commit_callbacks
):
    url = reverse("meetings:meetings_edit", args=[invited.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["secretariat"].post(url, _edit_data(invited, venue="Hotel Lakeside"))
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.venue == "Hotel Lakeside"
    assert_each_invitee_got(smtp_server, invited, method="REQUEST")
    event, _method = event_of(message_to(new_messages(smtp_server), LAYLA))
    assert str(event["LOCATION"]) == "Hotel Lakeside"


def test_editing_only_the_title_sends_nothing(
    clients, invited, smtp_server, django_capture_on_commit_callbacks
):
    invited.starts_at = datetime.datetime(2030, 3, 4, 8, 30, tzinfo=datetime.UTC)
    invited.ends_at = datetime.datetime(2030, 3, 4, 11, 30, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=invited.pk).update(
        starts_at=invited.starts_at, ends_at=invited.ends_at
    )
    url = reverse("meetings:meetings_edit", args=[invited.public_id])
    sequence = invited.ical_sequence
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["secretariat"].post(url, _edit_data(invited, title="Plenary"))
    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.title, invited.ical_sequence) == ("Plenary", sequence)
    assert len(smtp_server) == 2


def test_cancelling_on_the_page_sends_the_cancellation(
    clients, invited, smtp_server, django_capture_on_commit_callbacks
):
    url = reverse("meetings:meetings_cancel", args=[invited.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["secretariat"].post(url, {"reason": "No quorum"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert_each_invitee_got(smtp_server, invited, method="CANCEL")
    listing = clients["secretariat"].get(
        reverse("meetings:invitations_list", args=[invited.public_id])
    )
    assert reverse("meetings:invitations_send_update", args=[invited.public_id]) not in (
        listing.text
    )


# API -------------------------------------------------------------------------------------------


def test_postponing_through_the_api_sends_the_update(
    people, invited, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            token_client(people, "secretariat"),
            "post",
            f"/api/v1/meetings/{invited.public_id}/postpone",
            {"starts_at": "2030-02-07T09:00", "ends_at": "2030-02-07T12:00", "reason": "Flood"},
        )
    assert response.status_code == 200, response.content
    invited.refresh_from_db()
    assert response.json()["ical_sequence"] == invited.ical_sequence
    assert_each_invitee_got(smtp_server, invited, method="REQUEST")


def test_changing_the_link_through_the_api_sends_the_update(
    people, invited, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            token_client(people, "secretariat"),
            "patch",
            f"/api/v1/meetings/{invited.public_id}",
            {"online_url": "https://meet.example.org/new-room"},
        )
    assert response.status_code == 200, response.content
    invited.refresh_from_db()
    assert_each_invitee_got(smtp_server, invited, method="REQUEST")


def test_cancelling_through_the_api_sends_the_cancellation(
    people, invited, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            token_client(people, "secretariat"),
            "post",
            f"/api/v1/meetings/{invited.public_id}/cancel",
            {"reason": "Flood"},
        )
    assert response.status_code == 200, response.content
    invited.refresh_from_db()
    assert_each_invitee_got(smtp_server, invited, method="CANCEL")
