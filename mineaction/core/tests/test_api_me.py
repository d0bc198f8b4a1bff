"""GET /api/v1/me: who the token or session belongs to, and their roles today."""

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import token_client

ROLES = {
    "outsider": [],
    "observer": ["observer"],
    "member": ["member"],
    "lead_donor": ["lead_donor", "member"],
    "data_manager": ["data_manager"],
    "secretariat": ["secretariat"],
    "lead_authority": ["lead_authority"],
    "administrator": ["administrator"],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_me_answers_every_authenticated_persona_with_their_roles(people, persona):
    response = token_client(people, persona).get("/api/v1/me")

    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert response.json()["roles"] == ROLES[persona]


def test_me_describes_the_user_and_their_person(people):
    member = people["member"]

    response = token_client(people, "member").get("/api/v1/me")

    assert response.json() == {
        "user": {
            "public_id": str(member.user.public_id),
            "email": "ngo.member@example.org",
            "language": "en",
        },
        "person": {
            "public_id": str(member.public_id),
            "given_name": "Ngo",
            "family_name": "Member",
            "organisation": {
                "public_id": str(member.organisation.public_id),
                "name": "Clear Fields Association",
                "acronym": "",
            },
        },
        "roles": ["member"],
    }


def test_me_works_with_the_logged_in_session(clients):
    response = clients["observer"].get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["roles"] == ["observer"]
