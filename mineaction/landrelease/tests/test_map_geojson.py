"""The members' map layers: /article5/map/hazards.geojson and /article5/map/admin-areas.geojson."""

import datetime
import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.landrelease.models import HazardArea, HazardStatus, HazardType
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)
from mineaction.landrelease.views import maps

HAZARDS = reverse("landrelease:map_hazards")
BOUNDARIES = reverse("landrelease:map_admin_areas")
READERS = set(PERSONAS) - {"anonymous", "outsider"}


def circle(lon, lat, radius_deg, vertices):
    """A detailed GeoJSON polygon: a circle of `vertices` points."""
    ring = [
        [
            round(lon + radius_deg * math.cos(2 * math.pi * i / vertices), 7),
            round(lat + radius_deg * math.sin(2 * math.pi * i / vertices), 7),
        ]
        for i in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def land(db):
    """Two provinces, a district inside the first, and hazard areas of each type and status."""
    north = make_admin_area("PR01", name="North", geometry_json=circle(30.5, -17.5, 0.5, 2000))
    south = make_admin_area("PR02", name="South", geometry_json=circle(30.5, -18.6, 0.5, 2000))
    district = make_admin_area(
        "DI0101", name="Riverside", level=2, parent=north, geometry_json=square(30.1, -17.9, 0.3)
    )
    cha = make_hazard(
        "HA-CHA-1",
        name="Old minefield",
        admin_area=district,
        geometry_json=square(30.2, -17.8, 0.01),
        recorded_area_m2=50_000,
        devices=("ap_mine", "uxo"),
    )
    make_release(cha, 20_000, datetime.date(2020, 5, 1))
    make_release(cha, 5_000, datetime.date(2099, 1, 1))  # not released yet
    sha = make_hazard(
        "HA-SHA-1",
        hazard_type=HazardType.SHA,
        admin_area=south,
        geometry_json=square(30.6, -18.7, 0.01),
        recorded_area_m2=30_000,
        devices=("av_mine",),
    )
    closed = make_hazard(
        "HA-CLOSED",
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2021, 3, 1),
        admin_area=north,
        geometry_json=square(30.7, -17.3, 0.01),
        recorded_area_m2=10_000,
    )
    no_geometry = make_hazard("HA-NO-GEOMETRY", admin_area=north, recorded_area_m2=900)
    return {
        "north": north,
        "south": south,
        "district": district,
        "cha": cha,
        "sha": sha,
        "closed": closed,
        "no_geometry": no_geometry,
    }


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def ids(response):
    return sorted(f["properties"]["external_id"] for f in features(response)["features"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_hazard_layer_is_for_members(clients, land, persona):
    response = clients[persona].get(HAZARDS)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif persona == "outsider":
        assert response.status_code == 403
    else:
        assert ids(response) == ["HA-CHA-1", "HA-CLOSED", "HA-SHA-1"]


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_boundary_layer_is_for_members(clients, land, persona):
    assert clients[persona].get(BOUNDARIES).status_code in {302, 403}
    assert clients["observer"].get(BOUNDARIES).status_code == 200


def test_hazard_properties_carry_todays_figures_and_the_hazard_page(clients, land):
    collection = features(clients["member"].get(HAZARDS))
    by_id = {f["properties"]["external_id"]: f["properties"] for f in collection["features"]}
    cha = land["cha"]
    assert by_id["HA-CHA-1"] == {
        "public_id": str(cha.public_id),
        "external_id": "HA-CHA-1",
        "name": "Old minefield",
        "type": "CHA",
        "status": "open",
        "area_m2": 50_000,
        "remaining_m2": 30_000,  # the release of 2099 does not count yet
        "admin_area": "Riverside",
        "url": reverse("landrelease:hazard_detail", kwargs={"public_id": cha.public_id}),
    }
    assert by_id["HA-CLOSED"]["remaining_m2"] == 0
    assert by_id["HA-SHA-1"]["remaining_m2"] == 30_000
    assert collection["capped"] is False
    assert collection["limit"] == maps.MAP_FEATURE_LIMIT
    assert collection["total"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=SHA", ["HA-SHA-1"]),
        ("type=CHA", ["HA-CHA-1", "HA-CLOSED"]),
        ("status=closed", ["HA-CLOSED"]),
        ("status=open&type=CHA", ["HA-CHA-1"]),
        ("device=uxo", ["HA-CHA-1"]),
        ("device=av_mine", ["HA-SHA-1"]),
        ("admin_area=PR01", ["HA-CHA-1", "HA-CLOSED"]),  # the district is inside PR01
        ("admin_area=DI0101", ["HA-CHA-1"]),
        ("admin_area=PR02", ["HA-SHA-1"]),
        ("bbox=30.15,-17.85,30.25,-17.75", ["HA-CHA-1"]),
        ("bbox=30.205,-17.795,30.206,-17.794", ["HA-CHA-1"]),  # inside the square
        ("bbox=30.5,-19,31,-17", ["HA-CLOSED", "HA-SHA-1"]),
        ("bbox=10,10,11,11", []),
    ],
)
def test_hazard_layer_filters(clients, land, query, expected):
    assert ids(clients["member"].get(f"{HAZARDS}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("type=XYZ", "type", "Select a valid choice."),
        ("device=grenade", "device", "Select a valid choice."),
        ("admin_area=NOPE", "admin_area", "There is no admin area with the code NOPE."),
        ("bbox=1,2,3", "bbox", "Give the box as four numbers"),
        ("bbox=a,b,c,d", "bbox", "Give the box as four numbers"),
        ("bbox=200,0,201,1", "bbox", "Longitudes must be between -180 and 180."),
        ("bbox=0,-95,1,1", "bbox", "Latitudes must be between -90 and 90."),
        ("bbox=31,-17,30,-18", "bbox", "west and south edges must come before"),
        ("zoom=40", "zoom", "less than or equal to 22"),
    ],
)
def test_bad_filters_are_refused_with_their_reason(clients, land, query, field, message):
    response = clients["member"].get(f"{HAZARDS}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]


def test_the_layer_is_capped_and_says_so(clients, land, monkeypatch):
    monkeypatch.setattr(maps, "MAP_FEATURE_LIMIT", 2)
    collection = features(clients["member"].get(HAZARDS))
    assert collection["capped"] is True
    assert collection["limit"] == 2
    assert collection["total"] == 3
    # The largest areas come first.
    assert [f["properties"]["external_id"] for f in collection["features"]] == [
        "HA-CHA-1",
        "HA-SHA-1",
    ]
    narrowed = features(clients["member"].get(f"{HAZARDS}?type=SHA"))
    assert narrowed["capped"] is False
    assert narrowed["total"] == 1


def test_hazard_geometry_is_simplified_for_the_zoom(clients, db):
    detailed = circle(31, -17, 0.02, 400)
    make_hazard("HA-ROUND", geometry_json=detailed)

    def vertices(zoom):
        collection = features(clients["member"].get(f"{HAZARDS}?zoom={zoom}"))
        return len(collection["features"][0]["geometry"]["coordinates"][0])

    assert vertices(7) < 10 < vertices(13) < vertices(18) <= 401
    coordinates = features(clients["member"].get(HAZARDS))["features"][0]["geometry"]
    for lon, lat in coordinates["coordinates"][0]:
        assert round(lon, 6) == lon and round(lat, 6) == lat


def test_points_stay_points(clients, db):
    make_hazard(
        "HA-POINT",
        geometry_json={"type": "Point", "coordinates": [30.5, -17.5]},
        recorded_area_m2=100,
    )
    geometry = features(clients["member"].get(HAZARDS))["features"][0]["geometry"]
    assert geometry == {"type": "Point", "coordinates": [30.5, -17.5]}


def test_boundaries_of_each_level_are_a_few_kilobytes_each(clients, land):
    level_one = features(clients["member"].get(f"{BOUNDARIES}?level=1"))
    assert [f["properties"] for f in level_one["features"]] == [
        {"code": "PR01", "name": "North", "level": 1},
        {"code": "PR02", "name": "South", "level": 1},
    ]
    for feature in level_one["features"]:
        # 2,000 vertices each in the database; at a whole-country zoom a few dozen.
        assert len(json.dumps(feature)) < 4000
        assert len(feature["geometry"]["coordinates"][0]) < 100
    closer = features(clients["member"].get(f"{BOUNDARIES}?level=1&zoom=12"))
    assert len(closer["features"][0]["geometry"]["coordinates"][0]) > len(
        level_one["features"][0]["geometry"]["coordinates"][0]
    )
    level_two = features(clients["member"].get(f"{BOUNDARIES}?level=2"))
    assert [f["properties"]["code"] for f in level_two["features"]] == ["DI0101"]
    assert features(clients["member"].get(f"{BOUNDARIES}?level=3"))["features"] == []


def test_boundaries_refuse_an_unknown_level(clients, land):
    response = clients["member"].get(f"{BOUNDARIES}?level=9")
    assert response.status_code == 400
    assert "level" in response.json()["errors"]


def test_two_thousand_hazard_areas_load_in_one_request_with_few_queries(clients, db):
    """The demo country's size: every polygon in one answer, simplified, in a fixed number of
    queries."""
    HazardArea.objects.bulk_create(
        HazardArea(
            external_id=f"BULK-{number:05d}",
            hazard_type=HazardType.CHA if number % 3 else HazardType.SHA,
            geometry=circle(30 + (number % 50) * 0.02, -18 + (number // 50) * 0.02, 0.004, 60),
            geometry_area_m2=150_000,
            area_m2=150_000,
            min_lon=30 + (number % 50) * 0.02 - 0.004,
            max_lon=30 + (number % 50) * 0.02 + 0.004,
            min_lat=-18 + (number // 50) * 0.02 - 0.004,
            max_lat=-18 + (number // 50) * 0.02 + 0.004,
            date_recorded=datetime.date(2018, 1, 1),
        )
        for number in range(2000)
    )
    client = clients["member"]
    client.get(HAZARDS)  # the session and roles, read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HAZARDS)
    collection = features(response)
    assert len(collection["features"]) == 2000
    assert collection["capped"] is False
    # Session, user, roles and the one query for the hazard areas with their remaining area.
    assert len(queries.captured_queries) <= 8
    # Simplified at the country zoom: a few points per polygon, not 60.
    assert len(response.content) < 1_000_000
