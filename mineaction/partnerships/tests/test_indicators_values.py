"""Indicator values and their disaggregation: totals equal the sum of their parts exactly,
partial breakdowns are allowed and shown as such, and a breakdown that contradicts its total is
refused with a message naming both figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mineaction.partnerships.models import IndicatorDimension, IndicatorValue, IndicatorValuePart
from mineaction.partnerships.services import indicators as services
from mineaction.partnerships.tests.reports_support import (
    D,
    cell,
    make_indicator,
    make_partnership,
    make_report,
    sex_age_parts,
    table_counts,
)

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def indicator(partnership):
    return make_indicator(partnership)


def save(indicator, total, parts, **extra):
    return services.indicator_value_save(
        indicator=indicator,
        total=D(total) if isinstance(total, str) else total,
        parts=parts,
        period_start=extra.pop("period_start", START),
        period_end=extra.pop("period_end", END),
        **extra,
    )


def refusal(indicator, total, parts, **extra):
    """The messages of a refused value; nothing may have been written."""
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        save(indicator, total, parts, **extra)
    assert table_counts() == before
    return refused.value.messages


# Complete breakdowns ---------------------------------------------------------------------------


def test_a_complete_sex_and_age_breakdown_that_adds_up_is_recorded(indicator):
    value = save(indicator, "100", sex_age_parts([["10", "30", "5"], ["12", "38", "5"]]))

    assert value.total == D("100")
    assert value.parts.count() == 6
    breakdown = services.value_breakdown(value, services.indicator_dimensions(indicator))
    assert breakdown.status == "full"
    assert [d.code for d in breakdown.dimensions] == ["sex", "age"]
    assert (breakdown.cells, breakdown.given, breakdown.covered) == (6, 6, D("100"))
    assert breakdown.share == D("1.0000")


def test_a_complete_breakdown_that_contradicts_the_total_is_refused_naming_both_figures(
    indicator,
):
    parts = sex_age_parts([["10", "30", "5"], ["12", "38", "25"]])  # 120

    assert refusal(indicator, "100", parts) == ["The parts add up to 120 but the total is 100."]


def test_parts_short_of_the_total_are_refused_when_every_cell_is_given(indicator):
    parts = sex_age_parts([["10", "30", "5"], ["12", "38", "4.5"]])  # 99.5

    assert refusal(indicator, "100", parts) == ["The parts add up to 99.5 but the total is 100."]


def test_a_breakdown_by_sex_only_is_complete_when_both_sexes_are_given(indicator):
    value = save(indicator, "100", [cell("60", sex="female"), cell("40", sex="male")])

    breakdown = services.value_breakdown(value, services.indicator_dimensions(indicator))
    assert breakdown.status == "full"
    assert breakdown.names() == ["Sex"]
    assert services.value_cells(value, services.indicator_dimensions(indicator)) == [
        ("Female", D("60")),
        ("Male", D("40")),
    ]


def test_decimal_parts_add_up_exactly_without_floating_point_error(indicator):
    parts = sex_age_parts([["0.1", "0.2", "0"], ["0", "0", "0"]])

    value = save(indicator, "0.3", parts)

    assert value.total == D("0.30")


def test_a_subset_of_user_defined_and_standard_dimensions_may_be_used(partnership):
    indicator = make_indicator(
        partnership,
        dimensions=[{"name": "Disability", "categories": ["With a disability", "Without"]}],
    )
    parts = [
        cell("5", sex="female", disability="with_a_disability"),
        cell("45", sex="female", disability="without"),
        cell("10", sex="male", disability="with_a_disability"),
        cell("40", sex="male", disability="without"),
    ]
    value = save(indicator, "100", parts)

    breakdown = services.value_breakdown(value, services.indicator_dimensions(indicator))
    assert (breakdown.status, breakdown.names()) == ("full", ["Sex", "Disability"])


# Partial breakdowns ----------------------------------------------------------------------------


def test_a_partial_breakdown_is_recorded_and_marked_partial_with_its_share(indicator):
    parts = [
        cell("20", sex="female", age="under_18"),
        cell("30", sex="female", age="18_59"),
        cell("10", sex="male", age="under_18"),
        cell("20", sex="male", age="18_59"),
    ]
    value = save(indicator, "100", parts)

    breakdown = services.value_breakdown(value, services.indicator_dimensions(indicator))
    assert breakdown.status == "partial"
    assert (breakdown.cells, breakdown.given, breakdown.covered) == (6, 4, D("80"))
    assert (breakdown.share, breakdown.percent) == (D("0.8000"), D("80.0"))


def test_a_partial_breakdown_may_not_exceed_the_total(indicator):
    parts = [cell("70", sex="female", age="under_18"), cell("50", sex="male", age="18_59")]

    assert refusal(indicator, "100", parts) == [
        "The parts given add up to 120, more than the total of 100."
    ]


def test_a_partial_breakdown_of_a_zero_total_has_no_share(indicator):
    value = save(indicator, "0", [cell("0", sex="female")])

    breakdown = services.value_breakdown(value, services.indicator_dimensions(indicator))
    assert (breakdown.status, breakdown.share, breakdown.percent) == ("partial", None, None)


# Refused breakdowns ----------------------------------------------------------------------------


def test_an_unknown_category_is_refused(indicator):
    assert refusal(indicator, "10", [cell("10", sex="other")]) == [
        "“other” is not a category of “Sex”."
    ]


def test_an_unknown_dimension_is_refused(indicator):
    assert refusal(indicator, "10", [cell("10", disability="yes")]) == [
        "“disability” is not a disaggregation of this indicator."
    ]


def test_cells_with_different_dimension_sets_are_refused(indicator):
    parts = [cell("5", sex="female"), cell("5", sex="male", age="under_18")]

    assert refusal(indicator, "10", parts) == [
        "Every cell of a breakdown must use the same disaggregations."
    ]


def test_a_cell_given_twice_is_refused(indicator):
    parts = [cell("5", sex="female", age="under_18"), cell("5", age="under_18", sex="female")]

    assert refusal(indicator, "10", parts) == ["The cell “Female, Under 18” is given twice."]


def test_a_negative_amount_is_refused(indicator):
    parts = [cell("-5", sex="female", age="under_18")]

    assert refusal(indicator, "10", parts) == [
        "The amount for Female, Under 18 cannot be negative."
    ]


def test_a_negative_total_is_refused(indicator):
    assert refusal(indicator, "-1", []) == ["The total cannot be negative."]


def test_more_than_two_decimals_are_refused(indicator):
    assert refusal(indicator, "1.005", []) == ["The total has more than two decimals."]
    assert refusal(indicator, "1", [cell("0.001", sex="female")]) == [
        "The amount for Female has more than two decimals."
    ]


def test_a_cell_without_categories_is_refused(indicator):
    assert refusal(indicator, "1", [{"categories": {}, "amount": D("1")}]) == [
        "Each cell of a breakdown names a category for at least one disaggregation."
    ]


def test_a_float_is_a_programming_error_not_a_value(indicator):
    with pytest.raises(TypeError, match="must be a Decimal"):
        save(indicator, 100.0, [])
    with pytest.raises(TypeError, match="must be a Decimal"):
        save(indicator, D("1"), [{"categories": {"sex": "female"}, "amount": 1.0}])


def test_an_indicator_without_disaggregation_takes_a_total_only(partnership):
    indicator = make_indicator(partnership, by_sex_and_age=False)

    assert refusal(indicator, "10", [cell("10", sex="female")]) == [
        "This indicator has no disaggregation: give the total only."
    ]
    assert save(indicator, "10", []).total == D("10")


def test_every_problem_is_reported_at_once(indicator):
    parts = [cell("-1", sex="female"), cell("2", sex="unknown")]

    assert refusal(indicator, "10", parts) == [
        "The amount for Female cannot be negative.",
        "“unknown” is not a category of “Sex”.",
    ]


# Where a value belongs ---------------------------------------------------------------------------


def test_a_direct_value_of_the_same_period_replaces_the_earlier_one(indicator):
    first = save(indicator, "100", [cell("60", sex="female"), cell("40", sex="male")])
    second = save(indicator, "90", [cell("50", sex="female", age="under_18")], note=" Revised ")

    assert second.pk == first.pk
    assert IndicatorValue.objects.count() == 1
    second.refresh_from_db()
    assert (second.total, second.note) == (D("90.00"), "Revised")
    assert list(IndicatorValuePart.objects.values_list("categories", "amount")) == [
        ({"sex": "female", "age": "under_18"}, D("50.00"))
    ]


def test_a_submitted_report_takes_no_value(partnership, indicator):
    report = make_report(partnership, START, END, submitted=True)

    messages = refusal(indicator, "10", [], progress_report=report)

    assert messages == [
        "This report was submitted on July 10, 2024 and is locked. To change it, start a "
        "correction."
    ]


def test_a_report_takes_values_of_its_own_partnership_only(partnership):
    other = make_partnership("Victim assistance partnership")
    indicator = make_indicator(other)
    report = make_report(partnership, START, END)

    assert refusal(indicator, "10", [], progress_report=report) == [
        "“People reached” is not an indicator of this partnership."
    ]


def test_a_period_must_end_after_it_starts(indicator):
    assert refusal(indicator, "10", [], period_start=END, period_end=START) == [
        "The period must end after it starts."
    ]


# Properties of the breakdown ---------------------------------------------------------------------


def _standard_dimensions():
    return [
        IndicatorDimension(code=d["code"], name=d["name"], order=order, categories=d["categories"])
        for order, d in enumerate(services.STANDARD_DIMENSIONS, start=1)
    ]


def _plain(value):
    """A Decimal as the messages show it in English: no trailing zeros, no exponent."""
    return format(value.normalize(), "f")


@st.composite
def complete_breakdowns(draw):
    """A total in cents and six cells of sex × age band that add up to it exactly."""
    total = draw(st.integers(min_value=0, max_value=10**12))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=5, max_size=5)))
    bounds = [0, *cuts, total]
    amounts = [bounds[i + 1] - bounds[i] for i in range(6)]
    return total, amounts


def _cells(amounts):
    rows = [[Decimal(a) / 100 for a in amounts[:3]], [Decimal(a) / 100 for a in amounts[3:]]]
    return [
        {"categories": part["categories"], "amount": amount}
        for part, amount in zip(
            sex_age_parts([["0"] * 3, ["0"] * 3]), [a for row in rows for a in row], strict=True
        )
    ]


@given(complete_breakdowns())
def test_any_complete_breakdown_of_a_total_is_accepted(breakdown):
    total, amounts = breakdown
    problems, result = services.breakdown_problems(
        _standard_dimensions(), Decimal(total) / 100, _cells(amounts)
    )
    assert problems == []
    assert (result.status, result.covered) == ("full", Decimal(total) / 100)


@given(
    complete_breakdowns(),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=-(10**9), max_value=10**9).filter(bool),
)
def test_changing_any_one_cell_of_a_complete_breakdown_is_refused(breakdown, position, change):
    total, amounts = breakdown
    amounts[position] += change
    problems, result = services.breakdown_problems(
        _standard_dimensions(), Decimal(total) / 100, _cells(amounts)
    )
    assert result is None
    if amounts[position] < 0:
        assert len(problems) == 1 and str(problems[0]).endswith("cannot be negative.")
    else:
        parts = Decimal(sum(amounts)) / 100
        assert [str(p) for p in problems] == [
            f"The parts add up to {_plain(parts)} but the total is {_plain(Decimal(total) / 100)}."
        ]
