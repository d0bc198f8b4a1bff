"""Commitment pages: access per persona, who may record a commitment for whom, the committing
party's updates, the list's filters, its CSV and XLSX exports and its query count."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import make_organisation, make_person
from mineaction.core.choices import Role, Visibility
from mineaction.partnerships.models import Commitment
from mineaction.partnerships.tests.partnerships_support import (
    DETAIL_ACCESS,
    LIST_ACCESS,
    LOGIN,
    assert_outcome,
    make_commitment,
    make_partnership,
    organisation,
    queries_for,
    table_counts,
)

LIST_URL = reverse("partnerships:commitment_list")
CREATE_URL = reverse("partnerships:commitment_create")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
CREATE_ACCESS = {
    "anonymous": LOGIN,
    "outsider": 403,
    "observer": 403,
    "member": 200,
    "lead_donor": 200,
    "data_manager": 200,
    "secretariat": 200,
    "lead_authority": 200,
    "administrator": 200,
}
# The commitment walked is the member persona's organisation's.
EDIT_ACCESS = {
    "anonymous": LOGIN,
    "outsider": 404,
    "observer": 403,
    "member": 200,
    "lead_donor": 403,
    "data_manager": 403,
    "secretariat": 200,
    "lead_authority": 200,
    "administrator": 200,
}


def url(name, record):
    return reverse(f"partnerships:{name}", args=[record.public_id])


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def commitment(partnership):
    return make_commitment(partnership, organisation("Clear Fields Association"))


def new_commitment(partnership, party, **changes):
    return {
        "partnership": partnership.pk,
        "party": party.pk,
        "kind": "technical",
        "description": "Train two survey teams",
        "due_on": "2026-03-31",
        "status": "planned",
    } | changes


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_commitments_are_listed_for_members(clients, commitment, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_a_commitment_is_read_by_members(clients, commitment, persona, expected):
    assert_outcome(clients[persona].get(url("commitment_detail", commitment)), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_commitments_are_recorded_by_managers_and_the_parties_people(
    clients, partnership, persona, expected
):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_a_commitment_is_updated_by_managers_and_its_party(clients, commitment, persona, expected):
    assert_outcome(clients[persona].get(url("commitment_edit", commitment)), expected)


# Recording -------------------------------------------------------------------------------------


def test_a_partner_s_member_records_their_own_organisation_s_commitment(clients, partnership):
    ngo = organisation("Clear Fields Association")
    response = clients["member"].post(CREATE_URL, new_commitment(partnership, ngo))
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response.url == url("commitment_detail", commitment)
    assert (commitment.partnership, commitment.party, commitment.status) == (
        partnership,
        ngo,
        "planned",
    )


def test_the_create_form_offers_the_member_their_partnerships_and_organisation(
    clients, partnership
):
    make_partnership("Not theirs", partners=[organisation("Kingdom of Examplia")])
    response = clients["member"].get(CREATE_URL, {"partnership": str(partnership.public_id)})
    form = response.context["form"]
    assert [label for _v, label in form.fields["partnership"].widget.choices] == [
        "Clearance partnership"
    ]
    assert [label for _v, label in form.fields["party"].widget.choices] == [
        "Clear Fields Association"
    ]
    assert form.initial["partnership"] == partnership


def test_a_member_cannot_record_another_party_s_commitment(clients, partnership):
    before = table_counts()
    donor = organisation("Kingdom of Examplia")
    response = clients["member"].post(CREATE_URL, new_commitment(partnership, donor))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "party": [
            "You record commitments of your own organisation only, not of Kingdom of Examplia."
        ]
    }
    assert table_counts() == before


def test_a_member_cannot_record_in_a_partnership_of_others(clients, partnership):
    others = make_partnership("Not theirs", partners=[organisation("Kingdom of Examplia")])
    before = table_counts()
    ngo = organisation("Clear Fields Association")
    response = clients["member"].post(CREATE_URL, new_commitment(others, ngo))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "partnership": ["Your organisation is not a party to the partnership “Not theirs”."]
    }
    asked = clients["member"].get(CREATE_URL, {"partnership": str(others.public_id)})
    assert asked.status_code == 403
    assert table_counts() == before


def test_a_member_whose_organisation_is_no_party_is_told_why(clients, partnership, people):
    loner = make_person(
        "lone.member@example.org", make_organisation("Lone Association"), role=Role.MEMBER
    )
    client = clients["member"].__class__()
    client.force_login(loner.user)
    response = client.get(CREATE_URL)
    assert response.status_code == 403
    assert "Your account does not speak for an organisation that is party" in response.text


def test_observers_and_outsiders_cannot_record(clients, partnership):
    before = table_counts()
    data = new_commitment(partnership, organisation("Clear Fields Association"))
    assert clients["observer"].post(CREATE_URL, data).status_code == 403
    assert clients["outsider"].post(CREATE_URL, data).status_code == 403
    assert table_counts() == before


def test_a_manager_records_any_party_s_commitment_even_outside_a_partnership(clients, partnership):
    consultant = make_organisation("Far Away Consulting")
    challenge = make_challenge("Survey teams short", organisation("Clear Fields Association"))
    response = clients["secretariat"].post(
        CREATE_URL,
        new_commitment(partnership, consultant)
        | {
            "partnership": "",
            "kind": "financial",
            "amount": "1500.50",
            "currency": "eur",
            "challenges": [challenge.pk],
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.partnership, commitment.party, commitment.amount, commitment.currency) == (
        None,
        consultant,
        Decimal("1500.50"),
        "EUR",
    )
    assert list(commitment.challenges.all()) == [challenge]


def test_challenges_offered_are_those_the_user_may_see(clients, partnership):
    donor = organisation("Kingdom of Examplia")
    hidden = make_challenge("Donor's own concern", donor, visibility=Visibility.RESTRICTED)
    before = table_counts()
    response = clients["member"].post(
        CREATE_URL,
        new_commitment(partnership, organisation("Clear Fields Association"))
        | {"challenges": [hidden.pk]},
    )
    assert response.context["form"].errors == {
        "challenges": [f"Select a valid choice. {hidden.pk} is not one of the available choices."]
    }
    assert table_counts() == before


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"status": "delivered"}, {"delivered_on": ["Give the date it was delivered."]}),
        (
            {"status": "delivered", "delivered_on": (TODAY + DAY).isoformat()},
            {"delivered_on": ["The delivery date cannot be in the future."]},
        ),
        (
            {"kind": "financial"},
            {
                "amount": ["A financial commitment needs an amount."],
                "currency": ["A financial commitment needs a currency."],
            },
        ),
        (
            {"kind": "financial", "amount": "10", "currency": "E1"},
            {"currency": ["Enter a three-letter ISO 4217 currency code."]},
        ),
    ],
)
def test_bad_commitments_are_refused_on_the_page(clients, partnership, changes, errors):
    before = table_counts()
    response = clients["member"].post(
        CREATE_URL, new_commitment(partnership, organisation("Clear Fields Association")) | changes
    )
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert table_counts() == before


# Updating --------------------------------------------------------------------------------------


def test_the_committing_party_marks_it_delivered(clients, commitment):
    response = clients["member"].post(
        url("commitment_edit", commitment),
        {
            "status": "delivered",
            "delivered_on": (TODAY - DAY).isoformat(),
            "description": "Trained two teams",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on, commitment.description) == (
        "delivered",
        TODAY - DAY,
        "Trained two teams",
    )


def test_the_committing_party_changes_only_status_delivery_and_description(clients, commitment):
    form = clients["member"].get(url("commitment_edit", commitment)).context["form"]
    assert list(form.fields) == ["status", "delivered_on", "description"]


def test_a_delivery_date_needs_the_delivered_status(clients, commitment):
    before = table_counts()
    response = clients["member"].post(
        url("commitment_edit", commitment),
        {"status": "in_progress", "delivered_on": TODAY.isoformat(), "description": "Teams"},
    )
    assert response.context["form"].errors == {
        "delivered_on": [
            "Only a delivered commitment has a delivery date: leave it empty or mark it as "
            "delivered."
        ]
    }
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on) == ("planned", None)
    assert table_counts() == before


def test_another_party_cannot_update_it(clients, commitment):
    before = table_counts()
    data = {"status": "cancelled", "description": "Dropped"}
    assert clients["lead_donor"].post(url("commitment_edit", commitment), data).status_code == 403
    assert clients["outsider"].post(url("commitment_edit", commitment), data).status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "planned"
    assert table_counts() == before


def test_a_manager_changes_everything(clients, commitment):
    donor = organisation("Kingdom of Examplia")
    response = clients["lead_authority"].post(
        url("commitment_edit", commitment),
        new_commitment(commitment.partnership, donor) | {"kind": "in_kind", "due_on": "2026-09-30"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.party, commitment.kind, commitment.due_on) == (
        donor,
        "in_kind",
        datetime.date(2026, 9, 30),
    )


# The list and its exports ----------------------------------------------------------------------


@pytest.fixture
def commitments(partnership):
    ngo, donor = organisation("Clear Fields Association"), organisation("Kingdom of Examplia")
    return {
        "on_time": make_commitment(
            partnership,
            ngo,
            due_on=datetime.date(2024, 6, 30),
            status="delivered",
            delivered_on=datetime.date(2024, 6, 30),
            description="Survey report",
        ),
        "overdue": make_commitment(
            partnership,
            donor,
            kind="financial",
            amount=Decimal("250000"),
            currency="EUR",
            due_on=TODAY - DAY,
            description="=Fund the teams",
        ),
        "pending": make_commitment(
            partnership, ngo, kind="policy", due_on=TODAY + DAY, description="Draft the SOP"
        ),
    }


def listed(client, **params):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [c.description for c in response.context["page"].object_list]


def test_the_list_filters(clients, commitments, partnership):
    client = clients["observer"]
    ngo = organisation("Clear Fields Association")
    assert listed(client) == ["Survey report", "=Fund the teams", "Draft the SOP"]
    assert listed(client, party=str(ngo.public_id)) == ["Survey report", "Draft the SOP"]
    assert listed(client, kind="financial") == ["=Fund the teams"]
    assert listed(client, status="delivered") == ["Survey report"]
    assert listed(client, timeliness="on_time") == ["Survey report"]
    assert listed(client, timeliness="overdue") == ["=Fund the teams"]
    assert listed(client, timeliness="pending") == ["Draft the SOP"]
    assert listed(client, timeliness="late") == []
    assert listed(client, partnership=str(partnership.public_id), due_year=2024) == [
        "Survey report"
    ]


def test_bad_filters_are_reported(clients, commitments):
    response = clients["observer"].get(LIST_URL, {"timeliness": "soon", "due_year": "x"})
    assert response.context["filters"].errors == {
        "timeliness": ["Select a valid choice. soon is not one of the available choices."],
        "due_year": ["Enter a whole number."],
    }


EXPORT_HEADER = [
    "Committed by",
    "Partnership",
    "Kind",
    "What",
    "By when",
    "Status",
    "Delivered on",
    "Timeliness",
    "Amount",
    "Currency",
]


def test_the_list_exports_csv(clients, commitments):
    response = clients["observer"].get(LIST_URL, {"format": "csv", "kind": "financial"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        EXPORT_HEADER,
        [
            "Kingdom of Examplia",
            "Clearance partnership",
            "Financial",
            "'=Fund the teams",
            (TODAY - DAY).isoformat(),
            "Planned",
            "",
            "Overdue",
            "250000.00",
            "EUR",
        ],
    ]


def test_the_list_exports_xlsx(clients, commitments):
    response = clients["observer"].get(LIST_URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        EXPORT_HEADER,
        [
            "Clear Fields Association",
            "Clearance partnership",
            "Technical",
            "Survey report",
            datetime.datetime(2024, 6, 30),
            "Delivered",
            datetime.datetime(2024, 6, 30),
            "Delivered on time",
            None,
            None,
        ],
        [
            "Kingdom of Examplia",
            "Clearance partnership",
            "Financial",
            "=Fund the teams",
            datetime.datetime.combine(TODAY - DAY, datetime.time()),
            "Planned",
            None,
            "Overdue",
            250000,
            "EUR",
        ],
        [
            "Clear Fields Association",
            "Clearance partnership",
            "Policy",
            "Draft the SOP",
            datetime.datetime.combine(TODAY + DAY, datetime.time()),
            "Planned",
            None,
            "Pending",
            None,
            None,
        ],
    ]


def test_an_unknown_export_format_is_refused(clients, commitments):
    response = clients["observer"].get(LIST_URL, {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "format": ["Unknown format “pdf”. Choose one of: csv, xlsx."]
    }


def test_the_list_makes_as_many_queries_with_more_commitments(clients, commitments, partnership):
    queries = queries_for(clients["observer"], LIST_URL)
    other = make_partnership("Second")
    for number in range(6):
        make_commitment(other, organisation("Kingdom of Examplia"), description=f"More {number}")
    assert queries_for(clients["observer"], LIST_URL) == queries
