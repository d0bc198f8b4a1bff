import datetime

import pytest

from mineaction.core.choices import Role
from mineaction.stakeholders.models import Membership

URL = "/api/v1/participation"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("outsider", 403),
        ("observer", 200),
        ("member", 200),
        ("secretariat", 200),
    ],
)
def test_participation_is_for_readers(clients, persona, status):
    assert clients[persona].get(URL).status_code == status


def test_participation_gives_the_same_figures_as_the_page(clients, people):
    data = clients["member"].get(URL).json()
    assert data["total"] == 6
    assert {row["key"]: row["count"] for row in data["by_organisation_type"]}["national_ngo"] == 2
    assert [c["key"] for c in data["constituencies"]] == [
        c["key"]
        for c in clients["member"]
        .get("/stakeholders/participation/")
        .context["summary"]["constituencies"]
    ]


def test_participation_counts_on_a_past_date(clients, people):
    Membership.objects.filter(role=Role.OBSERVER).update(starts_on=datetime.date(2024, 1, 1))
    data = clients["member"].get(URL, {"on": "2023-06-30"}).json()
    assert data["on"] == "2023-06-30"
    assert data["total"] == 5


def test_participation_refuses_a_bad_date(clients):
    response = clients["member"].get(URL, {"on": "30/06/2023"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"on": ["This value is not valid."]}
