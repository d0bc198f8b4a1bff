"""The maps in a real Chromium: the script draws the layers under the Content-Security-Policy,
popups, filters, right-to-left controls, and the public choropleth. Browser tier: run with
`make test-browser`."""

import datetime
import os

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from mineaction.landrelease.models import HazardStatus, HazardType
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)
from mineaction.tests_browser.support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, as in the browser tier (mineaction/tests_browser)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"No Chromium at {CHROMIUM}: run scripts/install-browser or set CHROMIUM_PATH")
    # The tests touch the database only between browser actions (see tests_browser/conftest).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in_as(page, live_server):
    """A session for the user, as if they had logged in (with two-factor)."""

    def log_in_as(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}
        page.context.add_cookies([{**cookie, "url": live_server.url}])

    return log_in_as


@pytest.fixture
def land(db):
    north = make_admin_area("PR01", name="North", geometry_json=square(30, -18, side_deg=0.5))
    south = make_admin_area("PR02", name="South", geometry_json=square(30, -18.5, side_deg=0.5))
    cha = make_hazard(
        "HA-CHA", name="Old minefield", admin_area=north, geometry_json=square(30.1, -17.9, 0.05)
    )
    make_release(cha, 1_000, datetime.date(2021, 5, 1))
    make_hazard(
        "HA-SHA",
        hazard_type=HazardType.SHA,
        admin_area=south,
        geometry_json=square(30.3, -18.3, 0.05),
    )
    make_hazard(
        "HA-DONE",
        status=HazardStatus.HANDED_OVER,
        closed_on=datetime.date(2020, 1, 1),
        admin_area=north,
        geometry_json=square(30.3, -17.8, 0.05),
    )
    return cha


@pytest.fixture
def problems(page):
    """Console errors (a Content-Security-Policy violation is one), script exceptions and
    failed responses of the page's own requests. (The browser's own request for a favicon,
    which the platform does not serve, is not one of them.)"""
    found = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            found.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and found.append(response.url))
    return found


def test_the_members_map_draws_boundaries_and_hazard_areas_offline(
    page, people, log_in_as, land, problems
):
    assert settings.MAP_TILE_URL == ""
    log_in_as(people["member"].user)
    page.goto(reverse("landrelease:map"))
    hazards = page.locator(".leaflet-overlay-pane path.hazard")
    expect(hazards).to_have_count(3)
    expect(page.locator("path.hazard.hazard-cha.hazard-open")).to_have_count(1)
    expect(page.locator("path.hazard.hazard-sha.hazard-open")).to_have_count(1)
    expect(page.locator("path.hazard.hazard-handed_over")).to_have_count(1)
    expect(page.locator(".leaflet-boundaries-pane path.boundary.boundary-base")).to_have_count(2)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(page.locator("#article5-map-status")).to_have_text("3 hazard areas on the map.")
    expect(page.locator(".map-fallback")).to_be_hidden()

    page.locator("path.hazard-cha.hazard-open").click()
    popup = page.locator(".leaflet-popup-content .map-popup")
    expect(popup.locator("h3")).to_have_text("HA-CHA · Old minefield")
    expect(popup).to_contain_text("Remaining today")
    link = popup.get_by_role("link", name="Open the hazard area")
    expect(link).to_have_attribute(
        "href", reverse("landrelease:hazard_detail", kwargs={"public_id": land.public_id})
    )
    assert problems == []


def test_filters_reload_the_layer_and_the_table(page, people, log_in_as, land, problems):
    log_in_as(people["observer"].user)
    page.goto(reverse("landrelease:map"))
    expect(page.locator("path.hazard")).to_have_count(3)
    page.locator("#map_type").select_option("SHA")
    expect(page.locator("path.hazard")).to_have_count(1)
    expect(page.locator("path.hazard-sha")).to_have_count(1)
    expect(page.locator("#results tbody tr").first).to_contain_text("1")
    expect(page).to_have_url(
        f"{page.url.split('?')[0]}?type=SHA&status=&device=&admin_area=&level=1"
    )
    assert problems == []


def test_in_arabic_the_controls_and_popups_sit_on_the_right_to_left_sides(
    page, people, log_in_as, land, problems, live_server
):
    log_in_as(people["member"].user)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(reverse("landrelease:map"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("path.hazard")).to_have_count(3)
    expect(page.locator(".leaflet-top.leaflet-right .leaflet-control-zoom")).to_have_count(1)
    expect(page.locator(".leaflet-bottom.leaflet-right .leaflet-control-scale")).to_have_count(1)
    page.locator("path.hazard-cha.hazard-open").click()
    content = page.locator(".leaflet-popup-content .map-popup")
    expect(content).to_have_attribute("dir", "rtl")
    wrapper = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    # The close button is at the end of the line: the left in Arabic.
    assert close["x"] < wrapper["x"] + wrapper["width"] / 2
    assert problems == []


def test_the_public_map_is_a_choropleth_without_hazard_areas(page, land, problems):
    page.goto(reverse("landrelease:public_progress"))
    expect(page.locator("path.choropleth")).to_have_count(2)
    expect(page.locator("path.hazard")).to_have_count(0)
    page.locator("path.choropleth").first.click()
    expect(page.locator(".leaflet-popup-content .map-popup")).to_contain_text("Remaining today")
    assert problems == []


def test_with_a_tile_server_the_boundaries_are_outlines_over_the_tiles(
    page, people, log_in_as, land, problems, live_server, settings
):
    # Any image on the same site stands in for a tile server (the CSP allows this site).
    settings.MAP_TILE_URL = f"{live_server.url}/static/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    log_in_as(people["member"].user)
    page.goto(reverse("landrelease:map"))
    expect(page.locator("path.hazard")).to_have_count(3)
    expect(page.locator(".leaflet-tile-loaded")).not_to_have_count(0)
    expect(page.locator(".leaflet-control-attribution")).to_have_text("Example tiles")
    expect(page.locator("path.boundary")).to_have_count(2)
    expect(page.locator("path.boundary-base")).to_have_count(0)
    assert problems == []
