"""Money arithmetic: Decimal only, cents exact, equal splits over the years, conversion by year."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mineaction.funding.services.money import (
    Rates,
    as_decimal,
    cents,
    clean_split,
    format_amount,
    load_rates,
    split_over_years,
    to_base,
)
from mineaction.funding.tests.funding_support import make_rate

# Amounts in cents up to a thousand billion, as the decimal strings people and files give.
amounts = st.integers(min_value=0, max_value=10**14).map(lambda c: Decimal(c) / 100)
spans = st.tuples(
    st.integers(min_value=1990, max_value=2080), st.integers(min_value=1, max_value=30)
)


def test_floats_are_refused_everywhere_money_enters():
    with pytest.raises(TypeError):
        as_decimal(0.1)
    with pytest.raises(TypeError):
        cents(0.1)
    with pytest.raises(TypeError):
        split_over_years(0.3, 2025, 2027)
    with pytest.raises(TypeError):
        to_base(0.1, "EUR", 2025, rates=Rates("USD", {("EUR", 2025): Decimal("1.1")}))


def test_tenths_given_as_strings_add_up_exactly():
    assert as_decimal("0.1") + as_decimal("0.2") == Decimal("0.3")
    assert cents("0.1") + cents("0.2") == cents("0.3")
    # The classic float failure, for contrast: 0.1 + 0.2 is not 0.3 in binary.
    assert 0.1 + 0.2 != 0.3
    split = clean_split(
        amount="0.30", first_year=2025, last_year=2026, years={2025: "0.1", 2026: "0.2"}
    )
    assert split == {2025: Decimal("0.10"), 2026: Decimal("0.20")}
    assert all(type(part) is Decimal for part in split.values())


def test_cents_round_half_up_and_format_with_two_decimals():
    assert cents("2.345") == Decimal("2.35")
    assert cents("2.344") == Decimal("2.34")
    assert cents(7) == Decimal("7.00")
    assert format_amount(Decimal("1234567.5")) == "1234567.50"


def test_an_amount_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        as_decimal("twelve")


def test_equal_split_gives_the_remaining_cents_to_the_first_years():
    assert split_over_years(Decimal("100.00"), 2025, 2027) == {
        2025: Decimal("33.34"),
        2026: Decimal("33.33"),
        2027: Decimal("33.33"),
    }
    assert split_over_years("100.02", 2025, 2028) == {
        2025: Decimal("25.01"),
        2026: Decimal("25.01"),
        2027: Decimal("25.00"),
        2028: Decimal("25.00"),
    }
    assert split_over_years("0.02", 2025, 2027) == {
        2025: Decimal("0.01"),
        2026: Decimal("0.01"),
        2027: Decimal("0.00"),
    }
    assert split_over_years(5, 2026, 2026) == {2026: Decimal("5.00")}


def test_a_split_over_years_in_the_wrong_order_is_refused():
    with pytest.raises(ValueError):
        split_over_years("10.00", 2027, 2025)


@given(amount=amounts, span=spans)
def test_equal_split_parts_add_up_exactly_for_any_amount_and_span(amount, span):
    first_year, count = span
    split = split_over_years(amount, first_year, first_year + count - 1)
    parts = list(split.values())
    assert list(split) == list(range(first_year, first_year + count))
    assert sum(parts, Decimal("0.00")) == amount
    assert all(type(part) is Decimal and part == part.quantize(Decimal("0.01")) for part in parts)
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert parts == sorted(parts, reverse=True)


def test_conversion_uses_the_rate_of_each_year(db):
    """A EUR pledge of 1,000,000.00 over 2025–2027 at three yearly rates, by hand:
    333,333.34 × 1.08 = 360,000.0072 → 360,000.01; 333,333.33 × 1.10 = 366,666.663 →
    366,666.66; 333,333.33 × 1.125 = 374,999.99625 → 375,000.00; together 1,101,666.67."""
    make_rate("EUR", 2025, "1.08")
    make_rate("EUR", 2026, "1.10")
    make_rate("EUR", 2027, "1.125")
    rates = load_rates(base="USD")
    split = split_over_years(Decimal("1000000.00"), 2025, 2027)
    converted = {year: to_base(part, "EUR", year, rates=rates) for year, part in split.items()}
    assert converted == {
        2025: Decimal("360000.01"),
        2026: Decimal("366666.66"),
        2027: Decimal("375000.00"),
    }
    assert sum(converted.values()) == Decimal("1101666.67")
    assert all(type(value) is Decimal for value in converted.values())


def test_the_base_currency_counts_at_one_and_needs_no_rate(db):
    rates = load_rates(base="USD")
    assert to_base("1234.565", "USD", 2031, rates=rates) == Decimal("1234.57")


def test_a_missing_rate_converts_to_nothing_rather_than_a_guess(db):
    make_rate("EUR", 2025, "1.08")
    rates = load_rates(base="USD")
    assert to_base("100.00", "EUR", 2026, rates=rates) is None
    assert to_base("100.00", "GBP", 2025, rates=rates) is None
    assert to_base("100.00", "EUR", 2025, rates=rates) == Decimal("108.00")


def test_without_rates_given_the_year_is_read_from_the_database(country):
    make_rate("EUR", 2025, "1.5")
    assert to_base("10.00", "EUR", 2025) == Decimal("15.00")
    assert to_base("10.00", "EUR", 2024) is None
    assert to_base("10.00", "USD", 2024) == Decimal("10.00")


def test_a_plain_mapping_of_rates_converts_to_the_country_base_currency(country):
    rates = {("EUR", 2025): Decimal("2")}
    assert to_base("3.00", "EUR", 2025, rates=rates) == Decimal("6.00")
    assert to_base("3.00", "USD", 2025, rates=rates) == Decimal("3.00")
