import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mineaction.challenges.models import ChallengeStatus
from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import make_organisation
from mineaction.core.choices import Component, Visibility
from mineaction.dashboard.tests.factories import (
    make_action_point,
    make_activity,
    make_instrument,
    make_meeting,
    make_work_plan,
)
from mineaction.meetings.models import ActionPoint
from mineaction.policies.models import InstrumentStage
from mineaction.stakeholders.models import WorkingGroup
from mineaction.workplans.models import ActivityStatus

TECHNICAL = Component.TECHNICAL
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def technical(people, ngo_org, authority_org, today):
    """Records of the technical component, one of each state the page tells apart, and a
    political one that must not show."""
    group = WorkingGroup.objects.create(name="Technical working group", component=TECHNICAL)
    group.conveners.set([people["lead_authority"]])
    group.members.set([people["member"], people["data_manager"]])
    ranked_second = make_challenge(
        "Slow release of cancelled land",
        ngo_org,
        status=ChallengeStatus.PRIORITISED,
        priority_rank=2,
        raised_by=people["member"],
    )
    ranked_first = make_challenge(
        "No national standard for survey", authority_org, status=ChallengeStatus.PRIORITISED
    )
    ranked_first.priority_rank = 1
    ranked_first.save()
    unranked = make_challenge("Gaps in the database", ngo_org)
    make_challenge("Resolved long ago", ngo_org, status=ChallengeStatus.RESOLVED)
    make_challenge("A political worry", ngo_org, component=Component.POLITICAL)
    meeting = make_meeting(title="Technical working group, March")
    overdue = make_action_point(
        meeting, "Send the survey data", ngo_org, component=TECHNICAL, due_on=today - DAY
    )
    due = make_action_point(
        meeting, "Draft the survey standard", authority_org, component=TECHNICAL, due_on=today
    )
    make_action_point(
        meeting,
        "Done already",
        ngo_org,
        component=TECHNICAL,
        status=ActionPoint.Status.DONE,
    )
    make_action_point(meeting, "Political action", ngo_org, component=Component.POLITICAL)
    plan = make_work_plan()
    late = make_activity(
        plan,
        "Train survey teams",
        ngo_org,
        status=ActivityStatus.IN_PROGRESS,
        starts_on=today - 30 * DAY,
        ends_on=today - DAY,
        progress_percent=60,
    )
    planned = make_activity(
        plan, "Revise the database", authority_org, starts_on=today, ends_on=today + 90 * DAY
    )
    make_activity(plan, "Finished activity", ngo_org, status=ActivityStatus.COMPLETED)
    overdue_instrument = make_instrument(
        "Non-technical survey", reference="NMAS 07.11", target_date=today - DAY
    )
    in_force = make_instrument(
        "Marking of hazards", reference="NMAS 08.10", stage=InstrumentStage.IN_FORCE
    )
    return {
        "group": group,
        "challenges": [ranked_first, ranked_second, unranked],
        "action_points": [overdue, due],
        "activities": [late, planned],
        "instruments": [overdue_instrument, in_force],
    }


