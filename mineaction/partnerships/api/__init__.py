"""Partnerships API: the action plans, partnerships, commitments, indicators and reports."""

from ninja import Router

from mineaction.partnerships.api import indicators, partnerships, plans, reports

router = Router()
for part in (plans, partnerships, indicators, reports):
    router.add_router("", part.router)
