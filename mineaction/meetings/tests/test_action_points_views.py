import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.meetings.models import ActionPoint, ActionPointUpdate, AgendaItem
from mineaction.meetings.tests.test_action_points_services import make_action_point, make_meeting
from mineaction.stakeholders.tests.helpers import (
    DETAIL_ACCESS,
    LIST_ACCESS,
    LOGIN,
    assert_outcome,
    queries_for,
)

LIST_URL = reverse("meetings:action_points_list")
MINE_URL = reverse("meetings:action_points_mine")
OVERDUE_URL = reverse("meetings:action_points_overdue")
MANAGERS_ONLY = (
    {"anonymous": LOGIN, "outsider": 403}
    | dict.fromkeys(["observer", "member", "lead_donor", "data_manager"], 403)
    | dict.fromkeys(["secretariat", "lead_authority", "administrator"], 200)
)
# The action point belongs to the member's (and observer's) organisation.
PROGRESS_ACCESS = {
    "anonymous": LOGIN,
    "outsider": 404,
    "observer": 403,
    "member": 200,
    "lead_donor": 403,
    "data_manager": 403,
    "secretariat": 200,
    "lead_authority": 200,
    "administrator": 200,
}
EDIT_ACCESS = {**PROGRESS_ACCESS, "member": 403}


def detail_url(action_point):
    return reverse("meetings:action_points_detail", args=[action_point.public_id])


def progress_url(action_point):
    return reverse("meetings:action_points_progress", args=[action_point.public_id])


def edit_url(action_point):
    return reverse("meetings:action_points_edit", args=[action_point.public_id])


@pytest.fixture
def meeting(db):
    return make_meeting()


@pytest.fixture
def action_point(meeting, ngo_org):
    return make_action_point(meeting, ngo_org, due_on=datetime.date(2024, 6, 1))


