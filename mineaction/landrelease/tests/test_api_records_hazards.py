"""/api/v1/article5/hazards: hazard areas as GeoJSON, with the remaining area at a date."""

import datetime

import pytest
import shapely.geometry

from mineaction.conftest import PERSONAS, make_organisation
from mineaction.core.tests.api_support import PROBLEM, queries_for, token_client
from mineaction.landrelease import geometry
from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)

LIST = "/api/v1/article5/hazards"
GEOJSON = "application/geo+json"
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
PROPERTIES = {
    "external_id",
    "name",
    "type",
    "status",
    "closed_on",
    "device_categories",
    "admin_area",
    "recorded_area_m2",
    "geometry_area_m2",
    "area_m2",
    "remaining_m2",
    "date_recorded",
    "source_organisation",
}


def url(hazard):
    return f"{LIST}/{hazard.public_id}"


def ids(response):
    return [feature["properties"]["external_id"] for feature in response.json()["features"]]


@pytest.fixture
def client(people):
    return token_client(people, "observer")


@pytest.fixture
def areas(db):
    north = make_admin_area("PR01", name="North Province")
    lake = make_admin_area("DI0101", name="Lake District", level=2, parent=north)
    south = make_admin_area("PR02", name="South Province")
    return {"north": north, "lake": lake, "south": south}


@pytest.fixture
def hazards(areas):
    """Three hazard areas: one in the lake district (west), one in the north (east), one
    closed in the south."""
    return {
        "west": make_hazard(
            "HA-W",
            name="West field",
            hazard_type=HazardType.SHA,
            admin_area=areas["lake"],
            geometry_json=square(30.0, -18.0, 0.01),
            devices=["ap_mine", "uxo"],
        ),
        "east": make_hazard(
            "HA-E",
            admin_area=areas["north"],
            geometry_json=square(32.0, -18.0, 0.01),
            recorded_area_m2=50_000,
        ),
        "closed": make_hazard(
            "HA-C",
            admin_area=areas["south"],
            geometry_json=square(34.0, -18.0, 0.01),
            status=HazardStatus.CLOSED,
            closed_on=datetime.date(2020, 6, 30),
        ),
    }


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_hazard_list_is_for_members_only(people, persona):
    response = token_client(people, persona).get(LIST)

    assert response.status_code == LIST_STATUS.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_hazard_detail_is_hidden_from_outsiders(people, hazards, persona):
    response = token_client(people, persona).get(url(hazards["west"]))

    assert response.status_code == RECORD_STATUS.get(persona, 200)


