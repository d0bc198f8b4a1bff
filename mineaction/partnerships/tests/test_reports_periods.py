"""Reporting periods: they follow the partnership's frequency from its start date, the last one
is cut at its end, and each report is due a set number of days after its period."""

import datetime

import pytest

from mineaction.partnerships.services.reports import add_months, available_periods, report_periods
from mineaction.partnerships.tests.reports_support import make_partnership, make_report

d = datetime.date


@pytest.fixture
def state(people):
    return people


def spans(periods):
    return [(p.start, p.end, p.due_on) for p in periods]


def test_quarters_run_from_a_mid_month_start(state):
    partnership = make_partnership(
        starts_on=d(2024, 2, 15), ends_on=d(2025, 2, 14), frequency="quarterly", due_days=30
    )

    assert spans(report_periods(partnership)) == [
        (d(2024, 2, 15), d(2024, 5, 14), d(2024, 6, 13)),
        (d(2024, 5, 15), d(2024, 8, 14), d(2024, 9, 13)),
        (d(2024, 8, 15), d(2024, 11, 14), d(2024, 12, 14)),
        (d(2024, 11, 15), d(2025, 2, 14), d(2025, 3, 16)),
    ]


def test_a_partnership_ending_mid_period_cuts_the_last_period(state):
    partnership = make_partnership(
        starts_on=d(2024, 1, 1), ends_on=d(2025, 3, 20), frequency="half_yearly", due_days=45
    )

    assert spans(report_periods(partnership)) == [
        (d(2024, 1, 1), d(2024, 6, 30), d(2024, 8, 14)),
        (d(2024, 7, 1), d(2024, 12, 31), d(2025, 2, 14)),
        (d(2025, 1, 1), d(2025, 3, 20), d(2025, 5, 4)),
    ]


def test_yearly_periods(state):
    partnership = make_partnership(
        starts_on=d(2024, 4, 1), ends_on=d(2026, 3, 31), frequency="yearly", due_days=60
    )

    assert spans(report_periods(partnership)) == [
        (d(2024, 4, 1), d(2025, 3, 31), d(2025, 5, 30)),
        (d(2025, 4, 1), d(2026, 3, 31), d(2026, 5, 30)),
    ]


def test_a_start_on_the_31st_does_not_drift_through_short_months(state):
    partnership = make_partnership(
        starts_on=d(2024, 1, 31), ends_on=d(2024, 12, 31), frequency="quarterly", due_days=10
    )

    assert [(p.start, p.end) for p in report_periods(partnership)] == [
        (d(2024, 1, 31), d(2024, 4, 29)),
        (d(2024, 4, 30), d(2024, 7, 30)),
        (d(2024, 7, 31), d(2024, 10, 30)),
        (d(2024, 10, 31), d(2024, 12, 31)),
    ]


def test_until_keeps_the_periods_begun_by_that_day(state):
    partnership = make_partnership(frequency="quarterly")

    periods = report_periods(partnership, until=d(2024, 7, 1))

    assert [p.start for p in periods] == [d(2024, 1, 1), d(2024, 4, 1), d(2024, 7, 1)]


def test_a_period_with_a_report_is_no_longer_available(state):
    partnership = make_partnership(frequency="half_yearly")
    make_report(partnership, d(2024, 1, 1), d(2024, 6, 30))

    periods = available_periods(partnership, today=d(2025, 1, 5))

    assert [p.start for p in periods] == [d(2024, 7, 1), d(2025, 1, 1)]


def test_add_months_keeps_the_last_day_of_the_month():
    assert add_months(d(2024, 1, 31), 1) == d(2024, 2, 29)
    assert add_months(d(2023, 1, 31), 1) == d(2023, 2, 28)
    assert add_months(d(2024, 11, 15), 3) == d(2025, 2, 15)
