import pytest
from django.urls import reverse

from mineaction.conftest import make_organisation, make_person
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import Organisation, OrganisationType
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    DETAIL_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    assert_outcome,
    audit_entries,
    queries_for,
)

LIST_URL = reverse("stakeholders:organisation_list")
CREATE_URL = reverse("stakeholders:organisation_create")
VALID = {"name": "Landmine Survivors Network", "acronym": "LSN", "type": "affected_community"}


def detail_url(organisation):
    return reverse("stakeholders:organisation_detail", args=[organisation.public_id])


def edit_url(organisation):
    return reverse("stakeholders:organisation_edit", args=[organisation.public_id])


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_organisation_list_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_organisation_detail_access_by_role(clients, ngo_org, persona, expected):
    assert_outcome(clients[persona].get(detail_url(ngo_org)), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_organisation_create_form_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_organisation_edit_form_access_by_role(clients, ngo_org, persona, expected):
    assert_outcome(clients[persona].get(edit_url(ngo_org)), expected)


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "observer", "member", "lead_donor"])
def test_only_member_managers_can_create_an_organisation(clients, persona):
    before = Organisation.objects.count()
    response = clients[persona].post(CREATE_URL, VALID)
    assert response.status_code in {302, 403}
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("persona", ["outsider", "observer", "data_manager"])
def test_read_only_users_cannot_change_an_organisation(clients, ngo_org, persona):
    response = clients[persona].post(edit_url(ngo_org), {**VALID, "name": "Renamed"})
    assert response.status_code == (404 if persona == "outsider" else 403)
    ngo_org.refresh_from_db()
    assert ngo_org.name == "Clear Fields Association"


