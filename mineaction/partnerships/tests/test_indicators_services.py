"""Indicators and their dimensions: the standard sex and age bands, the partners' own
dimensions, and the rules that keep recorded breakdowns meaningful."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mineaction.partnerships.models import Commitment, Indicator, IndicatorDimension
from mineaction.partnerships.services import indicators as services
from mineaction.partnerships.tests.reports_support import (
    D,
    cell,
    make_indicator,
    make_partnership,
    make_plan_action,
    organisation,
    table_counts,
)


@pytest.fixture
def partnership(people):
    return make_partnership()


def dimensions_of(indicator):
    return [
        (d.code, d.name, [c["code"] for c in d.categories])
        for d in indicator.dimensions.order_by("order")
    ]


def refusal(**changes):
    values = {
        "name": "People reached",
        "unit": "people",
        "baseline": D("0"),
        "target": D("10"),
        "target_date": datetime.date(2027, 12, 31),
        **changes,
    }
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        services.indicator_save(**values)
    assert table_counts() == before
    return refused.value.message_dict


def test_the_sex_and_age_option_creates_the_standard_dimensions(partnership):
    indicator = make_indicator(partnership)

    assert dimensions_of(indicator) == [
        ("sex", "Sex", ["female", "male"]),
        ("age", "Age band", ["under_18", "18_59", "60_plus"]),
    ]


def test_the_standard_labels_are_translated_by_their_codes(partnership):
    indicator = make_indicator(partnership)
    dimensions = services.indicator_dimensions(indicator)

    with translation.override("fr"):
        sex = services.dimension_name(dimensions[0])
        female = services.category_label("sex", dimensions[0].categories[0])
        under_18 = services.category_label("age", dimensions[1].categories[0])

    assert (sex, female, under_18) == ("Sexe", "Femme", "Moins de 18 ans")
    # The stored labels stay in English; only what is shown is translated.
    assert dimensions[1].categories[0] == {"code": "under_18", "label": "Under 18"}


def test_user_defined_dimensions_follow_the_standard_ones(partnership):
    indicator = make_indicator(
        partnership,
        dimensions=[
            {"name": "Disability", "categories": ["With a disability", "Without"]},
            {"name": "Displacement", "categories": ["Displaced", "Host community", "Returnee"]},
        ],
    )

    assert dimensions_of(indicator)[2:] == [
        ("disability", "Disability", ["with_a_disability", "without"]),
        ("displacement", "Displacement", ["displaced", "host_community", "returnee"]),
    ]


def test_a_commitments_indicator_belongs_to_the_commitments_partnership(partnership):
    commitment = Commitment.objects.create(
        partnership=partnership,
        party=organisation("Clear Fields Association"),
        kind="technical",
        description="Train survey teams",
        due_on=datetime.date(2025, 6, 30),
    )
    indicator = make_indicator(None, commitment=commitment)

    assert (indicator.partnership, indicator.commitment) == (partnership, commitment)
    assert list(services.partnership_indicators(partnership)) == [indicator]


def test_an_empty_category_is_refused_with_its_dimension_named(people):
    errors = refusal(
        partnership=make_partnership(),
        dimensions=[{"name": "Disability", "categories": ["Yes", "  ", "No"]}],
    )
    assert errors == {"dimensions": ["“Disability” has an empty category."]}


def test_a_duplicate_category_is_refused(people):
    errors = refusal(
        partnership=make_partnership(),
        dimensions=[{"name": "Disability", "categories": ["Yes", "No", "yes"]}],
    )
    assert errors == {"dimensions": ["“Disability” has the category “yes” twice."]}


def test_a_duplicate_dimension_is_refused(people):
    errors = refusal(
        partnership=make_partnership(),
        by_sex_and_age=True,
        dimensions=[{"name": "Sex", "categories": ["Women", "Men"]}],
    )
    assert errors == {"dimensions": ["There are two disaggregations “Sex”."]}


def test_a_dimension_needs_a_name_and_two_categories(people):
    errors = refusal(
        partnership=make_partnership(),
        dimensions=[
            {"name": "", "categories": ["A", "B"]},
            {"name": "Disability", "categories": []},
            {"name": "Displacement", "categories": ["Displaced"]},
        ],
    )
    assert errors == {
        "dimensions": [
            "Give disaggregation 1 a name.",
            "Give the categories of “Disability”.",
            "“Displacement” needs at least two categories.",
        ]
    }


def test_a_badly_written_code_is_refused(people):
    errors = refusal(
        partnership=make_partnership(),
        dimensions=[{"code": "has space", "name": "Disability", "categories": ["Yes", "No"]}],
    )
    assert errors == {
        "dimensions": [
            "“has space” is not a valid code: use at most 30 letters, digits and underscores."
        ]
    }


def test_at_most_four_dimensions(people):
    extra = [{"name": f"Group {n}", "categories": ["A", "B"]} for n in range(3)]
    errors = refusal(partnership=make_partnership(), by_sex_and_age=True, dimensions=extra)
    assert errors == {"dimensions": ["An indicator has at most 4 disaggregations."]}


def test_the_target_date_comes_after_the_baseline_date(people):
    errors = refusal(
        partnership=make_partnership(),
        baseline_date=datetime.date(2027, 12, 31),
        target_date=datetime.date(2027, 12, 31),
    )
    assert errors == {
        "target_date": ["The target date must be after the baseline date (Dec. 31, 2027)."]
    }


def test_an_indicator_is_linked_to_something(people):
    errors = refusal(name=" ", unit="")
    assert errors == {
        "name": ["Give the indicator a name."],
        "unit": ["Give the unit the indicator counts in, such as people or m²."],
        "__all__": ["Link the indicator to a partnership, a commitment or a plan action."],
    }


def test_a_plan_actions_indicator_needs_no_partnership(people):
    plan_action = make_plan_action()
    indicator = make_indicator(None, plan_action=plan_action, by_sex_and_age=False)

    assert (indicator.plan_action, indicator.partnership) == (plan_action, None)
    assert Indicator.objects.count() == 1


# Changing the dimensions of an indicator with recorded values -------------------------------------


@pytest.fixture
def recorded(partnership):
    indicator = make_indicator(
        partnership, dimensions=[{"name": "Disability", "categories": ["Yes", "No"]}]
    )
    services.indicator_value_save(
        indicator=indicator,
        total=D("10"),
        parts=[cell("4", disability="yes"), cell("6", disability="no")],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    return indicator


def change(indicator, **changes):
    values = {
        "indicator": indicator,
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": indicator.baseline,
        "baseline_date": indicator.baseline_date,
        "target": indicator.target,
        "target_date": indicator.target_date,
        "partnership": indicator.partnership,
        "by_sex_and_age": True,
        **changes,
    }
    return services.indicator_save(**values)


def test_a_dimension_used_by_recorded_values_cannot_be_removed(recorded):
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        change(recorded, dimensions=[])
    assert refused.value.message_dict == {
        "dimensions": ["“Disability” is used by recorded values and cannot be removed."]
    }
    assert table_counts() == before


def test_a_category_used_by_recorded_values_cannot_be_removed(recorded):
    with pytest.raises(ValidationError) as refused:
        change(
            recorded,
            dimensions=[
                {"code": "disability", "name": "Disability", "categories": ["Yes", "Unknown"]}
            ],
        )
    assert refused.value.message_dict == {
        "dimensions": [
            "The category “No” of “Disability” is used by recorded values and cannot be removed."
        ]
    }


def test_unused_dimensions_may_be_removed_and_categories_added(recorded):
    change(
        recorded,
        by_sex_and_age=False,
        dimensions=[
            {
                "code": "disability",
                "name": "Disability status",
                "categories": ["yes", "No", "Unknown"],
            }
        ],
    )

    assert dimensions_of(recorded) == [
        ("disability", "Disability status", ["yes", "no", "unknown"])
    ]
    assert IndicatorDimension.objects.count() == 1
