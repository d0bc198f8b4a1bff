"""The funding gap's figures, computed by hand: requirement, pledged, committed, disbursed and
gap per year, donor, component and region, with the amounts that have no rate left out."""

import datetime
from decimal import Decimal

import pytest

from mineaction.core.choices import Component
from mineaction.funding.models import PledgeStatus
from mineaction.funding.services.gap import funding_gap, gap_json
from mineaction.funding.tests.funding_support import (
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    make_region,
    make_requirement,
)

D = Decimal


@pytest.fixture
def records(country):
    """Rates EUR 2025 1.10 and 2026 1.20, none for 2027; a province with a district, and:
    - requirements: 2025 USD 1,000,000 (all, national) and USD 200,000 (technical, north);
      2026 EUR 500,000 (participation) = USD 600,000; 2027 EUR 100,000 (no rate);
    - Alpha: USD 300,000 pledged over 2025–2026, not earmarked; EUR 90,000 pledged for 2027
      (no rate); USD 10,000 disbursed in 2026 without a pledge;
    - Beta: EUR 200,000 committed over 2025–2026 for technical work in a northern district
      (USD 110,000 and 120,000), of which EUR 50,000 disbursed in May 2025 (USD 55,000)."""
    make_rate("EUR", 2025, "1.10")
    make_rate("EUR", 2026, "1.20")
    north = make_region("N1", "North")
    district = make_region("N1-D1", "North district", parent=north)
    make_requirement(2025, "1000000.00")
    make_requirement(2025, "200000.00", component=Component.TECHNICAL, region=north)
    make_requirement(2026, "500000.00", "EUR", component=Component.PARTICIPATION)
    make_requirement(2027, "100000.00", "EUR")
    alpha, beta = make_donor("Alpha"), make_donor("Beta")
    make_pledge(alpha, "300000.00", "USD", 2025, 2026)
    make_pledge(alpha, "90000.00", "EUR", 2027, 2027)
    make_disbursement(alpha, datetime.date(2026, 2, 1), "10000.00", "USD")
    pledge = make_pledge(
        beta,
        "200000.00",
        "EUR",
        2025,
        2026,
        status=PledgeStatus.COMMITTED,
        component=Component.TECHNICAL,
        region=district,
    )
    make_disbursement(beta, datetime.date(2025, 5, 1), "50000.00", "EUR", pledge=pledge)
    return {"alpha": alpha, "beta": beta, "north": north, "district": district}


def figures(requirement, pledged, committed, disbursed, gap):
    return {
        "requirement": D(requirement),
        "pledged": D(pledged),
        "committed": D(committed),
        "disbursed": D(disbursed),
        "gap": D(gap),
    }


def donor_figures(pledged, committed, disbursed):
    return {"pledged": D(pledged), "committed": D(committed), "disbursed": D(disbursed)}


ZERO = figures(0, 0, 0, 0, 0)


def test_the_gap_per_year_follows_the_definitions(records):
    gap = funding_gap()
    assert gap["base_currency"] == "USD"
    assert (gap["first_year"], gap["last_year"]) == (2025, 2027)
    assert gap["years"] == [
        {"year": 2025, **figures("1200000.00", "260000.00", "110000.00", "55000.00", "940000.00")},
        {"year": 2026, **figures("600000.00", "270000.00", "120000.00", "10000.00", "330000.00")},
        {"year": 2027, **ZERO},
    ]
    assert gap["totals"] == figures(
        "1800000.00", "530000.00", "230000.00", "65000.00", "1270000.00"
    )


def test_amounts_without_a_rate_are_listed_and_left_out(records):
    assert funding_gap()["unconverted"] == [
        {"what": "pledge", "currency": "EUR", "year": 2027, "amount": D("90000.00")},
        {"what": "requirement", "currency": "EUR", "year": 2027, "amount": D("100000.00")},
    ]


def test_the_gap_per_donor_and_year(records):
    donors = funding_gap()["donors"]
    assert [row["donor"] for row in donors] == [records["alpha"], records["beta"]]
    alpha, beta = donors
    assert alpha["years"] == [
        {"year": 2025, **donor_figures("150000.00", 0, 0)},
        {"year": 2026, **donor_figures("150000.00", 0, "10000.00")},
        {"year": 2027, **donor_figures(0, 0, 0)},
    ]
    assert alpha["total"] == donor_figures("300000.00", 0, "10000.00")
    assert beta["years"] == [
        {"year": 2025, **donor_figures("110000.00", "110000.00", "55000.00")},
        {"year": 2026, **donor_figures("120000.00", "120000.00", 0)},
        {"year": 2027, **donor_figures(0, 0, 0)},
    ]
    assert beta["total"] == donor_figures("230000.00", "230000.00", "55000.00")


