"""Work plans API: plans, activities, milestones, budgets per year."""

from ninja import Router

from mineaction.workplans.api import plans

router = Router()
router.add_router("", plans.router)
