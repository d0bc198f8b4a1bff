"""Article 5 milestone pages: the plan per year, nationally and per region, and the data
manager's create, edit and delete (one milestone per year and region)."""

import pytest
from django.urls import reverse

from mineaction.dashboard.tests.outcomes import LAND_FORM, LAND_RECORD_FORM, MEMBER_PAGE
from mineaction.landrelease.models import Article5Milestone
from mineaction.landrelease.tests.factories import make_admin_area, make_milestone
from mineaction.stakeholders.tests.helpers import assert_outcome

LIST_URL = reverse("landrelease:milestone_list")
CREATE_URL = reverse("landrelease:milestone_create")


def url(name, milestone):
    return reverse(f"landrelease:{name}", args=[milestone.public_id])


@pytest.fixture
def north(db):
    return make_admin_area("PR01", name="North Province")


@pytest.fixture
def south(db):
    return make_admin_area("PR02", name="South Province")


def milestones():
    return sorted(
        Article5Milestone.objects.values_list("year", "admin_area__code", "planned_area_m2"),
        key=str,
    )


@pytest.mark.parametrize(("persona", "expected"), MEMBER_PAGE.items())
def test_milestone_list_is_for_members(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), LAND_FORM.items())
def test_only_land_data_managers_add_milestones(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), LAND_RECORD_FORM.items())
def test_only_land_data_managers_edit_milestones(clients, persona, expected):
    milestone = make_milestone(2025, 100_000)
    assert_outcome(clients[persona].get(url("milestone_edit", milestone)), expected)


def test_list_groups_national_and_regional_milestones_by_year(clients, north, south):
    make_milestone(2026, 900_000)
    make_milestone(2025, 40_000, admin_area=south)
    make_milestone(2025, 60_000, admin_area=north)
    make_milestone(2025, 1_000_000)

    response = clients["observer"].get(LIST_URL)

    years = response.context["years"]
    assert [year["year"] for year in years] == [2025, 2026]
    assert years[0]["national"].planned_area_m2 == 1_000_000
    assert [m.admin_area.code for m in years[0]["regions"]] == ["PR01", "PR02"]
    assert years[0]["regional_total_m2"] == 100_000
    assert years[1]["regions"] == []
    content = response.content.decode()
    assert "Planned release (m²)" in content
    assert '<td class="number">1,000,000</td>' in content
    assert "<em>100,000</em>" in content
    assert (
        reverse("landrelease:milestone_edit", args=[years[1]["national"].public_id]) not in content
    )


def test_managers_see_the_edit_links(clients):
    milestone = make_milestone(2025, 1_000)

    content = clients["data_manager"].get(LIST_URL).content.decode()

    assert url("milestone_edit", milestone) in content
    assert url("milestone_delete", milestone) in content


def test_data_manager_adds_a_national_and_a_regional_milestone(clients, north):
    national = clients["data_manager"].post(
        CREATE_URL, {"year": 2027, "admin_area": "", "planned_area_m2": 750000}
    )
    regional = clients["data_manager"].post(
        CREATE_URL,
        {"year": 2027, "admin_area": north.pk, "planned_area_m2": 250000, "note": "Plan B"},
    )

    assert national.status_code == regional.status_code == 302
    assert milestones() == [(2027, "PR01", 250_000), (2027, None, 750_000)]


def test_a_second_national_milestone_for_a_year_is_refused(clients):
    make_milestone(2025, 1_000)

    response = clients["data_manager"].post(
        CREATE_URL, {"year": 2025, "admin_area": "", "planned_area_m2": 2_000}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "The national milestone for 2025 already exists: edit it."
    ]
    assert milestones() == [(2025, None, 1_000)]


def test_a_second_milestone_for_a_year_and_region_is_refused(clients, north, south):
    make_milestone(2025, 1_000, admin_area=north)

    refused = clients["data_manager"].post(
        CREATE_URL, {"year": 2025, "admin_area": north.pk, "planned_area_m2": 2_000}
    )
    other_region = clients["data_manager"].post(
        CREATE_URL, {"year": 2025, "admin_area": south.pk, "planned_area_m2": 3_000}
    )

    assert refused.context["form"].errors["year"] == [
        "The milestone for 2025 in North Province (PR01) already exists: edit it."
    ]
    assert other_region.status_code == 302
    assert milestones() == [(2025, "PR01", 1_000), (2025, "PR02", 3_000)]


def test_moving_a_milestone_onto_another_is_refused(clients, north):
    make_milestone(2025, 1_000)
    regional = make_milestone(2025, 500, admin_area=north)

    response = clients["data_manager"].post(
        url("milestone_edit", regional), {"year": 2025, "admin_area": "", "planned_area_m2": 500}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "The national milestone for 2025 already exists: edit it."
    ]
    regional.refresh_from_db()
    assert regional.admin_area == north


def test_editing_a_milestone_keeps_its_own_year_and_region(clients):
    milestone = make_milestone(2025, 1_000)

    response = clients["data_manager"].post(
        url("milestone_edit", milestone), {"year": 2025, "admin_area": "", "planned_area_m2": 4_500}
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.planned_area_m2 == 4_500


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"year": 2025, "planned_area_m2": -10},
            "planned_area_m2",
            "The planned area cannot be negative.",
        ),
        (
            {"year": 1990, "planned_area_m2": 10},
            "year",
            "Ensure this value is greater than or equal to 1997.",
        ),
        ({"year": "", "planned_area_m2": 10}, "year", "This field is required."),
        ({"year": 2025, "planned_area_m2": ""}, "planned_area_m2", "This field is required."),
    ],
)
def test_bad_milestones_are_refused(clients, data, field, message):
    response = clients["data_manager"].post(CREATE_URL, {"admin_area": "", **data})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Article5Milestone.objects.exists()


def test_deleting_a_milestone_asks_for_confirmation(clients):
    milestone = make_milestone(2025, 1_000)

    bare_post = clients["data_manager"].post(url("milestone_delete", milestone))
    assert bare_post.status_code == 200
    assert Article5Milestone.objects.exists()

    confirmed = clients["data_manager"].post(url("milestone_delete", milestone), {"confirm": "yes"})
    assert confirmed.status_code == 302
    assert not Article5Milestone.objects.exists()


@pytest.mark.parametrize("persona", ["observer", "member", "secretariat"])
def test_readers_cannot_delete_milestones(clients, persona):
    milestone = make_milestone(2025, 1_000)

    response = clients[persona].post(url("milestone_delete", milestone), {"confirm": "yes"})

    assert response.status_code == 403
    assert Article5Milestone.objects.exists()
