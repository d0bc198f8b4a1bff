"""/api/v1/article5/releases, /milestones and /admin-areas: reading the records as JSON."""

import datetime

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from mineaction.conftest import PERSONAS, make_organisation
from mineaction.core.tests.api_support import PROBLEM, queries_for, token_client
from mineaction.landrelease.models import ReleaseMethod
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_milestone,
    make_release,
    square,
)

RELEASES = "/api/v1/article5/releases"
MILESTONES = "/api/v1/article5/milestones"
ADMIN_AREAS = "/api/v1/article5/admin-areas"
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}


@pytest.fixture
def client(people):
    return token_client(people, "member")


@pytest.fixture
def areas(db):
    north = make_admin_area("PR01", name="North Province", geometry_json=square(30, -18, 1))
    lake = make_admin_area("DI0101", name="Lake District", level=2, parent=north)
    south = make_admin_area("PR02", name="South Province")
    return {"north": north, "lake": lake, "south": south}


@pytest.fixture
def operator(db):
    return make_organisation("Safe Ground Demining", acronym="SGD")


@pytest.fixture
def releases(areas, operator):
    lake_hazard = make_hazard("HA-L", admin_area=areas["lake"], recorded_area_m2=100_000)
    south_hazard = make_hazard("HA-S", admin_area=areas["south"], recorded_area_m2=100_000)
    return {
        "a": make_release(
            lake_hazard,
            1_000,
            datetime.date(2022, 3, 1),
            external_id="LR-A",
            operator=operator,
            start_date=datetime.date(2022, 1, 15),
            devices_ap_mine=4,
        ),
        "b": make_release(
            lake_hazard,
            2_000,
            datetime.date(2023, 3, 1),
            external_id="LR-B",
            method=ReleaseMethod.REDUCED,
        ),
        "c": make_release(south_hazard, 3_000, datetime.date(2023, 6, 1), external_id="LR-C"),
    }


def results(response, key="external_id"):
    assert response.status_code == 200, response.content
    return [record[key] for record in response.json()["results"]]


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", [RELEASES, MILESTONES, ADMIN_AREAS])
def test_lists_are_for_members_only(people, path, persona):
    response = token_client(people, persona).get(path)

    assert response.status_code == LIST_STATUS.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_release_detail_is_hidden_from_outsiders(people, releases, persona):
    response = token_client(people, persona).get(f"{RELEASES}/{releases['a'].public_id}")

    assert response.status_code == RECORD_STATUS.get(persona, 200)


def test_unknown_release_is_not_found(client):
    response = client.get(f"{RELEASES}/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_there_is_no_writing_here(people, releases):
    """Land release comes in through the import endpoints; these addresses only read."""
    client = token_client(people, "data_manager")

    assert client.post(RELEASES, {}, content_type="application/json").status_code == 405
    detail = f"{RELEASES}/{releases['a'].public_id}"
    assert client.delete(detail).status_code == 405
    assert client.patch(detail, {}, content_type="application/json").status_code == 405


# Land release ----------------------------------------------------------------------------------


def test_release_detail(client, releases, operator):
    release = releases["a"]

    response = client.get(f"{RELEASES}/{release.public_id}")

    body = response.json()
    assert body == {
        "public_id": str(release.public_id),
        "external_id": "LR-A",
        "hazard_area": {
            "public_id": str(release.hazard_area.public_id),
            "external_id": "HA-L",
            "name": "",
            "type": "CHA",
        },
        "operator": {
            "public_id": str(operator.public_id),
            "name": "Safe Ground Demining",
            "acronym": "SGD",
        },
        "method": "cleared",
        "area_m2": 1_000,
        "start_date": "2022-01-15",
        "end_date": "2022-03-01",
        "devices_destroyed": {
            "ap_mine": 4,
            "av_mine": 0,
            "improvised_mine": 0,
            "cmr": 0,
            "uxo": 0,
            "axo": 0,
            "booby_trap": 0,
            "other_erw": 0,
        },
        "created_at": DjangoJSONEncoder().default(release.created_at),
        "updated_at": DjangoJSONEncoder().default(release.updated_at),
    }


def test_release_list_is_paginated_latest_first(client, releases):
    response = client.get(RELEASES, {"page_size": 2})

    assert response.json()["count"] == 3
    assert results(response) == ["LR-C", "LR-B"]
    assert results(client.get(RELEASES, {"page_size": 2, "page": 2})) == ["LR-A"]


def test_release_filters(client, releases, operator):
    assert results(client.get(RELEASES, {"method": "reduced"})) == ["LR-B"]
    assert results(client.get(RELEASES, {"year": 2023})) == ["LR-C", "LR-B"]
    assert results(client.get(RELEASES, {"operator": str(operator.public_id)})) == ["LR-A"]
    assert results(client.get(RELEASES, {"hazard": "HA-S"})) == ["LR-C"]
    assert results(client.get(RELEASES, {"admin_area": "PR01"})) == ["LR-B", "LR-A"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"method": "burnt"},
            {"method": ["Select a valid choice. burnt is not one of the available choices."]},
        ),
        ({"year": "last"}, {"year": ["Enter a whole number."]}),
        ({"operator": "nobody"}, {"operator": ["No organisation has this id."]}),
        ({"admin_area": "XX"}, {"admin_area": ["No admin area has this code."]}),
    ],
)
def test_bad_release_filters_are_refused(client, releases, params, errors):
    response = client.get(RELEASES, params)

    assert response.status_code == 400
    assert response.json()["errors"] == errors


