"""/api/v1/people: list, detail, create, change; sensitive fields only for those allowed."""

import pytest

from mineaction.conftest import PERSONAS, make_person
from mineaction.core.models import AuditEntry
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.stakeholders.models import Person

LIST = "/api/v1/people"
READERS = ["observer", "member", "lead_donor", "data_manager"]
SENSITIVE = ["secretariat", "lead_authority", "administrator"]
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
CREATE_STATUS = {"anonymous": 401, "outsider": 403, **dict.fromkeys(READERS, 403)}
UPDATE_STATUS = {"anonymous": 401, "outsider": 404, **dict.fromkeys(READERS, 403)}


def url(person):
    return f"{LIST}/{person.public_id}"


def new_person(organisation, **fields):
    return {
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "Amina.Diallo@Example.org",
        "organisation": str(organisation.public_id),
        "sex": "female",
        "age_band": "30_44",
        **fields,
    }


def state():
    return list(Person.objects.order_by("pk").values()), AuditEntry.objects.count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_people_list_is_for_members_only(people, persona):
    assert token_client(people, persona).get(LIST).status_code == LIST_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_person_detail_is_hidden_from_outsiders(people, persona):
    response = token_client(people, persona).get(url(people["member"]))

    assert response.status_code == RECORD_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_register_people(people, ngo_org, persona):
    response = send(token_client(people, persona), "post", LIST, new_person(ngo_org))

    expected = CREATE_STATUS.get(persona, 201)
    assert response.status_code == expected
    assert Person.objects.filter(family_name="Diallo").exists() == (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_change_someone_else(people, persona):
    target = people["observer"]
    response = send(token_client(people, persona), "patch", url(target), {"job_title": "Chair"})

    expected = UPDATE_STATUS.get(persona, 200)
    if persona == "observer":
        expected = 200  # their own record
    assert response.status_code == expected
    target.refresh_from_db()
    assert target.job_title == ("Chair" if expected == 200 else "")


def test_person_payload_for_a_member_hides_sex_age_and_survivor_status(people):
    observer = people["observer"]

    response = token_client(people, "member").get(url(observer))

    assert response.json() == {
        "public_id": str(observer.public_id),
        "given_name": "Observer",
        "family_name": "Person",
        "job_title": "",
        "email": "observer.person@example.org",
        "phone": "",
        "organisation": {
            "public_id": str(observer.organisation.public_id),
            "name": "Clear Fields Association",
            "acronym": "",
        },
        "language": "en",
        "has_log_in": True,
    }


def test_person_sees_their_own_sex_and_age_band_but_not_survivor_status(people):
    member = people["member"]
    member.sex, member.age_band, member.survivor_status = "female", "18_29", "survivor"
    member.save()

    body = token_client(people, "member").get(url(member)).json()

    assert (body["sex"], body["age_band"]) == ("female", "18_29")
    assert "survivor_status" not in body


@pytest.mark.parametrize("persona", SENSITIVE)
def test_sensitive_readers_see_survivor_status(people, persona):
    member = people["member"]
    member.survivor_status = "survivor"
    member.save()

    body = token_client(people, persona).get(url(member)).json()

    assert (body["sex"], body["age_band"], body["survivor_status"]) == (
        "undisclosed",
        "undisclosed",
        "survivor",
    )


def test_people_list_hides_sensitive_fields_from_members(people):
    rows = token_client(people, "observer").get(LIST).json()["results"]

    own = [row for row in rows if row["public_id"] == str(people["observer"].public_id)]
    others = [row for row in rows if row["public_id"] != str(people["observer"].public_id)]
    assert "sex" in own[0]
    assert all("sex" not in row and "age_band" not in row for row in others)
    assert all("survivor_status" not in row for row in rows)


def test_member_cannot_filter_people_by_sex(people):
    response = token_client(people, "member").get(f"{LIST}?sex=female")

    assert response.status_code == 403
    assert response.json()["errors"] == {"sex": ["You are not allowed to filter by this field."]}


def test_secretariat_filters_people_by_sex_and_role(people):
    people["observer"].sex = "female"
    people["observer"].save()
    client = token_client(people, "secretariat")

    by_sex = client.get(f"{LIST}?sex=female").json()
    by_role = client.get(f"{LIST}?role=observer").json()

    assert [row["family_name"] for row in by_sex["results"]] == ["Person"]
    assert [row["family_name"] for row in by_role["results"]] == ["Person"]


def test_people_list_filters_by_organisation(people, donor_org):
    body = token_client(people, "member").get(f"{LIST}?organisation={donor_org.public_id}").json()

    assert [row["email"] for row in body["results"]] == ["donor.focal@example.org"]


def test_people_list_queries_stay_flat(people, ngo_org):
    client = token_client(people, "secretariat")
    few = queries_for(client, LIST)
    for number in range(15):
        Person.objects.create(given_name="Extra", family_name=f"P{number}", organisation=ngo_org)

    assert queries_for(client, LIST) == few == 7


def test_secretariat_registers_a_person_with_survivor_status(people, ngo_org):
    client = token_client(people, "secretariat")

    response = send(client, "post", LIST, new_person(ngo_org, survivor_status="survivor"))

    assert response.status_code == 201
    person = Person.objects.get(family_name="Diallo")
    assert (person.email, person.survivor_status, person.sex) == (
        "amina.diallo@example.org",
        "survivor",
        "female",
    )
    assert response.json()["survivor_status"] == "survivor"


def test_member_cannot_set_their_own_survivor_status(people):
    before = state()

    response = send(
        token_client(people, "member"),
        "patch",
        url(people["member"]),
        {"survivor_status": "survivor", "job_title": "Chair"},
    )

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "survivor_status": ["You are not allowed to change this field."]
    }
    assert state() == before


