"""/api/v1/meetings/{id}/minutes and /api/v1/minutes/...: the minutes cycle without the pages."""

import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.meetings.models import ActionPoint, Amendment, Meeting, Minutes
from mineaction.meetings.services import minutes as services
from mineaction.meetings.tests.minutes_support import agenda, make_held_meeting


@pytest.fixture
def meeting(people):
    return make_held_meeting(people)


@pytest.fixture
def minutes(meeting, people):
    return services.minutes_start(meeting=meeting, language="en", user=people["secretariat"].user)


def entries(minutes, *texts):
    return [
        {"agenda_item": str(item.public_id), "discussion": text}
        for item, text in zip(agenda(minutes.meeting), texts, strict=True)
    ]


def future(days=7):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_minutes_cycle_through_the_api(people, meeting):
    secretariat = token_client(people, "secretariat")
    member = token_client(people, "member")
    authority = token_client(people, "lead_authority")
    first, second = agenda(meeting)

    response = send(
        secretariat, "post", f"/api/v1/meetings/{meeting.public_id}/minutes", {"language": "en"}
    )
    assert response.status_code == 201
    body = response.json()
    minutes_url = f"/api/v1/minutes/{body['public_id']}"
    assert (body["status"], body["revision"], body["is_authoritative"]) == ("draft", 1, True)
    assert [entry["title"] for entry in body["entries"]] == [
        "Article 5 progress",
        "Resource mobilisation",
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFT

    response = send(
        secretariat,
        "put",
        f"{minutes_url}/entries",
        {
            "revision": 1,
            "entries": [{"agenda_item": str(first.public_id), "discussion": "On track."}],
            "note": "Draft",
        },
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert response.json()["entries"][0]["discussion"] == "On track."

    response = send(
        secretariat,
        "post",
        f"{minutes_url}/decisions",
        {
            "agenda_item": str(first.public_id),
            "text": "Adopt the plan.",
        },
    )
    assert response.status_code == 201
    assert response.json()["number"] == 1

    response = send(
        secretariat,
        "post",
        f"{minutes_url}/action-points",
        {
            "agenda_item": str(second.public_id),
            "text": "Share the gap table.",
            "owner_organisation": str(people["member"].organisation.public_id),
            "owner_person": str(people["member"].public_id),
            "due_on": "2025-06-30",
        },
    )
    assert response.status_code == 201
    assert response.json()["owner_person"]["public_id"] == str(people["member"].public_id)

    response = send(
        secretariat, "post", f"{minutes_url}/circulate", {"amendments_close_on": future()}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "circulated"

    response = send(
        member,
        "post",
        f"{minutes_url}/amendments",
        {
            "agenda_item": str(first.public_id),
            "comment": "Not quite.",
            "proposed_text": "Behind schedule.",
        },
    )
    assert response.status_code == 201
    amendment_id = response.json()["public_id"]

    response = send(authority, "post", f"{minutes_url}/approve")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "1 amendment is still open. Resolve it before approving the minutes."
    )

    response = send(
        secretariat,
        "post",
        f"/api/v1/minutes/amendments/{amendment_id}/resolve",
        {
            "outcome": "reject",
            "resolution": "The figure is right.",
        },
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert send(member, "get", f"{minutes_url}/amendments").json()[0]["resolution"] == (
        "The figure is right."
    )

    response = send(authority, "post", f"{minutes_url}/approve")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["approved_by"] == people["lead_authority"].user.email

    response = send(
        secretariat,
        "put",
        f"{minutes_url}/entries",
        {
            "revision": 4,
            "entries": [{"agenda_item": str(first.public_id), "discussion": "Changed."}],
        },
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "These minutes have been approved and can no longer be changed."
    )

    versions = send(member, "get", f"{minutes_url}/versions").json()
    assert [version["revision"] for version in versions] == [1, 2, 3, 4]
    version = send(member, "get", f"{minutes_url}/versions/2").json()
    assert version["content"]["entries"][0]["discussion"] == "On track."
    assert send(member, "get", f"{minutes_url}/versions/9").status_code == 404
    listed = send(member, "get", f"/api/v1/meetings/{meeting.public_id}/minutes").json()
    assert [(m["language"], m["status"]) for m in listed] == [("en", "approved")]


def test_saving_entries_from_an_old_revision_is_a_conflict_with_the_current_content(
    people, minutes
):
    client = token_client(people, "secretariat")
    path = f"/api/v1/minutes/{minutes.public_id}/entries"
    first = send(client, "put", path, {"revision": 1, "entries": entries(minutes, "A", "")})
    assert first.status_code == 200

    response = send(client, "put", path, {"revision": 1, "entries": entries(minutes, "B", "")})

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["current"]["revision"] == 2
    assert body["current"]["entries"][0]["discussion"] == "A"
    minutes.refresh_from_db()
    assert minutes.revision == 2
    assert minutes.entries.get(agenda_item=agenda(minutes.meeting)[0]).discussion == "A"


def test_unknown_agenda_item_in_entries_is_refused(people, minutes):
    response = send(
        token_client(people, "secretariat"),
        "put",
        f"/api/v1/minutes/{minutes.public_id}/entries",
        {"revision": 1, "entries": [{"agenda_item": str(minutes.public_id), "discussion": "x"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "entries": [f"This is not an agenda item of the meeting: {minutes.public_id}."]
    }
    minutes.refresh_from_db()
    assert minutes.revision == 1


def test_action_point_due_before_the_meeting_is_refused(people, minutes):
    item = agenda(minutes.meeting)[0]
    response = send(
        token_client(people, "secretariat"),
        "post",
        f"/api/v1/minutes/{minutes.public_id}/action-points",
        {
            "agenda_item": str(item.public_id),
            "text": "Too early.",
            "owner_organisation": str(people["member"].organisation.public_id),
            "due_on": "2025-03-09",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"due_on": ["A due date cannot be before the meeting."]}
    assert not ActionPoint.objects.exists()


@pytest.mark.parametrize("persona", ["member", "secretariat", "administrator"])
def test_only_the_lead_authority_approves_through_the_api(people, minutes, persona):
    services.minutes_circulate(
        minutes=minutes, closes_on=timezone.localdate() + datetime.timedelta(days=3), user=None
    )
    response = send(
        token_client(people, persona), "post", f"/api/v1/minutes/{minutes.public_id}/approve"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the lead authority approves minutes."
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED


def test_amendment_after_the_window_is_refused_through_the_api(people, minutes):
    services.minutes_circulate(
        minutes=minutes, closes_on=timezone.localdate() + datetime.timedelta(days=3), user=None
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        amendments_close_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = send(
        token_client(people, "member"),
        "post",
        f"/api/v1/minutes/{minutes.public_id}/amendments",
        {"comment": "Late."},
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("The amendment window closed on ")
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_minutes_are_read_by_readers_and_hidden_from_outsiders(people, minutes, persona):
    services.minutes_circulate(
        minutes=minutes, closes_on=timezone.localdate() + datetime.timedelta(days=3), user=None
    )
    response = token_client(people, persona).get(f"/api/v1/minutes/{minutes.public_id}")
    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_minutes_are_read_only_by_those_who_run_meetings(people, minutes, persona):
    client = token_client(people, persona)
    response = client.get(f"/api/v1/minutes/{minutes.public_id}")
    runner = persona in {"secretariat", "lead_authority", "administrator"}
    expected = {"anonymous": 401}.get(persona, 200 if runner else 404)
    assert response.status_code == expected
    listing = client.get(f"/api/v1/meetings/{minutes.meeting.public_id}/minutes")
    if persona not in {"anonymous", "outsider"}:
        shown = [row["public_id"] for row in listing.json()]
        assert shown == ([str(minutes.public_id)] if runner else [])


@pytest.mark.parametrize(
    ("persona", "expected"), [("observer", 403), ("member", 403), ("secretariat", 422)]
)
def test_only_meeting_runners_start_minutes(people, meeting, persona, expected):
    response = send(
        token_client(people, persona),
        "post",
        f"/api/v1/meetings/{meeting.public_id}/minutes",
        {"language": "xx"},
    )
    assert response.status_code == expected
    assert not Minutes.objects.exists()
