"""Writing the demo's work plans (`workplan_data.py`): plans, activities with the challenges
they address, progress updates and milestones.

Plans, activities and milestones pass the work plan services' checks (`work_plan_problems`,
`activity_problems`, `milestone_problems`) before they are written; progress goes through
`activity_progress_add`, which leaves each activity in the status and progress of its latest
update. An activity's dates are kept within its plan's period (the Article 5 plan ends on the
deadline), and updates or achievements dated after the day of loading are left out.
"""

import datetime

from django.core.exceptions import ValidationError

from mineaction.demo import workplan_data as wd
from mineaction.workplans.models import Activity, Milestone, WorkPlan
from mineaction.workplans.services.plans import (
    activity_problems,
    activity_progress_add,
    milestone_problems,
    work_plan_problems,
)


def load_work_plans(anchors, voices, challenges):
    plans = {planned["kind"]: _plan(anchors, voices, planned) for planned in wd.WORK_PLANS}
    activities = {}
    for planned in wd.ACTIVITIES:
        activities[planned["code"]] = _activity(
            anchors, voices, challenges, plans[planned["plan"]], planned
        )
    for kind, title, due, achieved, code in wd.MILESTONES:
        _milestone(anchors, plans[kind], title, due, achieved, activities.get(code))
    return plans


def _checked(errors):
    if errors:
        raise ValidationError(errors)


def _period(anchors, planned):
    year = anchors.today.year
    if "years" in planned:
        first, last = planned["years"]
        return datetime.date(year + first, 1, 1), datetime.date(year + last, 12, 31)
    if "starts" in planned:
        return anchors.date(planned["starts"]), anchors.date(planned["ends"])
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _plan(anchors, voices, planned):
    work_plan = WorkPlan.objects.filter(kind=planned["kind"]).order_by("id").first()
    if work_plan is not None:
        return work_plan
    starts_on, ends_on = _period(anchors, planned)
    _checked(work_plan_problems(work_plan=None, starts_on=starts_on, ends_on=ends_on))
    return WorkPlan.objects.create(
        title=planned["title"].format(
            first=starts_on.year, last=ends_on.year, year=anchors.today.year
        ),
        kind=planned["kind"],
        starts_on=starts_on,
        ends_on=ends_on,
        status=planned["status"],
        owner=voices.organisation(planned["owner"]),
        description=planned["description"],
    )


def _within(work_plan, day):
    return min(max(day, work_plan.starts_on), work_plan.ends_on)


def _activity(anchors, voices, challenges, work_plan, planned):
    activity = work_plan.activities.filter(code=planned["code"]).first()
    if activity is not None:
        return activity
    starts_on = _within(work_plan, anchors.date(planned["starts"]))
    ends_on = _within(work_plan, anchors.date(planned["ends"]))
    _checked(
        activity_problems(
            work_plan=work_plan,
            starts_on=starts_on,
            ends_on=ends_on,
            budget=planned["budget"],
            currency=planned["currency"],
        )
    )
    activity = Activity.objects.create(
        work_plan=work_plan,
        code=planned["code"],
        title=planned["title"],
        description=planned["description"],
        responsible_organisation=voices.organisation(planned["organisation"]),
        component=planned["component"],
        starts_on=starts_on,
        ends_on=ends_on,
        budget=planned["budget"],
        currency=planned["currency"],
    )
    activity.challenges.set([challenges[key] for key in planned["challenges"]])
    for anchor, status, progress, note in planned["updates"]:
        on = anchors.date(anchor)
        if on <= anchors.today:
            activity_progress_add(
                activity=activity, on=on, status=status, progress_percent=progress, note=note
            )
    return activity


def _milestone(anchors, work_plan, title, due, achieved, activity):
    if work_plan.milestones.filter(title=title).exists():
        return
    due_on = _within(work_plan, anchors.date(due))
    achieved_on = anchors.date(achieved)
    if achieved_on is not None and achieved_on > anchors.today:
        achieved_on = None
    _checked(
        milestone_problems(
            work_plan=work_plan, activity=activity, due_on=due_on, achieved_on=achieved_on
        )
    )
    Milestone.objects.create(
        work_plan=work_plan, activity=activity, title=title, due_on=due_on, achieved_on=achieved_on
    )
