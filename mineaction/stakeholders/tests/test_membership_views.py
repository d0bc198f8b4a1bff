import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.core import access
from mineaction.core.choices import Role
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import Membership, Person
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    EDIT_ACCESS,
    assert_outcome,
    audit_entries,
)

CREATE_URL = reverse("stakeholders:membership_create")


def edit_url(membership):
    return reverse("stakeholders:membership_edit", args=[membership.public_id])


@pytest.fixture
def newcomer(people, ngo_org):
    return Person.objects.create(given_name="Nou", family_name="Dara", organisation=ngo_org)


def grant(newcomer, role="member", **changes):
    return {"person": newcomer.pk, "role": role, "starts_on": "2025-01-01", **changes}


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_membership_create_form_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_membership_edit_form_access_by_role(clients, people, persona, expected):
    membership = people["observer"].memberships.get()
    assert_outcome(clients[persona].get(edit_url(membership)), expected)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_read_only_users_cannot_grant_a_role(clients, newcomer, persona):
    response = clients[persona].post(CREATE_URL, grant(newcomer))
    assert response.status_code == 403
    assert newcomer.memberships.count() == 0


def test_secretariat_grants_a_membership_and_the_audit_trail_names_them(clients, people, newcomer):
    response = clients["secretariat"].post(CREATE_URL, grant(newcomer, notes="Plenary 2025"))
    membership = newcomer.memberships.get()
    assert response.status_code == 302
    assert response.url == reverse("stakeholders:person_detail", args=[newcomer.public_id])
    assert (membership.role, membership.starts_on) == ("member", datetime.date(2025, 1, 1))
    entry = audit_entries(membership).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == people["secretariat"].user


def test_the_form_is_prefilled_with_the_person_from_the_link(clients, newcomer):
    response = clients["secretariat"].get(CREATE_URL, {"person": str(newcomer.public_id)})
    assert response.context["form"].initial["person"] == newcomer


def test_secretariat_is_offered_only_roles_it_may_grant(clients):
    form = clients["secretariat"].get(CREATE_URL).context["form"]
    offered = [value for value, _label in form.fields["role"].choices]
    assert offered == ["data_manager", "member", "observer"]


def test_lead_authority_is_offered_every_role(clients):
    form = clients["lead_authority"].get(CREATE_URL).context["form"]
    assert [value for value, _label in form.fields["role"].choices] == list(Role.values)


@pytest.mark.parametrize("role", ["lead_authority", "secretariat"])
def test_secretariat_cannot_make_someone_lead_authority_or_secretariat(clients, newcomer, role):
    response = clients["secretariat"].post(CREATE_URL, grant(newcomer, role=role))
    assert response.status_code == 403
    assert newcomer.memberships.count() == 0


def test_lead_authority_appoints_the_secretariat(clients, newcomer):
    response = clients["lead_authority"].post(CREATE_URL, grant(newcomer, role="secretariat"))
    assert response.status_code == 302
    assert newcomer.memberships.get().role == "secretariat"


def test_secretariat_cannot_edit_a_lead_authority_membership(clients, people):
    membership = people["lead_authority"].memberships.get()
    response = clients["secretariat"].post(
        edit_url(membership),
        {"role": "lead_authority", "starts_on": "2020-01-01", "ends_on": "2024-01-01"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_secretariat_cannot_promote_a_member_to_lead_authority_by_editing(clients, people):
    membership = people["member"].memberships.get()
    response = clients["secretariat"].post(
        edit_url(membership), {"role": "lead_authority", "starts_on": "2020-01-01"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "member"


def test_ending_a_term_removes_the_role_after_its_last_day(clients, people):
    observer = people["observer"]
    membership = observer.memberships.get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = clients["secretariat"].post(
        edit_url(membership),
        {"role": "observer", "starts_on": "2020-01-01", "ends_on": yesterday.isoformat()},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == yesterday
    observer.user.refresh_from_db()
    assert access.roles_of(observer.user) == frozenset()
    entry = audit_entries(membership, AuditEntry.Action.UPDATE).get()
    assert entry.actor == people["secretariat"].user
    assert entry.changes["ends_on"] == [None, yesterday.isoformat()]


def test_end_term_link_prefills_today(clients, people):
    membership = people["observer"].memberships.get()
    response = clients["secretariat"].get(edit_url(membership), {"end": "1"})
    assert response.context["form"].initial["ends_on"] == timezone.localdate()


def test_the_person_of_a_membership_cannot_be_changed(clients, people, newcomer):
    membership = people["observer"].memberships.get()
    clients["secretariat"].post(
        edit_url(membership),
        {"person": newcomer.pk, "role": "observer", "starts_on": "2020-01-01"},
    )
    membership.refresh_from_db()
    assert membership.person == people["observer"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_on": "not a date"}, "starts_on", "Enter a valid date."),
        (
            {"role": "emperor"},
            "role",
            "Select a valid choice. emperor is not one of the available choices.",
        ),
        ({"ends_on": "2024-12-31"}, "ends_on", "A term cannot end before it starts."),
        ({"person": ""}, "person", "This field is required."),
    ],
)
def test_bad_input_shows_the_field_error_and_grants_nothing(
    clients, newcomer, changes, field, message
):
    before = Membership.objects.count()
    response = clients["secretariat"].post(CREATE_URL, grant(newcomer, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Membership.objects.count() == before


def test_overlapping_term_in_the_same_role_is_refused(clients, people):
    member = people["member"]
    before = Membership.objects.count()
    response = clients["secretariat"].post(
        CREATE_URL, {"person": member.pk, "role": "member", "starts_on": "2024-06-01"}
    )
    assert response.context["form"].non_field_errors() == [
        "This person already holds this role for part of that term."
    ]
    assert Membership.objects.count() == before


def test_person_detail_offers_edit_only_for_grantable_roles(clients, people):
    url = reverse("stakeholders:person_detail", args=[people["lead_authority"].public_id])
    content = clients["secretariat"].get(url).content.decode()
    membership = people["lead_authority"].memberships.get()
    assert edit_url(membership) not in content
    content = clients["lead_authority"].get(url).content.decode()
    assert edit_url(membership) in content


def test_bad_input_on_edit_shows_the_error_and_changes_nothing(clients, people):
    membership = people["observer"].memberships.get()
    response = clients["secretariat"].post(
        edit_url(membership),
        {"role": "observer", "starts_on": "2020-01-01", "ends_on": "2019-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["A term cannot end before it starts."]
    membership.refresh_from_db()
    assert membership.ends_on is None
    assert not audit_entries(membership, AuditEntry.Action.UPDATE).exists()