def test_unknown_organisation_is_not_found(clients):
    url = reverse("stakeholders:organisation_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert clients["member"].get(url).status_code == 404


def test_list_shows_organisations_with_their_type_and_people_count(clients, people):
    response = clients["member"].get(LIST_URL)
    content = response.content.decode()
    assert "Clear Fields Association" in content
    assert "National NGO" in content
    assert response.context["page"].paginator.count == 4


def test_search_matches_name_or_acronym(clients, people):
    response = clients["member"].get(LIST_URL, {"q": "tmac"})
    assert [o.name for o in response.context["page"]] == ["Testland Mine Action Centre"]
    response = clients["member"].get(LIST_URL, {"q": "clear fields"})
    assert [o.name for o in response.context["page"]] == ["Clear Fields Association"]


def test_filters_by_type_and_active_status(clients, people):
    make_organisation("Old Demining Ltd", OrganisationType.COMMERCIAL_OPERATOR, is_active=False)
    make_organisation("New Demining Ltd", OrganisationType.COMMERCIAL_OPERATOR)
    response = clients["member"].get(LIST_URL, {"type": "commercial_operator", "active": "no"})
    assert [o.name for o in response.context["page"]] == ["Old Demining Ltd"]
    response = clients["member"].get(LIST_URL, {"type": "commercial_operator", "active": "yes"})
    assert [o.name for o in response.context["page"]] == ["New Demining Ltd"]


def test_an_invalid_filter_value_is_reported_and_ignored(clients, people):
    response = clients["member"].get(LIST_URL, {"type": "pirates"})
    assert response.status_code == 200
    assert "Select a valid choice. pirates is not one of the available choices." in (
        response.content.decode()
    )
    assert response.context["page"].paginator.count == 4


def test_list_is_paginated_and_keeps_filters_in_page_links(clients, people):
    for number in range(30):
        make_organisation(f"Operator {number:02}", OrganisationType.COMMERCIAL_OPERATOR)
    response = clients["member"].get(LIST_URL, {"type": "commercial_operator"})
    assert len(response.context["page"].object_list) == 25
    assert 'href="?type=commercial_operator&amp;page=2"' in response.content.decode()
    response = clients["member"].get(LIST_URL, {"type": "commercial_operator", "page": 2})
    assert [o.name for o in response.context["page"]] == [f"Operator {n}" for n in range(25, 30)]


def test_htmx_request_gets_only_the_results_table(clients, people):
    response = clients["member"].get(LIST_URL, {"q": "clear"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert "Clear Fields Association" in content


def test_without_javascript_the_search_returns_the_whole_page(clients, people):
    content = clients["member"].get(LIST_URL, {"q": "clear"}).content.decode()
    assert "<html" in content
    assert 'hx-get="/stakeholders/organisations/"' in content
    assert 'action="/stakeholders/organisations/"' in content


def test_list_query_count_stays_flat(clients, people, django_assert_num_queries):
    client = clients["member"]
    baseline = queries_for(client, LIST_URL)
    for number in range(20):
        make_organisation(f"Operator {number:02}", OrganisationType.COMMERCIAL_OPERATOR)
    with django_assert_num_queries(baseline):
        client.get(LIST_URL)


def test_detail_shows_people_with_current_roles_and_lead_donor_terms(clients, people, donor_org):
    content = clients["member"].get(detail_url(donor_org)).content.decode()
    assert "Donor Focal" in content
    assert "Member" in content
    assert "2020-01-01" in content or "Jan. 1, 2020" in content
    assert "Current" in content


def test_detail_query_count_stays_flat(clients, people, ngo_org, django_assert_num_queries):
    client = clients["member"]
    baseline = queries_for(client, detail_url(ngo_org))
    for number in range(10):
        make_person(f"extra.{number}@example.org", ngo_org, role="member")
    with django_assert_num_queries(baseline):
        client.get(detail_url(ngo_org))


def test_secretariat_creates_an_organisation_and_the_audit_trail_names_them(clients, people):
    response = clients["secretariat"].post(CREATE_URL, {**VALID, "country": "tst"})
    organisation = Organisation.objects.get(name="Landmine Survivors Network")
    assert response.status_code == 302
    assert response.url == detail_url(organisation)
    assert organisation.country == "TST"
    entry = audit_entries(organisation).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == people["secretariat"].user


def test_lead_authority_edits_an_organisation_and_the_change_is_audited(clients, people, ngo_org):
    response = clients["lead_authority"].post(
        edit_url(ngo_org),
        {"name": "Clear Fields Association", "acronym": "CFA", "type": "national_ngo"},
    )
    assert response.status_code == 302
    ngo_org.refresh_from_db()
    assert ngo_org.acronym == "CFA"
    assert ngo_org.is_active is False  # an unticked box means inactive
    entry = audit_entries(ngo_org, AuditEntry.Action.UPDATE).get()
    assert entry.actor == people["lead_authority"].user
    assert entry.changes["acronym"] == ["", "CFA"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "type": "national_ngo"}, "name", "This field is required."),
        (
            {"name": "X", "type": "pirates"},
            "type",
            "Select a valid choice. pirates is not one of the available choices.",
        ),
        (
            {"name": "X", "type": "national_ngo", "country": "K1M"},
            "country",
            "Enter a three-letter ISO 3166 code, such as KHM.",
        ),
        (
            {"name": "X", "type": "national_ngo", "website": "not a url"},
            "website",
            "Enter a valid URL.",
        ),
        (
            {"name": "Clear Fields Association", "type": "national_ngo"},
            "name",
            "Organisation with this Name already exists.",
        ),
    ],
)
def test_bad_input_shows_the_field_error_and_creates_nothing(clients, people, data, field, message):
    before = Organisation.objects.count()
    audit_before = AuditEntry.objects.count()
    response = clients["secretariat"].post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "The form has errors" in response.content.decode()
    assert Organisation.objects.count() == before
    assert AuditEntry.objects.count() == audit_before


def test_bad_input_on_edit_changes_nothing(clients, people, ngo_org):
    response = clients["secretariat"].post(edit_url(ngo_org), {"name": "", "type": "academic"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    ngo_org.refresh_from_db()
    assert (ngo_org.name, ngo_org.type) == ("Clear Fields Association", "national_ngo")
