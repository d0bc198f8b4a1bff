"""Records for the challenges tests."""

import datetime

from django.utils import timezone

from mineaction.challenges.models import (
    Challenge,
    ChallengeStatus,
    ChallengeStatusChange,
    PrioritisationRound,
    RoundStatus,
)
from mineaction.core.choices import Component


def make_challenge(title, organisation, *, status=ChallengeStatus.IDENTIFIED, **fields):
    fields.setdefault("component", Component.TECHNICAL)
    fields.setdefault("description", f"About {title}.")
    challenge = Challenge.objects.create(
        title=title, raised_by_organisation=organisation, status=status, **fields
    )
    ChallengeStatusChange.objects.create(challenge=challenge, to_status=status)
    return challenge


def make_round(title, challenges, *, status=RoundStatus.DRAFT, closes_in_days=7, **fields):
    closes_at = timezone.now() + datetime.timedelta(days=closes_in_days)
    if status != RoundStatus.DRAFT:
        fields.setdefault("opened_at", timezone.now() - datetime.timedelta(days=1))
    prioritisation_round = PrioritisationRound.objects.create(
        title=title, closes_at=closes_at, status=status, **fields
    )
    prioritisation_round.challenges.set(challenges)
    return prioritisation_round
