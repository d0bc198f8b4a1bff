"""Pages of the meetings part: series, the meeting list and page, creating, editing,
postponing, cancelling and marking as held."""

import datetime

import pytest
from django.urls import reverse

from mineaction.core.choices import Visibility
from mineaction.meetings.models import AgendaItem, Meeting, MeetingSeries
from mineaction.meetings.tests.meetings_support import (
    UTC,
    make_action_point,
    make_meeting,
    make_series,
)

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]


@pytest.fixture
def series(people):
    return make_series()


@pytest.fixture
def meeting(series):
    return make_meeting(series, number=1, venue="Room 1")


def _meeting_form(series, authority_org, **changes):
    data = {
        "series": str(series.public_id),
        "number": "2",
        "title": "",
        "starts_at": "2030-04-30T09:00",
        "ends_at": "2030-04-30T12:00",
        "time_zone": "Africa/Nairobi",
        "venue": "Mine Action Centre, Room 1",
        "online_url": "",
        "focus": Meeting.Focus.ARTICLE_5,
        "chair": str(authority_org.pk),
        "convener": "",
        "visibility": Visibility.MEMBERS,
    }
    data.update(changes)
    return data


# Series ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS + RUNNERS)
def test_readers_see_the_series_list(clients, series, persona):
    response = clients[persona].get(reverse("meetings:meetings_series_list"))
    assert response.status_code == 200
    assert "Quarterly plenary" in response.text


