"""Records for the work plans tests."""

import datetime
from decimal import Decimal

from mineaction.core.choices import Component
from mineaction.workplans.models import Activity, Milestone, WorkPlan, WorkPlanKind


def make_plan(title="Article 5 work plan 2025–2027", **fields):
    fields.setdefault("kind", WorkPlanKind.ARTICLE5)
    fields.setdefault("starts_on", datetime.date(2025, 1, 1))
    fields.setdefault("ends_on", datetime.date(2027, 12, 31))
    return WorkPlan.objects.create(title=title, **fields)


def make_activity(plan, organisation, title="Survey the northern districts", **fields):
    fields.setdefault("component", Component.TECHNICAL)
    fields.setdefault("starts_on", plan.starts_on)
    fields.setdefault("ends_on", plan.ends_on)
    if "budget" in fields and fields["budget"] is not None:
        fields["budget"] = Decimal(fields["budget"])
        fields.setdefault("currency", "USD")
    return Activity.objects.create(
        work_plan=plan, responsible_organisation=organisation, title=title, **fields
    )


def make_milestone(plan, title="Northern survey report published", **fields):
    fields.setdefault("due_on", plan.starts_on + datetime.timedelta(days=180))
    return Milestone.objects.create(work_plan=plan, title=title, **fields)