def test_the_gap_per_component_keeps_the_unearmarked_money_as_its_own_row(records):
    components = {row["component"]: row for row in funding_gap()["components"]}
    assert list(components) == [Component.TECHNICAL, Component.PARTICIPATION, ""]
    assert components[Component.TECHNICAL]["years"][:2] == [
        {"year": 2025, **figures("200000.00", "110000.00", "110000.00", "55000.00", "90000.00")},
        {"year": 2026, **figures(0, "120000.00", "120000.00", 0, "-120000.00")},
    ]
    assert components[Component.PARTICIPATION]["total"] == figures(
        "600000.00", 0, 0, 0, "600000.00"
    )
    assert components[""]["label"] == "Not earmarked (all components)"
    assert components[""]["total"] == figures("1000000.00", "300000.00", 0, "10000.00", "700000.00")


def test_the_gap_per_region_counts_a_district_in_its_province_and_keeps_national_apart(
    records,
):
    regions = funding_gap()["regions"]
    assert [(row["region"], row["code"]) for row in regions] == [
        (records["north"], "N1"),
        (None, ""),
    ]
    north, national = regions
    assert north["total"] == figures("200000.00", "230000.00", "230000.00", "55000.00", "-30000.00")
    assert national["total"] == figures("1600000.00", "300000.00", 0, "10000.00", "1300000.00")


def test_filters_keep_only_what_is_earmarked_for_the_component_or_region(records):
    technical = funding_gap(component=Component.TECHNICAL)
    assert technical["totals"] == figures(
        "200000.00", "230000.00", "230000.00", "55000.00", "-30000.00"
    )
    assert [row["donor"] for row in technical["donors"]] == [records["beta"]]
    unearmarked = funding_gap(component="")
    assert unearmarked["totals"] == figures("1000000.00", "300000.00", 0, "10000.00", "700000.00")
    in_district = funding_gap(region=records["district"])
    assert in_district["totals"] == figures(0, "230000.00", "230000.00", "55000.00", "-230000.00")
    assert funding_gap(region=records["north"])["totals"] == technical["totals"]


def test_the_period_limits_every_figure(records):
    gap = funding_gap(first_year=2026, last_year=2026)
    assert gap["years"] == [
        {"year": 2026, **figures("600000.00", "270000.00", "120000.00", "10000.00", "330000.00")}
    ]
    assert gap["unconverted"] == []
    only_first = funding_gap(first_year=2027)
    assert (only_first["first_year"], only_first["last_year"]) == (2027, 2027)
    assert funding_gap(last_year=2025)["first_year"] == 2025


def test_without_records_the_period_is_this_year(country):
    gap = funding_gap(today=datetime.date(2031, 6, 1))
    assert gap["years"] == [{"year": 2031, **ZERO}]
    assert gap["donors"] == gap["components"] == gap["regions"] == gap["unconverted"] == []


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)
    else:
        yield node


def test_the_figures_are_decimals_and_the_json_holds_decimal_strings(records):
    gap = funding_gap()
    assert not any(isinstance(value, float) for value in _values(gap))
    as_json = gap_json(gap)
    assert not any(isinstance(value, float) for value in _values(as_json))
    assert as_json["years"][0] == {
        "year": 2025,
        "requirement": "1200000.00",
        "pledged": "260000.00",
        "committed": "110000.00",
        "disbursed": "55000.00",
        "gap": "940000.00",
    }
    assert as_json["donors"][0]["donor"]["name"] == "Alpha"
    assert as_json["regions"][-1] == {
        "region": None,
        "label": "National (no region)",
        "years": as_json["regions"][-1]["years"],
        "total": {
            "requirement": "1600000.00",
            "pledged": "300000.00",
            "committed": "0.00",
            "disbursed": "10000.00",
            "gap": "1300000.00",
        },
    }
    assert as_json["unconverted"][0] == {
        "what": "pledge",
        "currency": "EUR",
        "year": 2027,
        "amount": "90000.00",
    }
