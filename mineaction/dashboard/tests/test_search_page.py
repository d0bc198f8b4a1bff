"""The search page: results grouped by kind, ranked, with marked snippets; the kind filter,
pagination, the empty state and the refusal of a query too long."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.choices import Component
from mineaction.dashboard.tests.factories import (
    make_action_point,
    make_activity,
    make_decision,
    make_instrument,
    make_meeting,
    make_minutes,
    make_work_plan,
)
from mineaction.meetings.models import Minutes


@pytest.fixture
def member(clients):
    return clients["member"]


@pytest.fixture
def one_of_each(ngo_org):
    """A record of every kind holding "survey"."""
    meeting = make_meeting(title="Technical working group, March")
    return {
        "challenges": make_challenge("Survey teams are too few", ngo_org),
        "action_points": make_action_point(meeting, "Share the survey reports", ngo_org),
        "activities": make_activity(make_work_plan(), "Train survey teams", ngo_org, code="2.3"),
        "instruments": make_instrument("Non-technical survey", reference="NMAS 07.11"),
        "minutes": make_minutes(
            meeting, "The survey backlog was discussed.", status=Minutes.Status.CIRCULATED
        ),
        "decisions": make_decision(meeting, "The survey standard is adopted."),
    }


def test_anonymous_visitor_is_sent_to_log_in(client, people):
    response = client.get("/search/", {"q": "survey"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_outsider_is_refused(clients):
    assert clients["outsider"].get("/search/", {"q": "survey"}).status_code == 403


@pytest.mark.parametrize("query", [None, "", "   ", "\t\n"])
def test_an_empty_query_shows_how_to_search(member, query):
    response = member.get("/search/", {} if query is None else {"q": query})
    assert response.status_code == 200
    assert "What are you looking for?" in response.text
    assert "Every word you type must appear in a record" in response.text
    assert response.context["groups"] == []


def test_a_query_over_200_characters_is_refused_with_a_message(member, one_of_each):
    response = member.get("/search/", {"q": "survey " + "x" * 194})
    assert response.status_code == 200
    assert (
        "A search can be at most 200 characters long; this one has 201. "
        "Use fewer or shorter words." in response.text
    )
    assert "Nothing was searched" in response.text
    assert response.context["groups"] == []


def test_a_query_of_200_characters_is_searched(member, one_of_each):
    response = member.get("/search/", {"q": "survey" + " " * 194})
    assert response.context["total"] == 6


def test_an_unknown_kind_is_refused_with_a_message(member, one_of_each):
    response = member.get("/search/", {"q": "survey", "kind": "hazards"})
    assert response.status_code == 200
    assert "Select a valid choice. hazards is not one of the available choices." in response.text
    assert response.context["groups"] == []


def test_the_header_search_box_keeps_the_query(member):
    text = member.get("/search/", {"q": "déminage <b>"}).text
    assert 'name="q" value="déminage &lt;b&gt;"' in text


def test_results_are_grouped_by_kind_with_counts(member, one_of_each):
    response = member.get("/search/", {"q": "survey"})
    groups = response.context["groups"]
    assert [(group.kind.key, group.count) for group in groups] == [
        ("challenges", 1),
        ("action_points", 1),
        ("activities", 1),
        ("instruments", 1),
        ("minutes", 1),
        ("decisions", 1),
    ]
    assert [result.title for group in groups for result in group.results] == [
        "CH-001 Survey teams are too few",
        "Action point agreed at Technical working group, March",
        "2.3 Train survey teams",
        "NMAS 07.11 Non-technical survey",
        "Minutes of Technical working group, March: Progress report",
        "Decision 1 of Technical working group, March",
    ]
    assert response.context["total"] == 6
    text = response.text
    assert "6 results for “survey”" in text
    assert f'href="/challenges/{one_of_each["challenges"].public_id}/"' in text
    assert f'href="/meetings/action-points/{one_of_each["action_points"].public_id}/"' in text
    assert f'href="/workplans/activities/{one_of_each["activities"].public_id}/"' in text
    assert f'href="/policies/{one_of_each["instruments"].public_id}/"' in text
    assert f'href="/meetings/minutes/{one_of_each["minutes"].public_id}/"' in text
    meeting = one_of_each["decisions"].meeting
    assert f'href="/meetings/{meeting.public_id}/minutes/"' in text


def test_the_kind_filter_shows_one_kind_and_the_counts_of_all(member, one_of_each):
    response = member.get("/search/", {"q": "survey", "kind": "instruments"})
    [group] = response.context["groups"]
    assert group.kind.key == "instruments"
    assert [result.title for result in group.results] == ["NMAS 07.11 Non-technical survey"]
    assert [(kind.key, count) for kind, count in response.context["counts"]] == [
        ("challenges", 1),
        ("action_points", 1),
        ("activities", 1),
        ("instruments", 1),
        ("minutes", 1),
        ("decisions", 1),
    ]
    assert 'href="?q=survey&amp;kind=instruments" hx-get' in response.text
    assert 'aria-current="page">Policies and standards <span class="badge">1</span>' in (
        response.text
    )


def test_matches_are_marked_and_everything_else_escaped(member, ngo_org):
    make_challenge(
        "<script>alert('survey')</script>",
        ngo_org,
        description="<img src=x onerror=alert(1)> Survey <b>bold</b>",
    )
    text = member.get("/search/", {"q": "survey"}).text
    assert "&lt;script&gt;alert(&#x27;<mark>survey</mark>&#x27;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>Survey</mark> &lt;b&gt;bold&lt;/b&gt;" in text
    assert "<script>alert" not in text
    assert "<img src=x" not in text


def test_the_snippet_is_cut_around_the_first_match(member, ngo_org):
    description = " ".join(["Background"] * 40) + " the survey backlog grows " + "end " * 80
    make_challenge("Backlog", ngo_org, description=description)
    [group] = member.get("/search/", {"q": "SURVEY backlog"}).context["groups"]
    [result] = group.results
    assert result.snippet.startswith("…Background Background")
    assert result.snippet.endswith("end…")
    assert len(result.snippet) <= 242
    assert "the <mark>survey</mark> <mark>backlog</mark> grows" in result.snippet_html
    assert result.title_html == "CH-001 <mark>Backlog</mark>"


def test_title_matches_come_first_then_the_newest(member, ngo_org):
    old_title = make_challenge("Survey of the north", ngo_org, raised_on=datetime.date(2023, 1, 1))
    new_body = make_challenge(
        "Backlog", ngo_org, description="A survey is late.", raised_on=datetime.date(2024, 5, 1)
    )
    new_title = make_challenge("Survey of the south", ngo_org, raised_on=datetime.date(2024, 1, 1))
    [group] = member.get("/search/", {"q": "survey"}).context["groups"]
    assert [result.public_id for result in group.results] == [
        new_title.public_id,
        old_title.public_id,
        new_body.public_id,
    ]


def test_a_reference_is_a_title_match(member, ngo_org):
    first = make_challenge("Access roads", ngo_org, description="See also CH-002.")
    second = make_challenge("Marking", ngo_org)
    [group] = member.get("/search/", {"q": "ch-002"}).context["groups"]
    assert [result.public_id for result in group.results] == [second.public_id, first.public_id]


def test_each_kind_shows_its_best_five_and_links_to_the_rest(member, ngo_org):
    for number in range(7):
        make_challenge(f"Survey gap {number}", ngo_org)
    response = member.get("/search/", {"q": "survey"})
    [group] = response.context["groups"]
    assert group.count == 7
    assert [result.title for result in group.results] == [
        f"CH-00{number} Survey gap {number - 1}" for number in (7, 6, 5, 4, 3)
    ]
    assert (
        '<a href="?q=survey&amp;kind=challenges" hx-get="?q=survey&amp;kind=challenges" '
        'hx-target="#results" hx-swap="outerHTML" hx-push-url="true">'
        "See all 7 results in Challenges</a>"
    ) in response.text


def test_one_kind_is_paginated(member, ngo_org):
    for number in range(23):
        make_challenge(f"Survey gap {number}", ngo_org)
    first = member.get("/search/", {"q": "survey", "kind": "challenges"})
    [group] = first.context["groups"]
    assert (group.count, len(group.results)) == (23, 20)
    assert "Page 1 of 2" in first.text
    second = member.get("/search/", {"q": "survey", "kind": "challenges", "page": "2"})
    [group] = second.context["groups"]
    assert [result.title for result in group.results] == [
        "CH-003 Survey gap 2",
        "CH-002 Survey gap 1",
        "CH-001 Survey gap 0",
    ]


def test_nothing_found_says_so(member, one_of_each):
    response = member.get("/search/", {"q": "survey hospitals"})
    assert response.context["total"] == 0
    assert "0 results for “survey hospitals”" in response.text
    assert "No record you can see holds all of these words." in response.text


def test_an_htmx_request_gets_only_the_results(member, one_of_each):
    response = member.get(
        "/search/", {"q": "survey", "kind": "decisions"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text
    assert "Decision 1 of Technical working group, March" in response.text


def _add_records(organisation, count):
    meeting = make_meeting()
    plan = make_work_plan(f"Plan {count}")
    for index in range(count):
        make_challenge(f"Survey {count}-{index}", organisation)
        make_action_point(meeting, f"Survey {index}", organisation, component=Component.TECHNICAL)
        make_activity(plan, f"Survey {index}", organisation)
        make_instrument(f"Survey {count}-{index}")
        other = make_meeting()
        make_minutes(other, f"Survey {index}", status=Minutes.Status.APPROVED)
        make_decision(other, f"Survey {index}")


@pytest.mark.parametrize(
    "params", [{"q": "survey"}, {"q": "survey", "kind": "minutes"}], ids=["all", "one kind"]
)
def test_query_count_does_not_grow_with_the_results(member, ngo_org, params):
    _add_records(ngo_org, 1)
    with CaptureQueriesContext(connection) as few:
        member.get("/search/", params)
    _add_records(ngo_org, 8)
    with CaptureQueriesContext(connection) as many:
        response = member.get("/search/", params)
    assert response.context["total"] == 54
    assert len(many) == len(few)
