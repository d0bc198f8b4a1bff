"""The completion forecast's arithmetic: the observed rate, its range, the dates, the deadline
and the capacity scenario, including the edge cases (no release, short history, nothing left)."""

import datetime

import pytest

from mineaction.landrelease.services.progress import forecast


def years(**totals):
    """released_by_year rows from y2021=5000 style keywords."""
    return [
        {"year": int(key[1:]), "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": value,
         "total_m2": value}
        for key, value in sorted(totals.items())
    ]  # fmt: skip


def test_no_release_gives_no_rate_and_no_dates():
    result = forecast([], as_of=datetime.date(2024, 6, 30), remaining_m2=50_000)
    assert result == {
        "rate_m2_per_year": 0,
        "rate_low_m2_per_year": 0,
        "rate_high_m2_per_year": 0,
        "basis_years": [],
        "completion_date": None,
        "completion_earliest": None,
        "completion_latest": None,
        "meets_deadline": None,
        "scenario": None,
    }


def test_only_the_last_three_complete_years_count():
    rows = years(y2019=90_000, y2020=1_000, y2021=2_000, y2022=3_000, y2023=6_000, y2024=50_000)
    result = forecast(rows, as_of=datetime.date(2024, 6, 30), remaining_m2=11_000)
    assert result["basis_years"] == [2021, 2022, 2023]
    assert result["rate_m2_per_year"] == round(11_000 / 3)
    assert (result["rate_low_m2_per_year"], result["rate_high_m2_per_year"]) == (2_000, 6_000)
    # 11,000 m² at 11,000 / 3 m² a year: exactly three years of 365.25 days, 1,095.75 -> 1,096.
    assert result["completion_date"] == datetime.date(2024, 6, 30) + datetime.timedelta(1_096)


def test_a_year_with_nothing_released_counts_as_zero_and_leaves_no_latest_date():
    rows = years(y2020=4_000, y2022=8_000)
    result = forecast(rows, as_of=datetime.date(2023, 3, 1), remaining_m2=4_000)
    assert result["basis_years"] == [2020, 2021, 2022]
    assert result["rate_m2_per_year"] == 4_000
    assert result["rate_low_m2_per_year"] == 0
    assert result["completion_date"] == datetime.date(2023, 3, 1) + datetime.timedelta(365)
    assert result["completion_earliest"] == datetime.date(2023, 3, 1) + datetime.timedelta(183)
    assert result["completion_latest"] is None


def test_a_shorter_history_uses_fewer_years():
    rows = years(y2022=3_000, y2023=5_000, y2024=1_000)
    result = forecast(rows, as_of=datetime.date(2024, 6, 30), remaining_m2=8_000)
    assert result["basis_years"] == [2022, 2023]
    assert result["rate_m2_per_year"] == 4_000
    # Two years of 365.25 days: 730.5, rounded to the even 730.
    assert result["completion_date"] == datetime.date(2024, 6, 30) + datetime.timedelta(730)


def test_the_last_day_of_the_year_completes_it():
    rows = years(y2023=1_000, y2024=2_000)
    assert forecast(rows, as_of=datetime.date(2024, 12, 31), remaining_m2=1)["basis_years"] == [
        2023,
        2024,
    ]
    assert forecast(rows, as_of=datetime.date(2024, 12, 30), remaining_m2=1)["basis_years"] == [
        2023
    ]


def test_without_a_complete_year_the_current_year_counts_pro_rata():
    # 1 January to 1 April 2024 is 92 days of a 366-day year.
    result = forecast(years(y2024=1_000), as_of=datetime.date(2024, 4, 1), remaining_m2=10_000)
    assert result["basis_years"] == [2024]
    rate = 1_000 * 366 / 92
    assert result["rate_m2_per_year"] == round(rate) == 3_978
    assert result["rate_low_m2_per_year"] == result["rate_high_m2_per_year"] == 3_978
    days = round(10_000 / rate * 365.25)
    assert result["completion_date"] == datetime.date(2024, 4, 1) + datetime.timedelta(days)
    assert result["completion_earliest"] == result["completion_latest"] == result["completion_date"]


def test_nothing_remaining_is_complete_on_the_date():
    result = forecast(years(y2022=5_000, y2023=5_000), as_of=datetime.date(2024, 2, 1),
                      remaining_m2=0, deadline=datetime.date(2025, 1, 1))  # fmt: skip
    assert result["completion_date"] == datetime.date(2024, 2, 1)
    assert result["completion_latest"] == datetime.date(2024, 2, 1)
    assert result["meets_deadline"] is True


@pytest.mark.parametrize(
    ("deadline", "meets"),
    [
        (datetime.date(2026, 6, 30), True),  # the completion date itself
        (datetime.date(2026, 6, 29), False),
        (None, None),
    ],
)
def test_meets_the_deadline_when_complete_on_or_before_it(deadline, meets):
    # 10,000 m² at 5,000 a year: 730.5 days, rounded to 730: 30 June 2026.
    result = forecast(years(y2023=5_000), as_of=datetime.date(2024, 6, 30),
                      remaining_m2=10_000, deadline=deadline)  # fmt: skip
    assert result["completion_date"] == datetime.date(2026, 6, 30)
    assert result["meets_deadline"] is meets


def test_the_scenario_multiplies_the_rate():
    rows = years(y2021=4_000, y2022=4_000, y2023=4_000)
    as_of, deadline = datetime.date(2024, 1, 1), datetime.date(2027, 1, 1)
    result = forecast(rows, as_of=as_of, remaining_m2=18_000, deadline=deadline,
                      capacity_change_percent=50)  # fmt: skip
    assert result["completion_date"] == as_of + datetime.timedelta(round(4.5 * 365.25))
    assert result["meets_deadline"] is False
    assert result["scenario"] == {
        "capacity_change_percent": 50,
        "rate_m2_per_year": 6_000,
        "completion_date": as_of + datetime.timedelta(round(3 * 365.25)),
        "meets_deadline": True,
    }
    cut = forecast(rows, as_of=as_of, remaining_m2=18_000, deadline=deadline,
                   capacity_change_percent=-25)["scenario"]  # fmt: skip
    assert cut["rate_m2_per_year"] == 3_000
    assert cut["completion_date"] == as_of + datetime.timedelta(round(6 * 365.25))


def test_a_scenario_that_stops_all_release_has_no_date():
    result = forecast(years(y2023=4_000), as_of=datetime.date(2024, 1, 1), remaining_m2=1_000,
                      deadline=datetime.date(2030, 1, 1), capacity_change_percent=-100)  # fmt: skip
    assert result["scenario"]["rate_m2_per_year"] == 0
    assert result["scenario"]["completion_date"] is None
    assert result["scenario"]["meets_deadline"] is None


def test_a_completion_beyond_the_calendar_has_no_date():
    result = forecast(years(y2023=1), as_of=datetime.date(2024, 1, 1), remaining_m2=10**12)
    assert result["rate_m2_per_year"] == 1
    assert result["completion_date"] is None
