"""Planned budget per calendar year: what the work plans ask for, year by year.

An activity's budget is shared over the calendar years of its dates in proportion to the days
it runs in each (both dates count). The shares are in cents and always add up exactly to the
budget: each year gets the whole cents of its share, and the cents left over go to the years
whose shares lost the most in that rounding (largest remainder; the earlier year on a tie).
Cancelled activities and activities without a budget ask for nothing.

The funding requirement reads `planned_budget_by_year`; keep its signature and its rows.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from mineaction.core.choices import Component
from mineaction.workplans.models import Activity, ActivityStatus

CENT = Decimal("0.01")


def days_by_year(starts_on, ends_on):
    """{year: days of [starts_on, ends_on] in that year}, both dates included."""
    days = {}
    for year in range(starts_on.year, ends_on.year + 1):
        first = max(starts_on, datetime.date(year, 1, 1))
        last = min(ends_on, datetime.date(year, 12, 31))
        days[year] = (last - first).days + 1
    return days


def split_by_year(budget, starts_on, ends_on):
    """{year: Decimal amount with cents}: `budget` shared over the years of the dates in
    proportion to the days in each; the amounts add up exactly to the budget (in cents)."""
    days = days_by_year(starts_on, ends_on)
    total_days = sum(days.values())
    cents = int((Decimal(budget) / CENT).to_integral_value())
    whole = {year: cents * count // total_days for year, count in days.items()}
    remainders = {year: cents * count % total_days for year, count in days.items()}
    left_over = cents - sum(whole.values())
    for year in sorted(days, key=lambda y: (-remainders[y], y))[:left_over]:
        whole[year] += 1
    return {year: Decimal(amount) * CENT for year, amount in whole.items()}


def _counted(activities):
    """The activities that ask for money: not cancelled, with a budget."""
    if activities is None:
        activities = Activity.objects.all()
    if hasattr(activities, "filter"):
        return activities.exclude(status=ActivityStatus.CANCELLED).filter(budget__isnull=False)
    return [
        activity
        for activity in activities
        if activity.status != ActivityStatus.CANCELLED and activity.budget is not None
    ]


def planned_budget_by_year(activities=None):
    """[{"year", "currency", "component", "amount"}] summed over `activities` (a queryset or a
    list; every activity when None), sorted by year, currency and component. `amount` is a
    Decimal with cents; an activity's yearly parts add up exactly to its budget."""
    totals = defaultdict(Decimal)
    for activity in _counted(activities):
        parts = split_by_year(activity.budget, activity.starts_on, activity.ends_on)
        for year, amount in parts.items():
            totals[(year, activity.currency, activity.component)] += amount
    return [
        {"year": year, "currency": currency, "component": component, "amount": amount}
        for (year, currency, component), amount in sorted(totals.items())
    ]


def totals_by_year_and_currency(rows):
    """[{"year", "currency", "amount"}]: the rows of `planned_budget_by_year` summed over the
    components."""
    totals = defaultdict(Decimal)
    for row in rows:
        totals[(row["year"], row["currency"])] += row["amount"]
    return [
        {"year": year, "currency": currency, "amount": amount}
        for (year, currency), amount in sorted(totals.items())
    ]


def budget_table(rows):
    """The rows of `planned_budget_by_year` as a table: (components present, lines), a line
    per year and currency with the amount of each component (None when nothing) and the total."""
    components = sorted({row["component"] for row in rows}, key=_component_order)
    lines = {}
    for row in rows:
        line = lines.setdefault(
            (row["year"], row["currency"]),
            {
                "year": row["year"],
                "currency": row["currency"],
                "amounts": dict.fromkeys(components),
                "total": Decimal("0.00"),
            },
        )
        line["amounts"][row["component"]] = row["amount"]
        line["total"] += row["amount"]
    table = []
    for line in lines.values():
        table.append({**line, "amounts": [line["amounts"][c] for c in components]})
    return components, table


def _component_order(value):
    values = list(Component.values)
    return values.index(value) if value in values else len(values)
