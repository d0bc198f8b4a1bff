"""/api/v1/meetings/{id}/attendance (GET, PUT) and /api/v1/inclusion."""

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.models import AuditEntry
from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.meetings.models import Attendance, Meeting
from mineaction.meetings.tests import attendance_support
from mineaction.meetings.tests.attendance_support import ROOM_PRESENCE, at, fill_room, make_meeting

room = attendance_support.room
series = attendance_support.series

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
WRITE_STATUS = {"anonymous": 401, "outsider": 404, **dict.fromkeys(READERS, 403)}


def url(meeting):
    return f"/api/v1/meetings/{meeting.public_id}/attendance"


def room_entries(room, presence=ROOM_PRESENCE):
    return {
        "entries": [
            {"person": str(room["people"][name].public_id), "presence": value}
            for name, value in presence.items()
        ]
    }


def state():
    return (
        list(Attendance.objects.order_by("pk").values()),
        list(Meeting.objects.order_by("pk").values("status")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_meetings_attendance_is_for_readers_who_can_see_it(people, room, persona):
    response = token_client(people, persona).get(url(room["meeting"]))

    assert response.status_code == RECORD_STATUS.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_meetings_register_attendance(people, room, persona):
    response = send(token_client(people, persona), "put", url(room["meeting"]), room_entries(room))

    assert response.status_code == WRITE_STATUS.get(persona, 200)
    assert Attendance.objects.count() == (6 if persona in RUNNERS else 0)


def test_registering_returns_the_attendance_and_the_figures(people, room):
    response = send(
        token_client(people, "secretariat"), "put", url(room["meeting"]), room_entries(room)
    )

    data = response.json()
    assert data["meeting"]["status"] == "held"
    figures = data["figures"]
    assert (figures["present"], figures["in_person"], figures["remote"], figures["absent"]) == (
        5,
        4,
        1,
        1,
    )
    assert (figures["women"], figures["women_percent"]) == (2, 40.0)
    assert [row["person"]["given_name"] for row in data["attendance"]] == [
        "Amina",
        "Beatrice",
        "Carlos",
        "David",
        "Erik",
        "Fatima",
    ]


def test_sex_and_age_band_can_be_given_in_the_room(people, room):
    erik = room["people"]["erik"]
    payload = {
        "entries": [{"person": str(erik.public_id), "presence": "remote", "age_band": "18_29"}]
    }

    send(token_client(people, "secretariat"), "put", url(room["meeting"]), payload)

    record = Attendance.objects.get(person=erik)
    assert (record.presence, record.sex, record.age_band) == ("remote", "male", "18_29")


def test_individual_sex_and_age_band_only_for_those_who_see_sensitive_data(people, room):
    fill_room(room)

    member = token_client(people, "member").get(url(room["meeting"])).json()
    secretariat = token_client(people, "secretariat").get(url(room["meeting"])).json()

    assert {(row["sex"], row["age_band"]) for row in member["attendance"]} == {(None, None)}
    assert secretariat["attendance"][0]["sex"] == "female"
    assert member["figures"] == secretariat["figures"]


def test_the_figures_are_those_of_the_page(clients, people, room):
    fill_room(room)

    data = token_client(people, "member").get(url(room["meeting"]), {"last": 2}).json()
    page = clients["member"].get(f"/meetings/{room['meeting'].public_id}/attendance/?last=2")

    assert data["figures"] == page.context["inclusion"]["figures"]
    assert data["absent_for_last"]["last"] == 2


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"entries": ["List at least one person."]}),
        (
            {
                "entries": [
                    {"person": "00000000-0000-4000-8000-000000000000", "presence": "present"}
                ]
            },
            {"entries.0.person": ["There is no such person."]},
        ),
        (
            {"entries": [{"person": "not-a-uuid", "presence": "present"}]},
            {"entries.0.person": ["There is no such person."]},
        ),
        ({"entries": [{"presence": "present"}]}, {"entries.0.person": ["This field is required."]}),
    ],
)
def test_bad_people_are_refused_and_nothing_changes(people, room, payload, errors):
    before = state()

    response = send(token_client(people, "secretariat"), "put", url(room["meeting"]), payload)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == errors
    assert state() == before


def test_a_bad_presence_among_good_entries_saves_nothing(people, room):
    before = state()
    payload = room_entries(room)
    payload["entries"][4]["presence"] = "asleep"
    del payload["entries"][5]["presence"]

    response = send(token_client(people, "secretariat"), "put", url(room["meeting"]), payload)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "entries.4.presence": [
            "Select a valid choice. asleep is not one of the available choices."
        ],
        "entries.5.presence": ["This field is required."],
    }
    assert state() == before


def test_a_person_listed_twice_is_refused(people, room):
    payload = room_entries(room, {"amina": "present"})
    payload["entries"].append(payload["entries"][0])

    response = send(token_client(people, "secretariat"), "put", url(room["meeting"]), payload)

    assert response.json()["errors"] == {"entries.1.person": ["This person is listed twice."]}
    assert Attendance.objects.count() == 0


def test_a_cancelled_meeting_refuses_attendance_with_a_conflict(people, room):
    Meeting.objects.filter(pk=room["meeting"].pk).update(status=Meeting.Status.CANCELLED)
    before = state()

    response = send(
        token_client(people, "secretariat"), "put", url(room["meeting"]), room_entries(room)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The meeting was cancelled: there is no attendance to register."
    )
    assert state() == before


def test_a_meeting_that_has_not_started_refuses_attendance(people, series):
    future = make_meeting(series, 3, at(2099, 5, 1))

    response = send(
        token_client(people, "secretariat"),
        "put",
        url(future),
        {"entries": [{"person": str(people["member"].public_id), "presence": "present"}]},
    )

    assert response.status_code == 409
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("outsider", 403), ("observer", 200), ("secretariat", 200)],
)
def test_inclusion_is_for_readers(people, persona, status):
    assert token_client(people, persona).get("/api/v1/inclusion").status_code == status


def test_inclusion_of_a_year_and_series(people, room, series):
    fill_room(room)
    make_meeting(series, 2, at(2026, 9, 1))

    data = (
        token_client(people, "observer")
        .get("/api/v1/inclusion", {"year": 2026, "series": str(series.public_id), "last": 1})
        .json()
    )

    assert data["year"] == 2026
    assert data["series"]["name"] == "Quarterly plenary"
    assert [(m["meeting"]["number"], m["attendance_registered"]) for m in data["meetings"]] == [
        (1, True),
        (2, False),
    ]
    assert data["total"]["present"] == 5
    assert data["absent_for_last"][0]["absent"] == ["Academia", "Private sector"]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"year": "abc"}, {"year": ["Enter a whole number."]}),
        ({"last": 0}, {"last": ["Ensure this value is greater than or equal to 1."]}),
        (
            {"series": "00000000-0000-4000-8000-000000000000"},
            {"series": ["Select a valid choice. That choice is not one of the available choices."]},
        ),
    ],
)
def test_inclusion_refuses_bad_filters(people, query, errors):
    response = token_client(people, "observer").get("/api/v1/inclusion", query)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == errors
