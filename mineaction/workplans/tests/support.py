"""Shared set-up of the work plans tests: a plan running from the start of last year to the
end of next year (so "late" and "overdue" hold whatever today is), with activities, milestones
and challenges."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.choices import Component, Visibility
from mineaction.workplans.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Milestone,
    WorkPlan,
)
from mineaction.workplans.tests.factories import make_activity, make_milestone, make_plan

DAY = datetime.timedelta(days=1)


def database_state():
    """Every work plan record, to check that a refused request changed nothing."""
    return (
        [model_to_dict(plan) for plan in WorkPlan.objects.order_by("pk")],
        [
            model_to_dict(activity, exclude=["challenges"])
            for activity in Activity.objects.order_by("pk")
        ],
        [model_to_dict(milestone) for milestone in Milestone.objects.order_by("pk")],
        list(Activity.challenges.through.objects.order_by("pk").values()),
        list(ActivityUpdate.objects.order_by("pk").values()),
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def plan(db, today):
    return make_plan(
        "National strategy",
        starts_on=datetime.date(today.year - 1, 1, 1),
        ends_on=datetime.date(today.year + 1, 12, 31),
    )


@pytest.fixture
def activity(plan, ngo_org):
    """An activity of the member persona's organisation, in progress, with a budget; it ends
    in the future."""
    return make_activity(
        plan,
        ngo_org,
        code="2.1",
        starts_on=plan.starts_on + 59 * DAY,
        ends_on=plan.ends_on - 180 * DAY,
        budget="120000.00",
        status=ActivityStatus.IN_PROGRESS,
        progress_percent=40,
    )


@pytest.fixture
def full_plan(plan, activity, authority_org, donor_org, ngo_org, today):
    """The plan with activities in two components (one of them late), milestones achieved,
    overdue and due, and a members' and a restricted challenge addressed."""
    late = make_activity(
        plan,
        authority_org,
        title="Adopt the national standards",
        code="1.1",
        component=Component.POLITICAL,
        starts_on=plan.starts_on,
        ends_on=today - 10 * DAY,
        budget="5000.00",
        currency="EUR",
    )
    challenge = make_challenge("Survey backlog in the north", ngo_org)
    hidden = make_challenge("Donor fatigue", donor_org, visibility=Visibility.RESTRICTED)
    activity.challenges.add(challenge, hidden)
    overdue = make_milestone(plan, "Standards adopted", activity=late, due_on=today - 10 * DAY)
    achieved = make_milestone(
        plan,
        "Survey started",
        activity=activity,
        due_on=plan.starts_on + 89 * DAY,
        achieved_on=plan.starts_on + 91 * DAY,
    )
    due = make_milestone(plan, "Mid-term review", due_on=plan.ends_on - 180 * DAY)
    return {
        "late": late,
        "challenge": challenge,
        "hidden": hidden,
        "overdue": overdue,
        "achieved": achieved,
        "due": due,
    }