def test_anonymous_visitor_is_sent_to_log_in(client, people):
    for url in ("/components/", "/components/technical/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_outsider_is_refused(clients):
    assert clients["outsider"].get("/components/").status_code == 403
    assert clients["outsider"].get("/components/technical/").status_code == 403
    assert clients["outsider"].get("/components/technical/?format=json").status_code == 403


@pytest.mark.parametrize(
    "persona",
    ["observer", "member", "lead_donor", "data_manager", "secretariat", "lead_authority"],
)
def test_every_reader_opens_every_component(clients, persona):
    for component in Component.values:
        assert clients[persona].get(f"/components/{component}/").status_code == 200


def test_unknown_component_is_not_found(clients):
    assert clients["member"].get("/components/military/").status_code == 404


def test_list_counts_each_component(clients, technical):
    response = clients["member"].get("/components/")
    assert response.status_code == 200
    rows = {row["component"]: row["figures"] for row in response.context["components"]}
    assert rows[TECHNICAL] == {
        "open_challenges": 3,
        "open_action_points": 2,
        "overdue_action_points": 1,
        "activities": 2,
        "activities_under_way": 1,
        "late_activities": 1,
        "instruments": 2,
        "instruments_not_in_force": 1,
        "overdue_instruments": 1,
    }
    assert rows[Component.POLITICAL]["open_challenges"] == 1
    assert rows[Component.POLITICAL]["open_action_points"] == 1
    assert rows[Component.PARTICIPATION] == dict.fromkeys(rows[TECHNICAL], 0)
    assert 'href="/components/technical/"' in response.text
    assert "1 overdue" in response.text


def test_list_json_twin(clients, technical, today):
    response = clients["observer"].get("/components/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == today.isoformat()
    assert [row["component"] for row in body["components"]] == Component.values
    technical_row = body["components"][1]
    assert technical_row["label"] == "Technical"
    assert technical_row["url"] == "/components/technical/"
    assert technical_row["open_challenges"] == 3
    assert technical_row["late_activities"] == 1


def test_unknown_format_is_refused_with_a_message(clients):
    response = clients["member"].get("/components/technical/?format=xml")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "format": ["There is no format xml. Choose one of: html, json."]
    }


def test_detail_shows_what_the_working_group_reviews(clients, people, technical, today):
    response = clients["member"].get("/components/technical/")
    assert response.status_code == 200
    context = response.context
    assert [c.title for c in context["challenges"]] == [
        "No national standard for survey",
        "Slow release of cancelled land",
        "Gaps in the database",
    ]
    assert [a.text for a in context["action_points"]] == [
        "Send the survey data",
        "Draft the survey standard",
    ]
    assert [a.title for a in context["activities"]] == ["Train survey teams", "Revise the database"]
    assert [(i.title, i.overdue) for i in context["instruments"]] == [
        ("Non-technical survey", True),
        ("Marking of hazards", False),
    ]
    text = response.text
    group = technical["group"]
    assert f'href="/stakeholders/working-groups/{group.public_id}/"' in text
    convener = people["lead_authority"]
    assert f'<a href="/stakeholders/people/{convener.public_id}/">{convener}</a> (TMAC)' in text
    assert "A political worry" not in text
    assert "Political action" not in text
    assert "Resolved long ago" not in text
    assert "Finished activity" not in text
    assert text.count('<span class="badge badge-danger">overdue</span>') == 2
    assert text.count('<span class="badge badge-danger">late</span>') == 1
    assert 'href="/challenges/?component=technical&amp;state=open"' in text
    assert 'href="/meetings/action-points/?component=technical"' in text
    assert 'href="/policies/?component=technical"' in text


def test_detail_json_twin(clients, people, technical, today):
    response = clients["member"].get("/components/technical/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert body["component"] == "technical"
    assert body["label"] == "Technical"
    [group] = body["working_groups"]
    assert [p["name"] for p in group["conveners"]] == [str(people["lead_authority"])]
    assert sorted(p["name"] for p in group["members"]) == sorted(
        [str(people["member"]), str(people["data_manager"])]
    )
    challenges = body["challenges"]
    assert challenges["count"] == 3
    assert [(c["reference"], c["priority_rank"]) for c in challenges["results"]] == [
        (technical["challenges"][0].reference, 1),
        (technical["challenges"][1].reference, 2),
        (technical["challenges"][2].reference, None),
    ]
    assert [p["overdue"] for p in body["action_points"]["results"]] == [True, False]
    assert [a["late"] for a in body["activities"]["results"]] == [True, False]
    assert body["activities"]["results"][0]["progress_percent"] == 60
    assert [i["overdue"] for i in body["instruments"]["results"]] == [True, False]
    assert body["figures"]["overdue_action_points"] == 1


def test_restricted_challenges_and_meetings_stay_hidden(clients, technical, authority_org, ngo_org):
    secret = make_challenge(
        "Secret survey dispute",
        authority_org,
        visibility=Visibility.RESTRICTED,
    )
    secret.restricted_to.set([authority_org])
    closed_meeting = make_meeting(restricted_to=[authority_org])
    make_action_point(closed_meeting, "Confidential follow-up", authority_org, component=TECHNICAL)

    member = clients["member"].get("/components/technical/")
    assert "Secret survey dispute" not in member.text
    assert "Confidential follow-up" not in member.text
    assert member.context["figures"]["open_challenges"] == 3
    assert member.context["figures"]["open_action_points"] == 2
    member_list = clients["member"].get("/components/?format=json").json()
    assert member_list["components"][1]["open_challenges"] == 3

    # The authority's own staff and those who run meetings see both.
    data_manager = clients["data_manager"].get("/components/technical/")
    assert "Secret survey dispute" in data_manager.text
    assert "Confidential follow-up" in data_manager.text
    secretariat = clients["secretariat"].get("/components/technical/")
    assert secretariat.context["figures"]["open_challenges"] == 4
    assert secretariat.context["figures"]["open_action_points"] == 3


def _add_records(organisation, count, today):
    meeting = make_meeting()
    plan = make_work_plan(f"Plan {count}")
    for index in range(count):
        challenge = make_challenge(f"Challenge {count}-{index}", organisation)
        challenge.restricted_to.set([organisation])
        make_action_point(meeting, f"Action {index}", organisation, component=TECHNICAL)
        make_activity(plan, f"Activity {index}", organisation)
        make_instrument(f"Instrument {count}-{index}", target_date=today)
    group = WorkingGroup.objects.create(name=f"{organisation} {count}", component=TECHNICAL)
    group.members.set(organisation.people.all())
    group.conveners.set(organisation.people.all())


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/components/", "/components/technical/", "/components/technical/?format=json"]
)
def test_query_count_does_not_grow_with_the_records(clients, people, ngo_org, today, url):
    _add_records(ngo_org, 1, today)
    few = _queries(clients["member"], url)
    _add_records(make_organisation("Second Demining Group"), 6, today)
    _add_records(ngo_org, 6, today)
    assert _queries(clients["member"], url) == few
