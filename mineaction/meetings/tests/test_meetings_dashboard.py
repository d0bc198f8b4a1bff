"""The dashboard's "Upcoming meetings" panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.core.choices import Visibility
from mineaction.meetings.models import Meeting
from mineaction.meetings.tests.meetings_support import UTC, make_meeting, make_series


@pytest.fixture
def series(people):
    return make_series()


def test_the_panel_lists_upcoming_meetings_but_not_past_or_cancelled_ones(clients, series):
    upcoming = make_meeting(series, number=3, title="Third plenary")
    make_meeting(
        series, number=1, title="Past plenary", starts_at=datetime.datetime(2020, 1, 1, tzinfo=UTC)
    )
    make_meeting(series, number=2, title="Cancelled plenary", status=Meeting.Status.CANCELLED)
    response = clients["member"].get(reverse("dashboard:home"))
    assert response.context["upcoming_meetings"] == [upcoming]
    assert "Third plenary" in response.text
    assert reverse("meetings:meetings_detail", args=[upcoming.public_id]) in response.text


def test_the_panel_hides_restricted_meetings_of_other_organisations(clients, series, donor_org):
    restricted = make_meeting(series, visibility=Visibility.RESTRICTED)
    restricted.restricted_to.set([donor_org])
    assert clients["member"].get(reverse("dashboard:home")).context["upcoming_meetings"] == []
    assert clients["lead_donor"].get(reverse("dashboard:home")).context["upcoming_meetings"] == [
        restricted
    ]


def test_the_panel_keeps_the_query_count_flat(clients, series):
    client = clients["member"]
    make_meeting(series, number=1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard:home"))
    for number in range(2, 12):
        make_meeting(series, number=number)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dashboard:home"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_page_keeps_the_query_count_flat(clients, series):
    client = clients["member"]
    make_meeting(series, number=1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("meetings:meetings_list"))
    for number in range(2, 12):
        make_meeting(series, number=number)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("meetings:meetings_list"))
    assert len(many.captured_queries) == len(few.captured_queries)
