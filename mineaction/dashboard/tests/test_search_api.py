"""GET /api/v1/search: the search page's results as JSON, grouped by kind and paginated."""

import pytest

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, queries_for, token_client
from mineaction.dashboard.tests.factories import make_instrument, make_meeting, make_minutes
from mineaction.meetings.models import Minutes

SEARCH = "/api/v1/search"
KINDS = ["challenges", "action_points", "activities", "instruments", "minutes", "decisions"]


@pytest.fixture
def client(people):
    return token_client(people, "member")


@pytest.mark.parametrize("persona", PERSONAS)
def test_readers_may_search_and_others_may_not(people, persona):
    status = token_client(people, persona).get(SEARCH, {"q": "survey"}).status_code
    assert status == {"anonymous": 401, "outsider": 403}.get(persona, 200)


def test_results_are_grouped_by_kind(client, ngo_org):
    challenge = make_challenge(
        "<b>Survey</b> teams", ngo_org, description="Too few survey teams in the east."
    )
    instrument = make_instrument("Non-technical survey", reference="NMAS 07.11")
    response = client.get(SEARCH, {"q": "SURVEY teams"})
    assert response.status_code == 200
    body = response.json()
    assert body["q"] == "SURVEY teams"
    assert body["terms"] == ["survey", "teams"]
    assert body["count"] == 1
    assert [(group["kind"], group["count"]) for group in body["groups"]] == [
        (kind, 1 if kind == "challenges" else 0) for kind in KINDS
    ]
    assert body["groups"][0] == {
        "kind": "challenges",
        "label": "Challenges",
        "count": 1,
        "page": 1,
        "page_size": 50,
        "results": [
            {
                "public_id": str(challenge.public_id),
                "title": "CH-001 <b>Survey</b> teams",
                "snippet": "Too few survey teams in the east.",
                "snippet_html": "Too few <mark>survey</mark> <mark>teams</mark> in the east.",
                "url": f"/challenges/{challenge.public_id}/",
                "details": ["Technical", "Identified", "Clear Fields Association"],
                "language": "",
            }
        ],
    }
    instruments = client.get(SEARCH, {"q": "survey", "kind": "instruments"}).json()
    assert [group["kind"] for group in instruments["groups"]] == ["instruments"]
    assert instruments["groups"][0]["results"][0]["url"] == f"/policies/{instrument.public_id}/"


def test_minutes_results_name_their_language(client):
    make_minutes(
        make_meeting(title="Plénière"), "Le déminage", status=Minutes.Status.APPROVED, language="fr"
    )
    [group] = client.get(SEARCH, {"q": "deminage", "kind": "minutes"}).json()["groups"]
    [result] = group["results"]
    assert result["language"] == "fr"
    assert result["snippet_html"] == "Le <mark>déminage</mark>"
    assert result["details"][1:] == ["French", "Approved"]


def test_each_kind_is_paginated(client, ngo_org):
    for number in range(5):
        make_challenge(f"Survey gap {number}", ngo_org)
    body = client.get(SEARCH, {"q": "survey", "kind": "challenges", "page": 2, "page_size": 2})
    [group] = body.json()["groups"]
    assert (group["count"], group["page"], group["page_size"]) == (5, 2, 2)
    assert [result["title"] for result in group["results"]] == [
        "CH-003 Survey gap 2",
        "CH-002 Survey gap 1",
    ]
    past_the_end = client.get(
        SEARCH, {"q": "survey", "kind": "challenges", "page": 4, "page_size": 2}
    )
    [group] = past_the_end.json()["groups"]
    assert (group["count"], group["results"]) == (5, [])


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_finds_nothing_without_error(client, ngo_org, query):
    make_challenge("Survey", ngo_org)
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert response.json() == {"q": query, "terms": [], "count": 0, "groups": []}


def test_a_query_over_200_characters_is_refused_with_a_message(client):
    response = client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "q": [
            "A search can be at most 200 characters long; this one has 201. "
            "Use fewer or shorter words."
        ]
    }


def test_an_unknown_kind_is_refused_with_a_message(client):
    response = client.get(SEARCH, {"q": "survey", "kind": "hazards"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kind": ["Select a valid choice. hazards is not one of the available choices."]
    }


def test_a_page_below_one_is_refused(client):
    response = client.get(SEARCH, {"q": "survey", "page": 0})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page": ["Ensure this value is greater than or equal to 1."]
    }


def test_messages_follow_the_request_language(client):
    response = client.get(SEARCH, {"q": "x" * 201}, headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert response.json()["title"] == "Requête incorrecte"


def test_query_count_does_not_grow_with_the_results(client, ngo_org):
    make_challenge("Survey 0", ngo_org)
    make_instrument("Survey 0")
    few = queries_for(client, f"{SEARCH}?q=survey")
    for number in range(1, 9):
        make_challenge(f"Survey {number}", ngo_org)
        make_instrument(f"Survey {number}")
    assert queries_for(client, f"{SEARCH}?q=survey") == few
