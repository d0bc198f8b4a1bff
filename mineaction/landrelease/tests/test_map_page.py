"""The members' map page /article5/map/: its markup (no inline script or style), the tile
server from the settings, and the table that makes it useful without JavaScript."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.landrelease.models import HazardStatus, HazardType
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)

PAGE = reverse("landrelease:map")
STYLESHEET = Path(settings.BASE_DIR) / "mineaction" / "static" / "mineaction" / "article5-map.css"
SCRIPT = Path(settings.BASE_DIR) / "mineaction" / "static" / "mineaction" / "article5-map.js"


@pytest.fixture
def land(db):
    region = make_admin_area("PR01", name="North", geometry_json=square(30, -18, side_deg=1))
    cha = make_hazard("HA-1", admin_area=region, recorded_area_m2=10_000)
    make_release(cha, 2_500, datetime.date(2021, 1, 1))
    make_hazard("HA-2", admin_area=region, recorded_area_m2=4_000, geometry_json=None)
    make_hazard(
        "HA-3",
        hazard_type=HazardType.SHA,
        geometry_json=square(30.5, -17.5),
        recorded_area_m2=7_000,
        devices=("uxo",),
    )
    make_hazard(
        "HA-4",
        status=HazardStatus.HANDED_OVER,
        closed_on=datetime.date(2020, 1, 1),
        recorded_area_m2=3_000,
    )


def config(response):
    match = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>', response.text
    )
    return json.loads(match.group(1))


def summary_rows(response):
    """The summary table's body rows as lists of cell texts."""
    body = response.text.split('id="results"', 1)[1].split("<tbody>", 1)[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_map_page_is_for_members(clients, land, persona):
    response = clients[persona].get(PAGE)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (403 if persona == "outsider" else 200)


def test_map_page_loads_leaflet_and_its_script_with_the_nonce_and_no_inline_code(clients, land):
    response = clients["member"].get(PAGE)
    html = response.text
    assert '<link rel="stylesheet" href="/static/leaflet/leaflet.css">' in html
    assert '<link rel="stylesheet" href="/static/mineaction/article5-map.css">' in html
    nonce = re.search(r'<script src="/static/leaflet/leaflet.js" defer nonce="([^"]+)">', html)
    assert nonce is not None
    assert (
        f'<script src="/static/mineaction/article5-map.js" defer nonce="{nonce.group(1)}">' in html
    )
    assert nonce.group(1) in response["Content-Security-Policy"]
    # Every script is a file or a JSON data block; no style attribute or element anywhere.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "style=" not in html
    assert "<style" not in html
    assert 'data-hazards-url="/article5/map/hazards.geojson"' in html
    assert 'data-boundaries-url="/article5/map/admin-areas.geojson"' in html
    assert 'data-filters="map-filters"' in html


def test_without_a_tile_server_the_map_has_no_tile_layer(clients, land, settings):
    settings.MAP_TILE_URL = ""
    response = clients["member"].get(PAGE)
    assert "data-tile-url" not in response.text
    assert config(response)["tiles"] is None


def test_the_tile_server_comes_from_the_settings(clients, land, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example mappers"
    response = clients["member"].get(PAGE)
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in response.text
    assert config(response)["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Example mappers",
    }


def test_the_script_gets_its_words_and_labels_in_the_users_language(clients, land):
    settings_config = config(clients["member"].get(PAGE))
    assert settings_config["mode"] == "hazards"
    assert settings_config["types"] == {
        "SHA": "Suspected hazardous area (SHA)",
        "CHA": "Confirmed hazardous area (CHA)",
    }
    assert settings_config["statuses"]["handed_over"] == "Handed over"
    assert settings_config["labels"]["capped"] == (
        "The map shows %(count)s of %(total)s hazard areas. Zoom in or filter to see the rest."
    )


def test_the_table_gives_count_and_area_per_type_and_status(clients, land):
    response = clients["member"].get(PAGE)
    assert summary_rows(response) == [
        ["Suspected hazardous area (SHA)", "Open", "1", "7,000", "7,000"],
        ["Suspected hazardous area (SHA)", "Closed", "0", "0", "0"],
        ["Suspected hazardous area (SHA)", "Handed over", "0", "0", "0"],
        ["Confirmed hazardous area (CHA)", "Open", "2", "14,000", "11,500"],
        ["Confirmed hazardous area (CHA)", "Closed", "0", "0", "0"],
        ["Confirmed hazardous area (CHA)", "Handed over", "1", "3,000", "0"],
    ]
    footer = response.text.split("<tfoot>", 1)[1].split("</tfoot>")[0]
    assert re.findall(r'<td class="number">([^<]*)</td>', footer) == ["4", "24,000", "18,500"]
    assert "3 of these hazard areas have no geometry" in response.text


def test_the_filters_apply_to_the_table_and_the_download_links(clients, land):
    response = clients["member"].get(f"{PAGE}?type=CHA&status=open")
    rows = [row for row in summary_rows(response) if row[2] != "0"]
    assert rows == [["Confirmed hazardous area (CHA)", "Open", "2", "14,000", "11,500"]]
    assert 'href="/article5/export/hazards.csv?type=CHA&amp;status=open"' in response.text
    assert 'href="/article5/export/hazards.gpkg?type=CHA&amp;status=open"' in response.text


def test_a_bad_filter_is_reported_and_the_others_applied(clients, land):
    response = clients["member"].get(f"{PAGE}?type=SHA&admin_area=NOPE")
    assert response.status_code == 200
    assert "There is no admin area with the code NOPE." in response.text
    rows = [row for row in summary_rows(response) if row[2] != "0"]
    assert rows == [["Suspected hazardous area (SHA)", "Open", "1", "7,000", "7,000"]]


def test_an_htmx_filter_change_gets_only_the_table(clients, land):
    response = clients["member"].get(f"{PAGE}?type=SHA", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_the_map_page_is_right_to_left_in_arabic(clients, land):
    client = clients["member"]
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    response = client.get(PAGE)
    assert '<html lang="ar" dir="rtl">' in response.text
    assert response.status_code == 200


def test_the_map_stylesheet_uses_only_logical_properties():
    css = "\n".join(
        line for line in STYLESHEET.read_text().splitlines() if not line.startswith("@media")
    )
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right|top|bottom)\b"
        r"|(?<![\w-])(?:left|right|top|bottom)\s*:"
        r"|text-align:\s*(?:left|right)"
        r"|float:\s*(?:left|right)"
        r"|(?<![\w-])(?:max-|min-)?(?:width|height)\s*:",
        css,
    )
    assert physical == []


def test_the_map_script_builds_popups_from_text_never_from_html():
    """Names come from imported files: written as text, they cannot inject markup."""
    script = SCRIPT.read_text()
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script
    assert ".textContent = " in script