def test_member_cannot_move_themselves_to_another_organisation(people, donor_org):
    before = state()

    response = send(
        token_client(people, "member"),
        "patch",
        url(people["member"]),
        {"organisation": str(donor_org.public_id)},
    )

    assert response.status_code == 403
    assert response.json()["errors"] == {
        "organisation": ["You are not allowed to change this field."]
    }
    assert state() == before


def test_member_changes_their_own_details_and_log_in_language(people):
    member = people["member"]

    response = send(
        token_client(people, "member"), "patch", url(member), {"language": "fr", "sex": "male"}
    )

    assert response.status_code == 200
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.language, member.sex, member.user.language) == ("fr", "male", "fr")


def test_bad_new_person_gets_field_errors_and_changes_nothing(people, donor_org):
    before = state()
    bad = new_person(
        donor_org,
        given_name="",
        sex="other",
        email="ngo.member@example.org",
        age_band="old",
        language="xx",
    )
    bad["organisation"] = "00000000-0000-0000-0000-000000000000"

    response = send(token_client(people, "secretariat"), "post", LIST, bad)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "given_name": ["This field is required."],
        "email": ["A person with this email address is already recorded."],
        "organisation": ["Select a valid choice. That choice is not one of the available choices."],
        "sex": ["Select a valid choice. other is not one of the available choices."],
        "age_band": ["Select a valid choice. old is not one of the available choices."],
        "language": ["Select a valid choice. xx is not one of the available choices."],
    }
    assert state() == before


def test_bad_person_change_gets_french_errors_and_changes_nothing(people):
    before = state()

    response = send(
        token_client(people, "lead_authority"),
        "patch",
        url(people["observer"]),
        {"family_name": None, "email": "not-an-email"},
        **{"Accept-Language": "fr"},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "family_name": ["Ce champ est obligatoire."],
        "email": ["Saisissez une adresse de courriel valide."],
    }
    assert state() == before


def test_put_replaces_a_person_and_resets_what_was_not_sent(people, ngo_org):
    person = make_person("field.officer@example.org", ngo_org, job_title="Officer", sex="male")

    response = send(
        token_client(people, "secretariat"),
        "put",
        url(person),
        {
            "given_name": "Field",
            "family_name": "Officer",
            "email": "field.officer@example.org",
            "organisation": str(ngo_org.public_id),
        },
    )

    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.job_title, person.sex, person.survivor_status) == (
        "",
        "undisclosed",
        "unknown",
    )