def progress(action_point, status, on=None, text="We met the operators"):
    return {"on": (on or timezone.localdate()).isoformat(), "text": text, "status": status}


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_action_point_list_access_by_role(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_my_action_points_access_by_role(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(MINE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), MANAGERS_ONLY.items())
def test_overdue_view_is_for_the_secretariat(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(OVERDUE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_action_point_detail_access_by_role(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(detail_url(action_point)), expected)


@pytest.mark.parametrize(("persona", "expected"), PROGRESS_ACCESS.items())
def test_progress_form_access_by_role(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(progress_url(action_point)), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_edit_form_access_by_role(clients, action_point, persona, expected):
    assert_outcome(clients[persona].get(edit_url(action_point)), expected)


def test_restricted_meetings_action_points_are_hidden_from_other_organisations(
    clients, meeting, ngo_org, donor_org
):
    meeting.visibility = "restricted"
    meeting.save()
    meeting.restricted_to.add(ngo_org)
    action_point = make_action_point(meeting, ngo_org, text="Restricted action")
    assert clients["lead_donor"].get(detail_url(action_point)).status_code == 404
    assert "Restricted action" not in clients["lead_donor"].get(LIST_URL).text
    assert "Restricted action" in clients["member"].get(LIST_URL).text


def test_list_filters_by_status_component_organisation_and_overdue(
    clients, meeting, ngo_org, donor_org
):
    make_action_point(meeting, ngo_org, text="Alpha open overdue", component="technical")
    make_action_point(meeting, ngo_org, text="Bravo done", status="done")
    make_action_point(meeting, donor_org, text="Charlie donor", due_on=datetime.date(2099, 1, 1))
    client = clients["observer"]

    def shown(**params):
        text = client.get(LIST_URL, params).text
        return [name for name in ("Alpha", "Bravo", "Charlie") if name in text]

    assert shown() == ["Alpha", "Bravo", "Charlie"]
    assert shown(status="done") == ["Bravo"]
    assert shown(component="technical") == ["Alpha"]
    assert shown(owner_organisation=str(donor_org.public_id)) == ["Charlie"]
    assert shown(meeting=str(meeting.public_id), overdue="on") == ["Alpha"]


def test_a_bad_filter_is_reported_and_ignored(clients, action_point):
    response = clients["observer"].get(LIST_URL, {"status": "finished"})
    assert response.status_code == 200
    assert "Some filters are not valid and were ignored" in response.text
    assert "Share the survey results" in response.text


def test_htmx_search_renders_only_the_results(clients, action_point):
    response = clients["observer"].get(LIST_URL, {"q": "survey"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="results"')
    assert "Share the survey results" in response.text


def test_my_action_points_are_the_persons_and_their_organisations(
    clients, people, meeting, ngo_org, donor_org
):
    make_action_point(meeting, ngo_org, text="Organisation's own")
    make_action_point(meeting, donor_org, text="Personally owned", owner_person=people["member"])
    make_action_point(meeting, donor_org, text="Someone else's")
    text = clients["member"].get(MINE_URL).text
    assert "Organisation&#x27;s own" in text
    assert "Personally owned" in text
    assert "Someone else" not in text


def test_overdue_view_lists_only_open_action_points_past_their_due_date(clients, meeting, ngo_org):
    make_action_point(meeting, ngo_org, text="Late one", due_on=datetime.date(2024, 4, 1))
    make_action_point(meeting, ngo_org, text="Late but done", status="done")
    make_action_point(meeting, ngo_org, text="Not yet due", due_on=datetime.date(2099, 1, 1))
    response = clients["secretariat"].get(OVERDUE_URL)
    assert "1 action point" in response.text
    assert "Late one" in response.text
    assert "Late but done" not in response.text
    assert "Not yet due" not in response.text


def test_list_query_count_stays_flat_as_data_grows(clients, meeting, ngo_org, donor_org):
    make_action_point(meeting, ngo_org)
    baseline = queries_for(clients["member"], LIST_URL)
    for number in range(2, 12):
        other = make_meeting(number=number)
        make_action_point(other, donor_org, owner_person=None)
    assert queries_for(clients["member"], LIST_URL) == baseline


def test_detail_shows_progress_and_the_meetings_that_reviewed_it(clients, meeting, action_point):
    later = make_meeting(number=2, starts_at=meeting.starts_at + datetime.timedelta(days=91))
    review = AgendaItem.objects.create(
        meeting=later, title="Review of open action points", kind="action_point_review"
    )
    review.reviewed_action_points.add(action_point)
    ActionPointUpdate.objects.create(
        action_point=action_point, text="Survey half done", status="in_progress"
    )
    response = clients["observer"].get(detail_url(action_point))
    assert "Survey half done" in response.text
    assert "Quarterly plenary #2" in response.text
    assert "Record progress" not in response.text


def test_member_of_the_owner_organisation_records_progress(clients, action_point):
    response = clients["member"].post(
        progress_url(action_point), progress(action_point, "in_progress")
    )
    assert response.status_code == 302
    action_point.refresh_from_db()
    assert action_point.status == "in_progress"
    assert list(action_point.updates.values_list("text", "status")) == [
        ("We met the operators", "in_progress")
    ]


def test_done_closes_the_action_point_on_the_update_date(clients, action_point):
    on = timezone.localdate() - datetime.timedelta(days=2)
    clients["member"].post(progress_url(action_point), progress(action_point, "in_progress"))
    clients["member"].post(progress_url(action_point), progress(action_point, "done", on=on))
    action_point.refresh_from_db()
    assert (action_point.status, action_point.closed_on) == ("done", on)


def test_only_the_secretariat_reopens_a_closed_action_point(clients, action_point):
    clients["member"].post(progress_url(action_point), progress(action_point, "dropped"))
    refused = clients["member"].post(progress_url(action_point), progress(action_point, "open"))
    assert refused.status_code == 200
    assert "This action point is closed. Only the secretariat may reopen it." in refused.text
    action_point.refresh_from_db()
    assert action_point.status == "dropped"
    assert action_point.updates.count() == 1

    reopened = clients["secretariat"].post(
        progress_url(action_point), progress(action_point, "in_progress", text="Reopened")
    )
    assert reopened.status_code == 302
    action_point.refresh_from_db()
    assert (action_point.status, action_point.closed_on) == ("in_progress", None)


def test_an_action_point_in_progress_cannot_go_back_to_open(clients, action_point):
    clients["member"].post(progress_url(action_point), progress(action_point, "in_progress"))
    response = clients["member"].post(progress_url(action_point), progress(action_point, "open"))
    assert "An action point in progress cannot go back to open." in response.text
    assert action_point.updates.count() == 1


def test_an_unknown_status_is_refused_and_changes_nothing(clients, action_point):
    response = clients["member"].post(
        progress_url(action_point), progress(action_point, "finished")
    )
    assert response.status_code == 200
    assert "Select a valid choice. finished is not one of the available choices." in response.text
    action_point.refresh_from_db()
    assert action_point.status == "open"
    assert action_point.updates.count() == 0


def test_a_future_update_date_is_refused(clients, action_point):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = clients["member"].post(
        progress_url(action_point), progress(action_point, "in_progress", on=tomorrow)
    )
    assert "The date of an update cannot be in the future." in response.text
    assert action_point.updates.count() == 0


def test_a_member_of_another_organisation_cannot_record_progress(clients, action_point):
    response = clients["lead_donor"].post(
        progress_url(action_point), progress(action_point, "done")
    )
    assert response.status_code == 403
    action_point.refresh_from_db()
    assert action_point.status == "open"
    assert action_point.updates.count() == 0


def edit_data(action_point, **changes):
    return {
        "text": action_point.text,
        "owner_organisation": action_point.owner_organisation_id,
        "owner_person": action_point.owner_person_id or "",
        "due_on": action_point.due_on.isoformat(),
        "component": action_point.component,
        **changes,
    }


def test_secretariat_edits_the_action_point(clients, people, action_point):
    response = clients["secretariat"].post(
        edit_url(action_point),
        edit_data(action_point, due_on="2024-09-30", owner_person=people["member"].pk),
    )
    assert response.status_code == 302
    action_point.refresh_from_db()
    assert action_point.due_on == datetime.date(2024, 9, 30)
    assert action_point.owner_person == people["member"]


def test_a_due_date_before_the_meeting_is_refused_and_changes_nothing(clients, action_point):
    response = clients["secretariat"].post(
        edit_url(action_point), edit_data(action_point, due_on="2024-01-15")
    )
    assert response.status_code == 200
    assert (
        "The due date cannot be before the meeting where it was agreed (2024-03-01)."
        in response.text
    )
    action_point.refresh_from_db()
    assert action_point.due_on == datetime.date(2024, 6, 1)


def test_member_cannot_edit_their_organisations_action_point(clients, action_point):
    response = clients["member"].post(
        edit_url(action_point), edit_data(action_point, text="Changed by a member")
    )
    assert response.status_code == 403
    assert ActionPoint.objects.get(pk=action_point.pk).text == "Share the survey results"


def test_dashboard_shows_my_open_action_points(clients, meeting, ngo_org, donor_org):
    make_action_point(meeting, ngo_org, text="Ours and late")
    make_action_point(meeting, ngo_org, text="Ours but done", status="done")
    make_action_point(meeting, donor_org, text="The donor's")
    text = clients["member"].get("/").text
    assert "My action points" in text
    assert "Ours and late" in text
    assert "Ours but done" not in text
    assert "The donor" not in text
    assert "Overdue action points" not in text


def test_dashboard_shows_the_secretariat_the_overdue_count(clients, meeting, ngo_org):
    make_action_point(meeting, ngo_org, text="Late one")
    make_action_point(meeting, ngo_org, text="Later", due_on=datetime.date(2099, 1, 1))
    response = clients["secretariat"].get("/")
    assert response.context["overdue_action_points"] == 1
    assert OVERDUE_URL in response.text


@pytest.mark.parametrize("persona", ["member", "secretariat"])
def test_dashboard_query_count_stays_flat_as_action_points_grow(
    clients, people, meeting, ngo_org, persona
):
    make_action_point(meeting, ngo_org, owner_person=people["member"])
    baseline = queries_for(clients[persona], "/")
    for number in range(2, 8):
        make_action_point(make_meeting(number=number), ngo_org, owner_person=people["member"])
    assert queries_for(clients[persona], "/") == baseline
