import pytest
from django.urls import reverse

MODELS = ["organisation", "person", "membership", "leaddonorterm", "workinggroup"]


@pytest.mark.parametrize("model", MODELS)
def test_administrator_can_browse_stakeholders_in_the_admin(clients, model):
    response = clients["administrator"].get(reverse(f"admin:stakeholders_{model}_changelist"))
    assert response.status_code == 200


def test_admin_search_finds_a_person_by_organisation(clients):
    url = reverse("admin:stakeholders_person_changelist")
    response = clients["administrator"].get(url, {"q": "Clear Fields"})
    assert response.context["cl"].result_count == 3


@pytest.mark.parametrize("persona", ["secretariat", "member"])
def test_non_staff_cannot_open_the_admin(clients, persona):
    response = clients[persona].get(reverse("admin:stakeholders_person_changelist"))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
