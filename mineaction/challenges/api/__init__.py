"""Challenges API: the challenge register and the prioritisation rounds."""

from ninja import Router

from mineaction.challenges.api import register, rounds

router = Router()
for part in (register, rounds):
    router.add_router("", part.router)
