import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from mineaction.conftest import make_organisation, make_person
from mineaction.stakeholders import services
from mineaction.stakeholders.models import Membership, OrganisationType
from mineaction.stakeholders.tests.helpers import LIST_ACCESS, assert_outcome, queries_for

URL = reverse("stakeholders:participation")


def rows_by_key(rows):
    return {row["key"]: row for row in rows}


@pytest.fixture
def summary(people):
    with translation.override("en"):
        return services.participation_summary()


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_participation_page_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(URL), expected)


def test_members_are_people_with_a_current_membership(summary):
    # Six personas hold a current role; the administrator and the outsider hold none.
    assert summary["total"] == 6


def test_breakdown_by_organisation_type_counts_and_shares(summary):
    by_type = rows_by_key(summary["by_organisation_type"])
    assert by_type["national_authority"]["count"] == 2
    assert by_type["national_ngo"]["count"] == 2
    assert by_type["un_agency"]["count"] == 1
    assert by_type["donor_state"]["count"] == 1
    assert by_type["academic"]["count"] == 0
    assert by_type["national_ngo"]["share"] == pytest.approx(2 / 6)
    assert by_type["national_ngo"]["percent"] == 33.3
    assert by_type["national_ngo"]["label"] == "National NGO"
    assert len(summary["by_organisation_type"]) == len(OrganisationType.choices)


def test_breakdown_by_sex_and_age_band_includes_undisclosed(summary):
    assert rows_by_key(summary["by_sex"])["undisclosed"]["count"] == 6
    assert rows_by_key(summary["by_sex"])["female"]["count"] == 0
    assert rows_by_key(summary["by_age_band"])["undisclosed"]["count"] == 6


def test_missing_constituencies_are_flagged(summary):
    status = {row["key"]: row["status"] for row in summary["constituencies"]}
    assert status == {
        "affected_communities": services.MISSING,
        "national_ngos": services.THIN,  # 2 people: under the minimum of 3
        "academia": services.MISSING,
        "private_sector": services.MISSING,
        "women": services.MISSING,
    }


def test_ended_and_future_memberships_do_not_count(people, ngo_org):
    person = make_person("former.member@example.org", ngo_org)
    Membership.objects.create(
        person=person,
        role="member",
        starts_on=datetime.date(2010, 1, 1),
        ends_on=datetime.date(2011, 1, 1),
    )
    Membership.objects.create(person=person, role="observer", starts_on=datetime.date(2098, 1, 1))
    assert services.participation_summary()["total"] == 6


def test_a_person_with_two_current_roles_counts_once(people):
    Membership.objects.create(
        person=people["member"], role="observer", starts_on=datetime.date(2021, 1, 1)
    )
    assert services.participation_summary()["total"] == 6


@pytest.mark.parametrize(
    ("count", "total", "thin_share", "expected"),
    [
        (0, 50, 0.10, "missing"),
        (2, 10, 0.10, "thin"),  # 20 %, but fewer than three people
        (3, 40, 0.10, "thin"),  # three people, but 7.5 %
        (4, 40, 0.10, "represented"),  # exactly 10 %
        (10, 40, 0.30, "thin"),  # women: 25 % is under 30 %
        (12, 40, 0.30, "represented"),
    ],
)
def test_thin_means_under_the_minimum_people_or_under_the_share(count, total, thin_share, expected):
    assert services.constituency_status(count, total, thin_share) == expected


def test_women_are_thin_below_thirty_percent(people, ngo_org, authority_org):
    academic = make_organisation("Testland University", OrganisationType.ACADEMIC)
    for number in range(3):
        make_person(f"woman.{number}@example.org", academic, role="member", sex="female")
    summary = services.participation_summary()
    constituencies = rows_by_key(summary["constituencies"])
    assert summary["total"] == 9
    assert constituencies["women"]["count"] == 3
    assert constituencies["women"]["status"] == services.REPRESENTED  # 33 %
    assert constituencies["academia"]["status"] == services.REPRESENTED
    make_person("man.extra@example.org", authority_org, role="member", sex="male")
    make_person("man.other@example.org", authority_org, role="member", sex="male")
    women = rows_by_key(services.participation_summary()["constituencies"])["women"]
    assert women["status"] == services.THIN  # 3 of 11: 27 %


def test_summary_counts_in_one_query(people, ngo_org, django_assert_num_queries):
    for number in range(10):
        make_person(f"extra.{number}@example.org", ngo_org, role="member")
    with django_assert_num_queries(1):
        services.participation_summary()


def test_summary_on_an_earlier_date(people):
    assert services.participation_summary(on=datetime.date(2019, 6, 1))["total"] == 0


def test_page_shows_badges_for_missing_and_thin_constituencies(clients):
    content = clients["observer"].get(URL).content.decode()
    assert content.count('class="badge badge-danger">Missing') == 4
    assert content.count('class="badge badge-warn">Thin') == 1
    assert "Members by organisation type" in content
    assert "Members by age band" in content


def test_page_query_count_stays_flat(clients, ngo_org, django_assert_num_queries):
    baseline = queries_for(clients["observer"], URL)
    for number in range(10):
        make_person(f"extra.{number}@example.org", ngo_org, role="member", sex="female")
    with django_assert_num_queries(baseline):
        clients["observer"].get(URL)