def test_release_list_query_count_does_not_grow(client, releases, operator):
    few = queries_for(client, RELEASES)
    hazard = make_hazard(recorded_area_m2=1_000_000)
    for number in range(30):
        make_release(hazard, 10 + number, datetime.date(2021, 1, 1), operator=operator)

    assert queries_for(client, RELEASES) == few


# Milestones ------------------------------------------------------------------------------------


def test_milestones_national_first_then_regions(client, areas):
    make_milestone(2026, 700_000)
    make_milestone(2025, 30_000, admin_area=areas["south"])
    north = make_milestone(2025, 70_000, admin_area=areas["north"])
    make_milestone(2025, 100_000)

    response = client.get(MILESTONES)

    body = response.json()
    assert body["count"] == 4
    assert [(m["year"], m["admin_area"] and m["admin_area"]["code"]) for m in body["results"]] == [
        (2025, None),
        (2025, "PR01"),
        (2025, "PR02"),
        (2026, None),
    ]
    assert body["results"][1] == {
        "public_id": str(north.public_id),
        "year": 2025,
        "admin_area": {
            "public_id": str(areas["north"].public_id),
            "code": "PR01",
            "name": "North Province",
            "level": 1,
        },
        "planned_area_m2": 70_000,
        "note": "",
    }
    assert results(client.get(MILESTONES, {"year": 2026}), "planned_area_m2") == [700_000]
    assert results(client.get(MILESTONES, {"national": True}), "year") == [2025, 2026]
    assert results(client.get(MILESTONES, {"admin_area": "PR02"}), "planned_area_m2") == [30_000]


def test_milestones_of_an_unknown_region_are_refused(client, areas):
    response = client.get(MILESTONES, {"admin_area": "ZZ"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"admin_area": ["No admin area has this code."]}


# Admin areas -----------------------------------------------------------------------------------


def test_admin_areas_in_tree_order_with_hazard_counts(client, areas, releases):
    response = client.get(ADMIN_AREAS)

    body = response.json()
    assert body["results"] == [
        {
            "public_id": str(areas["north"].public_id),
            "code": "PR01",
            "name": "North Province",
            "level": 1,
            "parent": None,
            "path": "/PR01/",
            "hazard_count": 1,
        },
        {
            "public_id": str(areas["lake"].public_id),
            "code": "DI0101",
            "name": "Lake District",
            "level": 2,
            "parent": "PR01",
            "path": "/PR01/DI0101/",
            "hazard_count": 1,
        },
        {
            "public_id": str(areas["south"].public_id),
            "code": "PR02",
            "name": "South Province",
            "level": 1,
            "parent": None,
            "path": "/PR02/",
            "hazard_count": 1,
        },
    ]


def test_admin_area_boundaries_only_on_request(client, areas):
    response = client.get(ADMIN_AREAS, {"geometry": "true", "level": 1})

    [north, south] = response.json()["results"]
    assert north["geometry"]["type"] == "Polygon"
    assert north["geometry"] == areas["north"].geometry
    assert south["geometry"] is None


def test_admin_area_filters(client, areas):
    assert results(client.get(ADMIN_AREAS, {"level": 2}), "code") == ["DI0101"]
    assert results(client.get(ADMIN_AREAS, {"parent": "PR01"}), "code") == ["DI0101"]
    assert results(client.get(ADMIN_AREAS, {"q": "south"}), "code") == ["PR02"]
    refused = client.get(ADMIN_AREAS, {"parent": "PR99"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"parent": ["No admin area has this code."]}


def test_admin_area_query_count_does_not_grow(client, areas):
    few = queries_for(client, f"{ADMIN_AREAS}?geometry=true")
    for number in range(30):
        district = make_admin_area(level=2, parent=areas["south"])
        make_hazard(admin_area=district, recorded_area_m2=100 + number)

    assert queries_for(client, f"{ADMIN_AREAS}?geometry=true") == few
