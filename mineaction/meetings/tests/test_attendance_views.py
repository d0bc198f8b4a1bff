"""The attendance pages: a meeting's attendance and figures, the quick-entry sheet, the year."""

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.models import AuditEntry
from mineaction.meetings.models import Attendance, Meeting
from mineaction.meetings.tests import attendance_support
from mineaction.meetings.tests.attendance_support import (
    ROOM_PRESENCE,
    at,
    fill_room,
    make_meeting,
)
from mineaction.stakeholders.tests.helpers import LOGIN, assert_outcome

room = attendance_support.room
series = attendance_support.series

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]
PAGE = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS + RUNNERS, 200)
RECORD = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS + RUNNERS, 200)
SHEET = (
    {"anonymous": LOGIN, "outsider": 404}
    | dict.fromkeys(READERS, 403)
    | dict.fromkeys(RUNNERS, 200)
)


def detail_url(meeting):
    return reverse("meetings:attendance_detail", args=[meeting.public_id])


def sheet_url(meeting):
    return reverse("meetings:attendance_register", args=[meeting.public_id])


def sheet_data(room, presence=ROOM_PRESENCE, **extra):
    data = {"save": "sheet", "person": [], **extra}
    for name, person in room["people"].items():
        data["person"].append(str(person.public_id))
        if name in presence:
            data[f"{person.public_id}-presence"] = presence[name]
        data[f"{person.public_id}-sex"] = person.sex
        data[f"{person.public_id}-age_band"] = person.age_band
    return data


