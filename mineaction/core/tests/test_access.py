import pytest

from mineaction.core import access
from mineaction.core.choices import ADMINISTRATOR, LEAD_DONOR, Role


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("administrator", {ADMINISTRATOR}),
        ("lead_authority", {Role.LEAD_AUTHORITY}),
        ("secretariat", {Role.SECRETARIAT}),
        ("data_manager", {Role.DATA_MANAGER}),
        ("lead_donor", {Role.MEMBER, LEAD_DONOR}),
        ("member", {Role.MEMBER}),
        ("observer", {Role.OBSERVER}),
        ("outsider", set()),
    ],
)
def test_roles_come_from_current_memberships_and_the_rotation(people, persona, expected):
    assert access.roles_of(people[persona].user) == expected


def test_anonymous_visitor_is_sent_to_log_in_from_member_pages(clients):
    response = clients["anonymous"].get("/stakeholders/organisations/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_logged_in_person_without_membership_is_refused_member_pages(clients):
    assert clients["outsider"].get("/stakeholders/organisations/").status_code == 403
