"""What the round pages, the API and the exports read of a prioritisation round: the turnout,
the results with the comparison with earlier rounds, the export columns and the round as data
(the JSON twin of the round page and the API's answer)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from mineaction.challenges.models import RoundResult, RoundStatus
from mineaction.challenges.services.rounds import CRITERIA, VOTING_ROLES, round_challenges
from mineaction.core import access
from mineaction.core.tables import Column
from mineaction.stakeholders.models import Membership, Organisation, OrganisationType

WEIGHT_QUANTUM = Decimal("0.01")


def member_organisations(on=None):
    """Active organisations with someone who may vote for them today."""
    voices = Membership.objects.current(on).filter(role__in=VOTING_ROLES)
    return Organisation.objects.filter(
        is_active=True, pk__in=voices.values("person__organisation")
    ).order_by("name")


@dataclass
class Turnout:
    ballots: list  # Ballot, with its organisation, in the order cast
    member_count: int  # organisations that may vote today
    not_voted: list | None  # Organisation; only for those who run the meetings

    @property
    def voted_count(self):
        return len(self.ballots)

    @property
    def abstained_count(self):
        return sum(1 for ballot in self.ballots if ballot.abstained)


def round_turnout(prioritisation_round, user):
    ballots = list(prioritisation_round.ballots.select_related("organisation", "cast_by"))
    members = list(member_organisations())
    voted = {ballot.organisation_id for ballot in ballots}
    not_voted = None
    if access.can_run_meetings(user):
        not_voted = [organisation for organisation in members if organisation.pk not in voted]
    return Turnout(ballots=ballots, member_count=len(members), not_voted=not_voted)


# Results -----------------------------------------------------------------------------------------

UP, DOWN, SAME, NEW = "up", "down", "same", "new"


@dataclass
class ResultRow:
    """A stored result with the challenge's place in the previous closed round that included it."""

    result: RoundResult
    earlier: RoundResult | None

    @property
    def movement(self):
        rank = self.result.rank
        if rank is None:
            return ""
        if self.earlier is None or self.earlier.rank is None:
            return NEW
        if rank < self.earlier.rank:
            return UP
        return DOWN if rank > self.earlier.rank else SAME


def round_results(prioritisation_round):
    """The stored results of a closed round, best first, each with the previous closed round
    that included its challenge (two queries, however many challenges)."""
    results = list(
        prioritisation_round.results.select_related("challenge").order_by(
            F("rank").asc(nulls_last=True), "challenge__number"
        )
    )
    earlier = earlier_results(prioritisation_round, [result.challenge_id for result in results])
    return [ResultRow(result, earlier.get(result.challenge_id)) for result in results]


def earlier_results(prioritisation_round, challenge_ids):
    """{challenge id: its RoundResult in the latest round closed before this one}."""
    before = prioritisation_round.closed_at or timezone.now()
    rows = (
        RoundResult.objects.filter(
            challenge_id__in=challenge_ids,
            prioritisation_round__status=RoundStatus.CLOSED,
            prioritisation_round__closed_at__lt=before,
        )
        .exclude(prioritisation_round=prioritisation_round)
        .select_related("prioritisation_round")
        .order_by("challenge_id", "-prioritisation_round__closed_at", "-prioritisation_round_id")
    )
    earlier = {}
    for row in rows:
        earlier.setdefault(row.challenge_id, row)
    return earlier


def constituencies(rows):
    """The organisation types that scored any challenge of the results, in a stable order."""
    return sorted({key for row in rows for key in row.result.spread})


MOVEMENT_LABELS = {
    UP: gettext_lazy("Moved up"),
    DOWN: gettext_lazy("Moved down"),
    SAME: gettext_lazy("Same rank"),
    NEW: pgettext_lazy("movement in a ranking", "New"),
}


def constituency_label(organisation_type):
    if organisation_type in OrganisationType.values:
        return OrganisationType(organisation_type).label
    return organisation_type


def results_columns(rows):
    """The columns of a results export: the ranking, the earlier rank, and the count, mean,
    lowest and highest score of each constituency that voted."""
    columns = [
        Column(gettext_lazy("Rank"), lambda row: row.result.rank),
        Column(gettext_lazy("Reference"), lambda row: row.result.challenge.reference),
        Column(gettext_lazy("Challenge"), lambda row: row.result.challenge.title),
        Column(gettext_lazy("Score"), lambda row: row.result.score),
        Column(gettext_lazy("Votes"), lambda row: row.result.votes),
        Column(gettext_lazy("Abstentions"), lambda row: row.result.abstentions),
        Column(gettext_lazy("Earlier rank"), lambda row: row.earlier.rank if row.earlier else None),
        Column(gettext_lazy("Movement"), lambda row: str(MOVEMENT_LABELS.get(row.movement, ""))),
    ]
    figures = [
        ("count", gettext_lazy("%(constituency)s: votes")),
        ("mean", gettext_lazy("%(constituency)s: mean")),
        ("min", gettext_lazy("%(constituency)s: lowest")),
        ("max", gettext_lazy("%(constituency)s: highest")),
    ]
    for organisation_type in constituencies(rows):
        label = constituency_label(organisation_type)
        for key, header in figures:
            columns.append(
                Column(
                    header % {"constituency": label},
                    _spread_value(organisation_type, key),
                )
            )
    return columns


