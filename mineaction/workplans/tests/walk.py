"""The work plans records of the every-URL walk; see `dashboard/tests/walks.py`."""

import datetime

from mineaction.stakeholders.models import Organisation
from mineaction.workplans.tests import factories


def walk_records():
    """A plan with one activity of the member persona's organisation (so that organisation may
    report its progress) and a milestone of that activity (so the activity cannot be deleted:
    a walk never changes data)."""
    organisation = Organisation.objects.get(name="Clear Fields Association")
    plan = factories.make_plan("Walk work plan")
    activity = factories.make_activity(
        plan,
        organisation,
        title="Walk activity",
        starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
        budget="120000.00",
    )
    milestone = factories.make_milestone(plan, "Walk milestone", activity=activity)
    return {"plan": plan, "activity": activity, "milestone": milestone}
