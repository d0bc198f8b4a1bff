"""The commitments API: list with the page's filters, export, record (managers for any party,
a party's people for their own organisation in their partnerships), read and change."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.partnerships.models import Commitment
from mineaction.partnerships.tests.partnerships_support import (
    API_LIST_ACCESS,
    API_RECORD_ACCESS,
    make_commitment,
    make_partnership,
    organisation,
    table_counts,
)

LIST_URL = reverse("api:commitment_list")
EXPORT_URL = reverse("api:commitment_export")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, record):
    return reverse(f"api:{name}", args=[record.public_id])


def post(client, body):
    return client.post(LIST_URL, body, content_type="application/json")


def patch(client, commitment, body):
    return client.patch(url("commitment_patch", commitment), body, content_type="application/json")


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def commitment(partnership):
    return make_commitment(partnership, organisation("Clear Fields Association"))


def body(partnership, **changes):
    return {
        "partnership": str(partnership.public_id),
        "kind": "technical",
        "description": "Train two survey teams",
        "due_on": "2026-03-31",
    } | changes


@pytest.mark.parametrize(("persona", "expected"), API_LIST_ACCESS.items())
def test_commitments_are_listed_for_readers(clients, commitment, persona, expected):
    assert clients[persona].get(LIST_URL).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), API_RECORD_ACCESS.items())
def test_a_commitment_is_read_by_readers(clients, commitment, persona, expected):
    assert clients[persona].get(url("commitment_detail", commitment)).status_code == expected


def test_a_partner_s_member_records_for_their_own_organisation(clients, partnership):
    response = post(clients["member"], body(partnership, due_on=(TODAY + DAY).isoformat()))
    assert response.status_code == 201
    created = response.json()
    assert (created["party"]["name"], created["status"], created["timeliness"]) == (
        "Clear Fields Association",
        "planned",
        "pending",
    )
    assert Commitment.objects.get().party == organisation("Clear Fields Association")


def test_a_member_cannot_record_for_another_party(clients, partnership):
    before = table_counts()
    donor = organisation("Kingdom of Examplia")
    response = post(clients["member"], body(partnership, party=str(donor.public_id)))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You record commitments of your own organisation (Clear Fields Association) only."
    )
    assert table_counts() == before


def test_a_member_cannot_record_in_a_partnership_of_others(clients, partnership):
    others = make_partnership("Not theirs", partners=[organisation("Kingdom of Examplia")])
    before = table_counts()
    response = post(clients["member"], body(others))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Clear Fields Association is not a party to the partnership “Not theirs”."
    )
    assert table_counts() == before


@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 401), ("outsider", 403), ("observer", 403)]
)
def test_others_cannot_record(clients, partnership, persona, expected):
    before = table_counts()
    assert post(clients[persona], body(partnership)).status_code == expected
    assert table_counts() == before


def test_a_manager_records_a_financial_commitment(clients, partnership):
    donor = organisation("Kingdom of Examplia")
    response = post(
        clients["secretariat"],
        body(
            partnership,
            party=str(donor.public_id),
            kind="financial",
            amount="2500.25",
            currency="usd",
        ),
    )
    assert response.status_code == 201
    assert (response.json()["amount"], response.json()["currency"]) == ("2500.25", "USD")


def test_bad_commitments_are_refused_with_422(clients, partnership):
    before = table_counts()
    response = post(
        clients["member"],
        body(
            partnership,
            kind="financial",
            status="delivered",
            delivered_on=(TODAY + DAY).isoformat(),
        ),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "delivered_on": ["The delivery date cannot be in the future."],
        "amount": ["A financial commitment needs an amount."],
        "currency": ["A financial commitment needs a currency."],
    }
    empty = post(clients["secretariat"], {})
    assert empty.status_code == 422
    assert empty.json()["errors"] == {
        "party": ["This field is required."],
        "kind": ["This field is required."],
        "description": ["This field is required."],
        "due_on": ["This field is required."],
    }
    assert table_counts() == before


def test_the_committing_party_marks_it_delivered(clients, commitment):
    response = patch(
        clients["member"], commitment, {"status": "delivered", "delivered_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on) == ("delivered", TODAY)


def test_the_committing_party_cannot_change_what_managers_change(clients, commitment):
    before = table_counts()
    response = patch(clients["member"], commitment, {"kind": "financial", "due_on": "2030-01-01"})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You may change the status, the delivery date and the description; the secretariat "
        "changes the rest (due_on, kind)."
    )
    assert table_counts() == before


@pytest.mark.parametrize(
    ("persona", "expected"), [("lead_donor", 403), ("observer", 403), ("outsider", 404)]
)
def test_other_parties_cannot_change_it(clients, commitment, persona, expected):
    assert patch(clients[persona], commitment, {"status": "cancelled"}).status_code == expected
    commitment.refresh_from_db()
    assert commitment.status == "planned"


def test_a_manager_changes_the_party_within_the_partnership(clients, commitment):
    donor = organisation("Kingdom of Examplia")
    response = patch(clients["lead_authority"], commitment, {"party": str(donor.public_id)})
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.party == donor


def test_a_bad_change_changes_nothing(clients, commitment):
    before = table_counts()
    response = patch(clients["secretariat"], commitment, {"status": "delivered"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"delivered_on": ["Give the date it was delivered."]}
    commitment.refresh_from_db()
    assert commitment.status == "planned"
    assert table_counts() == before


def test_the_list_filters_and_exports(clients, partnership):
    ngo = organisation("Clear Fields Association")
    make_commitment(partnership, ngo, due_on=TODAY - DAY, description="Late report")
    make_commitment(partnership, ngo, due_on=TODAY + DAY, description="Next report")
    overdue = clients["observer"].get(LIST_URL, {"timeliness": "overdue"}).json()
    assert [c["description"] for c in overdue["results"]] == ["Late report"]
    bad = clients["observer"].get(LIST_URL, {"timeliness": "soon"})
    assert bad.status_code == 400
    export = clients["observer"].get(EXPORT_URL, {"format": "xlsx", "timeliness": "pending"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Next report"]
