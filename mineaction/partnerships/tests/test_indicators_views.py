"""Indicator pages: who creates and edits them, the page with values against baseline and
target (chart, table, JSON twin), and the State's yearly figure of a plan action's indicator."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.partnerships.models import Commitment, Indicator, IndicatorValue
from mineaction.partnerships.services import indicators as services
from mineaction.partnerships.tests.reports_support import (
    LOGIN,
    MANAGERS,
    WRITERS,
    D,
    assert_outcome,
    cell,
    expected_for,
    make_indicator,
    make_partnership,
    make_plan_action,
    organisation,
    queries_for,
    sex_age_parts,
    table_counts,
)

CREATE_URL = reverse("partnerships:indicator_create")


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def indicator(partnership):
    return make_indicator(partnership)


def detail_url(indicator, name="indicator_detail"):
    return reverse(f"partnerships:{name}", args=[indicator.public_id])


def indicator_post(**changes):
    data = {
        "name": "Women and girls reached by risk education",
        "unit": "people",
        "baseline": "120",
        "baseline_date": "2023-12-31",
        "target": "2000",
        "target_date": "2027-12-31",
        "by_sex_and_age": "on",
        "dimensions-TOTAL_FORMS": "2",
        "dimensions-INITIAL_FORMS": "0",
        "dimensions-MIN_NUM_FORMS": "0",
        "dimensions-MAX_NUM_FORMS": "10",
        "dimensions-0-name": "Disability",
        "dimensions-0-categories": "With a disability\nWithout\n",
        "dimensions-1-name": "",
        "dimensions-1-categories": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# Creating ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_partnerships_indicator_is_created_by_its_parties_and_managers(
    clients, partnership, persona
):
    response = clients[persona].get(CREATE_URL, {"partnership": partnership.public_id})
    assert_outcome(response, expected_for(persona, allowed=200, allowed_for=WRITERS, outsider=404))


def test_a_partner_cannot_add_an_indicator_to_another_partnership(clients, people):
    theirs = make_partnership("Donor partnership", partners=["Kingdom of Examplia"])

    assert clients["member"].get(CREATE_URL, {"partnership": theirs.public_id}).status_code == 403
    response = clients["member"].post(
        f"{CREATE_URL}?partnership={theirs.public_id}", indicator_post()
    )
    assert response.status_code == 403
    assert Indicator.objects.count() == 0
    assert (
        clients["lead_donor"].get(CREATE_URL, {"partnership": theirs.public_id}).status_code == 200
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_without_a_link_or_for_a_plan_action_only_managers_create(clients, people, persona):
    plan_action = make_plan_action()
    expected = expected_for(persona, allowed=200, allowed_for=MANAGERS, outsider=403)
    assert_outcome(clients[persona].get(CREATE_URL), expected)
    expected = expected_for(persona, allowed=200, allowed_for=MANAGERS, outsider=404)
    assert_outcome(
        clients[persona].get(CREATE_URL, {"plan_action": plan_action.public_id}), expected
    )


def test_a_member_creates_an_indicator_with_the_standard_and_their_own_dimensions(
    clients, partnership
):
    response = clients["member"].post(
        f"{CREATE_URL}?partnership={partnership.public_id}", indicator_post()
    )

    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(indicator)
    assert (indicator.partnership, indicator.target, indicator.unit) == (
        partnership,
        D("2000"),
        "people",
    )
    assert [d.code for d in indicator.dimensions.order_by("order")] == ["sex", "age", "disability"]


def test_a_member_cannot_move_the_indicator_to_another_link(clients, partnership):
    other = make_partnership("Victim assistance partnership")
    clients["member"].post(
        f"{CREATE_URL}?partnership={partnership.public_id}",
        indicator_post(partnership=str(other.public_id)),
    )
    assert Indicator.objects.get().partnership == partnership


def test_a_manager_chooses_the_link_on_the_form(clients, partnership):
    plan_action = make_plan_action()
    response = clients["secretariat"].post(
        CREATE_URL, indicator_post(plan_action=str(plan_action.public_id), by_sex_and_age=None)
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.plan_action, indicator.partnership) == (plan_action, None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_date": "2023-06-30"}, "The target date must be after the baseline date"),
        ({"dimensions-0-categories": "Yes\nNo\nyes"}, "“Disability” has the category “yes” twice."),
        ({"dimensions-0-categories": ""}, "Give the categories of “Disability”."),
        ({"dimensions-0-name": "Sex"}, "There are two disaggregations “Sex”."),
        ({"baseline": "ten"}, "Enter a number."),
    ],
)
def test_a_bad_indicator_is_refused_with_its_message_and_nothing_is_created(
    clients, partnership, changes, message
):
    before = table_counts()
    response = clients["member"].post(
        f"{CREATE_URL}?partnership={partnership.public_id}", indicator_post(**changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert table_counts() == before


def test_a_manager_without_a_link_is_asked_for_one(clients, people):
    response = clients["secretariat"].post(CREATE_URL, indicator_post())

    assert response.status_code == 200
    assert "Link the indicator to a partnership, a commitment or a plan action." in (
        response.content.decode()
    )
    assert Indicator.objects.count() == 0


# Editing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_indicator_is_edited_by_its_partnerships_parties_and_managers(
    clients, indicator, persona
):
    expected = expected_for(persona, allowed=200, allowed_for=WRITERS, outsider=404)
    assert_outcome(clients[persona].get(detail_url(indicator, "indicator_edit")), expected)


def test_the_edit_form_shows_the_indicator_and_saves_changes(clients, partnership):
    indicator = make_indicator(
        partnership, dimensions=[{"name": "Disability", "categories": ["Yes", "No"]}]
    )
    url = detail_url(indicator, "indicator_edit")
    page = clients["member"].get(url)
    assert page.context["form"].initial["by_sex_and_age"] is True
    assert [form.initial for form in page.context["dimensions"].initial_forms] == [
        {"code": "disability", "name": "Disability", "categories": "Yes\nNo"}
    ]

    response = clients["member"].post(
        url,
        indicator_post(
            **{
                "name": "People reached",
                "target": "1500",
                "dimensions-TOTAL_FORMS": "2",
                "dimensions-INITIAL_FORMS": "1",
                "dimensions-0-code": "disability",
                "dimensions-0-name": "Disability",
                "dimensions-0-categories": "Yes\nNo\nUnknown",
            }
        ),
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == D("1500")
    disability = indicator.dimensions.get(code="disability")
    assert [c["code"] for c in disability.categories] == ["yes", "no", "unknown"]


def test_a_dimension_in_use_cannot_be_removed_on_the_page(clients, partnership):
    indicator = make_indicator(partnership)
    services.indicator_value_save(
        indicator=indicator,
        total=D("10"),
        parts=[cell("10", sex="female")],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    before = table_counts()

    response = clients["member"].post(
        detail_url(indicator, "indicator_edit"), indicator_post(by_sex_and_age=None)
    )

    assert response.status_code == 200
    assert "“Sex” is used by recorded values and cannot be removed." in response.content.decode()
    assert table_counts() == before


# The indicator's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reader_sees_an_indicator(clients, indicator, persona):
    expected = expected_for(persona, allowed=200, allowed_for=["observer", *WRITERS], outsider=404)
    assert_outcome(clients[persona].get(detail_url(indicator)), expected)


@pytest.fixture
def with_values(indicator):
    services.indicator_value_save(
        indicator=indicator,
        total=D("100"),
        parts=sex_age_parts([["10", "30", "5"], ["12", "38", "5"]]),
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    services.indicator_value_save(
        indicator=indicator,
        total=D("250"),
        parts=[cell("150", sex="female")],
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return indicator


def test_the_page_shows_values_against_baseline_and_target_with_their_breakdown(
    clients, with_values
):
    response = clients["observer"].get(detail_url(with_values))
    page = response.content.decode()

    rows = response.context["rows"]
    assert [(row["value"].total, row["breakdown"].status) for row in rows] == [
        (D("100"), "full"),
        (D("250"), "partial"),
    ]
    assert "Fully disaggregated" in page
    assert "Partially disaggregated" in page
    assert "1 of 2 cells given: 150 of the total of 250, 60 per cent." in page
    assert '<svg role="img"' in page
    assert "Female, Under 18: 10" in page
    assert "Edit the indicator" not in page


def test_the_json_twin_holds_the_values_and_their_breakdown(clients, with_values):
    body = json.loads(clients["member"].get(detail_url(with_values), {"format": "json"}).content)

    assert (body["name"], body["baseline"], body["target"]) == (
        "People reached",
        "100.00",
        "1000.00",
    )
    assert [d["code"] for d in body["dimensions"]] == ["sex", "age"]
    assert body["values"][1] == {
        "public_id": str(IndicatorValue.objects.get(total=D("250")).public_id),
        "period_start": "2024-07-01",
        "period_end": "2024-12-31",
        "total": "250.00",
        "note": "",
        "progress_report": None,
        "breakdown": {
            "status": "partial",
            "dimensions": ["sex"],
            "cells": 2,
            "cells_given": 1,
            "covered": "150.00",
            "share": "0.6000",
        },
        "parts": [{"categories": {"sex": "female"}, "amount": "150.00"}],
    }
    assert clients["member"].get(detail_url(with_values), {"format": "xml"}).status_code == 400


def test_the_page_makes_the_same_number_of_queries_however_many_values(
    clients, with_values, django_assert_num_queries
):
    baseline = queries_for(clients["member"], detail_url(with_values))
    for year in range(2018, 2023):
        services.indicator_value_save(
            indicator=with_values,
            total=D("10"),
            parts=[cell("5", sex="female"), cell("5", sex="male")],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
    with django_assert_num_queries(baseline):
        clients["member"].get(detail_url(with_values))


# The State's own figure --------------------------------------------------------------------------


@pytest.fixture
def plan_indicator(people):
    return make_indicator(None, plan_action=make_plan_action(), name="Area released")


def value_url(indicator):
    return detail_url(indicator, "indicator_value")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_record_the_states_figures(clients, plan_indicator, persona):
    expected = expected_for(persona, allowed=200, allowed_for=MANAGERS, outsider=404)
    assert_outcome(clients[persona].get(value_url(plan_indicator)), expected)


def test_a_partnerships_indicator_has_no_direct_figures(clients, indicator):
    assert clients["secretariat"].get(value_url(indicator)).status_code == 404


def test_a_manager_records_a_years_figure_broken_down_by_sex_only(clients, plan_indicator):
    response = clients["secretariat"].post(
        value_url(plan_indicator), {"year": "2023", "total": "300", "g1_c0": "180", "g1_c1": "120"}
    )

    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.period_start, value.period_end, value.total) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
        D("300"),
    )
    assert sorted((p.categories["sex"], p.amount) for p in value.parts.all()) == [
        ("female", D("180")),
        ("male", D("120")),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"year": "2023", "total": "100", **{f"g0_c{i}": "20" for i in range(6)}},
            "The parts add up to 120 but the total is 100.",
        ),
        (
            {"year": "2023", "total": "100", "g1_c0": "50", "g2_c0": "20"},
            "Fill in one breakdown only; you filled in: By Sex; By Age band.",
        ),
        ({"year": "2023", "g1_c0": "50"}, "Give the total of the year."),
        ({"year": "2019", "total": "5"}, "Choose a year of the action plan, from 2020 to 2024."),
        (
            {"year": "2023", "total": "5", "g1_c0": "-1"},
            "The amount for Female cannot be negative.",
        ),
    ],
)
def test_a_bad_figure_is_refused_and_changes_nothing(clients, plan_indicator, data, message):
    before = table_counts()
    response = clients["secretariat"].post(value_url(plan_indicator), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert table_counts() == before


def test_the_form_offers_one_grid_per_set_of_dimensions(clients, plan_indicator):
    form = clients["secretariat"].get(value_url(plan_indicator)).context["form"]

    assert [(str(g.label), len(g.cells)) for g in form.groups] == [
        ("By Sex, Age band", 6),
        ("By Sex", 2),
        ("By Age band", 3),
    ]
    assert [label for label, _fields in form.groups[0].rows] == ["Female", "Male"]
    assert form.groups[0].columns == ["Under 18", "18 to 59", "60 and over"]


def test_login_is_required(clients, indicator):
    assert_outcome(clients["anonymous"].get(detail_url(indicator)), LOGIN)


def test_the_breakdown_stylesheet_uses_only_logical_properties():
    css = (
        Path(settings.BASE_DIR)
        / "mineaction"
        / "static"
        / "mineaction"
        / "partnerships-indicators.css"
    ).read_text()
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right|top|bottom)\b"
        r"|(?<![\w-])(?:left|right|top|bottom)\s*:"
        r"|text-align:\s*(?:left|right)"
        r"|float:\s*(?:left|right)"
        r"|(?<![\w-])(?:max-|min-)?(?:width|height)\s*:",
        css,
    )
    assert physical == []
    assert ".breakdown-grid input" in css


def test_a_commitments_indicator_is_created_by_the_parties_of_its_partnership(clients, partnership):
    commitment = Commitment.objects.create(
        partnership=partnership,
        party=organisation("Kingdom of Examplia"),
        kind="financial",
        description="Fund two clearance teams",
        due_on=datetime.date(2025, 6, 30),
        amount=D("100000"),
        currency="USD",
    )
    query = f"{CREATE_URL}?commitment={commitment.public_id}"
    assert clients["observer"].get(query).status_code == 403

    response = clients["member"].post(query, indicator_post(by_sex_and_age=None))

    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert (indicator.commitment, indicator.partnership) == (commitment, partnership)
    page = clients["member"].get(query)
    assert page.context["cancel_url"] == reverse(
        "partnerships:commitment_detail", args=[commitment.public_id]
    )
