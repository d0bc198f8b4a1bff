import pytest

from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.meetings.models import Invitation, Meeting
from mineaction.meetings.tests.invitations_support import (
    arabic_invitee,
    calendar_of,
    french_invitee,
    invite,
    make_meeting,
)

RUNNERS = ["secretariat", "lead_authority", "administrator"]
READERS = ["observer", "member", "lead_donor", "data_manager"]


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


def invitations_path(meeting):
    return f"/api/v1/meetings/{meeting.public_id}/invitations"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 404)] + [(p, 200) for p in READERS + RUNNERS],
)
def test_invitation_list_access_by_role(people, meeting, persona, expected):
    response = token_client(people, persona).get(invitations_path(meeting))
    assert response.status_code == expected


def test_list_gives_invitations_with_answers_and_counts(people, meeting, claire, layla):
    first, _second = invite(meeting, claire, layla)
    Invitation.objects.filter(pk=first.pk).update(response=Invitation.Response.REMOTE)
    body = token_client(people, "member").get(invitations_path(meeting)).json()
    assert body["count"] == 2
    assert [row["person"]["family_name"] for row in body["results"]] == ["Dubois", "Haddad"]
    assert body["results"][0]["response"] == "remote"
    assert body["results"][0]["sent_sequence"] is None
    assert body["results"][0]["up_to_date"] is True
    assert {row["key"]: row["count"] for row in body["responses"]}["remote"] == 1
    assert (body["invited"], body["informed"], body["not_sent"]) == (2, 0, 2)


def test_secretariat_invites_by_public_id(people, meeting, claire, donor_org):
    response = send(
        token_client(people, "secretariat"),
        "post",
        invitations_path(meeting),
        {"people": [str(claire.public_id)], "organisations": [str(donor_org.public_id)]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(row["person"]["family_name"] for row in body["added"]) == ["Dubois", "Focal"]
    assert body["already_invited"] == []
    again = send(
        token_client(people, "secretariat"),
        "post",
        invitations_path(meeting),
        {"people": [str(claire.public_id)], "informed_only": True},
    )
    assert [row["family_name"] for row in again.json()["already_invited"]] == ["Dubois"]
    assert meeting.invitations.count() == 2


def test_inviting_an_unknown_person_is_refused(people, meeting):
    response = send(
        token_client(people, "secretariat"),
        "post",
        invitations_path(meeting),
        {"people": ["00000000-0000-0000-0000-000000000000"]},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["people"]
    assert not meeting.invitations.exists()


@pytest.mark.parametrize("persona", READERS)
def test_readers_cannot_invite(people, meeting, claire, persona):
    response = send(
        token_client(people, persona),
        "post",
        invitations_path(meeting),
        {"people": [str(claire.public_id)]},
    )
    assert response.status_code == 403
    assert not meeting.invitations.exists()


def test_delete_removes_an_unsent_invitation_and_refuses_a_sent_one(people, meeting, claire, layla):
    unsent, sent = invite(meeting, claire, layla)
    Invitation.objects.filter(pk=sent.pk).update(sent_sequence=0)
    client = token_client(people, "secretariat")
    assert client.delete(f"/api/v1/invitations/{unsent.public_id}").status_code == 204
    response = client.delete(f"/api/v1/invitations/{sent.public_id}")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Layla Haddad has already been sent")
    assert list(meeting.invitations.all()) == [sent]
    denied = token_client(people, "member").delete(f"/api/v1/invitations/{sent.public_id}")
    assert denied.status_code == 403


def test_send_then_send_again_sends_nothing_twice(
    people, meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    client = token_client(people, "secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"{invitations_path(meeting)}/send")
    assert (first.status_code, first.json()) == (200, {"sent": 1})
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"{invitations_path(meeting)}/send")
    assert second.json() == {"sent": 0}
    assert len(smtp_server) == 1
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT


def test_send_with_nobody_invited_is_a_conflict(people, meeting, smtp_server):
    response = token_client(people, "secretariat").post(f"{invitations_path(meeting)}/send")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Nobody is invited yet. Add people before sending invitations."
    )


def test_send_update_after_cancelling_sends_a_cancel(
    people, meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    client = token_client(people, "secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{invitations_path(meeting)}/send")
        send(client, "post", f"/api/v1/meetings/{meeting.public_id}/cancel", {"reason": "Flood"})
        response = client.post(f"{invitations_path(meeting)}/send-update")
    assert response.json() == {"sent": 1}
    _calendar, method = calendar_of(smtp_server[-1])
    assert method == "CANCEL"


@pytest.mark.parametrize("persona", READERS)
def test_readers_cannot_send(people, meeting, claire, persona, smtp_server):
    invite(meeting, claire)
    response = token_client(people, persona).post(f"{invitations_path(meeting)}/send")
    assert response.status_code == 403
    assert smtp_server == []
