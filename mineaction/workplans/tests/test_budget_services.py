"""services.budget: an activity's budget shared over the calendar years of its dates."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mineaction.core.choices import Component
from mineaction.workplans.models import ActivityStatus
from mineaction.workplans.services.budget import (
    days_by_year,
    planned_budget_by_year,
    split_by_year,
    totals_by_year_and_currency,
)
from mineaction.workplans.tests.factories import make_activity, make_plan

D = datetime.date


def test_days_by_year_counts_both_dates():
    assert days_by_year(D(2024, 12, 31), D(2025, 1, 1)) == {2024: 1, 2025: 1}
    assert days_by_year(D(2024, 1, 1), D(2024, 12, 31)) == {2024: 366}


def test_one_day_takes_the_whole_budget():
    assert split_by_year(Decimal("999.99"), D(2025, 6, 1), D(2025, 6, 1)) == {
        2025: Decimal("999.99")
    }


def test_a_leap_year_counts_its_366_days():
    # 1 July 2024 – 30 June 2025: 184 days in 2024, 181 in 2025, 365 in all.
    # 36 500.00 × 184 / 365 = 18 400.00; × 181 / 365 = 18 100.00.
    assert split_by_year(Decimal("36500.00"), D(2024, 7, 1), D(2025, 6, 30)) == {
        2024: Decimal("18400.00"),
        2025: Decimal("18100.00"),
    }


def test_a_whole_leap_year_and_one_day_of_the_next():
    # 367 days; 367.00 gives 1.00 a day: 366.00 in 2024 and 1.00 in 2025.
    assert split_by_year(Decimal("367.00"), D(2024, 1, 1), D(2025, 1, 1)) == {
        2024: Decimal("366.00"),
        2025: Decimal("1.00"),
    }


def test_three_years_share_the_cents_left_over_by_largest_remainder():
    # 1 December 2024 – 31 January 2026: 31 + 365 + 31 = 427 days; 100.00 = 10 000 cents.
    # Exact shares in cents: 725.995…, 8548.009…, 725.995…; whole cents 725 + 8548 + 725 =
    # 9998; the two cents left go to the largest remainders, 2024 and 2026.
    parts = split_by_year(Decimal("100.00"), D(2024, 12, 1), D(2026, 1, 31))
    assert parts == {2024: Decimal("7.26"), 2025: Decimal("85.48"), 2026: Decimal("7.26")}
    assert sum(parts.values()) == Decimal("100.00")


def test_a_cent_that_cannot_be_shared_goes_to_the_largest_remainder():
    # 0.01 over 1 day in 2024 and 2 days in 2025: 2025's share (2/3 cent) is the larger.
    assert split_by_year(Decimal("0.01"), D(2024, 12, 31), D(2025, 1, 2)) == {
        2024: Decimal("0.00"),
        2025: Decimal("0.01"),
    }


def test_equal_remainders_favour_the_earlier_year():
    # 0.01 over 1 day in each of two years: the earlier year takes the cent.
    assert split_by_year(Decimal("0.01"), D(2024, 12, 31), D(2025, 1, 1)) == {
        2024: Decimal("0.01"),
        2025: Decimal("0.00"),
    }


def test_three_years_with_remainders_to_distribute():
    # 1 000.00 over 2023-07-01 – 2025-06-30 (over the leap year 2024): 184 + 366 + 181 = 731
    # days, 100 000 cents. 100 000 × 184 / 731 = 25 170.998…; × 366 / 731 = 50 068.399…;
    # × 181 / 731 = 24 760.601…
    parts = split_by_year(Decimal("1000.00"), D(2023, 7, 1), D(2025, 6, 30))
    # Whole cents 25 170 + 50 068 + 24 760 = 99 998; remainders .998, .399, .602: the two
    # cents left go to 2023 and 2025.
    assert parts == {
        2023: Decimal("251.71"),
        2024: Decimal("500.68"),
        2025: Decimal("247.61"),
    }


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)),
    days=st.integers(min_value=0, max_value=4000),
    cents=st.integers(min_value=0, max_value=10**15),
)
def test_the_parts_always_add_up_exactly_to_the_budget(start, days, cents):
    budget = Decimal(cents) / 100
    end = start + datetime.timedelta(days=days)
    parts = split_by_year(budget, start, end)
    assert sum(parts.values()) == budget
    assert sorted(parts) == list(range(start.year, end.year + 1))
    assert all(part >= 0 and part == part.quantize(Decimal("0.01")) for part in parts.values())
    # Every part is within a cent of its exact share.
    total_days = days + 1
    for year, count in days_by_year(start, end).items():
        exact = budget * count / total_days
        assert abs(parts[year] - exact) < Decimal("0.01")


@pytest.mark.django_db
def test_planned_budget_sums_activities_by_year_currency_and_component(ngo_org):
    plan = make_plan()
    make_activity(
        plan,
        ngo_org,
        starts_on=D(2025, 7, 1),
        ends_on=D(2026, 6, 30),
        budget="365.00",
        currency="USD",
    )
    make_activity(
        plan,
        ngo_org,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
        budget="1000.00",
        currency="USD",
    )
    make_activity(
        plan,
        ngo_org,
        component=Component.POLITICAL,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 1, 31),
        budget="50.50",
        currency="EUR",
    )
    make_activity(plan, ngo_org, title="Without budget", budget=None)
    make_activity(
        plan, ngo_org, title="Cancelled", budget="9999.00", status=ActivityStatus.CANCELLED
    )
    rows = planned_budget_by_year()
    assert rows == [
        {"year": 2025, "currency": "USD", "component": "technical", "amount": Decimal("1184.00")},
        {"year": 2026, "currency": "EUR", "component": "political", "amount": Decimal("50.50")},
        {"year": 2026, "currency": "USD", "component": "technical", "amount": Decimal("181.00")},
    ]
    assert totals_by_year_and_currency(rows) == [
        {"year": 2025, "currency": "USD", "amount": Decimal("1184.00")},
        {"year": 2026, "currency": "EUR", "amount": Decimal("50.50")},
        {"year": 2026, "currency": "USD", "amount": Decimal("181.00")},
    ]
    # A list of activities gives the same rows as a queryset.
    assert planned_budget_by_year(list(plan.activities.all())) == rows
    assert planned_budget_by_year(plan.activities.filter(currency="EUR")) == [rows[1]]
