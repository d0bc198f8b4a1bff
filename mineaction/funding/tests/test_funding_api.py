"""The resource mobilisation API: the gap summary, and requirements, pledges (with their
split), disbursements and exchange rates, with the pages' gates and messages; bad input is a
422 problem and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    Source,
)
from mineaction.funding.tests.funding_support import (
    READERS,
    amounts_of,
    funding_state,
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    make_region,
    make_requirement,
)
from mineaction.workplans.tests.factories import make_activity, make_plan

SUMMARY = reverse("api:funding_summary")
RATES = reverse("api:funding_rate_list")
REQUIREMENTS = reverse("api:funding_requirement_list")
PLEDGES = reverse("api:funding_pledge_list")
DISBURSEMENTS = reverse("api:funding_disbursement_list")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def record_url(name, record):
    return reverse(f"api:funding_{name}", args=[record.public_id])


# The summary ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_summary_is_for_members(clients, persona):
    expected = {"anonymous": 401, "outsider": 403} | dict.fromkeys(READERS, 200)
    assert clients[persona].get(SUMMARY).status_code == expected[persona]


def test_the_summary_gives_each_year_and_donor_in_the_base_currency(clients, donor_org):
    make_rate("EUR", 2025, "1.10")
    make_requirement(2025, "1000.00")
    make_pledge(donor_org, "200.00", "EUR", 2025, 2026, status=PledgeStatus.COMMITTED)
    body = clients["member"].get(SUMMARY).json()
    assert body["base_currency"] == "USD"
    assert body["years"] == [
        {
            "year": 2025,
            "requirement": "1000.00",
            "pledged": "110.00",
            "committed": "110.00",
            "disbursed": "0.00",
            "gap": "890.00",
        },
        {
            "year": 2026,
            "requirement": "0.00",
            "pledged": "0.00",
            "committed": "0.00",
            "disbursed": "0.00",
            "gap": "0.00",
        },
    ]
    assert body["donors"][0]["donor"] == {
        "public_id": str(donor_org.public_id),
        "name": "Kingdom of Examplia",
        "acronym": "",
    }
    assert body["donors"][0]["total"] == {
        "pledged": "110.00",
        "committed": "110.00",
        "disbursed": "0.00",
    }
    assert body["totals"]["gap"] == "890.00"
    assert body["unconverted"] == [
        {"what": "pledge", "currency": "EUR", "year": 2026, "amount": "100.00"}
    ]
    filtered = clients["member"].get(SUMMARY, {"first_year": 2026, "last_year": 2026}).json()
    assert [row["year"] for row in filtered["years"]] == [2026]


def test_a_bad_summary_filter_is_a_400_problem(clients, people):
    response = clients["member"].get(SUMMARY, {"region": "NOWHERE"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"region": ["No region has this code."]}


# Exchange rates ------------------------------------------------------------------------------


def test_exchange_rates_are_created_read_and_changed_by_managers(clients, people):
    client = clients["secretariat"]
    response = post(client, RATES, {"currency": "eur", "year": 2025, "rate": "1.0850"})
    assert response.status_code == 201
    body = response.json()
    assert (body["currency"], body["year"], body["rate"]) == ("EUR", 2025, "1.08500000")
    rate = ExchangeRate.objects.get()
    response = patch(client, record_url("rate_patch", rate), {"rate": "1.09"})
    assert response.json()["rate"] == "1.09000000"
    assert clients["observer"].get(RATES).json()["count"] == 1
    assert (
        post(clients["member"], RATES, {"currency": "GBP", "year": 2025, "rate": "1.3"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"currency": "USD", "year": 2025, "rate": "1"},
            {"currency": ["USD is the base currency: it counts at 1 and needs no rate."]},
        ),
        (
            {"currency": "EUR", "year": 2025, "rate": "2"},
            {"year": ["There is already a rate for EUR in 2025: edit that one instead."]},
        ),
        (
            {"currency": "GBP", "year": 2025, "rate": "-1"},
            {"rate": ["The rate must be more than zero."]},
        ),
        ({}, {name: ["This field is required."] for name in ("currency", "year", "rate")}),
    ],
)
def test_a_bad_rate_is_a_422_and_changes_nothing(clients, people, body, errors):
    make_rate("EUR", 2025, "1.08")
    state = funding_state()
    response = post(clients["secretariat"], RATES, body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == errors
    assert funding_state() == state


# Funding requirements ------------------------------------------------------------------------


def test_requirements_are_managed_through_the_api(clients, people):
    client = clients["lead_authority"]
    region = make_region("N1", "North")
    response = post(
        client,
        REQUIREMENTS,
        {
            "year": 2026,
            "amount": "5000.50",
            "currency": "usd",
            "component": "technical",
            "region": "N1",
            "description": "Clearance in the north",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["region"]["code"], body["source"]) == ("5000.50", "N1", "entered")
    requirement = FundingRequirement.objects.get()
    assert requirement.region == region
    response = patch(client, record_url("requirement_patch", requirement), {"amount": "6000"})
    assert response.json()["amount"] == "6000.00"
    assert client.get(REQUIREMENTS, {"year": 2026}).json()["count"] == 1
    response = client.delete(record_url("requirement_delete", requirement))
    assert response.status_code == 204
    assert not FundingRequirement.objects.exists()


def test_a_bad_requirement_is_a_422_and_a_work_plan_one_is_not_deleted(clients, people):
    state = funding_state()
    response = post(
        clients["secretariat"],
        REQUIREMENTS,
        {"year": 2026, "amount": "-5", "currency": "USD", "region": "NOWHERE"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "amount": ["The amount must be more than zero."],
        "region": ["Select a valid choice. That choice is not one of the available choices."],
    }
    assert funding_state() == state
    planned = make_requirement(2026, "10.00", source=Source.WORK_PLAN)
    state = funding_state()
    response = clients["secretariat"].delete(record_url("requirement_delete", planned))
    assert response.status_code == 409
    assert "taken from the work plans" in response.json()["detail"]
    assert funding_state() == state


def test_requirements_from_the_work_plans_need_confirmation(clients, people, ngo_org):
    make_activity(make_plan(), ngo_org, budget="300.00", component=Component.TECHNICAL)
    url = reverse("api:funding_requirement_from_work_plans")
    state = funding_state()
    response = post(clients["secretariat"], url, {})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "confirm": ["Send confirm: true to replace the requirements taken from the work plans."]
    }
    assert funding_state() == state
    response = post(clients["secretariat"], url, {"confirm": True})
    assert response.status_code == 200
    assert response.json()["added"] == [
        {
            "year": year,
            "currency": "USD",
            "component": "technical",
            "before": None,
            "after": "100.00",
        }
        for year in (2025, 2026, 2027)
    ]
    assert post(clients["member"], url, {"confirm": True}).status_code == 403


# Pledges -------------------------------------------------------------------------------------


def pledge_body(**values):
    return {
        "title": "Clearance 2025–2027",
        "amount": "300000.00",
        "currency": "EUR",
        "first_year": 2025,
        "last_year": 2027,
        "pledged_on": "2024-11-20",
        "status": "pledged",
        **values,
    }


def test_a_manager_records_a_pledge_with_its_split(clients, people):
    donor = make_donor("Republic of Donoria")
    response = post(
        clients["secretariat"],
        PLEDGES,
        pledge_body(
            donor=str(donor.public_id),
            years=[
                {"year": 2025, "amount": "100000.00"},
                {"year": 2026, "amount": "200000.00"},
            ],
        ),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["donor"]["name"] == "Republic of Donoria"
    assert body["years"] == [
        {"year": 2025, "amount": "100000.00"},
        {"year": 2026, "amount": "200000.00"},
    ]
    assert body["amount_in_base"] is None  # no EUR rates


def test_a_split_that_does_not_add_up_is_a_422_naming_the_difference(clients, people):
    state = funding_state()
    response = post(
        clients["lead_donor"],
        PLEDGES,
        pledge_body(years=[{"year": 2025, "amount": "100000.00"}]),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "years": ["The yearly parts add up to 100000.00, 200000.00 less than the amount 300000.00."]
    }
    assert funding_state() == state


def test_amounts_are_decimal_strings_not_json_numbers(clients, people):
    state = funding_state()
    response = post(clients["lead_donor"], PLEDGES, pledge_body(amount=0.1))
    assert response.status_code == 400
    assert response.json()["errors"] == {"amount": ["Enter a text value."]}
    assert funding_state() == state


def test_a_donor_records_and_changes_only_their_own_pledges(clients, donor_org):
    response = post(clients["lead_donor"], PLEDGES, pledge_body())
    assert response.status_code == 201
    pledge = Pledge.objects.get()
    assert pledge.donor == donor_org
    assert amounts_of(pledge) == {
        2025: Decimal("100000.00"),
        2026: Decimal("100000.00"),
        2027: Decimal("100000.00"),
    }
    other = make_donor("Republic of Donoria")
    state = funding_state()
    response = post(clients["lead_donor"], PLEDGES, pledge_body(donor=str(other.public_id)))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "donor": ["You record pledges for your own organisation only."]
    }
    assert funding_state() == state
    response = patch(
        clients["lead_donor"], record_url("pledge_patch", pledge), {"status": "committed"}
    )
    assert response.json()["status"] == "committed"
    foreign = make_pledge(other, "10.00", "USD", 2025)
    state = funding_state()
    assert (
        patch(
            clients["lead_donor"], record_url("pledge_patch", foreign), {"title": "x"}
        ).status_code
        == 403
    )
    assert clients["lead_donor"].delete(record_url("pledge_delete", foreign)).status_code == 403
    assert post(clients["observer"], PLEDGES, pledge_body()).status_code == 403
    assert clients["outsider"].get(record_url("pledge_detail", foreign)).status_code == 404
    assert funding_state() == state


def test_patching_the_amount_keeps_an_explicit_split_unless_told(clients, donor_org):
    pledge = make_pledge(donor_org, "300.00", "USD", 2025, 2026, years={2025: "100", 2026: "200"})
    url = record_url("pledge_patch", pledge)
    state = funding_state()
    response = patch(clients["lead_donor"], url, {"amount": "400.00"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "years": ["The yearly parts add up to 300.00, 100.00 less than the amount 400.00."]
    }
    assert funding_state() == state
    response = patch(clients["lead_donor"], url, {"amount": "400.00", "years": []})
    assert response.json()["years"] == [
        {"year": 2025, "amount": "200.00"},
        {"year": 2026, "amount": "200.00"},
    ]
    response = patch(clients["lead_donor"], url, {"title": "Renamed"})
    assert response.json()["title"] == "Renamed"
    assert amounts_of(pledge) == {2025: Decimal("200.00"), 2026: Decimal("200.00")}


def test_the_pledge_list_filters_like_the_page(clients, donor_org):
    make_rate("EUR", 2025, "2")
    make_pledge(donor_org, "10.00", "EUR", 2025, title="Euro")
    make_pledge(donor_org, "10.00", "USD", 2026, title="Dollar")
    body = clients["member"].get(PLEDGES, {"currency": "EUR"}).json()
    assert [(p["title"], p["amount_in_base"]) for p in body["results"]] == [("Euro", "20.00")]
    assert clients["member"].get(PLEDGES, {"year": "x"}).status_code == 400


def test_an_imported_pledge_is_not_deleted(clients, donor_org):
    pledge = make_pledge(donor_org, "10.00", "USD", 2025, source=Source.IATI)
    state = funding_state()
    response = clients["secretariat"].delete(record_url("pledge_delete", pledge))
    assert response.status_code == 409
    assert response.json()["detail"].startswith("This pledge comes from an IATI import")
    assert funding_state() == state
    entered = make_pledge(donor_org, "10.00", "USD", 2025)
    assert clients["lead_donor"].delete(record_url("pledge_delete", entered)).status_code == 204
    assert not Pledge.objects.filter(pk=entered.pk).exists()


# Disbursements -------------------------------------------------------------------------------


def test_a_disbursement_beyond_its_pledge_is_recorded_with_a_warning(clients, donor_org):
    pledge = make_pledge(donor_org, "100.00", "EUR", 2025)
    response = post(
        clients["lead_donor"],
        DISBURSEMENTS,
        {
            "pledge": str(pledge.public_id),
            "disbursed_on": "2025-02-01",
            "amount": "120.00",
            "currency": "EUR",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["donor"]["name"] == "Kingdom of Examplia"
    assert body["pledge"] == str(pledge.public_id)
    assert body["warning"].startswith(
        "The disbursements of this pledge add up to 120.00 EUR, 20.00 more than the pledge"
    )
    disbursement = Disbursement.objects.get()
    response = patch(
        clients["lead_donor"], record_url("disbursement_patch", disbursement), {"amount": "90"}
    )
    assert (response.json()["amount"], response.json()["warning"]) == ("90.00", None)
    response = patch(
        clients["lead_donor"],
        record_url("disbursement_patch", disbursement),
        {"donor": str(make_donor("Other").public_id)},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "donor": ["The pledge and donor of a disbursement do not change."]
    }


def test_bad_disbursements_are_refused_and_change_nothing(clients, donor_org):
    other_pledge = make_pledge(make_donor("Republic of Donoria"), "100.00", "EUR", 2025)
    state = funding_state()
    response = post(clients["lead_donor"], DISBURSEMENTS, {"amount": "0", "currency": "EUR"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "disbursed_on": ["This field is required."],
        "amount": ["The amount must be more than zero."],
    }
    response = post(
        clients["lead_donor"],
        DISBURSEMENTS,
        {
            "pledge": str(other_pledge.public_id),
            "disbursed_on": "2025-02-01",
            "amount": "10.00",
            "currency": "EUR",
        },
    )
    assert response.status_code == 403
    assert post(clients["observer"], DISBURSEMENTS, {}).status_code == 403
    assert funding_state() == state


def test_disbursements_are_listed_read_and_deleted_unless_imported(clients, donor_org):
    entered = make_disbursement(donor_org, datetime.date(2025, 1, 5), "10.00", "USD")
    imported = make_disbursement(
        donor_org, datetime.date(2025, 1, 6), "20.00", "USD", source=Source.IATI
    )
    body = clients["observer"].get(DISBURSEMENTS, {"source": "iati"}).json()
    assert [row["amount"] for row in body["results"]] == ["20.00"]
    detail = clients["observer"].get(record_url("disbursement_detail", entered)).json()
    assert (detail["disbursed_on"], detail["pledge"]) == ("2025-01-05", None)
    assert (
        clients["secretariat"].delete(record_url("disbursement_delete", imported)).status_code
        == 409
    )
    assert (
        clients["secretariat"].delete(record_url("disbursement_delete", entered)).status_code == 204
    )
    assert list(Disbursement.objects.all()) == [imported]
