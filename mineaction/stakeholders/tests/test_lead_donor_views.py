import datetime

import pytest
from django.urls import reverse

from mineaction.conftest import make_organisation
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import LeadDonorTerm, OrganisationType
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    assert_outcome,
    audit_entries,
    queries_for,
)

ROTATION_URL = reverse("stakeholders:lead_donor_rotation")
CREATE_URL = reverse("stakeholders:lead_donor_term_create")


def edit_url(term):
    return reverse("stakeholders:lead_donor_term_edit", args=[term.public_id])


@pytest.fixture
def norland(db):
    return make_organisation("Republic of Norland", OrganisationType.DONOR_STATE, acronym="NOR")


@pytest.fixture
def rotation(people, donor_org, norland):
    """Past term of Norland, then Examplia's long current term (from the personas)."""
    past = LeadDonorTerm.objects.create(
        organisation=norland,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
    )
    return {"past": past, "current": LeadDonorTerm.objects.get(organisation=donor_org)}


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_rotation_page_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(ROTATION_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_term_create_form_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_term_edit_form_access_by_role(clients, rotation, persona, expected):
    assert_outcome(clients[persona].get(edit_url(rotation["past"])), expected)


def test_rotation_highlights_the_term_that_covers_today(clients, rotation):
    response = clients["member"].get(ROTATION_URL)
    assert response.context["current"] == rotation["current"]
    content = response.content.decode()
    assert content.count('aria-current="true"') == 1
    row = content.split('aria-current="true"')[1].split("</tr>")[0]
    assert "Kingdom of Examplia" in row
    assert "Past" in content


def test_rotation_says_when_no_term_covers_today(clients, people, donor_org):
    LeadDonorTerm.objects.all().delete()
    response = clients["member"].get(ROTATION_URL)
    assert response.context["current"] is None
    assert "No term covers today." in response.content.decode()


def test_rotation_query_count_stays_flat(clients, rotation, django_assert_num_queries):
    baseline = queries_for(clients["member"], ROTATION_URL)
    for year in range(2000, 2010):
        LeadDonorTerm.objects.create(
            organisation=rotation["past"].organisation,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )
    with django_assert_num_queries(baseline):
        clients["member"].get(ROTATION_URL)


def test_secretariat_schedules_the_next_term_and_the_audit_trail_names_them(
    clients, people, donor_org, norland
):
    current = LeadDonorTerm.objects.get()
    current.ends_on = datetime.date(2030, 12, 31)
    current.save()
    response = clients["secretariat"].post(
        CREATE_URL, {"organisation": norland.pk, "starts_on": "2031-01-01", "ends_on": "2032-12-31"}
    )
    assert response.status_code == 302
    assert response.url == ROTATION_URL
    term = LeadDonorTerm.objects.get(organisation=norland)
    assert audit_entries(term).get().actor == people["secretariat"].user
    assert clients["member"].get(ROTATION_URL).context["upcoming"] == term


def test_an_overlapping_term_is_refused_with_the_clashing_term_named(clients, rotation, norland):
    before = LeadDonorTerm.objects.count()
    response = clients["secretariat"].post(
        CREATE_URL, {"organisation": norland.pk, "starts_on": "2025-01-01", "ends_on": "2025-12-31"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This term overlaps the term of Kingdom of Examplia (2020-01-01 to 2099-12-31)."
    ]
    assert LeadDonorTerm.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"starts_on": "2010-01-01", "ends_on": "2009-01-01"},
            "ends_on",
            "A term cannot end before it starts.",
        ),
        ({"starts_on": "", "ends_on": "2009-01-01"}, "starts_on", "This field is required."),
        ({"starts_on": "2010-01-01", "ends_on": "soon"}, "ends_on", "Enter a valid date."),
    ],
)
def test_bad_dates_show_the_field_error_and_change_nothing(
    clients, rotation, norland, data, field, message
):
    before = LeadDonorTerm.objects.count()
    response = clients["secretariat"].post(CREATE_URL, {"organisation": norland.pk, **data})
    assert response.context["form"].errors[field] == [message]
    assert LeadDonorTerm.objects.count() == before


def test_only_donors_un_agencies_and_international_organisations_can_lead(clients, rotation):
    ngo = make_organisation("Demining Friends", OrganisationType.NATIONAL_NGO)
    response = clients["secretariat"].post(
        CREATE_URL, {"organisation": ngo.pk, "starts_on": "2010-01-01", "ends_on": "2010-12-31"}
    )
    assert response.context["form"].errors["organisation"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not LeadDonorTerm.objects.filter(organisation=ngo).exists()


def test_lead_authority_shortens_a_term_and_the_change_is_audited(clients, people, rotation):
    term = rotation["past"]
    response = clients["lead_authority"].post(
        edit_url(term),
        {"organisation": term.organisation_id, "starts_on": "2018-01-01", "ends_on": "2018-12-31"},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == datetime.date(2018, 12, 31)
    entry = audit_entries(term, AuditEntry.Action.UPDATE).get()
    assert entry.actor == people["lead_authority"].user
    assert entry.changes["ends_on"] == ["2019-12-31", "2018-12-31"]


@pytest.mark.parametrize("persona", ["outsider", "member", "data_manager"])
def test_read_only_users_cannot_change_a_term(clients, rotation, persona):
    term = rotation["past"]
    response = clients[persona].post(
        edit_url(term),
        {"organisation": term.organisation_id, "starts_on": "2018-01-01", "ends_on": "2018-06-30"},
    )
    assert response.status_code == (404 if persona == "outsider" else 403)
    term.refresh_from_db()
    assert term.ends_on == datetime.date(2019, 12, 31)


def test_bad_input_on_edit_shows_the_error_and_changes_nothing(clients, rotation):
    term = rotation["past"]
    response = clients["secretariat"].post(
        edit_url(term),
        {"organisation": term.organisation_id, "starts_on": "2018-01-01", "ends_on": "2030-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This term overlaps the term of Kingdom of Examplia (2020-01-01 to 2099-12-31)."
    ]
    term.refresh_from_db()
    assert term.ends_on == datetime.date(2019, 12, 31)
