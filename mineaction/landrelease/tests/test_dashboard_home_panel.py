"""The Article 5 panel of the home dashboard: today's remaining area, countdown and forecast for
every reader, with a link to the Article 5 dashboard; the same figures as that dashboard."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from mineaction.core.models import DeadlineChange
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories


@pytest.fixture
def deadline(country):
    country.original_article5_deadline = timezone.localdate() + datetime.timedelta(days=400)
    country.save()
    return country


@pytest.fixture
def hazards(deadline):
    """Two hazard areas with land released in each of the last three years."""
    today = timezone.localdate()
    region = factories.make_admin_area("PR01", name="Northern Province")
    made = []
    for _number in range(2):
        hazard = factories.make_hazard(
            admin_area=region, recorded_area_m2=500_000, date_recorded=datetime.date(2015, 1, 1)
        )
        for years_ago in (1, 2, 3):
            factories.make_release(hazard, 10_000, datetime.date(today.year - years_ago, 6, 1))
        made.append(hazard)
    return made


def panel(response):
    match = re.search(
        r'<section class="panel" aria-labelledby="progress-heading">.*?</section>',
        response.text,
        re.DOTALL,
    )
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group()))


@pytest.mark.parametrize("persona", ["observer", "member", "secretariat", "lead_donor"])
def test_readers_see_remaining_area_countdown_and_forecast(clients, hazards, persona):
    text = panel(clients[persona].get("/"))
    summary = progress.summary()
    assert summary["remaining_area_m2"] == 940_000
    assert "Remaining area 940,000 m²" in text
    assert "400 days left" in text
    completion = formats.date_format(summary["forecast"]["completion_date"], "DATE_FORMAT")
    assert f"Forecast completion {completion}" in text
    assert "Will the deadline hold? No At the observed rate" in text
    assert 'href="/article5/"' in clients[persona].get("/").text


def test_lead_authority_sees_the_countdown_once(clients, hazards):
    response = clients["lead_authority"].get("/")
    assert response.text.count("400 days left") == 1
    assert "Remaining area 940,000 m²" in panel(response)


def test_panel_says_when_nothing_has_been_imported(clients, deadline):
    text = panel(clients["member"].get("/"))
    assert "No hazard area has been imported yet." in text


def test_panel_is_not_shown_to_outsiders_or_visitors(clients, hazards):
    assert "progress-heading" not in clients["outsider"].get("/").text
    assert "progress-heading" not in clients["anonymous"].get("/").text


def test_home_query_count_does_not_grow_with_the_hazard_areas(clients, hazards):
    client = clients["member"]
    region = hazards[0].admin_area
    client.get("/")
    progress.data_changed()  # both requests compute the figures: none comes from the cache
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for _number in range(30):
        hazard = factories.make_hazard(admin_area=region, recorded_area_m2=1_000)
        factories.make_release(hazard, 10, datetime.date(timezone.localdate().year - 1, 6, 1))
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)


def test_deadline_extension_counts_in_the_panel(clients, hazards, deadline):
    DeadlineChange.objects.create(
        profile=deadline,
        new_deadline=timezone.localdate() - datetime.timedelta(days=3),
        decided_on=datetime.date(2020, 1, 1),
        decision="Decision",
    )
    assert "The deadline passed 3 days ago." in panel(clients["member"].get("/"))
