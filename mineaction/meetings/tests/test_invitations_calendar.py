import hashlib
import importlib
from datetime import timedelta

import icalendar
import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from mineaction.core.choices import Visibility
from mineaction.core.models import ApiToken
from mineaction.meetings.models import CalendarFeed, Meeting
from mineaction.meetings.services import invitations as services
from mineaction.meetings.tests.invitations_support import make_meeting
from mineaction.stakeholders.tests.helpers import DETAIL_ACCESS, LOGIN, assert_outcome

FEED_SETTINGS = reverse("meetings:invitations_feed_settings")
FEED_ACCESS = {"anonymous": LOGIN, "outsider": 403} | {
    persona: 200 for persona in DETAIL_ACCESS if persona not in {"anonymous", "outsider"}
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def meeting(people):
    return make_meeting()


@pytest.fixture
def restricted(people, donor_org):
    meeting = make_meeting(number=2, title="Donor coordination", visibility=Visibility.RESTRICTED)
    meeting.restricted_to.set([donor_org])
    return meeting


def calendar_url(meeting):
    return reverse("meetings:invitations_calendar", args=[meeting.public_id])


def parse(response):
    return icalendar.Calendar.from_ical(response.content)


def feed_path(client):
    """Create the persona's calendar address on their page; return its path."""
    client.post(FEED_SETTINGS)
    feed_url = client.get(FEED_SETTINGS).context["feed_url"]
    return feed_url.removeprefix("http://testserver")


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_meeting_calendar_download_access_by_role(clients, meeting, persona, expected):
    assert_outcome(clients[persona].get(calendar_url(meeting)), expected)


def test_meeting_calendar_download_is_an_icalendar_publish(clients, meeting):
    response = clients["member"].get(calendar_url(meeting))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="meeting-{meeting.public_id}.ics"'
    )
    calendar = parse(response)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.events
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "ATTENDEE" not in event


def test_a_restricted_meeting_calendar_is_hidden_from_other_organisations(clients, restricted):
    assert clients["member"].get(calendar_url(restricted)).status_code == 404
    assert clients["lead_donor"].get(calendar_url(restricted)).status_code == 200


def test_api_gives_the_meeting_calendar(people, meeting):
    _token, secret = ApiToken.issue(people["member"].user, "calendar")
    response = Client().get(
        f"/api/v1/meetings/{meeting.public_id}/calendar.ics",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(parse(response).events[0]["UID"]) == meeting.ical_uid
    assert Client().get(f"/api/v1/meetings/{meeting.public_id}/calendar.ics").status_code == 401


# The personal calendar feed --------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), FEED_ACCESS.items())
def test_feed_page_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(FEED_SETTINGS), expected)


def test_feed_lists_the_meetings_the_user_may_see_without_log_in(clients, meeting, restricted):
    cancelled = make_meeting(number=3, title="Cancelled meeting")
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    member_feed = Client().get(feed_path(clients["member"]))
    assert member_feed.status_code == 200
    assert member_feed["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(member_feed)
    assert calendar["METHOD"] == "PUBLISH"
    events = {str(event["SUMMARY"]): str(event["STATUS"]) for event in calendar.events}
    assert events == {"Quarterly plenary": "CONFIRMED", "Cancelled meeting": "CANCELLED"}
    donor_feed = parse(Client().get(feed_path(clients["lead_donor"])))
    assert {str(event["SUMMARY"]) for event in donor_feed.events} == {
        "Quarterly plenary",
        "Donor coordination",
        "Cancelled meeting",
    }


def test_the_address_is_shown_once_and_a_new_one_replaces_it(clients, meeting):
    client = clients["member"]
    first = feed_path(client)
    page = client.get(FEED_SETTINGS)
    assert page.context["feed_url"] is None
    assert "You created a calendar address on" in page.content.decode()
    second = feed_path(client)
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_a_wrong_feed_address_finds_nothing(meeting):
    assert Client().get("/meetings/calendar-feed/cal_not-a-secret.ics").status_code == 404


def test_feed_and_api_secrets_cannot_stand_in_for_each_other(clients, people, meeting):
    path = feed_path(clients["member"])
    feed_secret = path.removeprefix("/meetings/calendar-feed/").removesuffix(".ics")
    api_response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {feed_secret}"})
    assert api_response.status_code == 401
    _token, api_secret = ApiToken.issue(people["member"].user, "script")
    assert Client().get(f"/meetings/calendar-feed/{api_secret}.ics").status_code == 404


def test_feed_of_a_user_who_lost_their_role_lists_nothing(clients, people, meeting):
    path = feed_path(clients["member"])
    people["member"].memberships.all().delete()
    assert parse(Client().get(path)).events == []


def test_feed_secret_is_not_listed_among_api_tokens(clients, people):
    feed_path(clients["member"])
    assert services.calendar_feed_token(people["member"].user) is not None
    assert not ApiToken.objects.filter(user=people["member"].user).exists()
    page = clients["member"].get(reverse("core:token_list"))
    assert list(page.context["tokens"]) == []


def test_feed_keeps_only_a_hash_of_its_secret_and_when_it_was_read(clients, people, meeting):
    path = feed_path(clients["member"])
    secret = path.removeprefix("/meetings/calendar-feed/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=people["member"].user)
    assert feed.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (feed.hint, feed.last_used_at) == (secret[:8], None)
    assert secret.startswith("cal_")
    assert Client().get(path).status_code == 200
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    page = clients["member"].get(FEED_SETTINGS).content.decode()
    assert "A calendar program last read it on" in page


def test_a_new_address_replaces_the_feed_in_place(clients, people):
    feed_path(clients["member"])
    first = CalendarFeed.objects.get(user=people["member"].user)
    feed_path(clients["member"])
    second = CalendarFeed.objects.get(user=people["member"].user)
    assert CalendarFeed.objects.count() == 1
    assert second.key_hash != first.key_hash
    assert (second.last_used_at, second.created_at >= first.created_at) == (None, True)


def test_feed_of_a_deactivated_user_finds_nothing(clients, people, meeting):
    path = feed_path(clients["member"])
    user = people["member"].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404


def test_feed_secrets_kept_among_api_tokens_move_to_their_own_table(people):
    """The migration that gave the feeds their own table keeps the addresses working."""
    migration = importlib.import_module("mineaction.meetings.migrations.0002_calendar_feed")
    user = people["observer"].user
    secret = "cal_" + "x" * 43
    old, newest = (
        ApiToken.objects.create(
            user=user, name="Calendar feed", key_hash=ApiToken.hash(f"{secret}{n}"), hint="cal_xxxx"
        )
        for n in (1, 2)
    )
    ApiToken.objects.filter(pk=old.pk).update(created_at=newest.created_at - timedelta(days=1))
    _api_token, _api_secret = ApiToken.issue(user, "script")
    migration.move_feed_secrets(django_apps, None)
    assert list(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == ["script"]
    assert services.calendar_feed_user(f"{secret}2") == user
    assert services.calendar_feed_user(f"{secret}1") is None