def state():
    return (
        list(Attendance.objects.order_by("pk").values()),
        list(Meeting.objects.order_by("pk").values("status")),
        AuditEntry.objects.count(),
    )


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_attendance_page_is_for_readers_who_can_see_the_meeting(clients, room, persona):
    assert_outcome(clients[persona].get(detail_url(room["meeting"])), RECORD[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_meetings_open_the_sheet(clients, room, persona):
    assert_outcome(clients[persona].get(sheet_url(room["meeting"])), SHEET[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_meetings_register_attendance(clients, room, persona):
    response = clients[persona].post(sheet_url(room["meeting"]), sheet_data(room))

    expected = 302 if persona in RUNNERS else SHEET[persona]
    assert_outcome(response, expected)
    assert Attendance.objects.count() == (6 if persona in RUNNERS else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_inclusion_page_is_for_readers(clients, persona):
    assert_outcome(clients[persona].get(reverse("meetings:attendance_inclusion")), PAGE[persona])


def test_a_restricted_meeting_is_hidden_from_other_organisations(clients, room):
    Meeting.objects.filter(pk=room["meeting"].pk).update(visibility="restricted")

    assert clients["member"].get(detail_url(room["meeting"])).status_code == 404


# The sheet -------------------------------------------------------------------------------------


def test_the_sheet_lists_the_invited_people_with_three_choices_each(clients, room):
    response = clients["secretariat"].get(sheet_url(room["meeting"]))

    assert [row.person.given_name for row in response.context["form"].rows] == [
        "Amina",
        "Beatrice",
        "Carlos",
        "David",
        "Erik",
        "Fatima",
    ]
    amina = room["people"]["amina"].public_id
    for value in ("present", "remote", "absent"):
        assert f'name="{amina}-presence" value="{value}"' in response.text
    assert "Ines" not in response.text  # informed only


def test_saving_the_sheet_records_everyone_and_marks_the_meeting_held(clients, room):
    response = clients["secretariat"].post(sheet_url(room["meeting"]), sheet_data(room))

    assert response.status_code == 302
    assert response.url == detail_url(room["meeting"])
    presence = dict(Attendance.objects.values_list("person__given_name", "presence"))
    assert presence == {
        "Amina": "present",
        "Beatrice": "present",
        "Carlos": "present",
        "David": "present",
        "Erik": "remote",
        "Fatima": "absent",
    }
    room["meeting"].refresh_from_db()
    assert room["meeting"].status == Meeting.Status.HELD


def test_a_line_left_without_a_choice_is_not_recorded(clients, room):
    presence = {"amina": "present"}
    clients["secretariat"].post(sheet_url(room["meeting"]), sheet_data(room, presence))

    assert list(Attendance.objects.values_list("person__given_name", flat=True)) == ["Amina"]


def test_sex_corrected_on_the_sheet_is_recorded_on_the_attendance_only(clients, room):
    erik = room["people"]["erik"]
    data = sheet_data(room)
    data[f"{erik.public_id}-age_band"] = "30_44"

    clients["secretariat"].post(sheet_url(room["meeting"]), data)

    assert Attendance.objects.get(person=erik).age_band == "30_44"
    erik.refresh_from_db()
    assert erik.age_band == "undisclosed"


def test_a_bad_presence_value_is_refused_and_nothing_is_saved(clients, room):
    before = state()
    data = sheet_data(room)
    data[f"{room['people']['erik'].public_id}-presence"] = "asleep"

    response = clients["secretariat"].post(sheet_url(room["meeting"]), data)

    assert response.status_code == 400
    assert "Select a valid choice. asleep is not one of the available choices." in response.text
    assert state() == before


def test_an_unknown_person_is_refused_and_nothing_is_saved(clients, room):
    before = state()
    data = sheet_data(room)
    stranger = "00000000-0000-4000-8000-000000000000"
    data["person"].append(stranger)
    data[f"{stranger}-presence"] = "present"

    response = clients["secretariat"].post(sheet_url(room["meeting"]), data)

    assert response.status_code == 400
    assert f"There is no such person: {stranger}." in response.text
    assert state() == before


def test_a_cancelled_meeting_shows_why_and_refuses_the_sheet(clients, room):
    Meeting.objects.filter(pk=room["meeting"].pk).update(status=Meeting.Status.CANCELLED)
    before = state()
    message = "The meeting was cancelled: there is no attendance to register."

    page = clients["secretariat"].get(sheet_url(room["meeting"]))
    response = clients["secretariat"].post(sheet_url(room["meeting"]), sheet_data(room))

    assert message in page.text
    assert 'id="attendance-sheet"' not in page.text
    assert response.status_code == 400
    assert message in response.text
    assert state() == before


def test_a_meeting_that_has_not_started_refuses_the_sheet(clients, series, people):
    future = make_meeting(series, 9, at(2099, 1, 1))
    before = state()

    response = clients["secretariat"].post(sheet_url(future), {"save": "sheet"})

    assert response.status_code == 400
    assert "The meeting has not started yet." in response.text
    assert state() == before


def test_someone_not_invited_can_be_found_and_added_keeping_the_choices_made(clients, room, people):
    client = clients["secretariat"]
    search = client.get(sheet_url(room["meeting"]), {"q": "ngo member"})
    member = people["member"]
    assert [person.pk for person in search.context["found"]] == [member.pk]

    data = sheet_data(room, {"amina": "remote"})
    data.pop("save")
    data["add"] = str(member.public_id)
    added = client.post(sheet_url(room["meeting"]), data)

    assert added.status_code == 200
    assert Attendance.objects.count() == 0  # adding a line saves nothing
    rows = [row.person.pk for row in added.context["form"].rows]
    assert member.pk in rows
    assert f'value="remote" id="id_{room["people"]["amina"].public_id}-presence_1" checked' in (
        added.text
    )

    data["save"] = "sheet"
    data.pop("add")
    data["person"].append(str(member.public_id))
    data[f"{member.public_id}-presence"] = "present"
    client.post(sheet_url(room["meeting"]), data)
    record = Attendance.objects.get(person=member)
    assert (record.presence, record.organisation, record.sex) == (
        "present",
        member.organisation,
        member.sex,
    )


def test_an_htmx_change_saves_that_line_only_and_returns_it(clients, room):
    amina = room["people"]["amina"]
    response = clients["secretariat"].post(
        sheet_url(room["meeting"]),
        {
            "save": "line",
            f"{amina.public_id}-presence": "remote",
            f"{amina.public_id}-sex": "female",
            f"{amina.public_id}-age_band": "30_44",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="line-{amina.public_id}"')
    assert "Saved" in response.text
    assert list(Attendance.objects.values_list("person__given_name", "presence")) == [
        ("Amina", "remote")
    ]


def test_the_htmx_search_returns_the_results_only(clients, room, people):
    response = clients["secretariat"].get(
        sheet_url(room["meeting"]), {"q": "member"}, headers={"HX-Request": "true"}
    )

    assert response.text.lstrip().startswith('<div id="search-results"')
    assert "Member" in response.text


# The attendance page and the year --------------------------------------------------------------


def test_the_attendance_page_shows_the_figures(clients, room):
    fill_room(room)

    response = clients["member"].get(detail_url(room["meeting"]))

    figures = response.context["inclusion"]["figures"]
    assert (figures["present"], figures["remote"], figures["women_percent"]) == (5, 1, 40.0)
    assert "40.0 %" in response.text


def test_individual_sex_and_age_band_are_shown_only_to_those_who_see_sensitive_data(clients, room):
    fill_room(room)

    member_page = clients["member"].get(detail_url(room["meeting"]))
    secretariat_page = clients["secretariat"].get(detail_url(room["meeting"]))

    columns = '<th scope="col">Sex</th><th scope="col">Age band</th>'
    assert columns not in member_page.text
    assert columns in secretariat_page.text
    assert "<td>60 and over</td>" in secretariat_page.text
    assert "<td>60 and over</td>" not in member_page.text


def test_the_attendance_page_looks_back_over_the_chosen_number_of_meetings(clients, room):
    fill_room(room)

    response = clients["member"].get(detail_url(room["meeting"]), {"last": "5"})

    assert response.context["inclusion"]["absent_for_last"]["last"] == 5


def test_the_year_page_shows_each_meeting_and_the_total(clients, room, series):
    fill_room(room)
    make_meeting(series, 2, at(2026, 6, 10))

    response = clients["observer"].get(
        reverse("meetings:attendance_inclusion"),
        {"year": "2026", "series": str(series.public_id)},
    )

    inclusion = response.context["inclusion"]
    assert [row["meeting"]["number"] for row in inclusion["meetings"]] == [1, 2]
    assert inclusion["total"]["present"] == 5
    assert "Attendance not registered" in response.text


def test_a_bad_year_is_reported_and_this_year_shown(clients, room):
    response = clients["observer"].get(reverse("meetings:attendance_inclusion"), {"year": "abc"})

    assert response.status_code == 200
    assert response.context["filters"].errors == {"year": ["Enter a whole number."]}


def test_an_htmx_change_of_sex_before_any_presence_keeps_the_line_and_saves_nothing(clients, room):
    erik = room["people"]["erik"]
    response = clients["secretariat"].post(
        sheet_url(room["meeting"]),
        {"save": "line", f"{erik.public_id}-sex": "female", f"{erik.public_id}-age_band": "18_29"},
        headers={"HX-Request": "true"},
    )

    assert response.text.lstrip().startswith(f'<tr id="line-{erik.public_id}"')
    assert '<option value="female" selected>' in response.text
    assert "Saved" not in response.text
    assert Attendance.objects.count() == 0
