"""Correcting decisions recorded in minutes: edit and delete from the minutes page and through
the API, each change a new version; refused once the minutes are approved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.meetings.models import Decision, Meeting, MeetingSeries, Minutes, MinutesVersion
from mineaction.meetings.services import minutes as services
from mineaction.meetings.tests.minutes_support import agenda, make_held_meeting


@pytest.fixture
def minutes(people):
    meeting = make_held_meeting(people)
    return services.minutes_start(meeting=meeting, language="en", user=people["secretariat"].user)


@pytest.fixture
def decisions(minutes, people):
    first, second = agenda(minutes.meeting)
    user = people["secretariat"].user
    return [
        services.minutes_decision_add(
            minutes=minutes, agenda_item=first, text="Adopt the plan.", user=user
        ),
        services.minutes_decision_add(
            minutes=minutes, agenda_item=first, text="Ask for funds.", user=user
        ),
        services.minutes_decision_add(
            minutes=minutes, agenda_item=second, text="Meet again.", user=user
        ),
    ]


def circulate(minutes, people):
    """Members read minutes once circulated (drafts are only for those who run meetings)."""
    services.minutes_circulate(
        minutes=minutes,
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
        user=people["secretariat"].user,
    )
    minutes.refresh_from_db()


def other_minutes(minutes):
    """Minutes of another held meeting."""
    meeting = minutes.meeting
    other = Meeting.objects.create(
        series=MeetingSeries.objects.create(name="Other series"),
        number=1,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        status=Meeting.Status.HELD,
    )
    return services.minutes_start(meeting=other, language="en", user=None)


def approve(minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED)
    minutes.refresh_from_db()


def page_url(name, minutes, decision):
    return reverse(f"meetings:{name}", args=[minutes.public_id, decision.public_id])


def api_url(minutes, decision):
    return f"/api/v1/minutes/{minutes.public_id}/decisions/{decision.public_id}"


def numbers_and_texts(minutes):
    return list(minutes.meeting.decisions.order_by("number").values_list("number", "text"))


def state(minutes):
    minutes.refresh_from_db()
    return numbers_and_texts(minutes), minutes.revision, minutes.versions.count()


# Services --------------------------------------------------------------------------------------


def test_update_changes_the_wording_and_keeps_a_version(minutes, decisions, people):
    second_item = agenda(minutes.meeting)[1]
    revision = Minutes.objects.get(pk=minutes.pk).revision
    decision = services.decision_update(
        minutes=minutes,
        decision=decisions[0],
        text="  Adopt the amended plan.  ",
        agenda_item=second_item,
        user=people["secretariat"].user,
    )
    assert (decision.number, decision.text, decision.agenda_item) == (
        1,
        "Adopt the amended plan.",
        second_item,
    )
    minutes.refresh_from_db()
    assert minutes.revision == revision + 1
    version = minutes.versions.get(revision=minutes.revision)
    assert version.note == "Decision 1 changed."
    assert version.created_by == people["secretariat"].user
    assert {
        "number": 1,
        "text": "Adopt the amended plan.",
        "agenda_item": str(second_item.public_id),
    } in version.content["decisions"]


def test_update_without_a_change_keeps_no_version(minutes, decisions, people):
    before = state(minutes)
    services.decision_update(
        minutes=minutes,
        decision=decisions[0],
        text="Adopt the plan.",
        agenda_item=decisions[0].agenda_item,
        user=people["secretariat"].user,
    )
    assert state(minutes) == before


def test_delete_keeps_the_other_numbers(minutes, decisions, people):
    revision = Minutes.objects.get(pk=minutes.pk).revision
    number = services.decision_delete(
        minutes=minutes, decision=decisions[1], user=people["secretariat"].user
    )
    assert number == 2
    assert numbers_and_texts(minutes) == [(1, "Adopt the plan."), (3, "Meet again.")]
    minutes.refresh_from_db()
    assert minutes.revision == revision + 1
    version = minutes.versions.get(revision=minutes.revision)
    assert version.note == "Decision 2 deleted."
    assert [d["number"] for d in version.content["decisions"]] == [1, 3]


@pytest.mark.parametrize("status", [Minutes.Status.APPROVED, Minutes.Status.DISTRIBUTED])
def test_services_refuse_once_the_minutes_are_approved(minutes, decisions, people, status):
    Minutes.objects.filter(pk=minutes.pk).update(status=status)
    before = state(minutes)
    user = people["secretariat"].user
    with pytest.raises(ValidationError) as refused:
        services.decision_update(
            minutes=minutes, decision=decisions[0], text="Other", agenda_item=None, user=user
        )
    assert refused.value.messages == [str(services.FROZEN_MESSAGE)]
    with pytest.raises(ValidationError) as refused:
        services.decision_delete(minutes=minutes, decision=decisions[0], user=user)
    assert refused.value.messages == [str(services.FROZEN_MESSAGE)]
    assert state(minutes) == before


def test_translated_minutes_cannot_change_decisions_once_the_authoritative_are_approved(
    minutes, decisions, people
):
    user = people["secretariat"].user
    french = services.minutes_start(meeting=minutes.meeting, language="fr", user=user)
    approve(minutes)
    before = numbers_and_texts(minutes)
    with pytest.raises(ValidationError) as refused:
        services.decision_update(
            minutes=french, decision=decisions[0], text="Autre", agenda_item=None, user=user
        )
    assert refused.value.messages == [str(services.FROZEN_MESSAGE)]
    with pytest.raises(ValidationError):
        services.decision_delete(minutes=french, decision=decisions[0], user=user)
    with pytest.raises(ValidationError):
        services.minutes_decision_add(
            minutes=french, agenda_item=agenda(minutes.meeting)[0], text="Nouvelle", user=user
        )
    assert numbers_and_texts(minutes) == before


def test_services_refuse_a_decision_of_another_meeting(minutes, decisions, people):
    with pytest.raises(Decision.DoesNotExist):
        services.decision_delete(minutes=other_minutes(minutes), decision=decisions[0], user=None)
    assert len(numbers_and_texts(minutes)) == 3


# Pages -----------------------------------------------------------------------------------------


def test_minutes_page_links_edit_and_delete_for_runners_only(clients, people, minutes, decisions):
    circulate(minutes, people)
    edit = page_url("minutes_decision_edit", minutes, decisions[0])
    delete = page_url("minutes_decision_delete", minutes, decisions[0])
    detail = reverse("meetings:minutes_detail", args=[minutes.public_id])
    page = clients["secretariat"].get(detail).content.decode()
    assert edit in page and delete in page
    page = clients["member"].get(detail).content.decode()
    assert edit not in page and delete not in page
    approve(minutes)
    page = clients["secretariat"].get(detail).content.decode()
    assert edit not in page and delete not in page


def test_edit_a_decision_from_the_page(clients, minutes, decisions):
    first, second = agenda(minutes.meeting)
    url = page_url("minutes_decision_edit", minutes, decisions[0])
    response = clients["secretariat"].get(url)
    assert response.status_code == 200
    assert "Adopt the plan." in response.content.decode()
    response = clients["secretariat"].post(
        url, {"agenda_item": second.public_id, "text": "Adopt the amended plan."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{second.public_id}")
    decision = Decision.objects.get(pk=decisions[0].pk)
    assert (decision.number, decision.text, decision.agenda_item) == (
        1,
        "Adopt the amended plan.",
        second,
    )
    assert MinutesVersion.objects.filter(minutes=minutes, note="Decision 1 changed.").exists()


def test_edit_refuses_an_empty_text(clients, minutes, decisions):
    before = state(minutes)
    response = clients["secretariat"].post(
        page_url("minutes_decision_edit", minutes, decisions[0]), {"text": "  "}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert state(minutes) == before


def test_delete_a_decision_after_confirmation(clients, minutes, decisions):
    url = page_url("minutes_decision_delete", minutes, decisions[1])
    response = clients["secretariat"].get(url)
    assert response.status_code == 200
    assert "The other decisions keep their numbers." in response.content.decode()
    before = state(minutes)
    response = clients["secretariat"].post(url)
    assert response.status_code == 200
    assert state(minutes) == before
    response = clients["secretariat"].post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert numbers_and_texts(minutes) == [(1, "Adopt the plan."), (3, "Meet again.")]


@pytest.mark.parametrize("name", ["minutes_decision_edit", "minutes_decision_delete"])
def test_pages_refuse_once_the_minutes_are_approved(clients, minutes, decisions, name):
    approve(minutes)
    before = state(minutes)
    url = page_url(name, minutes, decisions[0])
    assert clients["secretariat"].get(url).status_code == 400
    response = clients["secretariat"].post(url, {"text": "Other", "confirm": "1"})
    assert response.status_code == 400
    assert "These minutes have been approved and can no longer be changed." in (
        response.content.decode()
    )
    assert state(minutes) == before


@pytest.mark.parametrize("name", ["minutes_decision_edit", "minutes_decision_delete"])
@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("outsider", 404)])
def test_pages_are_for_meeting_runners(clients, people, minutes, decisions, name, persona, status):
    circulate(minutes, people)
    before = state(minutes)
    url = page_url(name, minutes, decisions[0])
    assert clients[persona].get(url).status_code == status
    assert clients[persona].post(url, {"text": "Other", "confirm": "1"}).status_code == status
    assert state(minutes) == before


def test_pages_refuse_a_decision_of_another_meeting(clients, people, minutes, decisions):
    url = page_url("minutes_decision_delete", other_minutes(minutes), decisions[0])
    assert clients["secretariat"].post(url, {"confirm": "1"}).status_code == 404
    assert len(numbers_and_texts(minutes)) == 3


# API -------------------------------------------------------------------------------------------


def test_api_patch_and_delete_a_decision(people, minutes, decisions):
    client = token_client(people, "secretariat")
    second = agenda(minutes.meeting)[1]
    response = send(client, "patch", api_url(minutes, decisions[0]), {"text": "Amended."})
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["text"], body["agenda_item"]) == (
        1,
        "Amended.",
        str(decisions[0].agenda_item.public_id),
    )
    response = send(
        client, "patch", api_url(minutes, decisions[0]), {"agenda_item": str(second.public_id)}
    )
    assert response.json()["agenda_item"] == str(second.public_id)
    response = send(client, "patch", api_url(minutes, decisions[0]), {"agenda_item": None})
    assert response.status_code == 200
    assert response.json()["agenda_item"] is None

    response = send(client, "patch", api_url(minutes, decisions[0]), {"text": ""})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert "text" in response.json()["errors"]

    before = state(minutes)
    response = send(client, "patch", api_url(minutes, decisions[0]), {})
    assert response.status_code == 200
    assert state(minutes) == before

    response = send(client, "delete", api_url(minutes, decisions[1]))
    assert response.status_code == 204
    assert numbers_and_texts(minutes) == [(1, "Amended."), (3, "Meet again.")]
    minutes.refresh_from_db()
    assert minutes.versions.get(revision=minutes.revision).note == "Decision 2 deleted."
    response = send(client, "delete", api_url(minutes, decisions[1]))
    assert response.status_code == 404


def test_api_refuses_once_the_minutes_are_approved(people, minutes, decisions):
    approve(minutes)
    before = state(minutes)
    client = token_client(people, "secretariat")
    for method, payload in [("patch", {"text": "Other"}), ("delete", None)]:
        response = send(client, method, api_url(minutes, decisions[0]), payload)
        assert response.status_code == 409
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == (
            "These minutes have been approved and can no longer be changed."
        )
    assert state(minutes) == before


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("outsider", 404)])
def test_api_is_for_meeting_runners(people, minutes, decisions, persona, status):
    circulate(minutes, people)
    before = state(minutes)
    client = token_client(people, persona)
    for method, payload in [("patch", {"text": "Other"}), ("delete", None)]:
        response = send(client, method, api_url(minutes, decisions[0]), payload)
        assert response.status_code == status
        assert response["Content-Type"] == PROBLEM
    assert state(minutes) == before
