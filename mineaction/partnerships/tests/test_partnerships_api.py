"""The partnerships API: list, create, read, change and the mutual accountability, with the
same rules and messages as the pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mineaction.conftest import make_organisation
from mineaction.partnerships.models import Partnership
from mineaction.partnerships.tests.partnerships_support import (
    API_LIST_ACCESS,
    API_RECORD_ACCESS,
    make_commitment,
    make_document,
    make_partnership,
    organisation,
    table_counts,
)

LIST_URL = reverse("api:partnership_list")
Pledge = Partnership._meta.get_field("pledges").related_model


def url(name, record):
    return reverse(f"api:{name}", args=[record.public_id])


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def body(people):
    return {
        "title": "Eastern clearance partnership",
        "purpose": "Release the eastern province.",
        "state_party": str(organisation("Testland Mine Action Centre").public_id),
        "partners": [str(organisation("Clear Fields Association").public_id)],
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
        "focal_points": [str(people["member"].public_id)],
    }


@pytest.mark.parametrize(("persona", "expected"), API_LIST_ACCESS.items())
def test_partnerships_are_listed_for_readers(clients, partnership, persona, expected):
    assert clients[persona].get(LIST_URL).status_code == expected


@pytest.mark.parametrize(("persona", "expected"), API_RECORD_ACCESS.items())
def test_a_partnership_and_its_accountability_are_read_by_readers(
    clients, partnership, persona, expected
):
    assert clients[persona].get(url("partnership_detail", partnership)).status_code == expected
    assert (
        clients[persona].get(url("partnership_accountability", partnership)).status_code == expected
    )


def test_a_manager_creates_a_partnership(clients, body, people):
    response = post(clients["secretariat"], LIST_URL, body)
    assert response.status_code == 201
    created = response.json()
    assert (created["title"], created["state_party"]["name"], created["reporting_frequency"]) == (
        "Eastern clearance partnership",
        "Testland Mine Action Centre",
        "half_yearly",
    )
    assert created["report_due_days"] == 30
    assert [p["name"] for p in created["partners"]] == ["Clear Fields Association"]
    assert [p["public_id"] for p in created["focal_points"]] == [str(people["member"].public_id)]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"state_party": "ngo"},
            {
                "state_party": [
                    "Far Away Consulting cannot speak for the State: choose the national mine "
                    "action authority or a government ministry."
                ]
            },
        ),
        ({"ends_on": "2024-01-01"}, {"ends_on": ["The partnership must end after it starts."]}),
        (
            {"state_party": None, "partners": None, "title": None},
            {
                "title": ["This field is required."],
                "state_party": ["This field is required."],
                "partners": ["This field is required."],
            },
        ),
    ],
)
def test_bad_partnerships_are_refused_with_422(clients, body, changes, errors):
    consultant = make_organisation("Far Away Consulting")
    changes = {k: str(consultant.public_id) if v == "ngo" else v for k, v in changes.items()}
    before = table_counts()
    response = post(clients["secretariat"], LIST_URL, body | changes)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert table_counts() == before


def test_readers_cannot_create(clients, body):
    before = table_counts()
    response = post(clients["member"], LIST_URL, body)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the secretariat and the lead authority create partnerships."
    )
    assert table_counts() == before


def test_a_manager_changes_a_partnership(clients, partnership):
    response = patch(
        clients["lead_authority"], url("partnership_patch", partnership), {"title": "Renamed"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    partnership.refresh_from_db()
    assert (partnership.title, partnership.partners.count()) == ("Renamed", 2)


def test_a_bad_change_changes_nothing(clients, partnership):
    before = table_counts()
    response = patch(
        clients["lead_authority"], url("partnership_patch", partnership), {"ends_on": "2020-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"ends_on": ["The partnership must end after it starts."]}
    partnership.refresh_from_db()
    assert partnership.ends_on == datetime.date(2027, 12, 31)
    assert table_counts() == before


@pytest.mark.parametrize(("persona", "expected"), [("member", 403), ("outsider", 404)])
def test_others_cannot_change_a_partnership(clients, partnership, persona, expected):
    response = patch(clients[persona], url("partnership_patch", partnership), {"title": "Mine"})
    assert response.status_code == expected
    partnership.refresh_from_db()
    assert partnership.title == "Clearance partnership"


def test_the_detail_has_commitments_documents_and_pledges(clients, partnership):
    donor = organisation("Kingdom of Examplia")
    make_commitment(partnership, donor, kind="financial", amount=Decimal("1000.50"), currency="EUR")
    document = make_document(partnership)
    Pledge.objects.create(
        donor=donor,
        title="Grant",
        amount=Decimal("1000.50"),
        currency="EUR",
        first_year=2025,
        last_year=2025,
        partnership=partnership,
    )
    body = clients["observer"].get(url("partnership_detail", partnership)).json()
    assert [(c["party"]["name"], c["amount"], c["timeliness"]) for c in body["commitments"]] == [
        ("Kingdom of Examplia", "1000.50", "overdue")
    ]
    assert [(d["title"], d["url"]) for d in body["documents"]] == [
        (
            "Signed agreement",
            "http://testserver"
            + reverse("partnerships:partnership_document_download", args=[document.public_id]),
        )
    ]
    assert [
        (p["title"], p["donor"]["name"], p["amount"], p["status"]) for p in body["pledges"]
    ] == [("Grant", "Kingdom of Examplia", "1000.50", "pledged")]


def test_the_accountability_agrees_with_the_page_s_json(clients, partnership):
    make_commitment(partnership, organisation("Clear Fields Association"))
    api = clients["observer"].get(url("partnership_accountability", partnership)).json()
    page = (
        clients["observer"]
        .get(
            reverse("partnerships:partnership_accountability", args=[partnership.public_id]),
            {"format": "json"},
        )
        .json()
    )
    assert api["sides"] == page["sides"]
    assert api["partners_total"] == page["partners_total"]
    assert [c["public_id"] for c in api["commitments"]] == [
        c["public_id"] for c in page["commitments"]
    ]


def test_the_list_filters_by_party(clients, partnership):
    make_partnership("Donor only", partners=[organisation("Kingdom of Examplia")])
    ngo = organisation("Clear Fields Association")
    body = clients["observer"].get(LIST_URL, {"party": str(ngo.public_id)}).json()
    assert (body["count"], [p["title"] for p in body["results"]]) == (
        1,
        ["Clearance partnership"],
    )
    bad = clients["observer"].get(LIST_URL, {"period": "someday"})
    assert bad.status_code == 400
