"""Challenges linked to agenda items and action points, seen from both sides: the meeting's
page names the challenges under each agenda item, the action point's page names those it
addresses, and the challenge's page names the agenda items and action points. Restricted
challenges show only to those who may see them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.challenges.services.register import challenge_link, challenge_unlink
from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.choices import Visibility
from mineaction.meetings.models import ActionPoint, AgendaItem, Meeting, MeetingSeries

START = datetime.datetime(2024, 3, 5, 7, 0, tzinfo=datetime.UTC)


def text_of(response):
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(
        series=MeetingSeries.objects.create(name="Quarterly plenary"),
        number=1,
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=3),
    )


@pytest.fixture
def agenda(meeting):
    return [
        AgendaItem.objects.create(meeting=meeting, order=1, title="Technical survey"),
        AgendaItem.objects.create(meeting=meeting, order=2, title="Resources"),
    ]


@pytest.fixture
def action_point(meeting, ngo_org):
    return ActionPoint.objects.create(
        meeting=meeting,
        owner_organisation=ngo_org,
        text="Recruit two survey teams",
        due_on=datetime.date(2024, 6, 1),
    )


@pytest.fixture
def challenges(people, ngo_org, donor_org):
    return {
        "survey": make_challenge("Survey teams short", ngo_org),
        "funding": make_challenge("Funding gap 2025", ngo_org),
        "secret": make_challenge(
            "Confidential pledge", donor_org, visibility=Visibility.RESTRICTED
        ),
    }


def meeting_url(meeting):
    return reverse("meetings:meetings_detail", args=[meeting.public_id])


def challenge_url(challenge):
    return reverse("challenges:challenge_detail", args=[challenge.public_id])


def agenda_challenges(response):
    return {
        item.title: [record.label for record in item.linked_challenges]
        for item in response.context["agenda_items"]
    }


def test_the_meeting_page_names_the_challenges_under_each_agenda_item(
    clients, meeting, agenda, challenges
):
    challenge_link(challenge=challenges["survey"], agenda_item=agenda[0])
    challenge_link(challenge=challenges["funding"], agenda_item=agenda[1])
    challenge_link(challenge=challenges["survey"], agenda_item=agenda[1])
    response = clients["observer"].get(meeting_url(meeting))
    assert agenda_challenges(response) == {
        "Technical survey": ["CH-001 Survey teams short"],
        "Resources": ["CH-002 Funding gap 2025", "CH-001 Survey teams short"],
    }
    content = text_of(response)
    assert f'<a href="{challenge_url(challenges["survey"])}">CH-001 Survey teams short</a>' in (
        content
    )


def test_a_restricted_challenge_shows_on_the_agenda_only_to_those_who_may_see_it(
    clients, meeting, agenda, challenges
):
    challenge_link(challenge=challenges["secret"], agenda_item=agenda[0])
    challenge_link(challenge=challenges["survey"], agenda_item=agenda[0])
    member = clients["member"].get(meeting_url(meeting))
    assert agenda_challenges(member)["Technical survey"] == ["CH-001 Survey teams short"]
    assert "Confidential pledge" not in text_of(member)
    for persona in ("lead_donor", "secretariat"):
        shown = agenda_challenges(clients[persona].get(meeting_url(meeting)))
        assert shown["Technical survey"] == [
            "CH-003 Confidential pledge",
            "CH-001 Survey teams short",
        ]


def test_the_action_point_page_names_the_challenges_it_addresses(clients, action_point, challenges):
    challenge_link(challenge=challenges["funding"], action_point=action_point)
    challenge_link(challenge=challenges["secret"], action_point=action_point)
    url = reverse("meetings:action_points_detail", args=[action_point.public_id])
    member = clients["member"].get(url)
    assert [record.label for record in member.context["linked_challenges"]] == [
        "CH-002 Funding gap 2025"
    ]
    assert "Challenges it addresses" in text_of(member)
    lead_donor = clients["lead_donor"].get(url)
    assert [record.label for record in lead_donor.context["linked_challenges"]] == [
        "CH-002 Funding gap 2025",
        "CH-003 Confidential pledge",
    ]


def test_an_action_point_without_links_shows_no_challenge_section(clients, action_point):
    url = reverse("meetings:action_points_detail", args=[action_point.public_id])
    response = clients["member"].get(url)
    assert response.context["linked_challenges"] == []
    assert "Challenges it addresses" not in text_of(response)


def test_a_link_shows_from_both_sides_and_goes_from_both_when_removed(
    clients, meeting, agenda, action_point, challenges
):
    challenge = challenges["survey"]
    on_agenda = challenge_link(challenge=challenge, agenda_item=agenda[0])
    challenge_link(challenge=challenge, action_point=action_point)
    challenge_page = text_of(clients["member"].get(challenge_url(challenge)))
    assert "Agenda item “Technical survey” of Quarterly plenary #1" in challenge_page
    assert f"{meeting_url(meeting)}#agenda-{agenda[0].public_id}" in challenge_page
    assert "Recruit two survey teams" in challenge_page
    meeting_page = clients["member"].get(meeting_url(meeting))
    assert agenda_challenges(meeting_page)["Technical survey"] == ["CH-001 Survey teams short"]
    challenge_unlink(challenge=challenge, link=on_agenda)
    meeting_page = clients["member"].get(meeting_url(meeting))
    assert agenda_challenges(meeting_page)["Technical survey"] == []
    assert "Agenda item “Technical survey”" not in text_of(
        clients["member"].get(challenge_url(challenge))
    )


def test_the_secretariat_links_from_the_challenge_page_and_the_meeting_shows_it(
    clients, meeting, agenda, challenges
):
    response = clients["secretariat"].post(
        reverse("challenges:challenge_link", args=[challenges["funding"].public_id]),
        {"agenda_item": str(agenda[1].public_id)},
    )
    assert response.status_code == 302
    shown = agenda_challenges(clients["observer"].get(meeting_url(meeting)))
    assert shown == {"Technical survey": [], "Resources": ["CH-002 Funding gap 2025"]}


def test_the_meeting_page_makes_as_many_queries_with_many_linked_challenges(
    clients, meeting, agenda, ngo_org
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert clients["member"].get(meeting_url(meeting)).status_code == 200
        return len(captured.captured_queries)

    challenge_link(challenge=make_challenge("First", ngo_org), agenda_item=agenda[0])
    few = count()
    for number in range(12):
        challenge_link(
            challenge=make_challenge(f"Challenge {number}", ngo_org),
            agenda_item=agenda[number % 2],
        )
    assert count() == few
