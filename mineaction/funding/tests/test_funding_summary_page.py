"""The funding gap page: cards, charts with their data tables, the tables per year, donor,
component and region, the warning for amounts without a rate, the JSON twin and the XLSX
workbook."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.funding.models import PledgeStatus
from mineaction.funding.services.gap import funding_gap, gap_json
from mineaction.funding.tests.funding_support import (
    LOGIN,
    READERS,
    assert_outcome,
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    make_region,
    make_requirement,
    queries_for,
    text_of,
)

URL = reverse("funding:funding_summary")
ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 200)


@pytest.fixture
def records(people, donor_org):
    make_rate("EUR", 2025, "1.10")
    north = make_region("N1", "North")
    make_requirement(2025, "1000.00")
    make_requirement(2026, "800.00", component=Component.TECHNICAL, region=north)
    make_requirement(2026, "100.00", "EUR")  # no rate for 2026
    pledge = make_pledge(
        donor_org, "200.00", "EUR", 2025, 2026, status=PledgeStatus.COMMITTED, title="Euro"
    )
    make_disbursement(donor_org, datetime.date(2025, 4, 1), "50.00", "EUR", pledge=pledge)
    make_pledge(make_donor('=HYPERLINK("x")'), "300.00", "USD", 2025)
    return {"north": north}


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_read_the_funding_gap(clients, persona):
    assert_outcome(clients[persona].get(URL), ACCESS[persona])
    assert_outcome(clients[persona].get(URL, {"format": "json"}), ACCESS[persona])


def test_the_page_shows_cards_charts_tables_and_the_missing_rates(clients, records):
    response = clients["secretariat"].get(URL)
    assert response.status_code == 200
    page = text_of(response)
    assert [card["measure"] for card in response.context["cards"]] == [
        "requirement",
        "pledged",
        "committed",
        "disbursed",
        "gap",
    ]
    # 2025: 1,000 + 0; pledged EUR 100 × 1.10 + USD 300 = 410; committed 110; disbursed 55.
    assert [card["period"] for card in response.context["cards"]] == [
        Decimal("1800.00"),
        Decimal("410.00"),
        Decimal("110.00"),
        Decimal("55.00"),
        Decimal("1390.00"),
    ]
    assert [chart.key for chart in response.context["charts"]] == [
        "by_year",
        "gap_by_year",
        "by_donor",
    ]
    assert page.count('<svg role="img"') == 3
    assert [table["key"] for table in response.context["tables"]] == [
        "per-year",
        "per-donor",
        "per-component",
        "per-region",
    ]
    assert "Some amounts have no exchange rate for their year" in page
    assert "Funding requirement: 100.00 EUR in 2026" in page
    assert "Pledge: 100.00 EUR in 2026" in page
    assert f"{reverse('funding:rate_create')}?currency=EUR&amp;year=2026" in page
    assert "Add the rate" not in text_of(clients["observer"].get(URL))


def test_the_card_of_this_year_is_shown_when_the_period_holds_it(clients, people):
    this_year = timezone.localdate().year
    make_requirement(this_year, "123.00")
    make_requirement(this_year + 1, "1.00")
    page = text_of(clients["member"].get(URL))
    assert f"In {this_year}: 123 USD" in page
    page = text_of(clients["member"].get(URL, {"first_year": this_year + 1}))
    assert f"In {this_year}:" not in page


def test_filters_narrow_the_figures_and_bad_ones_are_reported(clients, records):
    response = clients["member"].get(URL, {"component": "technical"})
    assert response.context["gap"]["totals"]["requirement"] == Decimal("800.00")
    assert "Technical" in text_of(response)
    response = clients["member"].get(URL, {"region": "N1", "first_year": "2026"})
    assert response.context["gap"]["totals"]["requirement"] == Decimal("800.00")
    response = clients["member"].get(URL, {"first_year": "2027", "last_year": "2025"})
    assert response.status_code == 200
    assert response.context["filters"].errors["last_year"] == [
        "The last year cannot come before the first year."
    ]
    assert "Some filters are not valid and were ignored" in text_of(response)


def test_the_json_twin_holds_the_same_figures_and_each_chart_its_part(clients, records):
    response = clients["member"].get(URL, {"format": "json"})
    assert response["Content-Type"] == "application/json"
    assert response.json() == gap_json(funding_gap())
    chart = clients["member"].get(URL, {"format": "json", "chart": "by_donor"}).json()
    assert set(chart) == {"chart", "base_currency", "first_year", "last_year", "donors"}
    assert [row["donor"]["name"] for row in chart["donors"]] == [
        '=HYPERLINK("x")',
        "Kingdom of Examplia",
    ]
    page = clients["member"].get(URL)
    assert page.context["charts"][2].json_url == (
        "?first_year=2025&last_year=2026&format=json&chart=by_donor"
    )


def test_bad_json_and_format_requests_are_refused_with_problems(clients, records):
    response = clients["member"].get(URL, {"format": "json", "chart": "pie"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "chart": ["There is no chart pie. Choose one of: by_year, gap_by_year, by_donor."]
    }
    response = clients["member"].get(URL, {"format": "json", "first_year": "soon"})
    assert response.json()["errors"] == {"first_year": ["Enter a year, such as 2026."]}
    response = clients["member"].get(URL, {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Unknown format: pdf. Choose json or xlsx."]}


def test_the_workbook_has_a_sheet_per_table_and_escapes_formulas(clients, records):
    response = clients["member"].get(URL, {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="funding-gap-2025-2026.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Per year",
        "Per donor",
        "Per component",
        "Per region",
        "Without a rate",
    ]
    years = list(workbook["Per year"].iter_rows(values_only=True))
    assert years[0] == (
        "Year",
        "Requirement (USD)",
        "Pledged (USD)",
        "Committed (USD)",
        "Disbursed (USD)",
        "Gap (USD)",
    )
    assert years[1] == (2025, 1000, 410, 110, 55, 590)
    assert years[-1] == ("All years", 1800, 410, 110, 55, 1390)
    donors = workbook["Per donor"]
    assert donors.cell(row=2, column=1).value == '=HYPERLINK("x")'
    assert donors.cell(row=2, column=1).data_type == "s"
    assert list(workbook["Without a rate"].iter_rows(values_only=True))[1:] == [
        ("Pledge", "EUR", 2026, 100),
        ("Funding requirement", "EUR", 2026, 100),
    ]


def test_the_page_makes_the_same_number_of_queries_whatever_the_records(clients, records):
    client = clients["member"]
    few = queries_for(client, URL)
    few_json = queries_for(client, URL, format="json")
    region = make_region("S1", "South")
    for number in range(8):
        donor = make_donor(f"Donor {number}")
        pledge = make_pledge(donor, "90.00", "EUR", 2025, 2026, region=region)
        make_disbursement(donor, datetime.date(2025, 5, 1), "9.00", "EUR", pledge=pledge)
        make_requirement(2025, "10.00", component=Component.POLITICAL, region=region)
    assert queries_for(client, URL) == few
    assert queries_for(client, URL, format="json") == few_json
