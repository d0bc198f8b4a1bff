"""/api/v1/work-plans and /api/v1/activities: the same rules and messages as the pages."""

import datetime

import pytest

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.workplans.models import Activity, ActivityUpdate, WorkPlan
from mineaction.workplans.tests.factories import make_activity, make_milestone, make_plan
from mineaction.workplans.tests.support import DAY, database_state

D = datetime.date
PLANS = "/api/v1/work-plans"
MANAGERS = {"secretariat", "lead_authority", "administrator"}


def plan_url(plan, suffix=""):
    return f"{PLANS}/{plan.public_id}{suffix}"


def activity_url(activity, suffix=""):
    return f"/api/v1/activities/{activity.public_id}{suffix}"


def expected_status(persona, allowed, *, record=True, writers=MANAGERS, refused=403):
    if persona == "anonymous":
        return 401
    if persona == "outsider":
        return 404 if record else 403
    return allowed if persona in writers else refused


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_readers_read_plans_activities_budget_and_timelines(people, plan, activity, persona):
    client = token_client(people, persona)
    readers = set(PERSONAS) - {"anonymous", "outsider"}
    assert client.get(PLANS).status_code == expected_status(
        persona, 200, record=False, writers=readers
    )
    assert client.get(f"{PLANS}/budget").status_code == expected_status(
        persona, 200, record=False, writers=readers
    )
    for path in (plan_url(plan), plan_url(plan, "/timeline"), activity_url(activity)):
        assert client.get(path).status_code == expected_status(persona, 200, writers=readers)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_write_and_the_responsible_organisation_reports(
    people, plan, activity, ngo_org, persona
):
    make_milestone(plan, activity=activity)  # so that a delete is refused, not done
    client = token_client(people, persona)
    before = database_state()
    assert send(client, "post", PLANS, {}).status_code == expected_status(
        persona, 422, record=False
    )
    assert send(client, "patch", plan_url(plan), {}).status_code == expected_status(persona, 200)
    assert send(client, "post", plan_url(plan, "/activities"), {}).status_code == (
        expected_status(persona, 422)
    )
    assert send(client, "patch", activity_url(activity), {}).status_code == expected_status(
        persona, 200
    )
    assert send(client, "delete", activity_url(activity)).status_code == expected_status(
        persona, 409
    )
    progress = send(client, "post", activity_url(activity, "/progress"), {})
    assert progress.status_code == expected_status(persona, 422, writers=MANAGERS | {"member"})
    assert database_state() == before


# Plans -----------------------------------------------------------------------------------------


def test_the_list_gives_activity_counts_and_budget_per_currency(people, plan, full_plan):
    make_plan(
        "Platform annual plan 2020",
        kind="platform_annual",
        starts_on=D(2020, 1, 1),
        ends_on=D(2020, 12, 31),
    )
    body = token_client(people, "observer").get(PLANS).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert (first["title"], first["kind"], first["activity_count"]) == (
        "National strategy",
        "article5",
        2,
    )
    assert first["budget_totals"] == [
        {"currency": "EUR", "amount": "5000.00"},
        {"currency": "USD", "amount": "120000.00"},
    ]
    filtered = token_client(people, "observer").get(PLANS + "?kind=platform_annual&year=2020")
    assert [plan["title"] for plan in filtered.json()["results"]] == ["Platform annual plan 2020"]


def test_bad_list_filters_are_refused(people, plan):
    response = token_client(people, "member").get(PLANS + "?kind=secret")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "kind": ["Select a valid choice. secret is not one of the available choices."]
    }


def test_the_plan_holds_its_activities_milestones_and_visible_challenges(
    people, plan, activity, full_plan, today
):
    body = token_client(people, "member").get(plan_url(plan)).json()
    assert [a["code"] for a in body["activities"]] == ["1.1", "2.1"]
    late, survey = body["activities"]
    assert (late["late"], survey["late"]) == (True, False)
    assert survey["budget"] == "120000.00"
    assert survey["responsible_organisation"]["name"] == "Clear Fields Association"
    assert [c["title"] for c in survey["challenges"]] == ["Survey backlog in the north"]
    assert [(m["title"], m["state"]) for m in body["milestones"]] == [
        ("Survey started", "achieved"),
        ("Standards adopted", "overdue"),
        ("Mid-term review", "due"),
    ]
    secretariat = token_client(people, "secretariat").get(plan_url(plan)).json()
    assert len(secretariat["activities"][1]["challenges"]) == 2


