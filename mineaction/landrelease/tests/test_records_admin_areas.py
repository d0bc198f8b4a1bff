"""Admin area pages: the tree by level with hazard counts, and one area with its sub-areas,
figures and milestones."""

import datetime

import pytest
from django.urls import reverse

from mineaction.dashboard.tests.outcomes import MEMBER_PAGE, MEMBER_RECORD
from mineaction.landrelease.models import HazardStatus
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_milestone,
    make_release,
)
from mineaction.stakeholders.tests.helpers import assert_outcome, queries_for

LIST_URL = reverse("landrelease:admin_area_list")


def url(area):
    return reverse("landrelease:admin_area_detail", args=[area.public_id])


@pytest.fixture
def country(db):
    """Two provinces; the north has two districts and a village in the first."""
    north = make_admin_area("PR01", name="North Province")
    south = make_admin_area("PR02", name="South Province")
    lake = make_admin_area("DI0101", name="Lake District", level=2, parent=north)
    hills = make_admin_area("DI0102", name="Hill District", level=2, parent=north)
    village = make_admin_area("VI010101", name="Ferry Village", level=3, parent=lake)
    return {"north": north, "south": south, "lake": lake, "hills": hills, "village": village}


@pytest.fixture
def hazards(country):
    return [
        make_hazard(admin_area=country["village"], recorded_area_m2=10_000),
        make_hazard(admin_area=country["lake"], recorded_area_m2=5_000),
        make_hazard(admin_area=country["hills"], recorded_area_m2=2_000),
        make_hazard(
            admin_area=country["north"],
            recorded_area_m2=7_000,
            status=HazardStatus.CLOSED,
            closed_on=datetime.date(2022, 1, 1),
        ),
        make_hazard(admin_area=country["south"], recorded_area_m2=1_000),
        make_hazard(recorded_area_m2=1_000),
    ]


@pytest.mark.parametrize(("persona", "expected"), MEMBER_PAGE.items())
def test_admin_area_list_is_for_members(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), MEMBER_RECORD.items())
def test_admin_area_page_is_hidden_from_outsiders(clients, country, persona, expected):
    assert_outcome(clients[persona].get(url(country["north"])), expected)


def tree(nodes):
    return [(node["area"].code, node["count"], tree(node["children"])) for node in nodes]


def test_tree_nests_areas_with_hazard_counts_including_sub_areas(clients, hazards):
    response = clients["observer"].get(LIST_URL)

    assert tree(response.context["roots"]) == [
        ("PR01", 4, [("DI0101", 2, []), ("DI0102", 1, [])]),
        ("PR02", 1, []),
    ]
    assert response.context["without_area"] == 1
    content = response.content.decode()
    assert "4 hazard areas" in content
    assert "1 hazard area has no admin area." in content
    assert f"{reverse('landrelease:hazard_list')}?admin_area=DI0101" in content


def test_tree_shows_deeper_levels_on_request(clients, hazards):
    response = clients["observer"].get(LIST_URL, {"depth": 3})

    assert tree(response.context["roots"])[0] == (
        "PR01",
        4,
        [("DI0101", 2, [("VI010101", 1, [])]), ("DI0102", 1, [])],
    )
    assert "Ferry Village" in response.content.decode()
    assert tree(clients["observer"].get(LIST_URL, {"depth": 1}).context["roots"]) == [
        ("PR01", 4, []),
        ("PR02", 1, []),
    ]


def test_tree_query_count_does_not_grow_with_the_areas(clients, hazards, country):
    few = queries_for(clients["member"], LIST_URL)
    for number in range(20):
        district = make_admin_area(level=2, parent=country["south"])
        make_hazard(admin_area=district, recorded_area_m2=100 + number)

    assert queries_for(clients["member"], LIST_URL) == few


def test_detail_shows_figures_of_the_area_and_its_sub_areas(clients, country, hazards):
    make_release(hazards[0], 4_000, datetime.date(2021, 1, 1))
    make_release(hazards[1], 9_000, datetime.date(2021, 1, 1))  # more than its 5,000 m²

    response = clients["member"].get(url(country["north"]))

    assert response.context["figures"] == {
        "count": 4,
        "open": 3,
        "baseline_total_m2": 24_000,
        "remaining_total_m2": 6_000 + 0 + 2_000 + 0,
    }
    assert [(child.code, child.hazard_count) for child in response.context["children"]] == [
        ("DI0101", 2),
        ("DI0102", 1),
    ]
    content = response.content.decode()
    assert "8,000 m²" in content
    assert "24,000 m²" in content


def test_detail_shows_the_way_up_and_the_milestones(clients, country):
    make_milestone(2025, 30_000, admin_area=country["lake"])
    make_milestone(2025, 100_000)

    response = clients["member"].get(url(country["village"]))
    assert [area.code for area in response.context["ancestors"]] == ["PR01", "DI0101"]

    response = clients["member"].get(url(country["lake"]))
    assert [(m.year, m.planned_area_m2) for m in response.context["milestones"]] == [(2025, 30_000)]
    assert "30,000" in response.content.decode()
