"""The action plan pages: access per persona, progress per section for a year, an action's
page, the managers' edit and the assessments (one per year, years within the plan or after,
never in the future)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.partnerships.models import ActionAssessment, ActionPlan, ActionStatus, PlanAction
from mineaction.partnerships.services import plans as services
from mineaction.partnerships.tests.partnerships_support import (
    DETAIL_ACCESS,
    LIST_ACCESS,
    MANAGER_RECORD_ACCESS,
    action,
    assert_outcome,
    assess,
    make_commitment,
    make_partnership,
    make_plan,
    organisation,
    queries_for,
    table_counts,
)

LIST_URL = reverse("partnerships:action_plan_list")
S = ActionStatus
THIS_YEAR = timezone.localdate().year


def detail_url(plan):
    return reverse("partnerships:action_plan_detail", args=[plan.public_id])


def action_url(name, plan_action):
    return reverse(f"partnerships:{name}", args=[plan_action.public_id])


@pytest.fixture
def plan(people):
    """Section I: #1 achieved, #2 in progress, #3 not assessed in 2023; section II: #4 not
    started, #5 does not apply to the State (though assessed as achieved)."""
    plan = make_plan(
        "oap-test",
        sections=[
            ("I", "Best practices", [(1, "Ownership"), (2, "Gender"), (3, "Strategies")]),
            ("II", "Survey and clearance", [(4, "Baseline"), (5, "Stockpiles")]),
        ],
    )
    assess(action(plan, 1), 2023, S.ACHIEVED, "Law adopted in March.")
    assess(action(plan, 1), 2022, S.IN_PROGRESS)
    assess(action(plan, 2), 2023, S.IN_PROGRESS)
    assess(action(plan, 4), 2023, S.NOT_STARTED)
    assess(action(plan, 5), 2023, S.ACHIEVED)
    PlanAction.objects.filter(pk=action(plan, 5).pk).update(applies_to_state=False)
    return plan


def counts(achieved=0, in_progress=0, not_started=0, not_applicable=0, not_assessed=0):
    return {
        "achieved": achieved,
        "in_progress": in_progress,
        "not_started": not_started,
        "not_applicable": not_applicable,
        "not_assessed": not_assessed,
    }


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_the_plans_are_read_by_members(clients, plan, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_a_plan_and_its_actions_are_read_by_members(clients, plan, persona, expected):
    assert_outcome(clients[persona].get(detail_url(plan)), expected)
    assert_outcome(
        clients[persona].get(action_url("plan_action_detail", action(plan, 1))), expected
    )


@pytest.mark.parametrize(("persona", "expected"), MANAGER_RECORD_ACCESS.items())
def test_actions_are_edited_and_assessed_by_managers(clients, plan, persona, expected):
    assert_outcome(clients[persona].get(action_url("plan_action_edit", action(plan, 1))), expected)
    assert_outcome(
        clients[persona].get(action_url("plan_action_assess", action(plan, 1))), expected
    )


# Progress --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2019, 12, 31), 2020),
        (datetime.date(2020, 1, 1), 2020),
        (datetime.date(2022, 6, 1), 2022),
        (datetime.date(2024, 12, 31), 2024),
        (datetime.date(2030, 1, 1), 2024),
    ],
)
def test_progress_is_shown_for_this_year_inside_the_plan_else_its_nearest_year(plan, today, year):
    assert services.default_year(plan, today) == year


def test_the_list_counts_each_section_s_actions_by_status_for_the_year_asked(clients, plan):
    response = clients["observer"].get(LIST_URL, {"year": 2023})
    (progress,) = [p for p in response.context["progress"] if p.plan == plan]
    assert progress.year == 2023
    assert [(s.section.number, s.counts) for s in progress.sections] == [
        ("I", counts(achieved=1, in_progress=1, not_assessed=1)),
        ("II", counts(not_started=1, not_applicable=1)),
    ]
    assert progress.counts == counts(
        achieved=1, in_progress=1, not_started=1, not_applicable=1, not_assessed=1
    )
    other = clients["observer"].get(LIST_URL, {"year": 2022}).context["progress"]
    (progress_2022,) = [p for p in other if p.plan == plan]
    assert progress_2022.counts == counts(in_progress=1, not_applicable=1, not_assessed=3)


