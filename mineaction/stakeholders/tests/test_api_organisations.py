"""/api/v1/organisations: list, detail, create, change."""

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from mineaction.conftest import PERSONAS, make_organisation
from mineaction.core.models import AuditEntry
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.stakeholders.models import Organisation, OrganisationType

LIST = "/api/v1/organisations"
READERS = ["observer", "member", "lead_donor", "data_manager"]
MANAGERS = ["secretariat", "lead_authority", "administrator"]
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
CREATE_STATUS = {"anonymous": 401, "outsider": 403, **dict.fromkeys(READERS, 403)}
UPDATE_STATUS = {"anonymous": 401, "outsider": 404, **dict.fromkeys(READERS, 403)}
NEW = {"name": "Mine Risk Education Network", "acronym": "MREN", "type": "national_ngo"}


def url(organisation):
    return f"{LIST}/{organisation.public_id}"


def state():
    """What a failed request must leave untouched."""
    return (
        list(Organisation.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_list_is_for_members_only(people, persona):
    response = token_client(people, persona).get(LIST)

    assert response.status_code == LIST_STATUS.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_detail_is_hidden_from_outsiders(people, ngo_org, persona):
    response = token_client(people, persona).get(url(ngo_org))

    assert response.status_code == RECORD_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_create_organisations(people, persona):
    response = send(token_client(people, persona), "post", LIST, NEW)

    expected = CREATE_STATUS.get(persona, 201)
    assert response.status_code == expected
    assert Organisation.objects.filter(name=NEW["name"]).exists() == (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_change_organisations(people, ngo_org, persona):
    response = send(token_client(people, persona), "patch", url(ngo_org), {"acronym": "CFA"})

    expected = UPDATE_STATUS.get(persona, 200)
    assert response.status_code == expected
    ngo_org.refresh_from_db()
    assert ngo_org.acronym == ("CFA" if expected == 200 else "")


def test_organisation_detail_payload(people, authority_org):
    authority_org.country = "TST"
    authority_org.website = "https://tmac.example.org"
    authority_org.save()
    encode = DjangoJSONEncoder().default

    response = token_client(people, "observer").get(url(authority_org))

    assert response.json() == {
        "public_id": str(authority_org.public_id),
        "name": "Testland Mine Action Centre",
        "acronym": "TMAC",
        "type": "national_authority",
        "country": "TST",
        "website": "https://tmac.example.org",
        "email": "",
        "description": "",
        "is_active": True,
        "iati_identifier": "",
        "created_at": encode(authority_org.created_at),
        "updated_at": encode(authority_org.updated_at),
    }


def test_organisation_list_is_paginated_with_a_count(people):
    client = token_client(people, "member")

    response = client.get(f"{LIST}?page=2&page_size=3")

    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (4, 2, 3)
    assert [row["name"] for row in body["results"]] == ["United Nations Development Programme"]


def test_page_past_the_end_is_empty(people):
    body = token_client(people, "member").get(f"{LIST}?page=9").json()

    assert (body["count"], body["results"]) == (4, [])


def test_organisation_list_searches_and_filters_like_the_page(people):
    make_organisation("Testland Deminers", OrganisationType.COMMERCIAL_OPERATOR, is_active=False)
    client = token_client(people, "member")

    searched = client.get(f"{LIST}?q=testland").json()
    by_type = client.get(f"{LIST}?type=commercial_operator").json()
    inactive = client.get(f"{LIST}?active=no").json()

    assert [row["name"] for row in searched["results"]] == [
        "Testland Deminers",
        "Testland Mine Action Centre",
    ]
    assert [row["name"] for row in by_type["results"]] == ["Testland Deminers"]
    assert inactive["count"] == 1


def test_organisation_list_queries_stay_flat(people):
    client = token_client(people, "member")
    few = queries_for(client, LIST)
    for number in range(20):
        make_organisation(f"Partner {number}")

    assert queries_for(client, LIST) == few == 7


def test_create_organisation_returns_it(people):
    response = send(token_client(people, "secretariat"), "post", LIST, {**NEW, "country": "tst"})

    assert response.status_code == 201
    organisation = Organisation.objects.get(name=NEW["name"])
    assert response.json()["public_id"] == str(organisation.public_id)
    assert (organisation.country, organisation.is_active) == ("TST", True)


def test_bad_new_organisation_gets_field_errors_and_changes_nothing(people):
    before = state()
    bad = {
        "name": "Clear Fields Association",
        "type": "club",
        "country": "T1",
        "website": "not a url",
        "email": "nobody",
    }

    response = send(token_client(people, "secretariat"), "post", LIST, bad)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "urn:mineaction:problem:invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": "Some values are not valid. See the errors for each field.",
        "errors": {
            "name": ["Organisation with this Name already exists."],
            "type": ["Select a valid choice. club is not one of the available choices."],
            "country": ["Enter a three-letter ISO 3166 code, such as KHM."],
            "website": ["Enter a valid URL."],
            "email": ["Enter a valid email address."],
        },
    }
    assert state() == before


def test_bad_organisation_change_gets_field_errors_and_changes_nothing(people, ngo_org):
    before = state()

    response = send(
        token_client(people, "lead_authority"),
        "patch",
        url(ngo_org),
        {"name": "", "acronym": "CFA"},
        **{"Accept-Language": "fr"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["Ce champ est obligatoire."]}
    assert state() == before


def test_put_replaces_the_organisation(people, authority_org):
    response = send(
        token_client(people, "administrator"),
        "put",
        url(authority_org),
        {"name": "National Mine Action Authority", "type": "national_authority"},
    )

    assert response.status_code == 200
    authority_org.refresh_from_db()
    assert (authority_org.name, authority_org.acronym) == ("National Mine Action Authority", "")


def test_put_without_required_fields_changes_nothing(people, authority_org):
    before = state()

    response = send(token_client(people, "administrator"), "put", url(authority_org), {})

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": ["This field is required."],
        "type": ["This field is required."],
    }
    assert state() == before


def test_unknown_organisation_is_404(people):
    client = token_client(people, "secretariat")

    response = send(client, "patch", f"{LIST}/00000000-0000-0000-0000-000000000000", {})

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
