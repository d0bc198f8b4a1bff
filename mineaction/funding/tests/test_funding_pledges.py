"""Pledge pages: the list with its filters and totals in the base currency, recording a pledge
(any donor's for those who manage funding, one's own organisation's otherwise) with its split
over the years, its page, editing and deleting it. Refused changes leave the records as they
were."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.funding.models import IatiActivity, Pledge, PledgeStatus, Source
from mineaction.funding.tests.funding_support import (
    LOGIN,
    MANAGERS,
    READERS,
    RECORDERS,
    amounts_of,
    assert_outcome,
    funding_state,
    make_disbursement,
    make_donor,
    make_pledge,
    make_rate,
    queries_for,
    text_of,
)

LIST_URL = reverse("funding:pledge_list")
CREATE_URL = reverse("funding:pledge_create")
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS, 200)
CREATE_ACCESS = {"anonymous": LOGIN, "outsider": 403, "observer": 403}
CREATE_ACCESS |= dict.fromkeys(RECORDERS, 200)
DETAIL_ACCESS = LIST_ACCESS | {"outsider": 404}
# The pledge of these tests is the lead donor's organisation's.
OWN_ACCESS = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS, 403)
OWN_ACCESS |= dict.fromkeys([*MANAGERS, "lead_donor"], 200)


def url(name, pledge):
    return reverse(f"funding:{name}", args=[pledge.public_id])


def pledge_data(**values):
    return {
        "title": "Survey and clearance 2025–2027",
        "amount": "300000.00",
        "currency": "eur",
        "first_year": "2025",
        "last_year": "2027",
        "split": "",
        "pledged_on": "2024-11-20",
        "status": PledgeStatus.PLEDGED,
        "component": "",
        "region": "",
        "partnership": "",
        "recipient": "",
        **values,
    }


@pytest.fixture
def pledge(people, donor_org):
    return make_pledge(donor_org, "300000.00", "EUR", 2025, 2027, title="Examplia 2025–2027")


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_records_and_changes_pledges(clients, pledge, persona):
    client = clients[persona]
    assert_outcome(client.get(LIST_URL), LIST_ACCESS[persona])
    assert_outcome(client.get(CREATE_URL), CREATE_ACCESS[persona])
    assert_outcome(client.get(url("pledge_detail", pledge)), DETAIL_ACCESS[persona])
    for name in ("pledge_edit", "pledge_delete"):
        assert_outcome(client.get(url(name, pledge)), OWN_ACCESS[persona])
    state = funding_state()
    data = pledge_data(title="Changed", donor=pledge.donor_id)
    response = client.post(url("pledge_edit", pledge), data)
    if OWN_ACCESS[persona] == 200:
        assert response.status_code == 302
        pledge.refresh_from_db()
        assert pledge.title == "Changed"
    else:
        assert_outcome(response, OWN_ACCESS[persona])
        assert funding_state() == state


def test_a_donor_cannot_change_another_donors_pledge(clients, people):
    other = make_pledge(make_donor("Republic of Donoria"), "1000.00", "USD", 2025)
    state = funding_state()
    assert clients["lead_donor"].get(url("pledge_edit", other)).status_code == 403
    assert clients["lead_donor"].post(url("pledge_edit", other), pledge_data()).status_code == 403
    response = clients["lead_donor"].post(url("pledge_delete", other), {"confirm": "yes"})
    assert response.status_code == 403
    assert funding_state() == state


def test_a_manager_records_any_donors_pledge_with_an_explicit_split(clients, people):
    donor = make_donor("Republic of Donoria")
    response = clients["secretariat"].post(
        CREATE_URL,
        pledge_data(
            donor=donor.pk,
            split="2025: 100000.00\n2026: 150 000,50\n\n2027=49999.50",
            component=Component.TECHNICAL,
            status=PledgeStatus.COMMITTED,
        ),
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert response.url == url("pledge_detail", pledge)
    assert (pledge.donor, pledge.currency, pledge.status, pledge.component) == (
        donor,
        "EUR",
        PledgeStatus.COMMITTED,
        Component.TECHNICAL,
    )
    assert amounts_of(pledge) == {
        2025: Decimal("100000.00"),
        2026: Decimal("150000.50"),
        2027: Decimal("49999.50"),
    }


def test_a_donor_records_a_pledge_for_their_own_organisation_only(clients, donor_org):
    other = make_donor("Republic of Donoria")
    page = clients["lead_donor"].get(CREATE_URL)
    assert "donor" not in page.context["form"].fields
    assert "The pledge is recorded for Kingdom of Examplia." in text_of(page)
    response = clients["lead_donor"].post(CREATE_URL, pledge_data(donor=other.pk))
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.donor == donor_org
    assert amounts_of(pledge) == {
        2025: Decimal("100000.00"),
        2026: Decimal("100000.00"),
        2027: Decimal("100000.00"),
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"split": "2025: 100000\n2026: 100000"},
            "split",
            "The yearly parts add up to 200000.00, 100000.00 less than the amount 300000.00.",
        ),
        (
            {"split": "2025: 200000\n2026: 100000.01"},
            "split",
            "The yearly parts add up to 300000.01, 0.01 more than the amount 300000.00.",
        ),
        (
            {"split": "2024: 300000"},
            "split",
            "2024 lies outside the pledge's years (2025 to 2027).",
        ),
        (
            {"split": "2025 three hundred"},
            "split",
            "Line 1 is not a year and an amount, such as 2025: 150000.50 (without thousands "
            "separators).",
        ),
        ({"split": "2025: 1\n2025: 2"}, "split", "2025 is given twice."),
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": "12,50"}, "amount", "Enter a number."),
        ({"last_year": "2024"}, "last_year", "The last year cannot come before the first year."),
        ({"last_year": "2070"}, "last_year", "A pledge can span at most 30 years."),
        ({"first_year": "1900"}, "first_year", "Enter a year between 1990 and 2100."),
        ({"currency": "E1R"}, "currency", "Enter a three-letter ISO 4217 currency code."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_a_bad_pledge_is_refused_with_a_clear_message_and_nothing_is_written(
    clients, people, values, field, message
):
    state = funding_state()
    response = clients["lead_donor"].post(CREATE_URL, pledge_data(**values))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert funding_state() == state


def test_editing_shows_an_explicit_split_and_an_empty_split_returns_to_equal_parts(
    clients, people, donor_org
):
    pledge = make_pledge(
        donor_org, "300.00", "USD", 2025, 2026, years={2025: "100.00", 2026: "200.00"}
    )
    page = clients["lead_donor"].get(url("pledge_edit", pledge))
    assert page.context["form"].initial["split"] == "2025: 100.00\n2026: 200.00"
    equal = make_pledge(donor_org, "300.00", "USD", 2025, 2026)
    assert (
        clients["lead_donor"].get(url("pledge_edit", equal)).context["form"].initial["split"] == ""
    )
    clients["lead_donor"].post(
        url("pledge_edit", pledge),
        pledge_data(amount="301.00", currency="USD", first_year="2025", last_year="2026"),
    )
    assert amounts_of(pledge) == {2025: Decimal("150.50"), 2026: Decimal("150.50")}


def test_the_pledge_page_shows_its_years_disbursements_and_an_overrun(clients, pledge, donor_org):
    make_rate("EUR", 2025, "1.10")
    make_disbursement(donor_org, datetime.date(2025, 2, 1), "200000.00", "EUR", pledge=pledge)
    make_disbursement(donor_org, datetime.date(2025, 9, 1), "150000.00", "EUR", pledge=pledge)
    response = clients["observer"].get(url("pledge_detail", pledge))
    assert [(y["year"], y["amount"], y["in_base"]) for y in response.context["years"]] == [
        (2025, Decimal("100000.00"), Decimal("110000.00")),
        (2026, Decimal("100000.00"), None),
        (2027, Decimal("100000.00"), None),
    ]
    assert response.context["in_base"] is None
    assert len(response.context["disbursements"]) == 2
    page = text_of(response)
    assert (
        "The disbursements of this pledge add up to 350000.00 EUR, 50000.00 more than the "
        "pledge (300000.00)." in page
    )
    assert "Record a disbursement" not in page


def test_deleting_a_pledge_asks_then_deletes_it_with_its_disbursements(clients, pledge, donor_org):
    make_disbursement(donor_org, datetime.date(2025, 2, 1), "10.00", "EUR", pledge=pledge)
    page = clients["lead_donor"].post(url("pledge_delete", pledge), {})
    assert page.status_code == 200
    assert "Its 1 disbursement is deleted with it." in text_of(page)
    assert Pledge.objects.exists()
    response = clients["lead_donor"].post(url("pledge_delete", pledge), {"confirm": "yes"})
    assert response.status_code == 302
    assert funding_state()["pledges"] == funding_state()["disbursements"] == []


@pytest.fixture
def imported(people, donor_org):
    activity = IatiActivity.objects.create(
        iati_identifier="XM-DAC-1-EX-2025",
        title="Mine action in Testland",
        reporting_org_ref="XM-DAC-1",
        share=Decimal("1"),
        standard_version="2.03",
    )
    return make_pledge(
        donor_org,
        "500.00",
        "EUR",
        2025,
        2026,
        source=Source.IATI,
        iati_activity=activity,
        status=PledgeStatus.COMMITTED,
    )


def test_an_imported_pledge_is_not_deleted_and_keeps_the_import_figures(clients, imported):
    state = funding_state()
    response = clients["secretariat"].post(url("pledge_delete", imported), {"confirm": "yes"})
    assert response.status_code == 400
    assert "This pledge comes from an IATI import: it cannot be deleted here." in text_of(response)
    assert funding_state() == state
    response = clients["secretariat"].post(
        url("pledge_edit", imported),
        pledge_data(amount="1.00", component=Component.TECHNICAL, title="Earmarked"),
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.amount, imported.component, imported.title) == (
        Decimal("500.00"),
        Component.TECHNICAL,
        "Earmarked",
    )
    assert amounts_of(imported) == {2025: Decimal("250.00"), 2026: Decimal("250.00")}
    page = text_of(clients["member"].get(url("pledge_detail", imported)))
    assert "XM-DAC-1-EX-2025" in page


@pytest.fixture
def pledges(people, donor_org):
    """Three pledges: Examplia EUR 2025–2026 committed and USD 2026 pledged (technical);
    Donoria GBP 2025 pledged, from IATI."""
    make_rate("EUR", 2025, "1.10")
    make_rate("EUR", 2026, "1.20")
    donoria = make_donor("Republic of Donoria")
    return {
        "eur": make_pledge(
            donor_org, "200.00", "EUR", 2025, 2026, status=PledgeStatus.COMMITTED, title="Euro"
        ),
        "usd": make_pledge(
            donor_org, "50.00", "USD", 2026, component=Component.TECHNICAL, title="Dollar"
        ),
        "gbp": make_pledge(donoria, "70.00", "GBP", 2025, source=Source.IATI, title="Pound"),
        "donoria": donoria,
    }


def _titles(response):
    return [row["pledge"].title for row in response.context["rows"]]


def test_the_list_filters_and_totals_in_the_base_currency(clients, pledges, donor_org):
    client = clients["member"]
    everything = client.get(LIST_URL)
    assert _titles(everything) == ["Dollar", "Euro", "Pound"]
    totals = everything.context["totals"]
    # EUR 100 × 1.10 + EUR 100 × 1.20 + USD 50; GBP 70 has no rate.
    assert (totals.pledged, totals.committed) == (Decimal("280.00"), Decimal("230.00"))
    assert totals.unconverted == [("GBP", 2025, Decimal("70.00"))]
    assert "Some amounts have no exchange rate for their year" in text_of(everything)
    assert _titles(client.get(LIST_URL, {"donor": pledges["donoria"].public_id})) == ["Pound"]
    assert _titles(client.get(LIST_URL, {"status": "committed"})) == ["Euro"]
    assert _titles(client.get(LIST_URL, {"component": "technical"})) == ["Dollar"]
    assert _titles(client.get(LIST_URL, {"component": "none"})) == ["Euro", "Pound"]
    assert _titles(client.get(LIST_URL, {"currency": "gbp"})) == ["Pound"]
    assert _titles(client.get(LIST_URL, {"source": "iati"})) == ["Pound"]
    in_2026 = client.get(LIST_URL, {"year": "2026"})
    assert _titles(in_2026) == ["Dollar", "Euro"]
    assert in_2026.context["totals"].pledged == Decimal("170.00")
    assert "Pledged for 2026" in text_of(in_2026)


def test_a_bad_filter_is_reported_and_ignored(clients, pledges):
    response = clients["member"].get(LIST_URL, {"year": "twenty", "status": "lost"})
    assert _titles(response) == ["Dollar", "Euro", "Pound"]
    assert set(response.context["filters"].errors) == {"year", "status"}
    assert "Some filters are not valid and were ignored" in text_of(response)


def test_the_list_answers_htmx_with_its_results_only(clients, pledges):
    response = clients["member"].get(
        LIST_URL, {"status": "committed"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "Euro" in page


def test_the_pledge_list_makes_the_same_number_of_queries_whatever_the_rows(clients, pledges):
    client = clients["member"]
    few = queries_for(client, LIST_URL)
    donoria = pledges["donoria"]
    for number in range(12):
        pledge = make_pledge(donoria, "10.00", "EUR", 2024, 2027, title=f"More {number}")
        make_disbursement(donoria, datetime.date(2025, 1, 1), "1.00", "EUR", pledge=pledge)
    assert queries_for(client, LIST_URL) == few


def test_the_pledges_export_as_csv_with_their_split(clients, pledges):
    response = clients["member"].get(LIST_URL, {"format": "csv", "currency": "EUR"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:8] == [
        "Donor",
        "Title",
        "Recipient",
        "Amount",
        "Currency",
        "First year",
        "Last year",
        "Split over the years",
    ]
    assert lines[1].startswith(
        "Kingdom of Examplia,Euro,,200.00,EUR,2025,2026,2025: 100.00; 2026: 100.00,"
    )
    assert len(lines) == 2
