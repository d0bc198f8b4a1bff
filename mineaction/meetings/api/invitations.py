"""invitations API of the meeting cycle."""

from ninja import Router

router = Router(tags=["meetings"])