def _spread_value(organisation_type, key):
    def value(row):
        figures = row.result.spread.get(organisation_type)
        if figures is None:
            return None
        return figures[key] if key == "count" else Decimal(figures[key])

    return value


# The round as data: the JSON twin of the round page and the API ----------------------------------


def challenge_data(challenge, visible=True):
    """A challenge of a round; its title only for those who may see the challenge (one may
    have been restricted after the round)."""
    return {
        "public_id": challenge.public_id,
        "reference": challenge.reference,
        "title": challenge.title if visible else None,
        "status": challenge.status,
    }


def organisation_data(organisation):
    return {
        "public_id": organisation.public_id,
        "name": organisation.name,
        "acronym": organisation.acronym,
    }


def visible_challenge_ids(prioritisation_round, user):
    return set(
        access.visible_challenges(user, prioritisation_round.challenges.all()).values_list(
            "pk", flat=True
        )
    )


def result_data(row, visible_ids):
    result, earlier = row.result, row.earlier
    return {
        "rank": result.rank,
        "challenge": challenge_data(result.challenge, result.challenge_id in visible_ids),
        "score": str(result.score) if result.score is not None else None,
        "votes": result.votes,
        "abstentions": result.abstentions,
        "spread": result.spread,
        "earlier": {
            "round": {
                "public_id": earlier.prioritisation_round.public_id,
                "title": earlier.prioritisation_round.title,
                "closed_at": earlier.prioritisation_round.closed_at,
            },
            "rank": earlier.rank,
        }
        if earlier
        else None,
        "movement": row.movement,
    }


def round_data(prioritisation_round, user, *, now=None):
    """The round with its challenges, turnout and (once closed) results."""
    now = now or timezone.now()
    visible_ids = visible_challenge_ids(prioritisation_round, user)
    turnout = round_turnout(prioritisation_round, user)
    results = None
    if prioritisation_round.status == RoundStatus.CLOSED:
        results = [result_data(row, visible_ids) for row in round_results(prioritisation_round)]
    return {
        "public_id": prioritisation_round.public_id,
        "title": prioritisation_round.title,
        "description": prioritisation_round.description,
        "method": prioritisation_round.method,
        "weights": {
            name: str(
                Decimal(getattr(prioritisation_round, f"weight_{name}")).quantize(WEIGHT_QUANTUM)
            )
            for name in CRITERIA
        },
        "status": prioritisation_round.status,
        "closes_at": prioritisation_round.closes_at,
        "opened_at": prioritisation_round.opened_at,
        "closed_at": prioritisation_round.closed_at,
        "accepts_votes": prioritisation_round.accepts_votes(now),
        "priorities_count": prioritisation_round.priorities_count,
        "challenges": [
            challenge_data(challenge, challenge.pk in visible_ids)
            for challenge in round_challenges(prioritisation_round)
        ],
        "turnout": {
            "member_organisations": turnout.member_count,
            "ballots": turnout.voted_count,
            "abstained": turnout.abstained_count,
            "voted": [
                {
                    "organisation": organisation_data(ballot.organisation),
                    "cast_at": ballot.cast_at,
                    "abstained": ballot.abstained,
                }
                for ballot in turnout.ballots
            ],
            "not_voted": None
            if turnout.not_voted is None
            else [organisation_data(organisation) for organisation in turnout.not_voted],
        },
        "results": results,
    }


def ballot_data(ballot):
    cast_by = ballot.cast_by
    return {
        "public_id": ballot.public_id,
        "organisation": organisation_data(ballot.organisation),
        "cast_by": {
            "public_id": cast_by.public_id,
            "given_name": cast_by.given_name,
            "family_name": cast_by.family_name,
        }
        if cast_by
        else None,
        "cast_at": ballot.cast_at,
        "abstained": ballot.abstained,
        "comment": ballot.comment,
        "entries": [
            {
                "challenge": entry.challenge.public_id,
                "impact": entry.impact,
                "urgency": entry.urgency,
                "feasibility": entry.feasibility,
                "rank": entry.rank,
            }
            for entry in ballot.entries.all()
        ],
    }
