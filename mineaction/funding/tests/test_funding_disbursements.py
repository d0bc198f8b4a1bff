"""Disbursement pages: recording a disbursement of a pledge (its donor disburses) or without
one, the warning when a pledge's disbursements go beyond its amount, editing, deleting and the
list. Refused changes leave the records as they were."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.funding.models import Disbursement, Source
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
    make_region,
    queries_for,
    text_of,
)

CREATE_URL = reverse("funding:disbursement_create")
LIST_URL = reverse("funding:disbursement_list")
OWN_ACCESS = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS, 403)
OWN_ACCESS |= dict.fromkeys([*MANAGERS, "lead_donor"], 200)


def url(name, record):
    return reverse(f"funding:{name}", args=[record.public_id])


def of_pledge(pledge):
    return f"{CREATE_URL}?pledge={pledge.public_id}"


def disbursement_data(**values):
    return {
        "disbursed_on": "2025-03-15",
        "amount": "100000.00",
        "currency": "EUR",
        "recipient": "",
        "component": "",
        "region": "",
        **values,
    }


@pytest.fixture
def pledge(people, donor_org):
    north = make_region("N1", "North")
    return make_pledge(
        donor_org,
        "300000.00",
        "EUR",
        2025,
        2027,
        component=Component.TECHNICAL,
        region=north,
        title="Examplia 2025–2027",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_disburses_a_pledge(clients, pledge, persona):
    client = clients[persona]
    assert_outcome(client.get(of_pledge(pledge)), OWN_ACCESS[persona])
    state = funding_state()
    response = client.post(of_pledge(pledge), disbursement_data())
    if OWN_ACCESS[persona] == 200:
        assert response.status_code == 302
        assert response.url == url("pledge_detail", pledge) + "#disbursements"
        assert Disbursement.objects.count() == 1
    else:
        assert_outcome(response, OWN_ACCESS[persona])
        assert funding_state() == state


def test_a_disbursement_of_a_pledge_comes_from_its_donor_and_is_earmarked_like_it(
    clients, pledge, donor_org
):
    clients["lead_donor"].post(of_pledge(pledge), disbursement_data(currency="eur"))
    disbursement = Disbursement.objects.get()
    assert (disbursement.pledge, disbursement.donor, disbursement.currency) == (
        pledge,
        donor_org,
        "EUR",
    )
    assert (disbursement.component, disbursement.region) == (Component.TECHNICAL, pledge.region)
    assert disbursement.amount == Decimal("100000.00")


def test_a_disbursement_beyond_the_pledge_is_recorded_with_a_warning(clients, pledge):
    clients["lead_donor"].post(of_pledge(pledge), disbursement_data(amount="250000.00"))
    response = clients["lead_donor"].post(
        of_pledge(pledge), disbursement_data(amount="60000.00"), follow=True
    )
    assert Disbursement.objects.count() == 2
    page = text_of(response)
    assert "The disbursement has been recorded." in page
    assert (
        "The disbursements of this pledge add up to 310000.00 EUR, 10000.00 more than the "
        "pledge (300000.00). This is allowed, since exchange and timing differences happen, "
        "but check the amounts." in page
    )


def test_an_overrun_in_other_currencies_is_compared_in_the_base_currency(clients, pledge):
    make_rate("EUR", 2025, "1.10")
    make_rate("EUR", 2026, "1.10")
    make_rate("EUR", 2027, "1.10")
    response = clients["lead_donor"].post(
        of_pledge(pledge), disbursement_data(amount="340000.00", currency="USD"), follow=True
    )
    assert (
        "The disbursements of this pledge add up to 340000.00 USD, 10000.00 more than the "
        "pledge (330000.00)." in text_of(response)
    )


def test_the_form_says_that_an_overrun_is_accepted_with_a_warning(clients, pledge):
    page = text_of(clients["lead_donor"].get(of_pledge(pledge)))
    assert "is recorded with a warning, since exchange and timing differences happen." in page


def test_a_disbursement_of_an_unknown_pledge_is_not_found(clients, people):
    assert clients["secretariat"].get(f"{CREATE_URL}?pledge=not-a-uuid").status_code == 404


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": ""}, "amount", "This field is required."),
        ({"disbursed_on": ""}, "disbursed_on", "This field is required."),
        ({"disbursed_on": "1980-01-01"}, "disbursed_on", "Enter a year between 1990 and 2100."),
        ({"currency": "E"}, "currency", "Enter a three-letter ISO 4217 currency code."),
    ],
)
def test_a_bad_disbursement_is_refused_and_nothing_is_written(
    clients, pledge, values, field, message
):
    state = funding_state()
    response = clients["lead_donor"].post(of_pledge(pledge), disbursement_data(**values))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert funding_state() == state


def test_a_disbursement_in_the_future_is_refused(clients, pledge):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = clients["lead_donor"].post(
        of_pledge(pledge), disbursement_data(disbursed_on=tomorrow.isoformat())
    )
    assert response.context["form"].errors["disbursed_on"] == [
        "A disbursement is recorded once made: choose today or a date in the past."
    ]
    assert not Disbursement.objects.exists()


def test_a_disbursement_without_a_pledge(clients, people, donor_org):
    other = make_donor("Republic of Donoria")
    response = clients["secretariat"].post(CREATE_URL, disbursement_data(donor=other.pk))
    assert response.status_code == 302
    assert response.url == LIST_URL
    assert Disbursement.objects.get().donor == other
    page = clients["lead_donor"].get(CREATE_URL)
    assert "donor" not in page.context["form"].fields
    clients["lead_donor"].post(CREATE_URL, disbursement_data(donor=other.pk, amount="5.00"))
    assert Disbursement.objects.get(amount=Decimal("5.00")).donor == donor_org
    assert clients["observer"].get(CREATE_URL).status_code == 403


def test_editing_keeps_the_pledge_and_donor(clients, pledge, donor_org):
    disbursement = make_disbursement(
        donor_org, datetime.date(2025, 3, 1), "10.00", "EUR", pledge=pledge
    )
    response = clients["lead_donor"].post(
        url("disbursement_edit", disbursement), disbursement_data(amount="20.00")
    )
    assert response.status_code == 302
    disbursement.refresh_from_db()
    assert (disbursement.amount, disbursement.pledge, disbursement.donor) == (
        Decimal("20.00"),
        pledge,
        donor_org,
    )


def test_another_donor_cannot_change_the_disbursement(clients, people):
    donoria = make_donor("Republic of Donoria")
    disbursement = make_disbursement(donoria, datetime.date(2025, 3, 1), "10.00", "EUR")
    state = funding_state()
    for name in ("disbursement_edit", "disbursement_delete"):
        assert clients["lead_donor"].get(url(name, disbursement)).status_code == 403
        response = clients["lead_donor"].post(url(name, disbursement), {"confirm": "yes"})
        assert response.status_code == 403
    assert clients["outsider"].get(url("disbursement_edit", disbursement)).status_code == 404
    assert funding_state() == state


def test_deleting_asks_then_deletes(clients, pledge, donor_org):
    disbursement = make_disbursement(
        donor_org, datetime.date(2025, 3, 1), "10.00", "EUR", pledge=pledge
    )
    assert (
        clients["lead_donor"].post(url("disbursement_delete", disbursement), {}).status_code == 200
    )
    assert Disbursement.objects.exists()
    response = clients["lead_donor"].post(
        url("disbursement_delete", disbursement), {"confirm": "yes"}
    )
    assert response.url == url("pledge_detail", pledge)
    assert not Disbursement.objects.exists()


def test_an_imported_disbursement_is_not_deleted_and_keeps_its_amount(clients, pledge, donor_org):
    disbursement = make_disbursement(
        donor_org, datetime.date(2025, 3, 1), "10.00", "EUR", pledge=pledge, source=Source.IATI
    )
    state = funding_state()
    response = clients["secretariat"].post(
        url("disbursement_delete", disbursement), {"confirm": "yes"}
    )
    assert response.status_code == 400
    assert "This disbursement comes from an IATI import" in text_of(response)
    assert funding_state() == state
    clients["secretariat"].post(
        url("disbursement_edit", disbursement),
        disbursement_data(amount="99.00", component=Component.POLITICAL),
    )
    disbursement.refresh_from_db()
    assert (disbursement.amount, disbursement.component) == (
        Decimal("10.00"),
        Component.POLITICAL,
    )


def test_the_list_filters_and_converts(clients, pledge, donor_org):
    make_rate("EUR", 2025, "1.10")
    make_disbursement(donor_org, datetime.date(2025, 3, 1), "10.00", "EUR", pledge=pledge)
    donoria = make_donor("Republic of Donoria")
    make_disbursement(donoria, datetime.date(2026, 3, 1), "7.00", "GBP")
    client = clients["observer"]
    rows = client.get(LIST_URL).context["rows"]
    assert [(r["disbursement"].amount, r["in_base"]) for r in rows] == [
        (Decimal("7.00"), None),
        (Decimal("10.00"), Decimal("11.00")),
    ]
    filtered = client.get(LIST_URL, {"donor": donoria.public_id}).context["rows"]
    assert [r["disbursement"].donor for r in filtered] == [donoria]
    assert len(client.get(LIST_URL, {"year": "2025"}).context["rows"]) == 1
    few = queries_for(client, LIST_URL)
    for day in range(1, 11):
        make_disbursement(donoria, datetime.date(2025, 1, day), "1.00", "GBP")
    assert queries_for(client, LIST_URL) == few
