"""GET and PUT /api/v1/country-profile."""

import datetime

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.models import AuditEntry, CountryProfile, DeadlineChange
from mineaction.core.tests.api_support import PROBLEM, send, token_client

URL = "/api/v1/country-profile"
READ_STATUS = {"anonymous": 401, "outsider": 403}
WRITE_STATUS = {
    "anonymous": 401,
    "outsider": 403,
    "observer": 403,
    "member": 403,
    "lead_donor": 403,
    "data_manager": 403,
    "secretariat": 403,
    "lead_authority": 200,
    "administrator": 200,
}
PROFILE = {
    "name": "Republic of Testland",
    "iso3": "tst",
    "official_languages": ["fr"],
    "currency": "eur",
    "convention_entry_into_force": "2001-03-01",
    "original_article5_deadline": "2011-03-01",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_country_profile_is_readable_by_members_only(people, persona):
    response = token_client(people, persona).get(URL)

    assert response.status_code == READ_STATUS.get(persona, 200)


def test_country_profile_lists_deadline_and_extensions(people, country):
    country.original_article5_deadline = datetime.date(2011, 3, 1)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=datetime.date(2021, 3, 1),
        decided_on=datetime.date(2010, 12, 2),
        decision="Decision of the Tenth Meeting of the States Parties.",
    )

    response = token_client(people, "observer").get(URL)

    assert response.json() == {
        "public_id": str(country.public_id),
        "name": "Testland",
        "iso3": "TST",
        "official_languages": ["en", "fr"],
        "currency": "USD",
        "convention_entry_into_force": None,
        "original_article5_deadline": "2011-03-01",
        "article5_deadline": "2021-03-01",
        "deadline_changes": [
            {
                "new_deadline": "2021-03-01",
                "decided_on": "2010-12-02",
                "decision": "Decision of the Tenth Meeting of the States Parties.",
                "reference_url": "",
            }
        ],
        "is_demo": False,
    }


def test_missing_country_profile_is_404(people, country):
    country.delete()

    response = token_client(people, "member").get(URL)

    assert response.status_code == 404
    assert response.json()["detail"] == "The country profile has not been set up yet."


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_lead_authority_and_administrator_set_the_country_profile(people, persona):
    response = send(token_client(people, persona), "put", URL, PROFILE)

    assert response.status_code == WRITE_STATUS[persona]
    expected_name = "Republic of Testland" if response.status_code == 200 else "Testland"
    assert CountryProfile.load().name == expected_name


def test_put_sets_the_country_profile_with_the_pages_cleaning(people, country):
    response = send(token_client(people, "lead_authority"), "put", URL, PROFILE)

    assert response.status_code == 200
    country.refresh_from_db()
    assert (country.iso3, country.currency, country.official_languages) == ("TST", "EUR", ["fr"])
    assert country.original_article5_deadline == datetime.date(2011, 3, 1)


def test_put_creates_the_profile_when_there_is_none(people, country):
    country.delete()

    response = send(token_client(people, "lead_authority"), "put", URL, PROFILE)

    assert response.status_code == 201
    assert CountryProfile.objects.get().name == "Republic of Testland"


def test_bad_country_profile_gets_field_errors_and_changes_nothing(people, country):
    audit_entries = AuditEntry.objects.count()
    bad = {
        **PROFILE,
        "iso3": "",
        "official_languages": ["fr", "xx"],
        "original_article5_deadline": "2000-01-01",
    }

    response = send(token_client(people, "lead_authority"), "put", URL, bad)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "iso3": ["This field is required."],
        "official_languages": ["Select a valid choice. xx is not one of the available choices."],
        "original_article5_deadline": [
            "The Article 5 deadline must be later than the Convention's entry into force."
        ],
    }
    country.refresh_from_db()
    assert (country.name, country.iso3) == ("Testland", "TST")
    assert AuditEntry.objects.count() == audit_entries


def test_country_profile_rejects_a_date_that_is_not_a_date(people, country):
    response = send(
        token_client(people, "lead_authority"),
        "put",
        URL,
        {**PROFILE, "convention_entry_into_force": "1st March"},
        **{"Accept-Language": "fr"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "convention_entry_into_force": ["Saisissez une date valide."]
    }
