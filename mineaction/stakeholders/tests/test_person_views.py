import pytest
from django.urls import reverse

from mineaction.conftest import make_person
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import AgeBand, Person, Sex, SurvivorStatus
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    DETAIL_ACCESS,
    LIST_ACCESS,
    LOGIN,
    assert_outcome,
    audit_entries,
    queries_for,
)

LIST_URL = reverse("stakeholders:person_list")
CREATE_URL = reverse("stakeholders:person_create")


def detail_url(person):
    return reverse("stakeholders:person_detail", args=[person.public_id])


def edit_url(person):
    return reverse("stakeholders:person_edit", args=[person.public_id])


def person_data(person, **changes):
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "job_title": person.job_title,
        "email": person.email or "",
        "phone": person.phone,
        "organisation": person.organisation_id,
        "sex": person.sex,
        "age_band": person.age_band,
        "survivor_status": person.survivor_status,
        "language": person.language,
    }
    return {**data, **changes}


@pytest.fixture
def survivor(people, ngo_org):
    return make_person(
        "amina.survivor@example.org",
        ngo_org,
        role="member",
        sex=Sex.FEMALE,
        age_band=AgeBand.FROM_30_TO_44,
        survivor_status=SurvivorStatus.SURVIVOR,
    )


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_person_list_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_person_detail_access_by_role(clients, survivor, persona, expected):
    assert_outcome(clients[persona].get(detail_url(survivor)), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_person_create_form_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", LOGIN),
        ("outsider", 404),
        ("observer", 403),
        ("member", 403),
        ("lead_donor", 403),
        ("data_manager", 403),
        ("secretariat", 200),
        ("lead_authority", 200),
        ("administrator", 200),
    ],
)
def test_person_edit_form_access_by_role(clients, survivor, persona, expected):
    assert_outcome(clients[persona].get(edit_url(survivor)), expected)


def test_member_cannot_change_someone_else(clients, survivor):
    response = clients["member"].post(edit_url(survivor), person_data(survivor, job_title="X"))
    assert response.status_code == 403
    survivor.refresh_from_db()
    assert survivor.job_title == ""


def test_search_matches_full_name_email_or_organisation(clients, survivor):
    def names(query):
        response = clients["member"].get(LIST_URL, {"q": query})
        return [str(person) for person in response.context["page"]]

    assert names("amina survivor") == ["Amina Survivor"]
    assert names("amina.survivor@") == ["Amina Survivor"]
    assert names("tmac") == ["Lead Authority", "Data Manager", "Admin User"]  # by family name


def test_filters_by_organisation_type_and_current_role(clients, survivor):
    response = clients["member"].get(
        LIST_URL, {"organisation_type": "national_ngo", "role": "observer"}
    )
    assert [str(p) for p in response.context["page"]] == ["Observer Person"]


def test_sex_and_age_filters_work_for_the_secretariat(clients, survivor):
    response = clients["secretariat"].get(LIST_URL, {"sex": "female", "age_band": "30_44"})
    assert [str(p) for p in response.context["page"]] == ["Amina Survivor"]


def test_sex_and_age_filters_are_not_offered_to_members_and_are_ignored(clients, survivor):
    response = clients["member"].get(LIST_URL, {"sex": "female"})
    assert "sex" not in response.context["filters"].fields
    assert response.context["page"].paginator.count == Person.objects.count()


