"""The gap's totals reconcile in every direction, for any records: per donor, component and
region against the year, per year against the period, and against an independent sum."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mineaction.core.choices import Component
from mineaction.funding.models import Disbursement, FundingRequirement, PledgeStatus, PledgeYear
from mineaction.funding.services.gap import funding_gap
from mineaction.funding.services.money import load_rates, to_base
from mineaction.funding.tests.funding_support import (
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    make_region,
    make_requirement,
)

ZERO = Decimal("0.00")
MEASURES = ("requirement", "pledged", "committed", "disbursed", "gap")
DONOR_MEASURES = ("pledged", "committed", "disbursed")
YEARS = (2024, 2025, 2026, 2027)
CURRENCIES = ("USD", "EUR", "GBP")  # GBP has a rate for 2025 only: the rest is unconverted

money = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100)
components = st.sampled_from(["", *Component.values])
places = st.sampled_from([None, "north", "district", "south"])
requirements = st.tuples(
    st.sampled_from(YEARS), money, st.sampled_from(CURRENCIES), components, places
)
pledges = st.tuples(
    st.integers(min_value=0, max_value=2),  # donor
    money,
    st.sampled_from(CURRENCIES),
    st.sampled_from(YEARS),
    st.integers(min_value=0, max_value=3),  # extra years
    st.sampled_from(PledgeStatus.values),
    components,
    places,
)
disbursements = st.tuples(
    st.integers(min_value=0, max_value=2),
    st.sampled_from(YEARS),
    money,
    st.sampled_from(CURRENCIES),
    st.one_of(st.none(), st.integers(min_value=0, max_value=9)),  # the pledge disbursed
)


class Rollback(Exception):
    pass


@pytest.fixture
def setting(country):
    make_rate("EUR", 2024, "1.0712")
    make_rate("EUR", 2025, "1.08333333")
    make_rate("EUR", 2026, "0.97")
    make_rate("EUR", 2027, "1.125")
    make_rate("GBP", 2025, "1.2675")
    north = make_region("N1", "North")
    return {
        "donors": [make_donor("Alpha"), make_donor("Beta"), make_donor("Gamma")],
        "places": {
            None: None,
            "north": north,
            "district": make_region("N1-D1", "North district", parent=north),
            "south": make_region("S1", "South"),
        },
    }


def _create(setting, requirement_rows, pledge_rows, disbursement_rows):
    donors, places = setting["donors"], setting["places"]
    for year, amount, currency, component, place in requirement_rows:
        make_requirement(year, amount, currency, component=component, region=places[place])
    created = []
    for donor, amount, currency, first, extra, status, component, place in pledge_rows:
        created.append(
            make_pledge(
                donors[donor],
                amount,
                currency,
                first,
                first + extra,
                status=status,
                component=component,
                region=places[place],
            )
        )
    for donor, year, amount, currency, pledge_index in disbursement_rows:
        disbursed = created and pledge_index is not None
        pledge = created[pledge_index % len(created)] if disbursed else None
        make_disbursement(
            pledge.donor if pledge else donors[donor],
            datetime.date(year, 6, 30),
            amount,
            currency,
            pledge=pledge,
        )


def _sum(rows, measure, year_index=None):
    if year_index is None:
        return sum((row["total"][measure] for row in rows), ZERO)
    return sum((row["years"][year_index][measure] for row in rows), ZERO)


def _check(gap):
    years, totals = gap["years"], gap["totals"]
    for measure in MEASURES:
        assert sum((row[measure] for row in years), ZERO) == totals[measure]
        for breakdown in ("components", "regions"):
            rows = gap[breakdown]
            assert _sum(rows, measure) == totals[measure]
            for index, row in enumerate(years):
                assert _sum(rows, measure, index) == row[measure]
            for row in rows:
                assert sum((y[measure] for y in row["years"]), ZERO) == row["total"][measure]
    for measure in DONOR_MEASURES:
        assert _sum(gap["donors"], measure) == totals[measure]
        for index, row in enumerate(years):
            assert _sum(gap["donors"], measure, index) == row[measure]
        for row in gap["donors"]:
            assert sum((y[measure] for y in row["years"]), ZERO) == row["total"][measure]
    for row in [*years, *gap["components"], *gap["regions"]]:
        figures = row.get("total", row)
        assert figures["gap"] == figures["requirement"] - figures["pledged"]
        assert figures["committed"] <= figures["pledged"]


def _independent_totals():
    """The period's totals summed straight from the records, converted one by one (a pledge
    may run past the period: its later parts are not counted)."""
    rates = load_rates()
    totals = dict.fromkeys(("requirement", "pledged", "committed", "disbursed"), ZERO)
    unconverted = ZERO
    for requirement in FundingRequirement.objects.all():
        value = to_base(requirement.amount, requirement.currency, requirement.year, rates=rates)
        totals["requirement"] += value or ZERO
        unconverted += requirement.amount if value is None else ZERO
    for part in PledgeYear.objects.filter(year__lte=YEARS[-1]).select_related("pledge"):
        value = to_base(part.amount, part.pledge.currency, part.year, rates=rates)
        totals["pledged"] += value or ZERO
        if part.pledge.status != PledgeStatus.PLEDGED:
            totals["committed"] += value or ZERO
        unconverted += part.amount if value is None else ZERO
    for disbursement in Disbursement.objects.all():
        value = to_base(
            disbursement.amount, disbursement.currency, disbursement.disbursed_on.year, rates=rates
        )
        totals["disbursed"] += value or ZERO
        unconverted += disbursement.amount if value is None else ZERO
    return totals, unconverted


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    requirement_rows=st.lists(requirements, max_size=6),
    pledge_rows=st.lists(pledges, max_size=6),
    disbursement_rows=st.lists(disbursements, max_size=5),
)
def test_totals_reconcile_in_every_direction(
    setting, requirement_rows, pledge_rows, disbursement_rows
):
    try:
        with transaction.atomic():
            _create(setting, requirement_rows, pledge_rows, disbursement_rows)
            gap = funding_gap(first_year=2024, last_year=2027)
            _check(gap)
            expected, unconverted = _independent_totals()
            assert {m: gap["totals"][m] for m in expected} == expected
            assert sum((item["amount"] for item in gap["unconverted"]), ZERO) == unconverted
            for component_filter in ("", Component.TECHNICAL):
                _check(funding_gap(first_year=2024, last_year=2027, component=component_filter))
            _check(funding_gap(first_year=2024, last_year=2027, region=setting["places"]["north"]))
            raise Rollback
    except Rollback:
        pass
