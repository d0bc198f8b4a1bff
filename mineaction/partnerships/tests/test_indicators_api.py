"""The indicators API: list, create with disaggregation, read with values, change, and the
State's yearly figures, with the same rules and messages as the pages."""

import datetime

import pytest

from mineaction.conftest import PERSONAS
from mineaction.partnerships.models import Indicator
from mineaction.partnerships.services import indicators as services
from mineaction.partnerships.tests.reports_support import (
    MANAGERS,
    WRITERS,
    D,
    cell,
    expected_for,
    make_indicator,
    make_partnership,
    make_plan_action,
    table_counts,
)

LIST_URL = "/api/v1/indicators"


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def indicator(partnership):
    return make_indicator(partnership)


def record_url(indicator, suffix=""):
    return f"{LIST_URL}/{indicator.public_id}{suffix}"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def new_indicator(**changes):
    return {
        "name": "Women and girls reached",
        "unit": "people",
        "baseline": "120",
        "baseline_date": "2023-12-31",
        "target": 2000,
        "target_date": "2027-12-31",
        "by_sex_and_age": True,
        "dimensions": [
            {"name": "Disability", "categories": [{"label": "With"}, {"label": "Without"}]}
        ],
        **changes,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reader_lists_indicators(clients, indicator, persona):
    response = clients[persona].get(LIST_URL)
    expected = expected_for(
        persona, allowed=200, allowed_for=["observer", *WRITERS], outsider=403, anonymous=401
    )
    assert response.status_code == expected


def test_the_list_filters_by_partnership(clients, indicator, people):
    other = make_indicator(make_partnership("Victim assistance"), name="Survivors assisted")

    body = clients["observer"].get(LIST_URL, {"partnership": other.partnership.public_id}).json()

    assert [r["name"] for r in body["results"]] == ["Survivors assisted"]
    assert body["results"][0]["dimensions"][0] == {
        "code": "sex",
        "name": "Sex",
        "categories": [{"code": "female", "label": "Female"}, {"code": "male", "label": "Male"}],
    }
    bad = clients["observer"].get(LIST_URL, {"partnership": "not-an-id"})
    assert bad.status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_partnerships_parties_and_managers_create_its_indicators(clients, partnership, persona):
    response = post(
        clients[persona], LIST_URL, new_indicator(partnership=str(partnership.public_id))
    )
    expected = expected_for(persona, allowed=201, allowed_for=WRITERS, outsider=403, anonymous=401)
    assert response.status_code == expected


def test_a_created_indicator_comes_back_with_its_dimensions(clients, partnership):
    response = post(
        clients["member"], LIST_URL, new_indicator(partnership=str(partnership.public_id))
    )

    body = response.json()
    assert (body["name"], body["baseline"], body["target"], body["by_sex_and_age"]) == (
        "Women and girls reached",
        "120.00",
        "2000.00",
        True,
    )
    assert [d["code"] for d in body["dimensions"]] == ["sex", "age", "disability"]
    assert body["partnership"] == {
        "public_id": str(partnership.public_id),
        "title": partnership.title,
    }
    assert body["values"] == []


def test_a_partner_cannot_create_an_indicator_for_another_partnership(clients, people):
    theirs = make_partnership("Donor partnership", partners=["Kingdom of Examplia"])
    before = table_counts()

    response = post(clients["member"], LIST_URL, new_indicator(partnership=str(theirs.public_id)))

    assert response.status_code == 403
    assert table_counts() == before


def test_bad_indicators_are_refused_with_messages_per_field(clients, partnership):
    before = table_counts()
    response = post(
        clients["member"],
        LIST_URL,
        new_indicator(
            partnership=str(partnership.public_id),
            target_date="2023-01-01",
            dimensions=[{"name": "Disability", "categories": [{"label": "Yes"}, {"label": ""}]}],
        ),
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "target_date": ["The target date must be after the baseline date (Dec. 31, 2023)."],
        "dimensions": ["“Disability” has an empty category."],
    }
    assert table_counts() == before


def test_an_indicator_needs_a_link(clients, people):
    response = post(clients["secretariat"], LIST_URL, new_indicator())

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["Link the indicator to a partnership, a commitment or a plan action."]
    }


def test_the_detail_has_the_values_that_count(clients, indicator):
    services.indicator_value_save(
        indicator=indicator,
        total=D("40"),
        parts=[cell("25", sex="female")],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )

    body = clients["observer"].get(record_url(indicator)).json()

    assert [
        (v["total"], v["breakdown"]["status"], v["breakdown"]["share"]) for v in body["values"]
    ] == [("40.00", "partial", "0.6250")]


def test_a_patch_changes_what_was_sent_and_keeps_the_rest(clients, partnership):
    indicator = make_indicator(
        partnership, dimensions=[{"name": "Disability", "categories": ["Yes", "No"]}]
    )

    response = patch(clients["member"], record_url(indicator), {"target": "1500.5"})

    assert response.status_code == 200
    indicator.refresh_from_db()
    assert (indicator.target, indicator.name) == (D("1500.50"), "People reached")
    assert [d["code"] for d in response.json()["dimensions"]] == ["sex", "age", "disability"]


def test_a_patch_cannot_remove_a_dimension_in_use(clients, indicator):
    services.indicator_value_save(
        indicator=indicator,
        total=D("10"),
        parts=[cell("10", age="under_18")],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    before = table_counts()

    response = patch(clients["member"], record_url(indicator), {"by_sex_and_age": False})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "dimensions": ["“Age band” is used by recorded values and cannot be removed."]
    }
    assert table_counts() == before


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_readers_without_the_right_cannot_patch(clients, indicator, persona):
    response = patch(clients[persona], record_url(indicator), {"name": "Changed"})

    assert response.status_code == (403 if persona == "observer" else 404)
    indicator.refresh_from_db()
    assert indicator.name == "People reached"


# The State's own figures -------------------------------------------------------------------------


@pytest.fixture
def plan_indicator(people):
    return make_indicator(None, plan_action=make_plan_action(), name="Area released")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_post_the_states_figures(clients, plan_indicator, persona):
    response = post(
        clients[persona], record_url(plan_indicator, "/values"), {"year": 2023, "total": "10"}
    )
    expected = expected_for(persona, allowed=201, allowed_for=MANAGERS, outsider=404, anonymous=401)
    assert response.status_code == expected


def test_a_years_figure_with_its_breakdown(clients, plan_indicator):
    response = post(
        clients["secretariat"],
        record_url(plan_indicator, "/values"),
        {
            "year": 2023,
            "total": 300,
            "parts": [
                {"categories": {"sex": "female"}, "amount": "180"},
                {"categories": {"sex": "male"}, "amount": 120},
            ],
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["period_start"], body["period_end"], body["total"]) == (
        "2023-01-01",
        "2023-12-31",
        "300.00",
    )
    assert body["breakdown"]["status"] == "full"
    assert body["progress_report"] is None


def test_a_figure_contradicting_its_breakdown_is_refused(clients, plan_indicator):
    before = table_counts()
    response = post(
        clients["secretariat"],
        record_url(plan_indicator, "/values"),
        {
            "year": 2023,
            "total": "100",
            "parts": [
                {"categories": {"sex": "female"}, "amount": "70"},
                {"categories": {"sex": "male"}, "amount": "50"},
            ],
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["The parts add up to 120 but the total is 100."]
    }
    assert table_counts() == before


def test_a_partnerships_indicator_takes_no_direct_figure(clients, indicator):
    response = post(clients["secretariat"], record_url(indicator, "/values"), {"year": 2023})

    assert response.status_code == 409
    assert Indicator.objects.get().values.count() == 0
