"""The public page of Article 5 progress /article5/public/ and its layer
/article5/public/admin-areas.geojson: totals per admin area for everyone, and never a hazard
area's geometry, coordinates or identifiers."""

import datetime
import json
import re

import pytest
import shapely
from django.urls import reverse
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.models import DeadlineChange
from mineaction.landrelease.models import HazardType
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)
from mineaction.landrelease.views import maps

PAGE = reverse("landrelease:public_progress")
LAYER = reverse("landrelease:public_admin_areas")
# Distinctive values of the hazard areas: none of them may reach the public.
SECRET_IDS = ["IMSMA-HA-7731", "IMSMA-HA-7732", "IMSMA-HA-7733"]
SECRET_NAMES = ["Mined orchard by the well", "School footpath"]
SECRET_COORDINATES = ["33.123457", "-17.987653", "33.223457", "33.33345", "-18.61234"]


@pytest.fixture
def land(db, country):
    country.original_article5_deadline = datetime.date(2031, 3, 1)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=datetime.date(2033, 3, 1),
        decided_on=datetime.date(2030, 11, 20),
        decision="Decision of the Twenty-eighth Meeting of the States Parties",
    )
    north = make_admin_area("PR01", name="North", geometry_json=square(33.0, -18.5, side_deg=1))
    south = make_admin_area("PR02", name="South", geometry_json=square(33.0, -19.5, side_deg=1))
    make_admin_area("PR03", name="East", geometry_json=square(34.0, -18.5, side_deg=1))
    district = make_admin_area("DI0101", name="Hill district", level=2, parent=north)
    orchard = make_hazard(
        SECRET_IDS[0],
        name=SECRET_NAMES[0],
        admin_area=district,
        geometry_json={
            "type": "Polygon",
            "coordinates": [
                [
                    [33.123457, -17.987653],
                    [33.223457, -17.987653],
                    [33.223457, -17.887653],
                    [33.123457, -17.987653],
                ]
            ],
        },
        recorded_area_m2=80_000,
    )
    make_release(orchard, 30_000, datetime.date(2022, 6, 1))
    make_release(orchard, 5_000, datetime.date(2023, 2, 1))
    make_hazard(
        SECRET_IDS[1],
        name=SECRET_NAMES[1],
        hazard_type=HazardType.SHA,
        admin_area=south,
        geometry_json={"type": "Point", "coordinates": [33.33345, -18.61234]},
        recorded_area_m2=12_000,
    )
    make_hazard(SECRET_IDS[2], recorded_area_m2=1_000)  # in no admin area


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_the_public_page_and_its_layer(clients, land, persona):
    assert clients[persona].get(PAGE).status_code == 200
    response = clients[persona].get(LAYER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


def test_the_public_page_shows_the_same_totals_as_the_dashboard(client, land):
    summary = progress.summary()
    assert summary["remaining_area_m2"] == 58_000
    html = client.get(PAGE).text
    figures = re.findall(r'<p class="figure">([^<]*)</p>', html)
    assert figures == ["58,000 m²", "35,000 m²", "March 1, 2033"]
    days = (datetime.date(2033, 3, 1) - timezone.localdate()).days
    assert f"{days} days left" in html


def test_the_public_table_gives_the_remaining_area_per_region(client, land):
    html = client.get(PAGE).text
    body = html.split("<tbody>", 1)[1].split("</tbody>")[0]
    rows = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    assert rows == [
        ["East", "0", "0", "0", "0"],
        ["North", "45,000", "0", "45,000", "1"],
        ["South", "12,000", "12,000", "0", "1"],
        ["Unassigned", "1,000", "0", "1,000", "1"],
    ]
    footer = html.split("<tfoot>", 1)[1].split("</tfoot>")[0]
    assert re.findall(r'<td class="number">([^<]*)</td>', footer) == [
        "58,000",
        "12,000",
        "46,000",
        "3",
    ]


def test_the_public_layer_is_a_choropleth_of_the_level_one_areas(client, land):
    collection = json.loads(client.get(LAYER).content)
    properties = [feature["properties"] for feature in collection["features"]]
    assert properties == [
        {
            "code": "PR01",
            "name": "North",
            "remaining_m2": 45_000,
            "sha_m2": 0,
            "cha_m2": 45_000,
            "hazard_count": 1,
            "class": 2,
        },
        {
            "code": "PR02",
            "name": "South",
            "remaining_m2": 12_000,
            "sha_m2": 12_000,
            "cha_m2": 0,
            "hazard_count": 1,
            "class": 1,
        },
        {
            "code": "PR03",
            "name": "East",
            "remaining_m2": 0,
            "sha_m2": 0,
            "cha_m2": 0,
            "hazard_count": 0,
            "class": 0,
        },
    ]
    assert collection["classes"] == [
        {"class": 0, "low": 0, "high": 0},
        {"class": 1, "low": 1, "high": 12_000},
        {"class": 2, "low": 12_001, "high": 45_000},
    ]


def test_neither_the_public_page_nor_its_layer_holds_any_hazard_data(clients, land):
    """The proof: no hazard area's id, name, public id or coordinate, and every coordinate of
    the layer is a vertex of an admin-area boundary."""
    from mineaction.landrelease.models import AdminArea, HazardArea

    hazard_public_ids = [
        str(value) for value in HazardArea.objects.values_list("public_id", flat=True)
    ]
    for persona in ("anonymous", "member"):
        for path in (PAGE, LAYER):
            text = clients[persona].get(path).content.decode()
            for secret in SECRET_IDS + SECRET_NAMES + SECRET_COORDINATES + hazard_public_ids:
                assert secret not in text, (persona, path, secret)
            assert "/article5/hazards/" not in text
            assert "hazards.geojson" not in text
    collection = json.loads(clients["anonymous"].get(LAYER).content)
    boundary_vertices = set()
    for geometry in AdminArea.objects.filter(level=1).values_list("geometry", flat=True):
        vertices = shapely.get_coordinates(shapely.geometry.shape(geometry)).round(6)
        boundary_vertices.update(map(tuple, vertices.tolist()))
    for feature in collection["features"]:
        coordinates = shapely.get_coordinates(shapely.geometry.shape(feature["geometry"]))
        assert {tuple(xy) for xy in coordinates.tolist()} <= boundary_vertices
        assert set(feature["properties"]) == {
            "code",
            "name",
            "remaining_m2",
            "sha_m2",
            "cha_m2",
            "hazard_count",
            "class",
        }


def test_the_public_page_links_no_members_layer_and_loads_the_public_one(client, land):
    html = client.get(PAGE).text
    assert 'data-boundaries-url="/article5/public/admin-areas.geojson"' in html
    assert "data-hazards-url" not in html
    assert "style=" not in html
    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    assert json.loads(match.group(1))["mode"] == "public"


def test_the_public_page_works_before_any_data(client, db, country):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "No Article 5 deadline has been recorded." in response.text
    assert "No regions have been recorded yet." in response.text
    assert json.loads(client.get(LAYER).content)["features"] == []


def test_the_public_layer_refuses_a_bad_zoom(client, land):
    response = client.get(f"{LAYER}?zoom=99")
    assert response.status_code == 400
    assert "zoom" in response.json()["errors"]


@pytest.mark.parametrize(
    ("values", "breaks"),
    [
        ([], []),
        ([0, 0], []),
        ([5], [5]),
        ([1, 2, 3, 4, 5, 6, 7, 8], [2, 4, 6, 8]),
        ([10, 10, 10, 0], [10]),
        ([1, 100, 1_000, 10_000, 100_000], [100, 1_000, 10_000, 100_000]),
    ],
)
def test_choropleth_breaks_split_the_positive_values_in_classes_of_equal_count(values, breaks):
    assert maps.choropleth_breaks(values) == breaks
    for value in values:
        assert (maps.choropleth_class(value, breaks) == 0) == (value == 0)
