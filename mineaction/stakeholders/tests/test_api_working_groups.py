"""/api/v1/working-groups: groups per component with their conveners and members."""

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.core.tests.api_support import PROBLEM, queries_for, token_client
from mineaction.stakeholders.models import Person, WorkingGroup

LIST = "/api/v1/working-groups"


@pytest.fixture
def technical_group(people):
    group = WorkingGroup.objects.create(
        name="Technical working group", component=Component.TECHNICAL, mandate="Standards."
    )
    group.conveners.add(people["data_manager"])
    group.members.add(people["data_manager"], people["member"])
    return group


@pytest.mark.parametrize("persona", PERSONAS)
def test_working_group_list_is_for_members_only(people, technical_group, persona):
    response = token_client(people, persona).get(LIST)

    assert response.status_code == {"anonymous": 401, "outsider": 403}.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_working_group_detail_is_hidden_from_outsiders(people, technical_group, persona):
    response = token_client(people, persona).get(f"{LIST}/{technical_group.public_id}")

    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(persona, 200)


def person(record):
    return {
        "public_id": str(record.public_id),
        "given_name": record.given_name,
        "family_name": record.family_name,
        "organisation": {
            "public_id": str(record.organisation.public_id),
            "name": record.organisation.name,
            "acronym": record.organisation.acronym,
        },
    }


def test_working_group_payload(people, technical_group):
    response = token_client(people, "observer").get(f"{LIST}/{technical_group.public_id}")

    assert response.json() == {
        "public_id": str(technical_group.public_id),
        "name": "Technical working group",
        "component": "technical",
        "mandate": "Standards.",
        "conveners": [person(people["data_manager"])],
        "members": [person(people["data_manager"]), person(people["member"])],
    }


def test_working_group_list_filters_by_component(people, technical_group):
    WorkingGroup.objects.create(name="Resources", component=Component.RESOURCE_MOBILISATION)
    client = token_client(people, "member")

    technical = client.get(f"{LIST}?component=technical").json()
    wrong = client.get(f"{LIST}?component=cooking")

    assert [row["name"] for row in technical["results"]] == ["Technical working group"]
    assert wrong.status_code == 400
    assert wrong["Content-Type"] == PROBLEM


def test_working_group_list_queries_stay_flat(people, technical_group):
    client = token_client(people, "member")
    few = queries_for(client, LIST)
    everyone = list(Person.objects.all())
    for number in range(10):
        group = WorkingGroup.objects.create(name=f"Group {number}", component=Component.POLITICAL)
        group.conveners.add(everyone[0])
        group.members.add(*everyone)

    assert queries_for(client, LIST) == few == 9
