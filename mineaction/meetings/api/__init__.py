"""The meeting cycle's API: one router per part of the cycle."""

from ninja import Router

from mineaction.meetings.api import (
    action_points,
    agenda,
    attendance,
    distribution,
    invitations,
    meetings,
    minutes,
)

router = Router()
for part in (meetings, agenda, invitations, attendance, minutes, distribution, action_points):
    router.add_router("", part.router)
