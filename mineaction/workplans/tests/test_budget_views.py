"""The planned budget page, its JSON twin and its CSV and XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.workplans.models import WorkPlanKind
from mineaction.workplans.tests.factories import make_activity, make_plan

D = datetime.date
BUDGET = reverse("workplans:budget")


@pytest.fixture
def budgets(db, ngo_org):
    """An Article 5 plan (USD over 2024–2025) and a platform plan (EUR in 2026)."""
    article5 = make_plan(starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    make_activity(
        article5, ngo_org, starts_on=D(2024, 7, 1), ends_on=D(2025, 6, 30), budget="36500.00"
    )
    platform = make_plan(
        "Platform annual plan 2026",
        kind=WorkPlanKind.PLATFORM_ANNUAL,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    make_activity(
        platform,
        ngo_org,
        component=Component.RESOURCE_MOBILISATION,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        budget="1234.56",
        currency="EUR",
    )
    return {"article5": article5, "platform": platform}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_budget_is_for_members(clients, budgets, persona):
    for query in ("", "?format=json", "?format=csv"):
        status = clients[persona].get(BUDGET + query).status_code
        assert status == {"anonymous": 302, "outsider": 403}.get(persona, 200)


def test_the_page_shows_a_line_per_year_and_currency(clients, budgets):
    text = " ".join(clients["observer"].get(BUDGET).text.split())
    assert (
        '<th scope="row">2024</th> <td>USD</td> <td class="number">18,400.00</td>'
        '<td class="number">—</td>' in text
    )
    assert (
        '<th scope="row">2026</th> <td>EUR</td> <td class="number">—</td>'
        '<td class="number">1,234.56</td>' in text
    )
    assert (
        '<th scope="col" class="number">Technical</th>'
        '<th scope="col" class="number">Resource mobilisation</th>' in text
    )
    assert 'href="?format=json"' in text


def test_the_json_twin_filters_by_plan_and_kind(clients, budgets):
    client = clients["member"]
    body = client.get(BUDGET + "?format=json").json()
    assert body["rows"] == [
        {"year": 2024, "currency": "USD", "component": "technical", "amount": "18400.00"},
        {"year": 2025, "currency": "USD", "component": "technical", "amount": "18100.00"},
        {
            "year": 2026,
            "currency": "EUR",
            "component": "resource_mobilisation",
            "amount": "1234.56",
        },
    ]
    assert body["totals"] == [
        {"year": 2024, "currency": "USD", "amount": "18400.00"},
        {"year": 2025, "currency": "USD", "amount": "18100.00"},
        {"year": 2026, "currency": "EUR", "amount": "1234.56"},
    ]
    by_kind = client.get(BUDGET + "?format=json&kind=platform_annual").json()
    assert [row["year"] for row in by_kind["rows"]] == [2026]
    plan_id = budgets["article5"].public_id
    by_plan = client.get(BUDGET + f"?format=json&plan={plan_id}").json()
    assert (by_plan["plan"], [row["year"] for row in by_plan["rows"]]) == (
        str(plan_id),
        [2024, 2025],
    )


def test_bad_filters_are_refused_by_the_twin_and_reported_on_the_page(clients, budgets):
    client = clients["member"]
    response = client.get(BUDGET + "?format=json&plan=nope")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "plan": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert client.get(BUDGET + "?format=pdf").json()["errors"] == {
        "format": ["Unknown format “pdf”. Choose one of: json, csv, xlsx."]
    }
    page = client.get(BUDGET + "?kind=nope")
    assert page.status_code == 200
    assert "Some filters are not valid and were ignored" in page.text


def test_the_csv_and_xlsx_read_back(clients, budgets):
    client = clients["member"]
    response = client.get(BUDGET + "?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="planned-budget.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Year", "Currency", "Component", "Planned budget"],
        ["2024", "USD", "Technical", "18400.00"],
        ["2025", "USD", "Technical", "18100.00"],
        ["2026", "EUR", "Resource mobilisation", "1234.56"],
    ]
    response = client.get(BUDGET + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Year", "Currency", "Component", "Planned budget"]
    assert values[3] == [2026, "EUR", "Resource mobilisation", 1234.56]
