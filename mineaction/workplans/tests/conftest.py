from mineaction.workplans.tests.support import activity, full_plan, plan, today  # noqa: F401
