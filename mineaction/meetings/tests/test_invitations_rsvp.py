import datetime
import json

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from mineaction.meetings.models import Invitation, Meeting
from mineaction.meetings.services import invitations as services
from mineaction.meetings.tests.invitations_support import (
    french_invitee,
    invite,
    make_meeting,
    rsvp_link,
)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def meeting(people):
    return make_meeting()


@pytest.fixture
def invitation(meeting, ngo_org):
    [invitation] = invite(meeting, french_invitee(ngo_org))
    return invitation


def link_for(invitation):
    return f"/meetings/rsvp/{services.rsvp_token(invitation)}/"


def api_url(token):
    return f"/api/v1/rsvp/{token}"


def answer_by_api(token, response):
    return Client().post(
        api_url(token), data=json.dumps({"response": response}), content_type="application/json"
    )


def unchanged(invitation):
    invitation.refresh_from_db()
    return invitation.response == Invitation.Response.PENDING and invitation.responded_at is None


def test_the_link_in_the_email_opens_the_answer_page_without_logging_in(
    invitation, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=invitation.meeting)
    response = Client().get(rsvp_link(smtp_server[0]))
    assert response.status_code == 200
    assert response.context["invitation"] == invitation
    content = response.content.decode()
    for label in ["Will attend", "Will attend online", "Maybe", "Will not attend"]:
        assert label in content


@pytest.mark.parametrize("answer", ["accepted", "remote", "tentative", "declined"])
def test_each_answer_is_recorded(invitation, answer):
    url = link_for(invitation)
    response = Client().post(url, {"response": answer})
    assert response.status_code == 302
    assert response.url == url
    invitation.refresh_from_db()
    assert invitation.response == answer
    assert abs(invitation.responded_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_the_answer_can_be_changed_with_the_same_link(invitation):
    url = link_for(invitation)
    Client().post(url, {"response": "accepted"})
    Client().post(url, {"response": "declined"})
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.DECLINED
    page = Client().get(url)
    assert page.context["form"].initial == {"response": "declined"}


def test_an_answer_must_be_chosen(invitation):
    response = Client().post(link_for(invitation), {"response": "pending"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert unchanged(invitation)


def test_a_tampered_link_is_refused_and_changes_nothing(invitation):
    token = services.rsvp_token(invitation)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = Client().post(f"/meetings/rsvp/{tampered}/", {"response": "accepted"})
    assert response.status_code == 400
    assert "This answer link is not valid. Check that you copied the whole link." in (
        response.content.decode()
    )
    assert unchanged(invitation)


def test_a_link_for_another_invitation_signed_elsewhere_is_refused(invitation):
    forged = signing.dumps(str(invitation.public_id), salt="another.purpose")
    response = Client().post(f"/meetings/rsvp/{forged}/", {"response": "accepted"})
    assert response.status_code == 400
    assert unchanged(invitation)


def test_a_link_expires_a_day_after_the_meeting(invitation):
    meeting = invitation.meeting
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    response = Client().post(link_for(invitation), {"response": "accepted"})
    assert response.status_code == 410
    assert "This answer link has expired: the meeting is over." in response.content.decode()
    assert unchanged(invitation)


def test_a_link_older_than_the_longest_life_is_refused(invitation, monkeypatch):
    url = link_for(invitation)
    monkeypatch.setattr(services, "RSVP_MAX_AGE", datetime.timedelta(seconds=-1))
    response = Client().post(url, {"response": "accepted"})
    assert response.status_code == 410
    assert "This answer link has expired." in response.content.decode()
    assert unchanged(invitation)


def test_a_link_follows_a_postponed_meeting(invitation):
    url = link_for(invitation)
    Meeting.objects.filter(pk=invitation.meeting.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=60),
        ends_at=timezone.now() + datetime.timedelta(days=60, hours=2),
        status=Meeting.Status.POSTPONED,
    )
    assert Client().post(url, {"response": "remote"}).status_code == 302


def test_a_withdrawn_invitation_is_refused(invitation):
    url = link_for(invitation)
    Invitation.objects.filter(pk=invitation.pk).delete()
    response = Client().get(url)
    assert response.status_code == 400
    assert "This invitation has been withdrawn." in response.content.decode()


def test_a_cancelled_meeting_takes_no_answers(invitation):
    Meeting.objects.filter(pk=invitation.meeting.pk).update(status=Meeting.Status.CANCELLED)
    url = link_for(invitation)
    page = Client().get(url)
    assert page.status_code == 200
    assert "The meeting has been cancelled; there is nothing to answer." in page.content.decode()
    response = Client().post(url, {"response": "accepted"})
    assert response.status_code == 409
    assert unchanged(invitation)


# API -------------------------------------------------------------------------------------------


def test_api_records_an_answer_without_log_in(invitation):
    response = answer_by_api(services.rsvp_token(invitation), "tentative")
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"] == str(invitation.meeting.public_id)
    assert body["response"] == "tentative"
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.TENTATIVE


def test_api_refuses_a_tampered_token(invitation):
    token = services.rsvp_token(invitation)
    response = answer_by_api(token.replace(":", ":x", 1), "accepted")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "This answer link is not valid. Check that you copied the whole link."
    )
    assert unchanged(invitation)


def test_api_refuses_an_expired_token(invitation):
    Meeting.objects.filter(pk=invitation.meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    response = answer_by_api(services.rsvp_token(invitation), "accepted")
    assert response.status_code == 410
    assert response.json()["title"] == "Gone"
    assert response.json()["detail"] == "This answer link has expired: the meeting is over."
    assert unchanged(invitation)


def test_api_refuses_an_unknown_answer(invitation):
    response = answer_by_api(services.rsvp_token(invitation), "perhaps")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "response": ["Select a valid choice. perhaps is not one of the available choices."]
    }
    assert unchanged(invitation)
