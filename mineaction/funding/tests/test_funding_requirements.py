"""Funding requirement pages: the list with its yearly totals, entering, editing and deleting a
requirement, and taking the requirements from the work plans' budgets (those who manage
funding). Refused changes leave the records as they were."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.funding.models import FundingRequirement, Source
from mineaction.funding.tests.funding_support import (
    LOGIN,
    MANAGERS,
    READERS,
    assert_outcome,
    funding_state,
    make_rate,
    make_region,
    make_requirement,
    text_of,
)
from mineaction.workplans.tests.factories import make_activity, make_plan

LIST_URL = reverse("funding:requirement_list")
CREATE_URL = reverse("funding:requirement_create")
WORK_PLANS_URL = reverse("funding:requirement_from_work_plans")
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 200)
MANAGE_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 403)
MANAGE_ACCESS |= dict.fromkeys(MANAGERS, 200)
RECORD_ACCESS = MANAGE_ACCESS | {"outsider": 404}


def requirement_data(**values):
    return {
        "year": "2026",
        "amount": "250000.00",
        "currency": "usd",
        "component": "",
        "region": "",
        "description": "Survey of the eastern provinces",
        **values,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_and_who_changes_the_requirements(clients, persona):
    requirement = make_requirement(2025, "1000.00")
    client = clients[persona]
    assert_outcome(client.get(LIST_URL), LIST_ACCESS[persona])
    assert_outcome(client.get(CREATE_URL), MANAGE_ACCESS[persona])
    assert_outcome(client.get(WORK_PLANS_URL), MANAGE_ACCESS[persona])
    for name in ("requirement_edit", "requirement_delete"):
        url = reverse(f"funding:{name}", args=[requirement.public_id])
        assert_outcome(client.get(url), RECORD_ACCESS[persona])
    state = funding_state()
    response = client.post(
        reverse("funding:requirement_delete", args=[requirement.public_id]), {"confirm": "yes"}
    )
    if persona in MANAGERS:
        assert response.status_code == 302
        assert not FundingRequirement.objects.exists()
    else:
        assert_outcome(response, RECORD_ACCESS[persona])
        assert funding_state() == state


def test_a_manager_enters_a_requirement_with_the_challenges_it_addresses(clients, people, ngo_org):
    challenge = make_challenge("Survey teams short", ngo_org)
    region = make_region("E1", "East")
    response = clients["secretariat"].post(
        CREATE_URL,
        requirement_data(
            component=Component.TECHNICAL, region=region.pk, challenges=[challenge.pk]
        ),
    )
    assert response.status_code == 302
    requirement = FundingRequirement.objects.get()
    assert (requirement.year, requirement.amount, requirement.currency) == (
        2026,
        Decimal("250000.00"),
        "USD",
    )
    assert (requirement.component, requirement.region, requirement.source) == (
        Component.TECHNICAL,
        region,
        Source.ENTERED,
    )
    assert list(requirement.challenges.all()) == [challenge]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": "12.345"}, "amount", "Ensure that there are no more than 2 decimal places."),
        ({"year": "2205"}, "year", "Enter a year between 1990 and 2100."),
        ({"year": ""}, "year", "This field is required."),
        (
            {"currency": "dollars"},
            "currency",
            "Ensure this value has at most 3 characters (it has 7).",
        ),
    ],
)
def test_a_bad_requirement_is_refused_and_nothing_is_written(clients, values, field, message):
    state = funding_state()
    response = clients["secretariat"].post(CREATE_URL, requirement_data(**values))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert funding_state() == state


def test_the_list_totals_each_year_in_the_base_currency_and_names_what_has_no_rate(clients):
    make_rate("EUR", 2025, "1.10")
    make_requirement(2025, "1000.00")
    make_requirement(2025, "100.00", "EUR")
    make_requirement(2026, "100.00", "EUR")
    response = clients["observer"].get(LIST_URL)
    years = response.context["years"]
    assert [(year["year"], year["total"], year["unconverted"]) for year in years] == [
        (2025, Decimal("1110.00"), ""),
        (2026, Decimal("0.00"), "100.00 EUR"),
    ]
    assert "Without 100.00 EUR: no exchange rate for the year" in text_of(response)
    assert "Add a requirement" not in text_of(response)


def test_a_work_plan_requirement_changes_only_its_description_and_cannot_be_deleted(clients):
    requirement = make_requirement(2026, "500.00", source=Source.WORK_PLAN)
    response = clients["secretariat"].post(
        reverse("funding:requirement_edit", args=[requirement.public_id]),
        requirement_data(amount="1.00", year="2030", description="Budget of the survey plan"),
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.year, requirement.amount) == (2026, Decimal("500.00"))
    assert requirement.description == "Budget of the survey plan"
    state = funding_state()
    url = reverse("funding:requirement_delete", args=[requirement.public_id])
    response = clients["secretariat"].post(url, {"confirm": "yes"})
    assert response.status_code == 400
    assert "This requirement is taken from the work plans" in text_of(response)
    assert funding_state() == state


def test_deleting_asks_for_confirmation(clients):
    requirement = make_requirement(2026, "500.00")
    url = reverse("funding:requirement_delete", args=[requirement.public_id])
    response = clients["secretariat"].post(url, {})
    assert response.status_code == 200
    assert "will be deleted" in text_of(response)
    assert FundingRequirement.objects.filter(pk=requirement.pk).exists()


@pytest.fixture
def work_plans(people, ngo_org):
    """USD 300,000 for technical work over 2025–2027 (100,000 a year, the years have the same
    number of days) and EUR 50,000 for participation in 2026."""
    plan = make_plan()
    make_activity(plan, ngo_org, budget="300000.00", component=Component.TECHNICAL)
    make_activity(
        plan,
        ngo_org,
        title="Community liaison",
        budget="50000.00",
        currency="EUR",
        component=Component.PARTICIPATION,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    return plan


def test_taking_the_requirements_from_the_work_plans_replaces_only_theirs(
    clients, work_plans, ngo_org
):
    entered = make_requirement(2025, "42.00", description="Entered by hand")
    removed = make_requirement(
        2024, "999.00", component=Component.TECHNICAL, source=Source.WORK_PLAN
    )
    kept = make_requirement(
        2025,
        "100000.00",
        component=Component.TECHNICAL,
        source=Source.WORK_PLAN,
        description="Kept",
    )
    challenge = make_challenge("Survey teams short", ngo_org)
    kept.challenges.add(challenge)
    changed = make_requirement(2026, "1.00", component=Component.TECHNICAL, source=Source.WORK_PLAN)
    preview = clients["secretariat"].get(WORK_PLANS_URL)
    changes = preview.context["changes"]
    assert (len(changes.added), len(changes.changed), len(changes.removed), changes.unchanged) == (
        2,
        1,
        1,
        1,
    )
    assert FundingRequirement.objects.count() == 4

    response = clients["secretariat"].post(WORK_PLANS_URL, {"confirm": "yes"}, follow=True)
    assert "Requirements from the work plans: 2 added, 1 changed, 1 removed, 1 unchanged." in (
        text_of(response)
    )
    rows = {
        (r.year, r.currency, r.component, r.source): r.amount
        for r in FundingRequirement.objects.all()
    }
    assert rows == {
        (2025, "USD", "", Source.ENTERED): Decimal("42.00"),
        (2025, "USD", Component.TECHNICAL, Source.WORK_PLAN): Decimal("100000.00"),
        (2026, "USD", Component.TECHNICAL, Source.WORK_PLAN): Decimal("100000.00"),
        (2027, "USD", Component.TECHNICAL, Source.WORK_PLAN): Decimal("100000.00"),
        (2026, "EUR", Component.PARTICIPATION, Source.WORK_PLAN): Decimal("50000.00"),
    }
    assert not FundingRequirement.objects.filter(pk=removed.pk).exists()
    kept.refresh_from_db()
    assert kept.description == "Kept"
    assert list(kept.challenges.all()) == [challenge]
    assert FundingRequirement.objects.filter(pk=changed.pk).exists()
    assert FundingRequirement.objects.get(pk=entered.pk).amount == Decimal("42.00")


def test_without_confirmation_the_work_plans_change_nothing(clients, work_plans):
    state = funding_state()
    response = clients["secretariat"].post(WORK_PLANS_URL, {})
    assert response.status_code == 200
    assert "Replace the requirements from the work plans" in text_of(response)
    assert funding_state() == state


def test_a_second_replacement_changes_nothing(clients, work_plans):
    clients["secretariat"].post(WORK_PLANS_URL, {"confirm": "yes"})
    state = funding_state()
    response = clients["secretariat"].get(WORK_PLANS_URL)
    assert "The requirements already match the work plans (4 requirements)." in text_of(response)
    clients["secretariat"].post(WORK_PLANS_URL, {"confirm": "yes"})
    assert funding_state() == state


def test_the_requirements_export_as_xlsx_with_their_challenges(clients, ngo_org):
    import io

    import openpyxl

    requirement = make_requirement(2026, "500.00", description="=SUM(A1:A2)")
    challenge = make_challenge("Survey teams short", ngo_org)
    requirement.challenges.add(challenge)
    response = clients["member"].get(LIST_URL, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Year", "Amount", "Currency")
    assert rows[1][0] == 2026
    assert rows[1][1] == 500
    assert rows[1][5] == "=SUM(A1:A2)"
    assert sheet.cell(row=2, column=6).data_type == "s"
    assert rows[1][7] == challenge.reference