def test_htmx_request_gets_only_the_results_table(clients, survivor):
    response = clients["member"].get(LIST_URL, {"q": "amina"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "Survivor, Amina" in content


def test_list_query_count_stays_flat(clients, people, ngo_org, django_assert_num_queries):
    baseline = queries_for(clients["member"], LIST_URL)
    for number in range(15):
        make_person(f"extra.{number}@example.org", ngo_org, role="member")
    with django_assert_num_queries(baseline):
        clients["member"].get(LIST_URL)


@pytest.mark.parametrize("persona", ["secretariat", "lead_authority", "administrator"])
def test_privileged_roles_see_sex_age_band_and_survivor_status(clients, survivor, persona):
    content = clients[persona].get(detail_url(survivor)).content.decode()
    assert "Female" in content
    assert "30 to 44" in content
    assert "Survivor status" in content


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_others_never_see_sensitive_details(clients, survivor, persona):
    content = clients[persona].get(detail_url(survivor)).content.decode()
    assert "Survivor status" not in content
    assert "Female" not in content
    assert "30 to 44" not in content


def test_a_person_sees_their_own_sensitive_details(survivor):
    from django.test import Client

    client = Client()
    client.force_login(survivor.user)
    content = client.get(detail_url(survivor)).content.decode()
    assert "Survivor status" in content
    assert "Female" in content


def test_secretariat_creates_a_person_and_the_audit_trail_names_them(clients, people, ngo_org):
    data = {
        "given_name": "Sok",
        "family_name": "Chea",
        "email": "Sok.Chea@Example.org",
        "organisation": ngo_org.pk,
        "sex": "male",
        "age_band": "18_29",
        "survivor_status": "survivor",
        "language": "fr",
    }
    response = clients["secretariat"].post(CREATE_URL, data)
    person = Person.objects.get(family_name="Chea")
    assert response.status_code == 302
    assert response.url == detail_url(person)
    assert person.email == "sok.chea@example.org"
    assert person.survivor_status == "survivor"
    assert audit_entries(person).get().actor == people["secretariat"].user


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        (
            {"email": "ngo.member@example.org"},
            "email",
            "A person with this email address is already recorded.",
        ),
        (
            {"sex": "robot"},
            "sex",
            "Select a valid choice. robot is not one of the available choices.",
        ),
        (
            {"organisation": "999999"},
            "organisation",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_input_on_create_shows_the_error_and_creates_nothing(
    clients, people, ngo_org, changes, field, message
):
    data = {"given_name": "Sok", "family_name": "Chea", "organisation": ngo_org.pk}
    data.update({"sex": "male", "age_band": "18_29", "language": "en"}, **changes)
    before = Person.objects.count()
    response = clients["secretariat"].post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Person.objects.count() == before


def test_a_person_edits_their_own_record(clients, people):
    member = people["member"]
    response = clients["member"].post(
        edit_url(member), person_data(member, job_title="Field coordinator", language="es")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.job_title == "Field coordinator"
    assert member.user.language == "es"
    entry = audit_entries(member, AuditEntry.Action.UPDATE).get()
    assert entry.actor == member.user
    assert entry.changes["job_title"] == ["", "Field coordinator"]


def test_own_record_form_has_no_survivor_status_or_organisation(clients, people, donor_org):
    member = people["member"]
    form = clients["member"].get(edit_url(member)).context["form"]
    assert "survivor_status" not in form.fields
    assert "organisation" not in form.fields
    response = clients["member"].post(
        edit_url(member),
        person_data(member, survivor_status="survivor", organisation=donor_org.pk),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.survivor_status == SurvivorStatus.UNKNOWN
    assert member.organisation.name == "Clear Fields Association"


def test_privileged_person_edits_their_own_survivor_status(clients, people):
    officer = people["secretariat"]
    response = clients["secretariat"].post(
        edit_url(officer), person_data(officer, survivor_status="indirect_victim")
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.survivor_status == "indirect_victim"


def test_changing_the_email_changes_the_log_in_address(clients, people):
    member = people["member"]
    clients["secretariat"].post(edit_url(member), person_data(member, email="New@Example.org"))
    member.user.refresh_from_db()
    assert member.user.email == "new@example.org"


def test_email_of_a_person_who_logs_in_cannot_be_removed(clients, people):
    member = people["member"]
    response = clients["secretariat"].post(edit_url(member), person_data(member, email=""))
    assert response.context["form"].errors["email"] == [
        "This person logs in with their email address; it cannot be removed."
    ]
    member.refresh_from_db()
    assert member.email == "ngo.member@example.org"


def test_email_already_used_by_another_log_in_is_refused(clients, people, ngo_org):
    from mineaction.core.models import User

    User.objects.create_user("taken@example.org", "x")
    person = Person.objects.create(given_name="A", family_name="B", organisation=ngo_org)
    response = clients["secretariat"].post(
        edit_url(person), person_data(person, email="taken@example.org")
    )
    assert response.context["form"].errors["email"] == [
        "Another log-in already uses this email address."
    ]
    person.refresh_from_db()
    assert person.email is None


def test_bad_input_on_edit_shows_the_error_and_changes_nothing(clients, survivor):
    response = clients["secretariat"].post(
        edit_url(survivor), person_data(survivor, family_name="", age_band="ancient")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["family_name"] == ["This field is required."]
    assert errors["age_band"] == [
        "Select a valid choice. ancient is not one of the available choices."
    ]
    survivor.refresh_from_db()
    assert (survivor.family_name, survivor.age_band) == ("Survivor", "30_44")
    assert not audit_entries(survivor, AuditEntry.Action.UPDATE).exists()
