"""API of the meetings and agenda parts."""

import datetime

import pytest

from mineaction.core.choices import Visibility
from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.meetings.models import AgendaItem, Meeting, MeetingSeries
from mineaction.meetings.services.agenda import agenda_propose
from mineaction.meetings.tests.meetings_support import UTC, make_meeting, make_series

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]


@pytest.fixture
def series(people):
    return make_series()


@pytest.fixture
def meeting(series):
    meeting = make_meeting(series, number=1, venue="Room 1")
    agenda_propose(meeting=meeting)
    return meeting


def api(people, persona):
    return token_client(people, persona)


# Series ----------------------------------------------------------------------------------------


def test_readers_list_the_series(people, series):
    response = api(people, "observer").get("/api/v1/meeting-series")
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["results"]] == ["Quarterly plenary"]


def test_an_outsider_may_not_list_the_series(people, series):
    assert api(people, "outsider").get("/api/v1/meeting-series").status_code == 403
    assert api(people, "anonymous").get("/api/v1/meeting-series").status_code == 401


def test_the_secretariat_creates_a_series(people):
    response = send(
        api(people, "secretariat"),
        "post",
        "/api/v1/meeting-series",
        {"name": "Technical WG", "default_time_zone": "Asia/Phnom_Penh", "frequency": "monthly"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["frequency"] == "monthly"
    assert MeetingSeries.objects.get().default_time_zone == "Asia/Phnom_Penh"


def test_a_series_with_an_unknown_time_zone_is_refused(people):
    response = send(
        api(people, "secretariat"),
        "post",
        "/api/v1/meeting-series",
        {"name": "Technical WG", "default_time_zone": "Moon/Base"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "default_time_zone": [
            "Unknown time zone: Moon/Base. Use a name such as Africa/Nairobi or Europe/Geneva."
        ]
    }
    assert not MeetingSeries.objects.exists()


def test_a_member_may_not_create_a_series(people):
    response = send(
        api(people, "member"),
        "post",
        "/api/v1/meeting-series",
        {"name": "X", "default_time_zone": "UTC"},
    )
    assert response.status_code == 403
    assert not MeetingSeries.objects.exists()


# Meetings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS + RUNNERS)
def test_readers_list_meetings(people, meeting, persona):
    response = api(people, persona).get("/api/v1/meetings")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["co_chair"]["name"] == "Kingdom of Examplia"


def test_the_meeting_list_filters_by_status_and_series(people, series, meeting):
    other = make_series("Other")
    cancelled = make_meeting(other, status=Meeting.Status.CANCELLED)
    client = api(people, "member")
    by_status = client.get("/api/v1/meetings", {"status": "cancelled"}).json()
    assert [m["public_id"] for m in by_status["results"]] == [str(cancelled.public_id)]
    by_series = client.get("/api/v1/meetings", {"series": str(series.public_id)}).json()
    assert [m["public_id"] for m in by_series["results"]] == [str(meeting.public_id)]
    bad = client.get("/api/v1/meetings", {"status": "finished"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["status"]


def test_the_meeting_list_stays_flat_in_queries(people, series, django_assert_max_num_queries):
    client = api(people, "member")
    for number in range(1, 4):
        make_meeting(series, number=number)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/meetings")
    for number in range(4, 14):
        make_meeting(series, number=number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/meetings")


def test_an_outsider_cannot_read_a_meeting(people, meeting):
    response = api(people, "outsider").get(f"/api/v1/meetings/{meeting.public_id}")
    assert response.status_code == 404


def test_a_restricted_meeting_is_hidden_from_other_organisations(people, meeting, donor_org):
    meeting.visibility = Visibility.RESTRICTED
    meeting.save()
    meeting.restricted_to.set([donor_org])
    url = f"/api/v1/meetings/{meeting.public_id}"
    assert api(people, "member").get(url).status_code == 404
    assert api(people, "lead_donor").get(url).status_code == 200
    assert api(people, "member").get("/api/v1/meetings").json()["count"] == 0


def test_the_secretariat_creates_the_next_meeting_from_the_series(people, series, meeting, ngo_org):
    response = send(
        api(people, "secretariat"), "post", "/api/v1/meetings", {"series": str(series.public_id)}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 2
    assert body["starts_at"] == "2030-04-30T06:00:00Z"
    assert body["chair"]["name"] == "Testland Mine Action Centre"
    assert body["convener"]["name"] == "United Nations Development Programme"
    created = Meeting.objects.get(number=2)
    assert created.agenda_items.count() == 4


def test_creating_a_meeting_that_ends_before_it_starts_changes_nothing(people, series):
    response = send(
        api(people, "secretariat"),
        "post",
        "/api/v1/meetings",
        {
            "series": str(series.public_id),
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T09:00",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"ends_at": ["A meeting must end after it starts."]}
    assert not Meeting.objects.exists()
    assert not AgendaItem.objects.exists()


def test_creating_a_meeting_needs_a_known_series(people):
    response = send(api(people, "secretariat"), "post", "/api/v1/meetings", {"series": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"series": ["Choose an existing meeting series."]}


@pytest.mark.parametrize("persona", READERS)
def test_readers_may_not_create_or_change_meetings(people, series, meeting, persona):
    client = api(people, persona)
    create = send(client, "post", "/api/v1/meetings", {"series": str(series.public_id)})
    patch = send(client, "patch", f"/api/v1/meetings/{meeting.public_id}", {"venue": "Elsewhere"})
    assert (create.status_code, patch.status_code) == (403, 403)
    meeting.refresh_from_db()
    assert (Meeting.objects.count(), meeting.venue) == (1, "Room 1")


def test_patching_the_time_raises_the_sequence_and_is_in_the_meeting_zone(people, meeting):
    response = send(
        api(people, "secretariat"),
        "patch",
        f"/api/v1/meetings/{meeting.public_id}",
        {"starts_at": "2030-01-31T10:00", "ends_at": "2030-01-31T13:00"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["starts_at"] == "2030-01-31T07:00:00Z"
    assert response.json()["ical_sequence"] == 1


def test_patching_an_unknown_time_zone_changes_nothing(people, meeting):
    response = send(
        api(people, "secretariat"),
        "patch",
        f"/api/v1/meetings/{meeting.public_id}",
        {"time_zone": "Europe/Atlantis", "venue": "Elsewhere"},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["time_zone"]
    meeting.refresh_from_db()
    assert (meeting.time_zone, meeting.venue) == ("Africa/Nairobi", "Room 1")


def test_postpone_cancel_and_held_follow_the_flow(people, meeting):
    client = api(people, "secretariat")
    base = f"/api/v1/meetings/{meeting.public_id}"
    postponed = send(
        client,
        "post",
        f"{base}/postpone",
        {"starts_at": "2030-02-07T09:00", "ends_at": "2030-02-07T12:00", "reason": "Elections"},
    )
    assert postponed.status_code == 200, postponed.content
    assert (postponed.json()["status"], postponed.json()["ical_sequence"]) == ("postponed", 1)
    cancelled = send(client, "post", f"{base}/cancel", {"reason": "No quorum"})
    assert cancelled.json()["status"] == "cancelled"
    held = send(client, "post", f"{base}/held")
    assert held.status_code == 409
    assert held.json()["detail"] == "The meeting is “Cancelled”: it cannot become “Held”."
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ical_sequence) == (Meeting.Status.CANCELLED, 2)


def test_postponing_without_a_reason_is_refused(people, meeting):
    response = send(
        api(people, "secretariat"),
        "post",
        f"/api/v1/meetings/{meeting.public_id}/postpone",
        {"starts_at": "2030-02-07T09:00", "ends_at": "2030-02-07T12:00"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_a_past_meeting_is_marked_as_held(people, series):
    meeting = make_meeting(series, starts_at=datetime.datetime(2024, 3, 1, 9, tzinfo=UTC))
    response = send(
        api(people, "lead_authority"), "post", f"/api/v1/meetings/{meeting.public_id}/held"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "held"


# Agenda ----------------------------------------------------------------------------------------


def test_readers_get_the_agenda_with_its_timing(people, meeting):
    response = api(people, "observer").get(f"/api/v1/meetings/{meeting.public_id}/agenda")
    assert response.status_code == 200
    body = response.json()
    assert [i["title"] for i in body["items"]] == [
        "Opening and adoption of the agenda",
        "Review of open action points",
        "Review of priority challenges",
        "Any other business",
    ]
    assert (body["total_minutes"], body["meeting_minutes"], body["over_by_minutes"]) == (80, 180, 0)


def test_an_outsider_cannot_get_the_agenda(people, meeting):
    response = api(people, "outsider").get(f"/api/v1/meetings/{meeting.public_id}/agenda")
    assert response.status_code == 404


def test_the_secretariat_adds_changes_and_removes_an_item(people, meeting):
    client = api(people, "secretariat")
    base = f"/api/v1/meetings/{meeting.public_id}/agenda"
    created = send(client, "post", base, {"title": "Survey results", "duration_minutes": 40})
    assert created.status_code == 201, created.content
    assert created.json()["order"] == 5
    item_id = created.json()["public_id"]
    changed = send(client, "patch", f"{base}/{item_id}", {"duration_minutes": 200})
    assert changed.json()["duration_minutes"] == 200
    assert client.get(base).json()["over_by_minutes"] == 100  # 10 + 30 + 30 + 10 + 200 - 180
    removed = send(client, "delete", f"{base}/{item_id}")
    assert removed.status_code == 204
    assert meeting.agenda_items.count() == 4


def test_an_item_without_a_title_is_refused(people, meeting):
    response = send(
        api(people, "secretariat"), "post", f"/api/v1/meetings/{meeting.public_id}/agenda", {}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["This field is required."]}
    assert meeting.agenda_items.count() == 4


@pytest.mark.parametrize("persona", READERS)
def test_readers_may_not_change_the_agenda(people, meeting, persona):
    client = api(people, persona)
    base = f"/api/v1/meetings/{meeting.public_id}/agenda"
    item = meeting.agenda_items.first()
    assert send(client, "post", base, {"title": "X"}).status_code == 403
    assert send(client, "patch", f"{base}/{item.public_id}", {"title": "X"}).status_code == 403
    assert send(client, "delete", f"{base}/{item.public_id}").status_code == 403
    assert meeting.agenda_items.count() == 4


def test_an_item_of_another_meeting_is_not_found_under_this_one(people, series, meeting):
    other = make_meeting(series, number=2)
    item = meeting.agenda_items.first()
    response = send(
        api(people, "secretariat"),
        "delete",
        f"/api/v1/meetings/{other.public_id}/agenda/{item.public_id}",
    )
    assert response.status_code == 404
    assert meeting.agenda_items.count() == 4
