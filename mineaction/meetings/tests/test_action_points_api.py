"""/api/v1/action-points: list (filters incl. overdue and mine), detail, change, progress."""

import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.meetings.models import ActionPoint, AgendaItem
from mineaction.meetings.tests.test_action_points_services import make_action_point, make_meeting

LIST = "/api/v1/action-points"
LIST_STATUS = {"anonymous": 401, "outsider": 403}
RECORD_STATUS = {"anonymous": 401, "outsider": 404}
# The action point belongs to the member's organisation.
PROGRESS_STATUS = {
    "anonymous": 401,
    "outsider": 404,
    "observer": 403,
    "lead_donor": 403,
    "data_manager": 403,
}
PATCH_STATUS = {**PROGRESS_STATUS, "member": 403}


def url(action_point, suffix=""):
    return f"{LIST}/{action_point.public_id}{suffix}"


@pytest.fixture
def meeting(db):
    return make_meeting()


@pytest.fixture
def action_point(meeting, ngo_org):
    return make_action_point(meeting, ngo_org, due_on=datetime.date(2024, 6, 1))


def state(action_point):
    return (
        list(ActionPoint.objects.filter(pk=action_point.pk).values()),
        list(action_point.updates.values()),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_action_point_list_is_for_members_only(people, action_point, persona):
    response = token_client(people, persona).get(LIST)
    assert response.status_code == LIST_STATUS.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_action_point_detail_is_for_members_only(people, action_point, persona):
    response = token_client(people, persona).get(url(action_point))
    assert response.status_code == RECORD_STATUS.get(persona, 200)


def test_action_point_detail_shows_its_fields_progress_and_reviews(people, meeting, action_point):
    later = make_meeting(number=2, starts_at=meeting.starts_at + datetime.timedelta(days=91))
    AgendaItem.objects.create(meeting=later, title="Review").reviewed_action_points.add(
        action_point
    )
    body = token_client(people, "observer").get(url(action_point)).json()
    assert body["text"] == "Share the survey results"
    assert body["status"] == "open"
    assert body["due_on"] == "2024-06-01"
    assert body["overdue"] is True
    assert body["owner_organisation"]["name"] == "Clear Fields Association"
    assert body["owner_person"] is None
    assert body["meeting"]["title"] == "Quarterly plenary #1"
    assert body["updates"] == []
    assert [review["title"] for review in body["reviewed_in"]] == ["Quarterly plenary #2"]


def test_list_filters_overdue_and_mine(people, meeting, ngo_org, donor_org):
    make_action_point(meeting, ngo_org, text="Late, ours")
    make_action_point(meeting, donor_org, text="Late, theirs")
    make_action_point(meeting, donor_org, text="Future, theirs", due_on=datetime.date(2099, 1, 1))
    make_action_point(meeting, donor_org, text="Done, theirs", status="done")
    client = token_client(people, "member")

    def texts(query):
        return sorted(r["text"] for r in client.get(f"{LIST}?{query}").json()["results"])

    assert texts("overdue=true") == ["Late, ours", "Late, theirs"]
    assert texts("mine=true") == ["Late, ours"]
    assert texts("status=done") == ["Done, theirs"]
    assert texts(f"owner_organisation={donor_org.public_id}&overdue=true") == ["Late, theirs"]


def test_a_bad_filter_is_a_400(people, action_point):
    response = token_client(people, "member").get(f"{LIST}?status=finished")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["status"]


def test_list_query_count_stays_flat(people, meeting, ngo_org, donor_org):
    make_action_point(meeting, ngo_org)
    client = token_client(people, "member")
    baseline = queries_for(client, LIST)
    for number in range(2, 8):
        make_action_point(make_meeting(number=number), donor_org)
    assert queries_for(client, LIST) == baseline


@pytest.mark.parametrize("persona", PERSONAS)
def test_progress_by_role(people, action_point, persona):
    response = send(
        token_client(people, persona),
        "post",
        url(action_point, "/updates"),
        {"text": "Under way", "status": "in_progress"},
    )
    assert response.status_code == PROGRESS_STATUS.get(persona, 201)
    if response.status_code == 201:
        assert response.json()["status"] == "in_progress"
        assert response.json()["on"] == timezone.localdate().isoformat()
        action_point.refresh_from_db()
        assert action_point.status == "in_progress"


def test_done_by_api_closes_the_action_point(people, action_point):
    client = token_client(people, "member")
    response = send(
        client, "post", url(action_point, "/updates"), {"text": "Finished", "status": "done"}
    )
    assert response.status_code == 201
    action_point.refresh_from_db()
    assert (action_point.status, action_point.closed_on) == ("done", timezone.localdate())
    refused = send(
        client, "post", url(action_point, "/updates"), {"text": "Again", "status": "open"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "status": ["This action point is closed. Only the secretariat may reopen it."]
    }


def test_bad_progress_is_refused_and_changes_nothing(people, action_point):
    before = state(action_point)
    response = send(
        token_client(people, "member"),
        "post",
        url(action_point, "/updates"),
        {"text": "", "status": "finished"},
    )
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == ["status", "text"]
    assert state(action_point) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_patch_by_role(people, action_point, persona):
    response = send(
        token_client(people, persona), "patch", url(action_point), {"due_on": "2024-08-01"}
    )
    assert response.status_code == PATCH_STATUS.get(persona, 200)
    action_point.refresh_from_db()
    expected = (
        datetime.date(2024, 8, 1) if response.status_code == 200 else datetime.date(2024, 6, 1)
    )
    assert action_point.due_on == expected


def test_patch_changes_the_owner_by_public_id(people, action_point):
    member = people["member"]
    response = send(
        token_client(people, "secretariat"),
        "patch",
        url(action_point),
        {"owner_person": str(member.public_id), "component": "technical"},
    )
    assert response.status_code == 200
    assert response.json()["owner_person"]["public_id"] == str(member.public_id)
    assert response.json()["component"] == "technical"


def test_patch_refuses_a_due_date_before_the_meeting(people, action_point):
    before = state(action_point)
    response = send(
        token_client(people, "secretariat"), "patch", url(action_point), {"due_on": "2024-02-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "due_on": ["The due date cannot be before the meeting where it was agreed (2024-03-01)."]
    }
    assert state(action_point) == before


def test_patch_refuses_the_status_field(people, action_point):
    response = send(
        token_client(people, "secretariat"), "patch", url(action_point), {"status": "done"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["This field is not recognised."]}
