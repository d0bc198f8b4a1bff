"""Search finds only what the viewer may see, on the page and in the API: restricted challenges,
draft minutes and restricted meetings (their action points, minutes and decisions) stay hidden
from members who may not see them, in the results and in the counts."""

import pytest

from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.choices import Visibility
from mineaction.core.tests.api_support import token_client
from mineaction.dashboard.tests.factories import (
    make_action_point,
    make_decision,
    make_meeting,
    make_minutes,
)
from mineaction.meetings.models import AgendaItem, Minutes


def page_found(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return {
        group.kind.key: sorted(result.title for result in group.results)
        for group in response.context["groups"]
    }


def api_found(people, persona, query):
    response = token_client(people, persona).get("/api/v1/search", {"q": query})
    assert response.status_code == 200
    return {
        group["kind"]: sorted(result["title"] for result in group["results"])
        for group in response.json()["groups"]
        if group["count"]
    }


def found_everywhere(people, clients, persona, query):
    """What `persona` finds, after checking the page and the API agree."""
    on_page = page_found(clients[persona], query)
    assert api_found(people, persona, query) == on_page
    return on_page


@pytest.fixture
def restricted_challenge(authority_org):
    challenge = make_challenge(
        "Confidential dispute over survey", authority_org, visibility=Visibility.RESTRICTED
    )
    challenge.restricted_to.set([authority_org])
    return challenge


def test_a_restricted_challenge_is_found_only_by_those_who_may_see_it(
    people, clients, restricted_challenge, ngo_org
):
    make_challenge("Open survey question", ngo_org)
    open_only = {"challenges": ["CH-002 Open survey question"]}
    both = {
        "challenges": ["CH-001 Confidential dispute over survey", "CH-002 Open survey question"]
    }
    for persona in ("member", "observer", "lead_donor"):
        assert found_everywhere(people, clients, persona, "survey") == open_only
    for persona in ("data_manager", "secretariat", "lead_authority"):
        assert found_everywhere(people, clients, persona, "survey") == both
    member = clients["member"].get("/search/", {"q": "confidential"})
    assert member.context["total"] == 0
    assert "Confidential" not in member.text


def test_draft_minutes_are_searched_only_by_those_who_run_meetings(people, clients):
    meeting = make_meeting(title="Quarterly plenary")
    make_minutes(meeting, "Draft wording about the survey budget")
    make_decision(meeting, "The survey budget is approved.")
    hidden = {}
    shown = {
        "minutes": ["Minutes of Quarterly plenary: Progress report"],
        "decisions": ["Decision 1 of Quarterly plenary"],
    }
    for persona in ("member", "observer", "data_manager"):
        assert found_everywhere(people, clients, persona, "survey budget") == hidden
    for persona in ("secretariat", "lead_authority", "administrator"):
        assert found_everywhere(people, clients, persona, "survey budget") == shown


def test_decisions_show_once_some_minutes_of_the_meeting_are_past_draft(people, clients):
    meeting = make_meeting(title="Quarterly plenary")
    item = AgendaItem.objects.create(meeting=meeting, title="Budget")
    make_minutes(meeting, "Le budget de l'enquête, texte provisoire", language="fr", item=item)
    make_minutes(
        meeting, "The survey budget", status=Minutes.Status.CIRCULATED, language="en", item=item
    )
    make_decision(meeting, "Le budget de l'enquête est approuvé.")
    assert found_everywhere(people, clients, "member", "enquete budget") == {
        "decisions": ["Decision 1 of Quarterly plenary"]
    }
    assert found_everywhere(people, clients, "secretariat", "enquete budget") == {
        "minutes": ["Minutes of Quarterly plenary: Budget"],
        "decisions": ["Decision 1 of Quarterly plenary"],
    }


def test_a_restricted_meeting_is_searched_only_by_its_organisations(people, clients, authority_org):
    meeting = make_meeting(title="Closed session", restricted_to=[authority_org])
    make_action_point(meeting, "Brief the minister on the survey", authority_org)
    make_minutes(meeting, "The minister's survey concerns", status=Minutes.Status.DISTRIBUTED)
    make_decision(meeting, "The survey results stay confidential.")
    everything = {
        "action_points": ["Action point agreed at Closed session"],
        "minutes": ["Minutes of Closed session: Progress report"],
        "decisions": ["Decision 1 of Closed session"],
    }
    for persona in ("member", "observer", "lead_donor"):
        assert found_everywhere(people, clients, persona, "survey") == {}
    assert found_everywhere(people, clients, "data_manager", "survey") == everything
    assert found_everywhere(people, clients, "secretariat", "survey") == everything
    member = clients["member"].get("/search/", {"q": "minister"})
    assert [count for _kind, count in member.context["counts"]] == [0, 0, 0, 0, 0, 0]
    assert "Closed session" not in member.text