def test_a_manager_creates_a_plan(people, authority_org):
    response = send(
        token_client(people, "lead_authority"),
        "post",
        PLANS,
        {
            "title": "Article 5 work plan 2026–2028",
            "kind": "article5",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "owner": str(authority_org.public_id),
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["owner"]["name"], body["activities"]) == (
        "draft",
        "Testland Mine Action Centre",
        [],
    )
    assert WorkPlan.objects.get().public_id.hex == body["public_id"].replace("-", "")


def test_a_bad_plan_is_refused_with_messages_per_field(people):
    response = send(
        token_client(people, "secretariat"),
        "post",
        PLANS,
        {
            "title": "Backwards",
            "kind": "annual",
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "kind": ["Select a valid choice. annual is not one of the available choices."],
        "ends_on": ["A work plan cannot end before it starts."],
    }
    assert not WorkPlan.objects.exists()


def test_a_patch_that_leaves_activities_outside_is_refused(people, plan, activity, today):
    before = database_state()
    response = send(
        token_client(people, "secretariat"),
        "patch",
        plan_url(plan),
        {"ends_on": (activity.ends_on - DAY).isoformat()},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "ends_on": [
            "1 activity falls outside these dates (2.1 Survey the northern districts). Change "
            "its dates first, or choose a period that holds it."
        ]
    }
    assert database_state() == before


def test_a_patch_changes_only_what_is_sent(people, plan):
    response = send(
        token_client(people, "administrator"), "patch", plan_url(plan), {"status": "adopted"}
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert (plan.status, plan.title) == ("adopted", "National strategy")


# Activities ------------------------------------------------------------------------------------


def test_a_manager_adds_an_activity(people, plan, ngo_org):
    challenge = make_challenge("Few women in survey teams", ngo_org)
    response = send(
        token_client(people, "secretariat"),
        "post",
        plan_url(plan, "/activities"),
        {
            "code": "4.1",
            "title": "Recruit women deminers",
            "responsible_organisation": str(ngo_org.public_id),
            "component": "participation",
            "starts_on": plan.starts_on.isoformat(),
            "ends_on": (plan.starts_on + 30 * DAY).isoformat(),
            "budget": 0.1,
            "challenges": [str(challenge.public_id)],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # The currency defaults to the country's; a JSON number keeps its exact value.
    assert (body["budget"], body["currency"], body["status"], body["progress_percent"]) == (
        "0.10",
        "USD",
        "planned",
        0,
    )
    assert [c["reference"] for c in body["challenges"]] == [challenge.reference]
    assert list(Activity.objects.get().challenges.all()) == [challenge]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"budget": -5}, {"budget": ["A budget cannot be negative."]}),
        (
            {"budget": "10", "currency": ""},
            {"currency": ["Enter the currency of the budget, such as USD."]},
        ),
        (
            {"currency": "dollars"},
            {"currency": ["Ensure this value has at most 3 characters (it has 7)."]},
        ),
        ({"ends_on": "2000-01-01"}, {"ends_on": ["An activity cannot end before it starts."]}),
        (
            {"challenges": ["00000000-0000-0000-0000-000000000000"]},
            {
                "challenges": [
                    "Select a valid choice. 00000000-0000-0000-0000-000000000000 is not one "
                    "of the available choices."
                ]
            },
        ),
    ],
)
def test_bad_activity_changes_are_refused(people, plan, activity, changes, errors):
    before = database_state()
    response = send(token_client(people, "secretariat"), "patch", activity_url(activity), changes)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert database_state() == before


def test_an_activity_outside_the_plan_is_refused_naming_its_dates(people, plan, activity):
    response = send(
        token_client(people, "secretariat"),
        "patch",
        activity_url(activity),
        {"starts_on": (plan.starts_on - DAY).isoformat()},
    )
    assert response.status_code == 422
    (message,) = response.json()["errors"]["ends_on"]
    assert message.startswith(
        "The activity must take place within the period of the plan “National strategy”: "
    )
    assert str(plan.starts_on.year) in message and str(plan.ends_on.year) in message


def test_an_activity_patch_keeps_what_is_not_sent(people, plan, activity, full_plan):
    response = send(
        token_client(people, "secretariat"), "patch", activity_url(activity), {"budget": "99.5"}
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (str(activity.budget), activity.currency, activity.title) == (
        "99.50",
        "USD",
        "Survey the northern districts",
    )
    assert activity.challenges.count() == 2


def test_deleting_an_activity(people, plan, activity):
    client = token_client(people, "secretariat")
    milestone = make_milestone(plan, activity=activity)
    response = send(client, "delete", activity_url(activity))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This activity has 1 milestone. Delete it, or attach it to the plan as a whole, before "
        "deleting the activity."
    )
    milestone.delete()
    assert send(client, "delete", activity_url(activity)).status_code == 204
    assert not Activity.objects.exists()


def test_the_responsible_organisation_reports_progress(people, activity, today):
    response = send(
        token_client(people, "member"),
        "post",
        activity_url(activity, "/progress"),
        {"status": "completed", "note": "Report handed over."},
    )
    assert response.status_code == 201
    assert response.json() | {"public_id": None} == {
        "public_id": None,
        "on": today.isoformat(),
        "status": "completed",
        "progress_percent": 100,
        "note": "Report handed over.",
    }
    activity.refresh_from_db()
    assert (activity.status, activity.progress_percent) == ("completed", 100)
    detail = token_client(people, "observer").get(activity_url(activity)).json()
    assert [u["note"] for u in detail["updates"]] == ["Report handed over."]


def test_contradictory_progress_is_refused(people, activity, today):
    before = database_state()
    client = token_client(people, "member")
    response = send(
        client,
        "post",
        activity_url(activity, "/progress"),
        {"status": "completed", "progress_percent": 80},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "progress_percent": [
            "A completed activity is 100 percent done. Enter 100, or choose another status."
        ]
    }
    response = send(
        client,
        "post",
        activity_url(activity, "/progress"),
        {"status": "delayed", "progress_percent": 50, "on": (today + DAY).isoformat()},
    )
    assert response.json()["errors"] == {"on": ["The date of an update cannot be in the future."]}
    assert database_state() == before
    assert not ActivityUpdate.objects.exists()


# Budget and timeline ---------------------------------------------------------------------------


def test_the_budget_per_year(people, ngo_org):
    plan = make_plan(starts_on=D(2024, 1, 1), ends_on=D(2025, 12, 31))
    make_activity(plan, ngo_org, starts_on=D(2024, 7, 1), ends_on=D(2025, 6, 30), budget="36500.00")
    body = token_client(people, "member").get(f"{PLANS}/budget?plan={plan.public_id}").json()
    assert body == {
        "rows": [
            {"year": 2024, "currency": "USD", "component": "technical", "amount": "18400.00"},
            {"year": 2025, "currency": "USD", "component": "technical", "amount": "18100.00"},
        ],
        "totals": [
            {"year": 2024, "currency": "USD", "amount": "18400.00"},
            {"year": 2025, "currency": "USD", "amount": "18100.00"},
        ],
    }
    response = token_client(people, "member").get(f"{PLANS}/budget?plan=nope")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["plan"]


def test_the_timeline(people, plan, activity, full_plan):
    body = token_client(people, "member").get(plan_url(plan, "/timeline")).json()
    assert [group["component"] for group in body["groups"]] == ["political", "technical"]
    assert body["starts_on"] == plan.starts_on.isoformat()
    assert [m["state"] for m in body["milestones"]] == ["achieved", "overdue", "due"]


# Queries ---------------------------------------------------------------------------------------


def test_lists_and_records_take_as_many_queries_for_many_rows_as_for_one(
    people, plan, activity, full_plan, ngo_org
):
    client = token_client(people, "member")
    counts = [queries_for(client, path) for path in (PLANS, plan_url(plan))]
    for number in range(5):
        other = make_plan(f"Plan {number}", owner=ngo_org)
        make_activity(other, ngo_org, budget="1.00")
        more = make_activity(plan, ngo_org, title=f"More {number}", budget="1.00")
        more.challenges.add(full_plan["challenge"])
        make_milestone(plan, f"Milestone {number}", activity=more)
    assert [queries_for(client, path) for path in (PLANS, plan_url(plan))] == counts
