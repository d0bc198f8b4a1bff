"""Policies API: instruments, their stages and advocacy, and the IMAS catalogue."""

from ninja import Router

from mineaction.policies.api import instruments

router = Router()
router.add_router("", instruments.router)