@pytest.mark.parametrize("public_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_unknown_hazard_area_is_not_found(client, public_id):
    response = client.get(f"{LIST}/{public_id}")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


# Shape -----------------------------------------------------------------------------------------


def test_list_is_a_valid_geojson_feature_collection(client, hazards):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == GEOJSON
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert (collection["count"], collection["page"], collection["page_size"]) == (3, 1, 50)
    assert collection["as_of"] == datetime.date.today().isoformat()
    assert len(collection["features"]) == 3
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == PROPERTIES
        polygon = shapely.geometry.shape(feature["geometry"])
        assert polygon.is_valid and polygon.geom_type == "Polygon"
        assert geometry.geodesic_area_m2(polygon) == feature["properties"]["geometry_area_m2"]


def test_feature_properties(client, hazards, areas):
    source = make_organisation("National Mine Action Centre", acronym="NMAC")
    west = hazards["west"]
    west.source_organisation = source
    west.save()
    make_release(west, 1_000, datetime.date(2021, 1, 1))

    feature = client.get(LIST, {"q": "HA-W"}).json()["features"][0]

    assert feature["id"] == str(west.public_id)
    assert feature["properties"] == {
        "external_id": "HA-W",
        "name": "West field",
        "type": "SHA",
        "status": "open",
        "closed_on": None,
        "device_categories": ["ap_mine", "uxo"],
        "admin_area": "DI0101",
        "recorded_area_m2": None,
        "geometry_area_m2": west.geometry_area_m2,
        "area_m2": west.geometry_area_m2,
        "remaining_m2": west.geometry_area_m2 - 1_000,
        "date_recorded": "2015-01-01",
        "source_organisation": {
            "public_id": str(source.public_id),
            "name": "National Mine Action Centre",
            "acronym": "NMAC",
        },
    }


def test_a_hazard_area_without_geometry_has_a_null_geometry(client):
    make_hazard("HA-NOGEO", recorded_area_m2=3_000)

    feature = client.get(LIST).json()["features"][0]

    assert feature["geometry"] is None
    assert feature["properties"]["area_m2"] == 3_000


def test_detail_is_a_feature_with_its_releases(client, hazards):
    east = hazards["east"]
    operator = make_organisation("Safe Ground Demining")
    first = make_release(east, 20_000, datetime.date(2021, 5, 1), operator=operator)
    make_release(
        east,
        5_000,
        datetime.date(2022, 5, 1),
        method=ReleaseMethod.CANCELLED,
        start_date=datetime.date(2022, 4, 1),
    )

    response = client.get(url(east))

    assert response["Content-Type"] == GEOJSON
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == str(east.public_id)
    assert shapely.geometry.shape(feature["geometry"]).is_valid
    properties = feature["properties"]
    assert properties["remaining_m2"] == 25_000
    assert properties["released_m2"] == 25_000
    assert properties["released_by_method"] == [
        {"method": "cancelled", "area_m2": 5_000, "count": 1},
        {"method": "reduced", "area_m2": 0, "count": 0},
        {"method": "cleared", "area_m2": 20_000, "count": 1},
    ]
    assert properties["area_discrepancy"] == pytest.approx(east.area_discrepancy)
    assert [release["area_m2"] for release in properties["releases"]] == [5_000, 20_000]
    assert properties["releases"][1] == {
        "public_id": str(first.public_id),
        "external_id": first.external_id,
        "method": "cleared",
        "area_m2": 20_000,
        "start_date": None,
        "end_date": "2021-05-01",
        "operator": {
            "public_id": str(operator.public_id),
            "name": "Safe Ground Demining",
            "acronym": "",
        },
    }


def test_detail_figures_at_a_past_date(client, hazards):
    east = hazards["east"]
    make_release(east, 20_000, datetime.date(2021, 5, 1))
    make_release(east, 5_000, datetime.date(2022, 5, 1))

    properties = client.get(url(east), {"as_of": "2021-12-31"}).json()["properties"]

    assert properties["as_of"] == "2021-12-31"
    assert properties["remaining_m2"] == 30_000
    assert properties["released_by_method"][2] == {
        "method": "cleared",
        "area_m2": 20_000,
        "count": 1,
    }
    assert len(properties["releases"]) == 2


def test_detail_refuses_a_bad_date(client, hazards):
    response = client.get(url(hazards["east"]), {"as_of": "31/12/2021"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"as_of": ["Enter a valid date."]}


# Filters ---------------------------------------------------------------------------------------


def test_filters_are_those_of_the_page(client, hazards):
    assert ids(client.get(LIST, {"type": "SHA"})) == ["HA-W"]
    assert ids(client.get(LIST, {"status": "closed"})) == ["HA-C"]
    assert ids(client.get(LIST, {"device": "uxo"})) == ["HA-W"]
    assert ids(client.get(LIST, {"admin_area": "PR01"})) == ["HA-E", "HA-W"]
    assert ids(client.get(LIST, {"admin_area": "DI0101"})) == ["HA-W"]
    assert ids(client.get(LIST, {"q": "west"})) == ["HA-W"]
    assert ids(client.get(LIST, {"sort": "-external_id"})) == ["HA-W", "HA-E", "HA-C"]


def test_bbox_keeps_the_hazard_areas_it_meets(client, hazards):
    assert ids(client.get(LIST, {"bbox": "29.5,-18.5,30.005,-17.5"})) == ["HA-W"]
    assert ids(client.get(LIST, {"bbox": "30.005,-18.5,33,-17.5"})) == ["HA-E", "HA-W"]
    assert ids(client.get(LIST, {"bbox": "35,-18.5,36,-17.5"})) == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"bbox": "30,-18,31"},
            {
                "bbox": [
                    "Give the box as four numbers separated by commas: west longitude, south "
                    "latitude, east longitude, north latitude (for example 30.1,-18.5,31.2,-17.9)."
                ]
            },
        ),
        (
            {"bbox": "31,-18,30,-17"},
            {"bbox": ["The box's west and south edges must come before its east and north edges."]},
        ),
        ({"admin_area": "NOPE"}, {"admin_area": ["No admin area has this code."]}),
        (
            {"type": "XYZ"},
            {"type": ["Select a valid choice. XYZ is not one of the available choices."]},
        ),
        ({"as_of": "yesterday"}, {"as_of": ["Enter a valid date."]}),
        ({"page_size": 500}, {"page_size": ["Ensure this value is less than or equal to 200."]}),
    ],
)
def test_bad_filters_are_refused(client, hazards, params, errors):
    response = client.get(LIST, params)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == errors


