import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.models import AuditEntry, CountryProfile, DeadlineChange

EDITORS = {"lead_authority", "administrator"}
READERS = {"observer", "member", "lead_donor", "data_manager", "secretariat", *EDITORS}


def expected_status(persona, allowed):
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 403


@pytest.fixture
def profile(country):
    country.original_article5_deadline = datetime.date(2020, 3, 1)
    country.convention_entry_into_force = datetime.date(2010, 3, 1)
    country.save()
    return country


def extension_data(**overrides):
    data = {
        "new_deadline": "2030-12-31",
        "decided_on": "2024-11-29",
        "decision": "Decision of the Twenty-first Meeting of the States Parties",
        "reference_url": "https://example.org/decision",
    }
    return data | overrides


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_member_reads_the_country_profile_and_others_may_not(clients, profile, persona):
    response = clients[persona].get("/country/")
    assert response.status_code == expected_status(persona, READERS)
    if response.status_code == 200:
        assert "Testland" in response.text
        assert ("Record an extension" in response.text) == (persona in EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_lead_authority_and_administrator_open_the_profile_form(clients, profile, persona):
    response = clients[persona].get("/country/edit/")
    assert response.status_code == expected_status(persona, EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_lead_authority_and_administrator_add_an_extension(clients, profile, persona):
    response = clients[persona].post("/country/extensions/", extension_data())
    if persona in EDITORS:
        assert response.status_code == 302
        assert response.url == "/country/"
        assert profile.deadline_changes.count() == 1
    else:
        assert response.status_code == (302 if persona == "anonymous" else 403)
        assert DeadlineChange.objects.count() == 0


def test_lead_authority_edits_the_profile_and_the_change_is_audited(clients, people, profile):
    response = clients["lead_authority"].post(
        "/country/edit/",
        {
            "name": "Republic of Testland",
            "iso3": "tst",
            "official_languages": ["en", "ar"],
            "currency": "eur",
            "convention_entry_into_force": "2010-03-01",
            "original_article5_deadline": "2020-03-01",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.iso3, profile.currency) == ("Republic of Testland", "TST", "EUR")
    assert profile.official_languages == ["en", "ar"]
    entry = AuditEntry.objects.filter(object_public_id=profile.public_id).first()
    assert entry.actor == people["lead_authority"].user
    assert entry.changes["name"] == ["Testland", "Republic of Testland"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("iso3", "TS1", "Enter a three-letter ISO 3166 code in capitals."),
        ("currency", "EURO", "Ensure this value has at most 3 characters (it has 4)."),
        ("official_languages", ["xx"], "Select a valid choice. xx is not one of the available"),
        ("original_article5_deadline", "2009-01-01", "must be later than the Convention"),
        ("convention_entry_into_force", "31/02/2010", "Enter a valid date."),
    ],
)
def test_bad_profile_input_shows_the_error_and_changes_nothing(
    clients, profile, field, value, message
):
    data = {
        "name": "Changed",
        "iso3": "TST",
        "official_languages": ["en"],
        "currency": "USD",
        "convention_entry_into_force": "2010-03-01",
        "original_article5_deadline": "2020-03-01",
    } | {field: value}
    response = clients["lead_authority"].post("/country/edit/", data)
    assert response.status_code == 200
    assert message in response.text
    profile.refresh_from_db()
    assert profile.name == "Testland"


def test_original_deadline_cannot_move_past_the_first_extension(clients, profile):
    DeadlineChange.objects.create(
        profile=profile,
        new_deadline=datetime.date(2025, 3, 1),
        decided_on=datetime.date(2019, 11, 1),
        decision="First extension",
    )
    response = clients["administrator"].post(
        "/country/edit/",
        {
            "name": "Testland",
            "iso3": "TST",
            "currency": "USD",
            "original_article5_deadline": "2026-01-01",
        },
    )
    assert "The original deadline must be earlier than the first extension (2025-03-01)." in (
        response.text
    )
    profile.refresh_from_db()
    assert profile.original_article5_deadline == datetime.date(2020, 3, 1)


def test_administrator_sets_up_the_profile_when_there_is_none(clients, people):
    CountryProfile.objects.all().delete()
    assert "has not been set up yet" in clients["member"].get("/country/").text
    response = clients["administrator"].post(
        "/country/edit/", {"name": "Newland", "iso3": "NEW", "currency": "USD"}
    )
    assert response.status_code == 302
    assert CountryProfile.load().name == "Newland"


def test_extension_becomes_the_current_deadline_and_the_history_is_kept(clients, profile):
    clients["lead_authority"].post(
        "/country/extensions/",
        extension_data(new_deadline="2025-03-01", decided_on="2019-11-29", decision="First"),
    )
    response = clients["lead_authority"].post("/country/extensions/", extension_data(), follow=True)
    assert "The Article 5 deadline is now 2030-12-31." in response.text
    assert profile.article5_deadline == datetime.date(2030, 12, 31)
    assert list(profile.deadline_changes.values_list("decision", flat=True)) == [
        "First",
        "Decision of the Twenty-first Meeting of the States Parties",
    ]
    assert "2 extensions granted." in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new_deadline": "2020-03-01"}, "must be later than the deadline it extends (2020-03-01)"),
        ({"new_deadline": "2019-01-01"}, "must be later than the deadline it extends (2020-03-01)"),
        ({"new_deadline": ""}, "This field is required."),
        ({"decided_on": "2999-01-01"}, "The decision date cannot be in the future."),
        ({"decided_on": "not a date"}, "Enter a valid date."),
        ({"decision": ""}, "This field is required."),
        ({"reference_url": "not a link"}, "Enter a valid URL."),
    ],
)
def test_bad_extension_shows_a_clear_error_and_changes_nothing(
    clients, profile, overrides, message
):
    entries_before = AuditEntry.objects.count()
    response = clients["lead_authority"].post("/country/extensions/", extension_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert DeadlineChange.objects.count() == 0
    assert AuditEntry.objects.count() == entries_before
    assert profile.article5_deadline == datetime.date(2020, 3, 1)


def test_extension_cannot_be_decided_before_the_previous_one(clients, profile):
    DeadlineChange.objects.create(
        profile=profile,
        new_deadline=datetime.date(2025, 3, 1),
        decided_on=datetime.date(2019, 11, 29),
        decision="First",
    )
    response = clients["lead_authority"].post(
        "/country/extensions/", extension_data(decided_on="2019-01-01")
    )
    assert "The decision cannot be earlier than the previous extension (2019-11-29)." in (
        response.text
    )
    assert profile.deadline_changes.count() == 1


def test_extension_needs_an_original_deadline_first(clients, country):
    response = clients["lead_authority"].post("/country/extensions/", extension_data())
    assert "Set the original Article 5 deadline in the country profile first." in response.text
    assert DeadlineChange.objects.count() == 0


def test_countdown_shows_days_left_until_the_current_deadline(clients, profile):
    today = timezone.localdate()
    DeadlineChange.objects.create(
        profile=profile,
        new_deadline=today + datetime.timedelta(days=400),
        decided_on=today,
        decision="Extension",
    )
    response = clients["data_manager"].get("/country/")
    assert "400 days left" in response.text
    assert "1 extension granted." in response.text


def test_countdown_says_how_long_ago_a_missed_deadline_passed(clients, profile):
    profile.original_article5_deadline = timezone.localdate() - datetime.timedelta(days=3)
    profile.save()
    assert "The deadline passed 3 days ago." in clients["member"].get("/country/").text