def test_an_outsider_may_not_see_the_series_list(clients, series):
    assert clients["outsider"].get(reverse("meetings:meetings_series_list")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(clients, series):
    response = clients["anonymous"].get(reverse("meetings:meetings_series_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", *READERS])
def test_only_meeting_runners_create_a_series(clients, persona):
    response = clients[persona].post(
        reverse("meetings:meetings_series_create"), {"name": "Plenary", "default_time_zone": "UTC"}
    )
    assert response.status_code == 403
    assert not MeetingSeries.objects.exists()


@pytest.mark.parametrize("persona", RUNNERS)
def test_meeting_runners_create_a_series(clients, persona):
    response = clients[persona].post(
        reverse("meetings:meetings_series_create"),
        {
            "name": "Quarterly plenary",
            "kind": "plenary",
            "frequency": "quarterly",
            "default_time_zone": "Asia/Phnom_Penh",
            "default_venue": "CMAA",
            "visibility": "members",
        },
    )
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/?series={series.public_id}"
    assert (series.default_time_zone, series.frequency) == ("Asia/Phnom_Penh", "quarterly")


def test_an_unknown_time_zone_is_refused_and_nothing_is_saved(clients, series):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_series_edit", args=[series.public_id]),
        {
            "name": "Renamed",
            "kind": "plenary",
            "frequency": "quarterly",
            "default_time_zone": "Mars/Olympus_Mons",
            "visibility": "members",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "default_time_zone": [
            "Unknown time zone: Mars/Olympus_Mons. Use a name such as Africa/Nairobi or "
            "Europe/Geneva."
        ]
    }
    series.refresh_from_db()
    assert (series.name, series.default_time_zone) == ("Quarterly plenary", "Africa/Nairobi")


def test_a_member_may_not_edit_a_series(clients, series):
    response = clients["member"].get(
        reverse("meetings:meetings_series_edit", args=[series.public_id])
    )
    assert response.status_code == 403


# List and detail -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS + RUNNERS)
def test_readers_see_the_meeting_list(clients, meeting, persona):
    response = clients[persona].get(reverse("meetings:meetings_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [meeting]


def test_an_outsider_may_not_see_the_meeting_list(clients, meeting):
    assert clients["outsider"].get(reverse("meetings:meetings_list")).status_code == 403


def test_the_list_filters_by_series_status_and_time(clients, series, meeting):
    other = make_series("Technical working group")
    past = make_meeting(
        other, starts_at=datetime.datetime(2020, 1, 1, 9, tzinfo=UTC), status=Meeting.Status.HELD
    )
    client = clients["member"]
    url = reverse("meetings:meetings_list")
    by_series = client.get(url, {"series": str(other.public_id)})
    assert list(by_series.context["page"]) == [past]
    assert list(client.get(url, {"status": "planned"}).context["page"]) == [meeting]
    assert list(client.get(url, {"when": "upcoming"}).context["page"]) == [meeting]
    assert list(client.get(url, {"when": "past"}).context["page"]) == [past]


def test_the_list_answers_htmx_with_the_results_only(clients, meeting):
    response = clients["member"].get(
        reverse("meetings:meetings_list"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')


def test_the_list_is_paginated(clients, series):
    for number in range(1, 28):
        make_meeting(
            series, number=number, starts_at=datetime.datetime(2030, 1, number, tzinfo=UTC)
        )
    response = clients["member"].get(reverse("meetings:meetings_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 2


def test_the_meeting_page_shows_both_time_zones_chairs_and_agenda(
    clients, series, authority_org, donor_org
):
    meeting = make_meeting(series, chair=authority_org, venue="Room 1")
    AgendaItem.objects.create(meeting=meeting, title="Survey results", duration_minutes=200)
    response = clients["member"].get(reverse("meetings:meetings_detail", args=[meeting.public_id]))
    assert response.status_code == 200
    text = response.text
    assert "Thursday 31 January 2030, 09:00</time> – <time" in text  # Nairobi, UTC+3
    assert "Thursday 31 January 2030, 06:00 – 09:00 (UTC)" in text
    assert "Testland Mine Action Centre (TMAC)" in text
    assert "Kingdom of Examplia" in text  # co-chair from the lead donor rotation
    assert "Survey results" in text
    assert "The agenda is 20 minutes longer than the meeting." in text
    assert reverse("meetings:meetings_edit", args=[meeting.public_id]) not in text


@pytest.mark.parametrize("persona", ["member", "secretariat"])
def test_the_meeting_page_links_to_every_part_of_the_meeting(
    clients, series, meeting, ngo_org, persona
):
    point = make_action_point(meeting, ngo_org, "Share the survey report.")
    review = AgendaItem.objects.create(meeting=meeting, title="Review of open action points")
    review.reviewed_action_points.add(point)
    client = clients[persona]
    response = client.get(reverse("meetings:meetings_detail", args=[meeting.public_id]))
    links = [
        reverse("meetings:invitations_list", args=[meeting.public_id]),
        reverse("meetings:invitations_calendar", args=[meeting.public_id]),
        reverse("meetings:attendance_detail", args=[meeting.public_id]),
        reverse("meetings:minutes_list", args=[meeting.public_id]),
        f"{reverse('meetings:action_points_list')}?meeting={meeting.public_id}",
        reverse("meetings:action_points_detail", args=[point.public_id]),
    ]
    for link in links:
        assert f'href="{link}"' in response.text
        assert client.get(link).status_code == 200, link
    listed = client.get(links[4]).context["page"].object_list
    assert list(listed) == [point]


def test_an_outsider_gets_not_found_for_a_meeting(clients, meeting):
    response = clients["outsider"].get(
        reverse("meetings:meetings_detail", args=[meeting.public_id])
    )
    assert response.status_code == 404


def test_a_restricted_meeting_is_seen_only_by_the_named_organisations(
    clients, series, ngo_org, donor_org
):
    meeting = make_meeting(series, visibility=Visibility.RESTRICTED)
    meeting.restricted_to.set([donor_org])
    url = reverse("meetings:meetings_detail", args=[meeting.public_id])
    assert clients["member"].get(url).status_code == 404
    assert clients["lead_donor"].get(url).status_code == 200
    assert clients["secretariat"].get(url).status_code == 200
    assert list(clients["member"].get(reverse("meetings:meetings_list")).context["page"]) == []


# Create and edit -------------------------------------------------------------------------------


def test_without_a_series_the_create_page_asks_for_one(clients, series):
    response = clients["secretariat"].get(reverse("meetings:meetings_create"))
    assert response.status_code == 200
    assert f"?series={series.public_id}" in response.text


def test_the_create_form_proposes_the_next_meeting(clients, series, meeting, authority_org):
    response = clients["secretariat"].get(
        reverse("meetings:meetings_create"), {"series": str(series.public_id)}
    )
    form = response.context["form"]
    assert form["number"].value() == 2
    # 31 January at 09:00 in Nairobi; the next quarter is 30 April at the same local time.
    assert form["starts_at"].value() == datetime.datetime(2030, 4, 30, 9, 0)
    assert form["venue"].value() == "Mine Action Centre, Room 1"
    assert form["chair"].value() == authority_org.pk


@pytest.mark.parametrize("persona", ["outsider", *READERS])
def test_only_meeting_runners_create_meetings(clients, series, authority_org, persona):
    response = clients[persona].post(
        reverse("meetings:meetings_create") + f"?series={series.public_id}",
        _meeting_form(series, authority_org),
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_secretariat_creates_a_meeting_with_its_proposed_agenda(
    clients, series, meeting, authority_org
):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_create") + f"?series={series.public_id}",
        _meeting_form(series, authority_org),
    )
    created = Meeting.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meetings_detail", args=[created.public_id])
    assert created.starts_at == datetime.datetime(2030, 4, 30, 6, 0, tzinfo=UTC)
    assert list(created.agenda_items.values_list("title", flat=True)) == [
        "Opening and adoption of the agenda",
        "Review of open action points",
        "Review of priority challenges",
        "Any other business",
    ]


def test_an_end_before_the_start_is_refused_and_nothing_is_created(clients, series, authority_org):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_create") + f"?series={series.public_id}",
        _meeting_form(series, authority_org, ends_at="2030-04-30T08:00"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_at": ["A meeting must end after it starts."]}
    assert not Meeting.objects.exists()


def test_a_restricted_meeting_needs_its_organisations(clients, series, authority_org):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_create") + f"?series={series.public_id}",
        _meeting_form(series, authority_org, visibility=Visibility.RESTRICTED),
    )
    assert response.context["form"].errors == {
        "restricted_to": ["Choose the organisations that may see a restricted meeting."]
    }
    assert not Meeting.objects.exists()


def test_editing_the_venue_raises_the_calendar_sequence(clients, series, meeting, authority_org):
    data = _meeting_form(series, authority_org, venue="Hotel Lakeside")
    data.update(starts_at="2030-01-31T09:00", ends_at="2030-01-31T12:00")
    response = clients["secretariat"].post(
        reverse("meetings:meetings_edit", args=[meeting.public_id]), data
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.ical_sequence) == ("Hotel Lakeside", 1)
    assert meeting.starts_at == datetime.datetime(2030, 1, 31, 6, tzinfo=UTC)


def test_an_unknown_meeting_time_zone_is_refused(clients, series, meeting, authority_org):
    data = _meeting_form(series, authority_org, time_zone="Nairobi")
    response = clients["secretariat"].post(
        reverse("meetings:meetings_edit", args=[meeting.public_id]), data
    )
    assert response.context["form"].errors["time_zone"] == [
        "Unknown time zone: Nairobi. Use a name such as Africa/Nairobi or Europe/Geneva."
    ]
    meeting.refresh_from_db()
    assert (meeting.time_zone, meeting.ical_sequence) == ("Africa/Nairobi", 0)


@pytest.mark.parametrize("persona", READERS)
def test_readers_may_not_edit_a_meeting(clients, meeting, persona):
    url = reverse("meetings:meetings_edit", args=[meeting.public_id])
    assert clients[persona].get(url).status_code == 403


# Postpone, cancel, held ------------------------------------------------------------------------


def test_the_secretariat_postpones_a_meeting(clients, meeting):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_postpone", args=[meeting.public_id]),
        {"starts_at": "2030-02-07T09:00", "ends_at": "2030-02-07T12:00", "reason": "Elections"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_note, meeting.ical_sequence) == (
        Meeting.Status.POSTPONED,
        "Elections",
        1,
    )
    assert meeting.starts_at == datetime.datetime(2030, 2, 7, 6, tzinfo=UTC)


def test_postponing_needs_a_reason_and_an_end_after_the_start(clients, meeting):
    response = clients["secretariat"].post(
        reverse("meetings:meetings_postpone", args=[meeting.public_id]),
        {"starts_at": "2030-02-07T09:00", "ends_at": "2030-02-07T08:00", "reason": ""},
    )
    assert response.context["form"].errors == {
        "reason": ["This field is required."],
        "ends_at": ["A meeting must end after it starts."],
    }
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ical_sequence) == (Meeting.Status.PLANNED, 0)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_readers_may_not_postpone_cancel_or_mark_as_held(clients, meeting, persona):
    client = clients[persona]
    for name in ("meetings_postpone", "meetings_cancel", "meetings_held"):
        assert client.post(reverse(f"meetings:{name}", args=[meeting.public_id])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_secretariat_cancels_a_meeting_and_it_cannot_be_held(clients, meeting):
    client = clients["secretariat"]
    response = client.post(
        reverse("meetings:meetings_cancel", args=[meeting.public_id]), {"reason": "No quorum"}
    )
    assert response.status_code == 302
    response = client.post(reverse("meetings:meetings_held", args=[meeting.public_id]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The meeting has been cancelled.",
        "The meeting is “Cancelled”: it cannot become “Held”.",
    ]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_note) == (Meeting.Status.CANCELLED, "No quorum")


def test_a_cancelled_meeting_cannot_be_cancelled_again(clients, meeting):
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    response = clients["secretariat"].post(
        reverse("meetings:meetings_cancel", args=[meeting.public_id]), {"reason": "Again"}
    )
    assert response.context["form"].non_field_errors() == [
        "A meeting that is “Cancelled” cannot be cancelled."
    ]


def test_a_past_meeting_is_marked_as_held(clients, series):
    meeting = make_meeting(series, starts_at=datetime.datetime(2024, 1, 1, 9, tzinfo=UTC))
    response = clients["lead_authority"].post(
        reverse("meetings:meetings_held", args=[meeting.public_id])
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