def test_the_list_has_a_json_twin(clients, plan):
    body = clients["observer"].get(LIST_URL, {"year": 2023, "format": "json"}).json()
    (listed,) = [entry for entry in body["plans"] if entry["code"] == "oap-test"]
    assert [(s["number"], s["counts"]) for s in listed["sections"]] == [
        ("I", counts(achieved=1, in_progress=1, not_assessed=1)),
        ("II", counts(not_started=1, not_applicable=1)),
    ]
    assert [entry["code"] for entry in body["plans"]] == ["sraap-2025", "oap-test", "oslo-2020"]


def test_the_list_shows_each_plan_for_its_own_year_when_none_is_asked(clients, plan):
    response = clients["observer"].get(LIST_URL)
    years = {p.plan.code: p.year for p in response.context["progress"]}
    today = timezone.localdate()
    assert years == {
        plan.code: services.default_year(plan, today) for plan in ActionPlan.objects.all()
    }


def test_a_plan_without_sections_says_how_to_load_them(clients, plan):
    response = clients["observer"].get(detail_url(ActionPlan.objects.get(code="sraap-2025")))
    assert "mineaction load-action-plan FILE.csv" in response.text


def test_the_plan_page_shows_each_action_with_its_status_evidence_and_who_addresses_it(
    clients, plan
):
    partnership = make_partnership()
    partnership.plan_actions.set([action(plan, 1)])
    commitment = make_commitment(partnership, organisation("Clear Fields Association"))
    commitment.plan_actions.set([action(plan, 1)])
    response = clients["member"].get(detail_url(plan), {"year": 2023})
    section_i = response.context["progress"].sections[0]
    first = section_i.rows[0]
    assert (first["action"].number, first["status"], first["assessment"].evidence) == (
        1,
        "achieved",
        "Law adopted in March.",
    )
    assert first["partnerships"] == [partnership]
    assert first["commitments"] == [commitment]
    assert [(row["action"].number, row["status"]) for row in section_i.rows] == [
        (1, "achieved"),
        (2, "in_progress"),
        (3, "not_assessed"),
    ]
    assert reverse("partnerships:partnership_detail", args=[partnership.public_id]) in response.text
    assert action_url("plan_action_assess", action(plan, 1)) not in response.text
    manager_page = clients["secretariat"].get(detail_url(plan), {"year": 2023})
    assert action_url("plan_action_assess", action(plan, 1)) in manager_page.text


def test_the_plan_page_has_a_json_twin(clients, plan):
    response = clients["observer"].get(detail_url(plan), {"year": 2023, "format": "json"})
    body = response.json()
    assert (body["code"], body["year"], body["total"]) == ("oap-test", 2023, 5)
    assert body["counts"] == counts(
        achieved=1, in_progress=1, not_started=1, not_applicable=1, not_assessed=1
    )
    assert [(s["number"], s["counts"]) for s in body["sections"]] == [
        ("I", counts(achieved=1, in_progress=1, not_assessed=1)),
        ("II", counts(not_started=1, not_applicable=1)),
    ]
    assert [
        (a["number"], a["status"], a["evidence"], a["applies_to_state"])
        for a in body["sections"][1]["actions"]
    ] == [(4, "not_started", "", True), (5, "not_applicable", "", False)]


