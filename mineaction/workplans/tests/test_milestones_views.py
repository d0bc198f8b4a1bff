"""Milestones of a work plan: the managers create, edit (achieved on) and delete them."""

import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from mineaction.conftest import PERSONAS
from mineaction.workplans.models import Milestone
from mineaction.workplans.tests.factories import make_activity, make_milestone, make_plan
from mineaction.workplans.tests.support import DAY, database_state

MANAGERS = {"secretariat", "lead_authority", "administrator"}


def url(name, record):
    return reverse(f"workplans:{name}", args=[record.public_id])


def errors_of(response, field):
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.text)
    assert found is not None, field
    return [
        message.replace("&ldquo;", "“").replace("&rdquo;", "”")
        for message in re.findall(r"<li>(.*?)</li>", found.group(1))
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_change_milestones(clients, plan, persona):
    milestone = make_milestone(plan)
    statuses = {
        clients[persona].get(url("milestone_create", plan)).status_code,
        clients[persona].get(url("milestone_edit", milestone)).status_code,
        clients[persona].get(url("milestone_delete", milestone)).status_code,
        clients[persona].post(url("milestone_delete", milestone), {"confirm": "yes"}).status_code,
    }
    expected = {"anonymous": {302}, "outsider": {404}}.get(
        persona, {200, 302} if persona in MANAGERS else {403}
    )
    assert statuses == expected
    assert Milestone.objects.exists() == (persona not in MANAGERS)


def test_a_manager_adds_a_milestone_of_an_activity(clients, plan, activity):
    due_on = plan.starts_on + 100 * DAY
    response = clients["secretariat"].post(
        url("milestone_create", plan),
        {
            "title": "Teams trained",
            "activity": str(activity.public_id),
            "due_on": due_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan) + "#milestones"
    milestone = Milestone.objects.get()
    assert (milestone.work_plan, milestone.activity, milestone.due_on, milestone.achieved_on) == (
        plan,
        activity,
        due_on,
        None,
    )


def test_a_manager_marks_a_milestone_achieved(clients, plan, today):
    milestone = make_milestone(plan)
    response = clients["lead_authority"].post(
        url("milestone_edit", milestone),
        {
            "title": milestone.title,
            "due_on": milestone.due_on.isoformat(),
            "achieved_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.achieved_on == today


def test_bad_milestones_are_refused_and_change_nothing(clients, plan, activity, ngo_org, today):
    milestone = make_milestone(plan)
    other_plan = make_plan("Other plan", starts_on=plan.starts_on, ends_on=plan.ends_on)
    foreign = make_activity(other_plan, ngo_org)
    before = database_state()
    client = clients["secretariat"]
    period = (
        f"{date_format(plan.starts_on, 'DATE_FORMAT')} to "
        f"{date_format(plan.ends_on, 'DATE_FORMAT')}"
    )
    cases = [
        (
            {"title": "Late", "due_on": (plan.ends_on + DAY).isoformat()},
            "due_on",
            f"The milestone must fall due within the period of the plan “National strategy”: "
            f"{period}.",
        ),
        (
            {
                "title": "Ahead",
                "due_on": today.isoformat(),
                "achieved_on": (today + DAY).isoformat(),
            },
            "achieved_on",
            "A milestone cannot be achieved on a date in the future.",
        ),
        (
            {"title": "Foreign", "due_on": today.isoformat(), "activity": str(foreign.public_id)},
            "activity",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ({"title": "", "due_on": today.isoformat()}, "title", "This field is required."),
        ({"title": "No date", "due_on": ""}, "due_on", "This field is required."),
    ]
    for data, field, message in cases:
        for target in (url("milestone_create", plan), url("milestone_edit", milestone)):
            response = client.post(target, data)
            assert response.status_code == 200
            assert errors_of(response, field) == [message]
    assert database_state() == before


def test_deleting_a_milestone_needs_confirmation(clients, plan):
    milestone = make_milestone(plan)
    client = clients["secretariat"]
    page = client.post(url("milestone_delete", milestone))
    assert page.status_code == 200
    assert 'name="confirm" value="yes"' in page.text
    assert Milestone.objects.exists()
    response = client.post(url("milestone_delete", milestone), {"confirm": "yes"})
    assert response.status_code == 302
    assert not Milestone.objects.exists()
