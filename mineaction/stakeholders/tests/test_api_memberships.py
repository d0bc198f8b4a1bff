"""/api/v1/memberships: roles for dated terms, granted only by those allowed to."""

import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Role
from mineaction.core.models import AuditEntry
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.stakeholders.models import Membership, Person

LIST = "/api/v1/memberships"
READERS = ["observer", "member", "lead_donor", "data_manager"]
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
CREATE_STATUS = {"anonymous": 401, "outsider": 403, **dict.fromkeys(READERS, 403)}
UPDATE_STATUS = {"anonymous": 401, "outsider": 404, **dict.fromkeys(READERS, 403)}


def url(membership):
    return f"{LIST}/{membership.public_id}"


def membership_of(person):
    return person.memberships.get()


def grant(person, role="member", **fields):
    return {"person": str(person.public_id), "role": role, "starts_on": "2025-01-01", **fields}


def state():
    return list(Membership.objects.order_by("pk").values()), AuditEntry.objects.count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_membership_list_is_for_members_only(people, persona):
    assert token_client(people, persona).get(LIST).status_code == LIST_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_membership_detail_is_hidden_from_outsiders(people, persona):
    response = token_client(people, persona).get(url(membership_of(people["member"])))

    assert response.status_code == RECORD_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_grant_roles(people, persona):
    response = send(token_client(people, persona), "post", LIST, grant(people["outsider"]))

    expected = CREATE_STATUS.get(persona, 201)
    assert response.status_code == expected
    assert people["outsider"].memberships.exists() == (expected == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_member_managers_change_memberships(people, persona):
    membership = membership_of(people["observer"])

    response = send(token_client(people, persona), "patch", url(membership), {"notes": "Chair"})

    expected = UPDATE_STATUS.get(persona, 200)
    assert response.status_code == expected
    membership.refresh_from_db()
    assert membership.notes == ("Chair" if expected == 200 else "")


@pytest.mark.parametrize("role", [Role.LEAD_AUTHORITY, Role.SECRETARIAT])
def test_secretariat_cannot_grant_senior_roles(people, role):
    before = state()

    response = send(
        token_client(people, "secretariat"), "post", LIST, grant(people["outsider"], role)
    )

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "role": ["Only the lead authority and administrators grant this role."]
    }
    assert state() == before


def test_secretariat_cannot_promote_a_member_to_lead_authority(people):
    membership = membership_of(people["member"])
    before = state()

    response = send(
        token_client(people, "secretariat"), "patch", url(membership), {"role": "lead_authority"}
    )

    assert response.status_code == 403
    assert state() == before


def test_secretariat_cannot_change_the_lead_authoritys_membership(people):
    membership = membership_of(people["lead_authority"])

    response = send(token_client(people, "secretariat"), "patch", url(membership), {"notes": "x"})

    assert response.status_code == 403


def test_lead_authority_grants_the_secretariat_role(people):
    response = send(
        token_client(people, "lead_authority"),
        "post",
        LIST,
        grant(people["outsider"], "secretariat"),
    )

    assert response.status_code == 201
    assert response.json()["role"] == "secretariat"


def test_membership_payload(people):
    membership = membership_of(people["observer"])
    observer = people["observer"]

    response = token_client(people, "member").get(url(membership))

    assert response.json() == {
        "public_id": str(membership.public_id),
        "person": {
            "public_id": str(observer.public_id),
            "given_name": "Observer",
            "family_name": "Person",
            "organisation": {
                "public_id": str(observer.organisation.public_id),
                "name": "Clear Fields Association",
                "acronym": "",
            },
        },
        "role": "observer",
        "starts_on": "2020-01-01",
        "ends_on": None,
        "notes": "",
        "current": True,
    }


def test_membership_list_filters_by_person_role_and_current(people):
    Membership.objects.create(
        person=people["member"],
        role=Role.OBSERVER,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
    )
    client = token_client(people, "member")

    by_person = client.get(f"{LIST}?person={people['member'].public_id}").json()
    observers = client.get(f"{LIST}?role=observer").json()
    past = client.get(f"{LIST}?current=false").json()
    current = client.get(f"{LIST}?current=true").json()

    assert [row["role"] for row in by_person["results"]] == ["member", "observer"]
    assert observers["count"] == 2
    assert [(row["role"], row["current"]) for row in past["results"]] == [("observer", False)]
    assert current["count"] == 6


def test_membership_list_queries_stay_flat(people, ngo_org):
    client = token_client(people, "member")
    few = queries_for(client, LIST)
    for number in range(15):
        person = Person.objects.create(
            given_name="P", family_name=str(number), organisation=ngo_org
        )
        Membership.objects.create(person=person, role=Role.MEMBER)

    assert queries_for(client, LIST) == few == 7


def test_ending_a_membership_defaults_to_today(people):
    membership = membership_of(people["member"])

    response = send(token_client(people, "secretariat"), "post", f"{url(membership)}/end", {})

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.ends_on == timezone.localdate()
    assert response.json()["current"] is True  # the term includes its last day


def test_ending_a_membership_on_a_past_date_makes_it_past(people):
    membership = membership_of(people["member"])

    response = send(
        token_client(people, "secretariat"),
        "post",
        f"{url(membership)}/end",
        {"ends_on": "2024-06-30"},
    )

    assert response.json()["current"] is False
    assert membership_of(people["member"]).ends_on == datetime.date(2024, 6, 30)


def test_ending_before_the_start_is_refused_and_changes_nothing(people):
    membership = membership_of(people["member"])
    before = state()

    response = send(
        token_client(people, "secretariat"),
        "post",
        f"{url(membership)}/end",
        {"ends_on": "2019-01-01"},
        **{"Accept-Language": "fr"},
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["ends_on"]
    assert state() == before


def test_bad_new_membership_gets_field_errors_and_changes_nothing(people):
    before = state()
    bad = {"person": "nobody", "role": "king", "starts_on": "yesterday", "ends_on": "2020-13-01"}

    response = send(token_client(people, "lead_authority"), "post", LIST, bad)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "person": ["Select a valid choice. That choice is not one of the available choices."],
        "role": ["Select a valid choice. king is not one of the available choices."],
        "starts_on": ["Enter a valid date."],
        "ends_on": ["Enter a valid date."],
    }
    assert state() == before


def test_overlapping_membership_is_refused_and_changes_nothing(people):
    before = state()

    response = send(
        token_client(people, "secretariat"), "post", LIST, grant(people["member"], "member")
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["This person already holds this role for part of that term."]
    }
    assert state() == before


def test_membership_cannot_move_to_another_person(people):
    membership = membership_of(people["member"])
    before = state()

    response = send(
        token_client(people, "secretariat"),
        "patch",
        url(membership),
        {"person": str(people["observer"].public_id)},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"person": ["This cannot be changed."]}
    assert state() == before


def test_put_replaces_a_membership_term(people):
    membership = membership_of(people["member"])

    response = send(
        token_client(people, "secretariat"),
        "put",
        url(membership),
        {"person": str(people["member"].public_id), "role": "observer", "starts_on": "2021-01-01"},
    )

    assert response.status_code == 200
    membership.refresh_from_db()
    assert (membership.role, membership.starts_on) == ("observer", datetime.date(2021, 1, 1))