def test_pages(client, hazards):
    response = client.get(LIST, {"page_size": 2, "page": 2})

    collection = response.json()
    assert (collection["count"], collection["page"], collection["page_size"]) == (3, 2, 2)
    assert ids(response) == ["HA-W"]


# Remaining area at a date ----------------------------------------------------------------------


def remaining(client, as_of):
    features = client.get(LIST, {"as_of": as_of}).json()["features"]
    return {f["properties"]["external_id"]: f["properties"]["remaining_m2"] for f in features}


def test_remaining_area_at_a_date(client, hazards):
    west_area = hazards["west"].area_m2
    closed_area = hazards["closed"].area_m2
    make_release(hazards["east"], 30_000, datetime.date(2019, 12, 31))
    make_release(hazards["east"], 30_000, datetime.date(2020, 12, 31))  # more than is left
    make_release(hazards["west"], 100, datetime.date(2020, 1, 1))
    late = make_hazard("HA-LATE", recorded_area_m2=4_000, date_recorded=datetime.date(2021, 3, 1))

    assert remaining(client, "2019-12-30") == {
        "HA-C": closed_area,
        "HA-E": 50_000,
        "HA-LATE": 0,  # not recorded yet
        "HA-W": west_area,
    }
    assert remaining(client, "2020-06-30") == {
        "HA-C": 0,  # closed that day
        "HA-E": 20_000,
        "HA-LATE": 0,
        "HA-W": west_area - 100,
    }
    assert remaining(client, "2021-03-01") == {
        "HA-C": 0,
        "HA-E": 0,  # never below zero
        "HA-LATE": late.area_m2,
        "HA-W": west_area - 100,
    }


def test_the_remaining_areas_add_up_to_the_summary_figure(client, hazards):
    make_release(hazards["east"], 12_345, datetime.date(2020, 2, 2))
    make_release(hazards["west"], 999_999_999, datetime.date(2020, 2, 2))
    make_hazard("HA-LATE", recorded_area_m2=4_000, date_recorded=datetime.date(2021, 3, 1))

    for as_of in (datetime.date(2020, 12, 31), datetime.date.today()):
        total = sum(remaining(client, as_of.isoformat()).values())
        assert total == progress.summary(as_of)["remaining_area_m2"]


# Query count -----------------------------------------------------------------------------------


def test_query_count_is_the_same_for_5_and_50_hazard_areas(client, areas):
    source = make_organisation("National Mine Action Centre")

    def add(count):
        for number in range(count):
            hazard = make_hazard(
                admin_area=areas["lake"], source_organisation=source, devices=["uxo"]
            )
            make_release(hazard, 100 + number, datetime.date(2022, 1, 1))

    add(5)
    few = queries_for(client, LIST)
    add(45)
    assert client.get(LIST).json()["count"] == 50
    assert queries_for(client, LIST) == few
