"""How challenges appear in the meeting cycle: the top priorities proposed on a new meeting's
agenda, and the challenges agenda items and action points link to, named on meeting pages."""

from django.db.models import F
from django.urls import reverse

from mineaction.challenges.models import Challenge, ChallengeStatus
from mineaction.core.access import visible_challenges
from mineaction.core.choices import Visibility
from mineaction.meetings import links
from mineaction.meetings.models import AgendaLink

# How many of the top priorities a new meeting's agenda reviews.
AGENDA_PRIORITIES = 5


def top_priorities(limit=AGENDA_PRIORITIES):
    """Open challenges the members prioritised, in the order of their latest round (those not
    ranked in a round after), members' challenges only: an agenda is seen by every invitee."""
    queryset = Challenge.objects.filter(
        status__in=[ChallengeStatus.PRIORITISED, ChallengeStatus.BEING_ADDRESSED],
        visibility=Visibility.MEMBERS,
    ).order_by(F("priority_rank").asc(nulls_last=True), "number")
    return list(queryset[:limit])


def propose_priorities(*, meeting):
    return [(AgendaLink.Target.CHALLENGE, challenge.public_id) for challenge in top_priorities()]


def describe_challenges(user, public_ids):
    challenges = visible_challenges(user).filter(public_id__in=public_ids)
    return {
        challenge.public_id: (
            str(challenge),
            reverse("challenges:challenge_detail", kwargs={"public_id": challenge.public_id}),
        )
        for challenge in challenges
    }


def register_with_meetings():
    links.register_link_target(AgendaLink.Target.CHALLENGE, describe_challenges)
    links.register_priority_source(propose_priorities)