def test_an_unknown_format_is_refused(clients, plan):
    response = clients["observer"].get(detail_url(plan), {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Unknown format “pdf”. Choose one of: json."]}


def test_a_bad_year_is_reported_and_the_plan_s_year_shown(clients, plan):
    response = clients["observer"].get(LIST_URL, {"year": "soon"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"year": ["Enter a whole number."]}


def test_list_and_plan_pages_make_as_many_queries_with_more_actions(clients, plan):
    list_queries = queries_for(clients["observer"], LIST_URL, year=2023)
    detail_queries = queries_for(clients["observer"], detail_url(plan), year=2023)
    bigger = make_plan(
        "bigger",
        sections=[("I", "One", [(n, f"A{n}") for n in range(1, 8)]), ("II", "Two", [(8, "B")])],
    )
    for number in range(1, 8):
        assess(action(bigger, number), 2023, S.IN_PROGRESS)
    for year in (2021, 2023, 2024):
        assess(action(plan, 3), year, S.IN_PROGRESS)
    partnership = make_partnership()
    partnership.plan_actions.set([action(plan, 1), action(plan, 2)])
    assert queries_for(clients["observer"], LIST_URL, year=2023) == list_queries
    assert queries_for(clients["observer"], detail_url(plan), year=2023) == detail_queries


# Editing and assessing -------------------------------------------------------------------------


def test_a_manager_rewords_an_action_and_marks_it_as_not_applying(clients, plan):
    first = action(plan, 1)
    response = clients["lead_authority"].post(
        action_url("plan_action_edit", first), {"short_title": "  Ownership of the plan "}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.short_title, first.applies_to_state) == ("Ownership of the plan", False)


def test_an_action_needs_a_short_title(clients, plan):
    before = table_counts()
    response = clients["secretariat"].post(
        action_url("plan_action_edit", action(plan, 1)),
        {"short_title": "   ", "applies_to_state": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"short_title": ["This field is required."]}
    assert action(plan, 1).short_title == "Ownership"
    assert table_counts() == before


def test_an_assessment_is_recorded_then_replaced_for_the_same_year(clients, plan):
    third = action(plan, 3)
    url = action_url("plan_action_assess", third)
    response = clients["secretariat"].post(
        url, {"year": 2023, "status": "in_progress", "evidence": "Draft strategy."}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The assessment for 2023 has been recorded."
    ]
    response = clients["secretariat"].post(
        url, {"year": 2023, "status": "achieved", "evidence": "Strategy adopted."}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The assessment for 2023 has been replaced."
    ]
    assert list(third.assessments.values_list("year", "status", "evidence")) == [
        (2023, "achieved", "Strategy adopted.")
    ]


def test_the_assess_form_starts_from_the_year_s_assessment(clients, plan):
    response = clients["secretariat"].get(
        action_url("plan_action_assess", action(plan, 1)), {"year": 2023}
    )
    assert response.context["form"].initial == {
        "year": 2023,
        "status": "achieved",
        "evidence": "Law adopted in March.",
    }


def test_a_year_after_the_plan_may_be_assessed(clients, people):
    ended = make_plan("ended", first_year=THIS_YEAR - 5, last_year=THIS_YEAR - 1)
    response = clients["secretariat"].post(
        action_url("plan_action_assess", action(ended, 1)),
        {"year": THIS_YEAR, "status": "achieved"},
    )
    assert response.status_code == 302
    assert list(action(ended, 1).assessments.values_list("year", "status")) == [
        (THIS_YEAR, "achieved")
    ]


@pytest.mark.parametrize(
    ("year", "errors"),
    [
        (2019, {"year": ["Plan oap-test starts in 2020: assess a year from 2020 on."]}),
        (
            THIS_YEAR + 1,
            {"year": [f"{THIS_YEAR + 1} is in the future: assess this year or an earlier one."]},
        ),
        ("", {"year": ["This field is required."]}),
        ("twenty", {"year": ["Enter a whole number."]}),
    ],
)
def test_bad_years_are_refused_and_nothing_changes(clients, plan, year, errors):
    before = table_counts()
    response = clients["secretariat"].post(
        action_url("plan_action_assess", action(plan, 3)), {"year": year, "status": "achieved"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert table_counts() == before


def test_a_status_must_be_one_of_the_four(clients, plan):
    before = table_counts()
    response = clients["secretariat"].post(
        action_url("plan_action_assess", action(plan, 3)), {"year": 2023, "status": "done"}
    )
    assert response.context["form"].errors == {
        "status": ["Select a valid choice. done is not one of the available choices."]
    }
    assert table_counts() == before


def test_readers_cannot_assess_or_edit(clients, plan):
    before = table_counts()
    url = action_url("plan_action_assess", action(plan, 3))
    assert clients["member"].post(url, {"year": 2023, "status": "achieved"}).status_code == 403
    assert clients["outsider"].post(url, {"year": 2023, "status": "achieved"}).status_code == 404
    edit = action_url("plan_action_edit", action(plan, 3))
    assert clients["observer"].post(edit, {"short_title": "Changed"}).status_code == 403
    assert table_counts() == before
    assert ActionAssessment.objects.filter(plan_action=action(plan, 3)).count() == 0
