import pytest
from django.urls import reverse

from mineaction.conftest import make_person
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.models import WorkingGroup
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    DETAIL_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    assert_outcome,
    audit_entries,
    queries_for,
)

LIST_URL = reverse("stakeholders:working_group_list")
CREATE_URL = reverse("stakeholders:working_group_create")


def detail_url(group):
    return reverse("stakeholders:working_group_detail", args=[group.public_id])


def edit_url(group):
    return reverse("stakeholders:working_group_edit", args=[group.public_id])


@pytest.fixture
def technical_group(people):
    group = WorkingGroup.objects.create(
        name="Technical working group", component="technical", mandate="Standards and tasking."
    )
    group.conveners.add(people["data_manager"])
    group.members.add(people["data_manager"], people["member"])
    return group


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_working_group_list_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_working_group_detail_access_by_role(clients, technical_group, persona, expected):
    assert_outcome(clients[persona].get(detail_url(technical_group)), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_working_group_create_form_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_working_group_edit_form_access_by_role(clients, technical_group, persona, expected):
    assert_outcome(clients[persona].get(edit_url(technical_group)), expected)


def test_list_shows_component_and_counts(clients, technical_group):
    response = clients["member"].get(LIST_URL)
    group = response.context["groups"].get()
    assert (group.convener_count, group.member_count) == (1, 2)
    assert "Technical" in response.content.decode()


def test_list_query_count_stays_flat(clients, technical_group, django_assert_num_queries):
    baseline = queries_for(clients["member"], LIST_URL)
    for component in ["political", "participation", "resource_mobilisation"]:
        WorkingGroup.objects.create(name=f"{component} group", component=component)
    with django_assert_num_queries(baseline):
        clients["member"].get(LIST_URL)


def test_detail_lists_conveners_and_members(clients, technical_group):
    response = clients["observer"].get(detail_url(technical_group))
    assert [str(p) for p in response.context["conveners"]] == ["Data Manager"]
    assert [str(p) for p in response.context["members"]] == ["Data Manager", "Ngo Member"]


def test_detail_query_count_stays_flat(
    clients, technical_group, ngo_org, django_assert_num_queries
):
    baseline = queries_for(clients["member"], detail_url(technical_group))
    for number in range(10):
        technical_group.members.add(make_person(f"wg.{number}@example.org", ngo_org))
    with django_assert_num_queries(baseline):
        clients["member"].get(detail_url(technical_group))


def test_secretariat_creates_a_group_and_conveners_become_members(clients, people):
    response = clients["secretariat"].post(
        CREATE_URL,
        {
            "name": "Victim assistance group",
            "component": "participation",
            "conveners": [people["member"].pk],
            "members": [people["observer"].pk],
        },
    )
    group = WorkingGroup.objects.get(name="Victim assistance group")
    assert response.status_code == 302
    assert response.url == detail_url(group)
    assert set(group.members.all()) == {people["member"], people["observer"]}
    entries = audit_entries(group)
    assert {e.action for e in entries} == {AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE}
    assert {e.actor for e in entries} == {people["secretariat"].user}


def test_changing_members_is_recorded_in_the_audit_trail(clients, people, technical_group):
    response = clients["lead_authority"].post(
        edit_url(technical_group),
        {
            "name": "Technical working group",
            "component": "technical",
            "mandate": "Standards and tasking.",
            "conveners": [people["data_manager"].pk],
            "members": [people["data_manager"].pk, people["observer"].pk],
        },
    )
    assert response.status_code == 302
    entry = audit_entries(technical_group, AuditEntry.Action.UPDATE).get()
    assert entry.actor == people["lead_authority"].user
    assert entry.changes == {
        "members": [["Data Manager", "Ngo Member"], ["Data Manager", "Observer Person"]]
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "component": "technical"}, "name", "This field is required."),
        (
            {"name": "X", "component": "military"},
            "component",
            "Select a valid choice. military is not one of the available choices.",
        ),
        (
            {"name": "Technical working group", "component": "technical"},
            "name",
            "Working group with this Name already exists.",
        ),
        (
            {"name": "X", "component": "technical", "members": ["999999"]},
            "members",
            "Select a valid choice. 999999 is not one of the available choices.",
        ),
    ],
)
def test_bad_input_shows_the_field_error_and_creates_nothing(
    clients, technical_group, data, field, message
):
    before = WorkingGroup.objects.count()
    audit_before = AuditEntry.objects.count()
    response = clients["secretariat"].post(CREATE_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert WorkingGroup.objects.count() == before
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("persona", ["outsider", "observer", "member"])
def test_read_only_users_cannot_change_a_group(clients, technical_group, persona):
    response = clients[persona].post(
        edit_url(technical_group), {"name": "Renamed", "component": "political"}
    )
    assert response.status_code == (404 if persona == "outsider" else 403)
    technical_group.refresh_from_db()
    assert technical_group.name == "Technical working group"
    assert technical_group.members.count() == 2


def test_bad_input_on_edit_shows_the_error_and_changes_nothing(clients, technical_group):
    response = clients["secretariat"].post(
        edit_url(technical_group), {"name": "", "component": "political", "members": []}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    technical_group.refresh_from_db()
    assert technical_group.component == "technical"
    assert technical_group.members.count() == 2
