"""The action plan API: plans with progress per section, a plan's actions for a year, and the
managers' assessment of an action for a year (PUT: one per year)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.partnerships.models import ActionStatus
from mineaction.partnerships.tests.partnerships_support import (
    API_LIST_ACCESS,
    API_RECORD_ACCESS,
    action,
    assess,
    make_plan,
    table_counts,
)

LIST_URL = reverse("api:action_plan_list")
THIS_YEAR = timezone.localdate().year


def detail_url(plan):
    return reverse("api:action_plan_detail", args=[plan.public_id])


def assess_url(plan_action):
    return reverse("api:plan_action_assess", args=[plan_action.public_id])


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


@pytest.fixture
def plan(people):
    plan = make_plan("api-plan")
    assess(action(plan, 1), 2023, ActionStatus.ACHIEVED, "Adopted.")
    assess(action(plan, 3), 2023, ActionStatus.NOT_STARTED)
    return plan


@pytest.mark.parametrize(("persona", "expected"), API_LIST_ACCESS.items())
def test_plans_are_listed_for_readers(clients, plan, persona, expected):
    assert clients[persona].get(LIST_URL).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), API_RECORD_ACCESS.items())
def test_a_plan_is_read_by_readers(clients, plan, persona, expected):
    assert clients[persona].get(detail_url(plan)).status_code == expected


def test_the_list_gives_the_progress_per_section_for_the_year(clients, plan):
    body = clients["observer"].get(LIST_URL, {"year": 2023}).json()
    (listed,) = [entry for entry in body if entry["code"] == "api-plan"]
    assert listed["year"] == 2023
    assert [(s["number"], s["counts"], s["total"]) for s in listed["sections"]] == [
        (
            "I",
            {
                "achieved": 1,
                "in_progress": 0,
                "not_started": 0,
                "not_applicable": 0,
                "not_assessed": 1,
            },
            2,
        ),
        (
            "II",
            {
                "achieved": 0,
                "in_progress": 0,
                "not_started": 1,
                "not_applicable": 0,
                "not_assessed": 0,
            },
            1,
        ),
    ]
    assert {entry["code"] for entry in body} == {"api-plan", "oslo-2020", "sraap-2025"}


def test_the_detail_gives_each_action_s_status_and_evidence_for_the_year(clients, plan):
    body = clients["member"].get(detail_url(plan), {"year": 2023}).json()
    assert [
        (a["number"], a["status"], a["evidence"]) for s in body["sections"] for a in s["actions"]
    ] == [(1, "achieved", "Adopted."), (2, "not_assessed", ""), (3, "not_started", "")]
    other_year = clients["member"].get(detail_url(plan), {"year": 2022}).json()
    assert [a["status"] for s in other_year["sections"] for a in s["actions"]] == [
        "not_assessed",
        "not_assessed",
        "not_assessed",
    ]


def test_a_bad_year_parameter_is_refused(clients, plan):
    response = clients["member"].get(detail_url(plan), {"year": 1500})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "year": ["Ensure this value is greater than or equal to 1997."]
    }


def test_a_manager_puts_an_assessment_then_replaces_it(clients, plan):
    second = action(plan, 2)
    created = put(
        clients["secretariat"], assess_url(second), {"year": 2023, "status": "in_progress"}
    )
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("year", "status", "evidence")} == {
        "year": 2023,
        "status": "in_progress",
        "evidence": "",
    }
    replaced = put(
        clients["lead_authority"],
        assess_url(second),
        {"year": 2023, "status": "achieved", "evidence": "Done."},
    )
    assert replaced.status_code == 200
    assert replaced.json()["public_id"] == created.json()["public_id"]
    assert list(second.assessments.values_list("year", "status", "evidence")) == [
        (2023, "achieved", "Done.")
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"year": 2019, "status": "achieved"},
            {"year": ["Plan api-plan starts in 2020: assess a year from 2020 on."]},
        ),
        (
            {"year": THIS_YEAR + 1, "status": "achieved"},
            {"year": [f"{THIS_YEAR + 1} is in the future: assess this year or an earlier one."]},
        ),
        ({"status": "achieved"}, {"year": ["This field is required."]}),
        (
            {"year": 2023, "status": "finished"},
            {"status": ["Select a valid choice. finished is not one of the available choices."]},
        ),
    ],
)
def test_bad_assessments_are_refused_and_nothing_changes(clients, plan, body, errors):
    before = table_counts()
    response = put(clients["secretariat"], assess_url(action(plan, 2)), body)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert table_counts() == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 404), ("observer", 403), ("member", 403)],
)
def test_only_managers_assess(clients, plan, persona, expected):
    before = table_counts()
    response = put(
        clients[persona], assess_url(action(plan, 2)), {"year": 2023, "status": "achieved"}
    )
    assert response.status_code == expected
    assert table_counts() == before
