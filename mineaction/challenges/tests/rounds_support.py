"""Helpers of the prioritisation round tests: challenges, rounds and ballots."""

import datetime

from django.utils import timezone

from mineaction.challenges.models import RoundMethod, RoundStatus
from mineaction.challenges.services.rounds import ballot_cast
from mineaction.challenges.tests.factories import make_challenge, make_round
from mineaction.conftest import make_organisation, make_person
from mineaction.core.choices import Role


def make_challenges(organisation, count, **fields):
    """`count` challenges titled "Challenge 1", "Challenge 2", ... numbered in that order."""
    return [
        make_challenge(f"Challenge {number}", organisation, **fields)
        for number in range(1, count + 1)
    ]


def open_round(challenges, *, title="Round", method=RoundMethod.SCORE, **fields):
    return make_round(title, challenges, status=RoundStatus.OPEN, method=method, **fields)


def scores(*triples_by_challenge):
    """Ballot entries from (challenge, (impact, urgency, feasibility) or None) pairs."""
    entries = []
    for challenge, triple in triples_by_challenge:
        impact, urgency, feasibility = triple if triple else (None, None, None)
        entries.append(
            {
                "challenge": challenge.public_id,
                "impact": impact,
                "urgency": urgency,
                "feasibility": feasibility,
            }
        )
    return entries


def ranks(*ranks_by_challenge):
    """Ballot entries from (challenge, rank or None) pairs."""
    return [
        {"challenge": challenge.public_id, "rank": rank} for challenge, rank in ranks_by_challenge
    ]


def cast(prioritisation_round, person, entries=(), **options):
    return ballot_cast(
        prioritisation_round=prioritisation_round, person=person, entries=entries, **options
    )


def closing_in(days):
    return timezone.now() + datetime.timedelta(days=days)


def make_voter(organisation_name, organisation_type="national_ngo"):
    """Someone who votes for a new organisation of `organisation_type`."""
    organisation = make_organisation(organisation_name, organisation_type)
    slug = organisation_name.lower().replace(" ", "-")
    return make_person(f"voter.{slug}@example.org", organisation, role=Role.MEMBER)
