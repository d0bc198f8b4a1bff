"""Exchange rate pages: the list with the rates still needed, adding and editing a rate (those
who manage funding), with the base currency, duplicates and non-positive rates refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.funding.models import ExchangeRate
from mineaction.funding.tests.funding_support import (
    LOGIN,
    MANAGERS,
    READERS,
    assert_outcome,
    funding_state,
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    text_of,
)

LIST_URL = reverse("funding:rate_list")
CREATE_URL = reverse("funding:rate_create")
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 200)
CREATE_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 403)
CREATE_ACCESS |= dict.fromkeys(MANAGERS, 200)
EDIT_ACCESS = CREATE_ACCESS | {"outsider": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_and_who_changes_the_rates(clients, persona):
    rate = make_rate("EUR", 2025, "1.08")
    client = clients[persona]
    assert_outcome(client.get(LIST_URL), LIST_ACCESS[persona])
    assert_outcome(client.get(CREATE_URL), CREATE_ACCESS[persona])
    edit_url = reverse("funding:rate_edit", args=[rate.public_id])
    assert_outcome(client.get(edit_url), EDIT_ACCESS[persona])
    state = funding_state()
    response = client.post(edit_url, {"currency": "EUR", "year": 2025, "rate": "2"})
    if persona in MANAGERS:
        assert response.status_code == 302
    else:
        assert_outcome(response, EDIT_ACCESS[persona])
        assert funding_state() == state


def test_a_manager_adds_a_rate(clients):
    response = clients["secretariat"].post(
        CREATE_URL, {"currency": "eur", "year": "2026", "rate": "1.0925"}
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.year, rate.rate) == ("EUR", 2026, Decimal("1.09250000"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"currency": "USD", "year": "2026", "rate": "1"},
            "currency",
            "USD is the base currency: it counts at 1 and needs no rate.",
        ),
        (
            {"currency": "EUR", "year": "2025", "rate": "1.2"},
            "year",
            "There is already a rate for EUR in 2025: edit that one instead.",
        ),
        (
            {"currency": "EUR", "year": "2026", "rate": "0"},
            "rate",
            "The rate must be more than zero.",
        ),
        (
            {"currency": "EUR", "year": "2026", "rate": "-1"},
            "rate",
            "The rate must be more than zero.",
        ),
        (
            {"currency": "EUR", "year": "1850", "rate": "1"},
            "year",
            "Enter a year between 1990 and 2100.",
        ),
        (
            {"currency": "EU", "year": "2026", "rate": "1"},
            "currency",
            "Enter a three-letter ISO 4217 currency code.",
        ),
        ({"currency": "EUR", "year": "2026", "rate": ""}, "rate", "This field is required."),
    ],
)
def test_a_bad_rate_is_refused_with_a_clear_message_and_nothing_changes(
    clients, data, field, message
):
    make_rate("EUR", 2025, "1.08")
    state = funding_state()
    response = clients["secretariat"].post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert funding_state() == state


def test_editing_a_rate_into_another_existing_one_is_refused(clients):
    make_rate("EUR", 2025, "1.08")
    other = make_rate("EUR", 2026, "1.10")
    state = funding_state()
    response = clients["lead_authority"].post(
        reverse("funding:rate_edit", args=[other.public_id]),
        {"currency": "EUR", "year": "2025", "rate": "1.10"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "There is already a rate for EUR in 2025: edit that one instead."
    ]
    assert funding_state() == state


def test_the_list_names_the_rates_still_needed(clients, people):
    donor = make_donor("Republic of Donoria")
    make_rate("EUR", 2025, "1.08")
    make_pledge(donor, "200.00", "EUR", 2025, 2026)
    make_disbursement(donor, datetime.date(2024, 3, 1), "10.00", "GBP")
    response = clients["secretariat"].get(LIST_URL)
    assert response.context["missing"] == [("EUR", 2026), ("GBP", 2024)]
    page = text_of(response)
    assert "Rates needed" in page
    assert f"{reverse('funding:rate_create')}?currency=EUR&amp;year=2026" in page
    observer_page = text_of(clients["observer"].get(LIST_URL))
    assert "Rates needed" in observer_page
    assert "Add the rate" not in observer_page


def test_the_rates_export_as_csv(clients):
    make_rate("EUR", 2025, "1.08")
    response = clients["member"].get(LIST_URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Currency,Year,Rate to the base currency",
        "EUR,2025,1.08000000",
    ]
