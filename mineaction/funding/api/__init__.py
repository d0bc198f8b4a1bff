"""Funding API: requirements, pledges, disbursements, exchange rates, the gap, IATI imports."""

from ninja import Router

from mineaction.funding.api import funding, iati

router = Router()
for part in (funding, iati):
    router.add_router("", part.router)
