"""/api/v1/challenges: list (the page's filters), raise, read with the history, change, move
the status, export. Same gates and rules as the pages; a refused write changes nothing."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from mineaction.challenges.models import Challenge, ChallengeStatus
from mineaction.challenges.services.register import challenge_link
from mineaction.challenges.tests.factories import make_challenge
from mineaction.challenges.tests.register_support import (
    make_action_point,
    make_agenda_item,
    make_meeting,
    register_state,
)
from mineaction.conftest import PERSONAS
from mineaction.core.choices import Visibility
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client

LIST = "/api/v1/challenges"
EXPORT = "/api/v1/challenges/export"
S = ChallengeStatus
RAISED_ON = datetime.date(2024, 1, 15)
MANAGERS = ["secretariat", "lead_authority", "administrator"]
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
CREATE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403}
# The challenge of these tests is the member's organisation's, still identified.
PATCH_STATUS = RECORD_STATUS | dict.fromkeys(["observer", "lead_donor", "data_manager"], 403)
STATUS_STATUS = PATCH_STATUS | {"member": 403}


def url(challenge, suffix=""):
    return f"{LIST}/{challenge.public_id}{suffix}"


@pytest.fixture
def challenge(people, ngo_org):
    challenge = make_challenge("Survey teams short", ngo_org, raised_on=RAISED_ON, kind="gap")
    challenge.status_changes.update(on=RAISED_ON)
    return challenge


@pytest.fixture
def secret(donor_org):
    return make_challenge("Confidential gap", donor_org, visibility=Visibility.RESTRICTED)


def raise_payload(**values):
    return {
        "title": "Too few survey teams",
        "kind": "gap",
        "component": "technical",
        "description": "Two teams cover four provinces.",
        **values,
    }


# Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_is_for_members(people, challenge, persona):
    response = token_client(people, persona).get(LIST)
    assert response.status_code == LIST_STATUS.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_challenge_is_for_members(people, challenge, persona):
    assert token_client(people, persona).get(url(challenge)).status_code == RECORD_STATUS.get(
        persona, 200
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_raising_is_for_those_who_speak_for_an_organisation(people, persona):
    response = send(token_client(people, persona), "post", LIST, raise_payload())
    assert response.status_code == CREATE_STATUS.get(persona, 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_is_for_the_raising_organisation_and_the_secretariat(people, challenge, persona):
    response = send(token_client(people, persona), "patch", url(challenge), {"title": "New"})
    assert response.status_code == PATCH_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_status_is_moved_by_the_secretariat(people, challenge, persona):
    response = send(
        token_client(people, persona),
        "post",
        url(challenge, "/status"),
        {"to_status": "under_discussion"},
    )
    assert response.status_code == STATUS_STATUS.get(persona, 201)


def test_a_restricted_challenge_is_invisible_to_other_organisations(people, challenge, secret):
    member = token_client(people, "member")
    assert [row["reference"] for row in member.get(LIST).json()["results"]] == ["CH-001"]
    assert member.get(url(secret)).status_code == 404
    assert send(member, "patch", url(secret), {"title": "Mine"}).status_code == 404
    lead_donor = token_client(people, "lead_donor")
    assert [row["reference"] for row in lead_donor.get(LIST).json()["results"]] == [
        "CH-002",
        "CH-001",
    ]
    csv_text = member.get(EXPORT).content.decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(csv_text))] == ["Reference", "CH-001"]


# Reading -----------------------------------------------------------------------------------------


def test_the_list_filters_and_paginates(people, challenge, ngo_org):
    make_challenge("Drone standard", ngo_org, kind="opportunity", status=S.PRIORITISED)
    make_challenge("Data sharing", ngo_org, kind="concern", status=S.RESOLVED)
    client = token_client(people, "observer")
    body = client.get(LIST, {"state": "open", "page_size": 1}).json()
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 1)
    assert [row["reference"] for row in body["results"]] == ["CH-002"]
    body = client.get(LIST, {"kind": "gap"}).json()
    assert [row["reference"] for row in body["results"]] == ["CH-001"]
    assert body["results"][0] == {
        "public_id": str(challenge.public_id),
        "reference": "CH-001",
        "title": "Survey teams short",
        "kind": "gap",
        "component": "technical",
        "status": "identified",
        "status_changed_on": challenge.status_changed_on.isoformat(),
        "is_open": True,
        "region": None,
        "raised_by_organisation": {
            "public_id": str(ngo_org.public_id),
            "name": "Clear Fields Association",
            "acronym": "",
        },
        "raised_on": "2024-01-15",
        "priority_rank": None,
        "priority_score": None,
        "visibility": "members",
    }
    assert [row["reference"] for row in client.get(LIST, {"q": "DRONE"}).json()["results"]] == [
        "CH-002"
    ]


def test_a_bad_filter_is_a_400_naming_it(people, challenge):
    response = token_client(people, "member").get(LIST, {"status": "lost", "region": "XX"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "status": ["Select a valid choice. lost is not one of the available choices."],
        "region": ["Select a valid choice. That choice is not one of the available choices."],
    }


def test_the_list_makes_as_many_queries_for_thirty_challenges_as_for_three(
    people, ngo_org, donor_org
):
    client = token_client(people, "member")
    for number in range(3):
        make_challenge(f"Challenge {number}", ngo_org)
    few = queries_for(client, LIST)
    for number in range(27):
        make_challenge(
            f"Challenge {number}",
            donor_org if number % 2 else ngo_org,
            visibility=Visibility.RESTRICTED if number % 3 else Visibility.MEMBERS,
        )
    assert queries_for(client, LIST) == few


def test_a_challenge_comes_with_its_history(people, challenge, ngo_org):
    meeting = make_meeting()
    challenge_link(challenge=challenge, agenda_item=make_agenda_item(meeting, "Survey capacity"))
    challenge_link(
        challenge=challenge, action_point=make_action_point(meeting, ngo_org, "Hire two teams")
    )
    body = token_client(people, "observer").get(url(challenge)).json()
    assert (body["description"], body["restricted_to"], body["documents"]) == (
        "About Survey teams short.",
        [],
        [],
    )
    assert [(entry["on"], entry["kind"], entry["label"]) for entry in body["history"]] == [
        ("2024-01-15", "raised", ""),
        ("2024-03-05", "meeting", "Quarterly plenary #1"),
        ("2024-03-05", "action_point", "Hire two teams"),
    ]
    assert body["history"][2]["status"] == "open"


# Writing -----------------------------------------------------------------------------------------


def test_a_member_raises_a_challenge_for_their_organisation(people, donor_org):
    response = send(
        token_client(people, "member"),
        "post",
        LIST,
        raise_payload(visibility="restricted", restricted_to=[str(donor_org.public_id)]),
    )
    assert response.status_code == 201
    body = response.json()
    challenge = Challenge.objects.get()
    assert (body["reference"], body["status"], body["raised_by"]["given_name"]) == (
        "CH-001",
        "identified",
        "Ngo",
    )
    assert [organisation["name"] for organisation in body["restricted_to"]] == [
        "Kingdom of Examplia"
    ]
    assert [entry["kind"] for entry in body["history"]] == ["raised"]
    assert (challenge.raised_by, list(challenge.restricted_to.all())) == (
        people["member"],
        [donor_org],
    )


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {},
            {
                "title": ["This field is required."],
                "component": ["This field is required."],
                "description": ["This field is required."],
            },
        ),
        (
            raise_payload(visibility="restricted"),
            {
                "restricted_to": [
                    "A restricted challenge needs at least one organisation that may see it."
                ]
            },
        ),
        (
            raise_payload(restricted_to=["not-a-uuid"], visibility="restricted"),
            {"restricted_to": ["“not-a-uuid” is not a valid value."]},
        ),
        (
            raise_payload(region="NOWHERE"),
            {"region": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
        (
            raise_payload(kind="rumour"),
            {"kind": ["Select a valid choice. rumour is not one of the available choices."]},
        ),
    ],
)
def test_bad_input_is_a_422_and_raises_nothing(people, payload, errors):
    before = register_state()
    response = send(token_client(people, "member"), "post", LIST, payload)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == errors
    assert register_state() == before


def test_an_unknown_field_is_refused(people):
    response = send(token_client(people, "member"), "post", LIST, raise_payload(status="resolved"))
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["This field is not recognised."]}
    assert Challenge.objects.count() == 0


def test_a_patch_changes_only_what_it_sends(people, challenge):
    response = send(token_client(people, "member"), "patch", url(challenge), {"evidence": "New."})
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert (challenge.title, challenge.kind, challenge.evidence) == (
        "Survey teams short",
        "gap",
        "New.",
    )


def test_a_bad_patch_changes_nothing(people, challenge):
    before = register_state()
    response = send(
        token_client(people, "secretariat"), "patch", url(challenge), {"visibility": "restricted"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "restricted_to": ["A restricted challenge needs at least one organisation that may see it."]
    }
    assert register_state() == before


def test_the_secretariat_moves_the_status(people, challenge):
    meeting = make_meeting()
    response = send(
        token_client(people, "secretariat"),
        "post",
        url(challenge, "/status"),
        {
            "to_status": "resolved",
            "on": "2024-03-06",
            "meeting": str(meeting.public_id),
            "note": "Two teams hired.",
            "resolution": "The backlog is cleared.",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["from_status"], body["to_status"], body["on"], body["meeting"]) == (
        "identified",
        "resolved",
        "2024-03-06",
        str(meeting.public_id),
    )
    assert body["challenge"]["resolution"] == "The backlog is cleared."
    challenge.refresh_from_db()
    assert (challenge.status, challenge.status_changed_on) == (
        S.RESOLVED,
        datetime.date(2024, 3, 6),
    )


def test_the_status_date_defaults_to_today(people, challenge):
    response = send(
        token_client(people, "secretariat"),
        "post",
        url(challenge, "/status"),
        {"to_status": "under_discussion"},
    )
    assert response.json()["on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"to_status": ["This field is required."]}),
        (
            {"to_status": "identified"},
            {"to_status": ["A challenge cannot move from “Identified” to “Identified”."]},
        ),
        ({"to_status": "parked"}, {"resolution": ["Say why the challenge is parked."]}),
        (
            {"to_status": "prioritised", "on": "2024-01-14"},
            {"on": ["The date cannot be before the last change of status (2024-01-15)."]},
        ),
        (
            {"to_status": "prioritised", "meeting": "00000000-0000-0000-0000-000000000000"},
            {
                "meeting": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
    ],
)
def test_a_refused_status_move_is_a_422_and_changes_nothing(people, challenge, payload, errors):
    before = register_state()
    response = send(token_client(people, "secretariat"), "post", url(challenge, "/status"), payload)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert register_state() == before


# Export ------------------------------------------------------------------------------------------


def test_the_export_gives_csv_and_xlsx_with_the_filters(people, challenge, ngo_org):
    make_challenge("=cmd|' /C calc'!A0", ngo_org, kind="trend")
    client = token_client(people, "observer")
    text = client.get(EXPORT, {"kind": "trend"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[:2] for row in rows[1:]] == [["CH-002", "'=cmd|' /C calc'!A0"]]
    response = client.get(EXPORT, {"format": "xlsx", "kind": "gap"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("CH-001", "Survey teams short", "Gap")
    ]


def test_the_export_refuses_an_unknown_format(people, challenge):
    response = token_client(people, "member").get(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Unknown format: pdf. Use one of: csv, xlsx."]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_is_for_members(people, challenge, persona):
    response = token_client(people, persona).get(EXPORT)
    assert response.status_code == LIST_STATUS.get(persona, 200)
