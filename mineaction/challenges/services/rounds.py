"""Prioritisation rounds: preparing and opening a round, casting ballots, the scoring
arithmetic, closing a round (results kept, top challenges prioritised). What the pages, the API and
the exports read of a round is in `round_results`.

The arithmetic is Decimal throughout. A score round weighs each ballot's impact, urgency and
feasibility: (wI·I + wU·U + wF·F) / (wI + wU + wF). A rank round gives n − rank + 1 points (n =
challenges in the round). A challenge's score is the mean over the ballots that scored it,
rounded half up to 0.001; equal scores share a rank ("1, 2, 2, 4"); a challenge nobody scored has
no rank.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mineaction.challenges.models import (
    SCORE_MAX,
    SCORE_MIN,
    Ballot,
    BallotEntry,
    Challenge,
    ChallengeStatus,
    PrioritisationRound,
    RoundMethod,
    RoundResult,
    RoundStatus,
)
from mineaction.challenges.services.register import challenge_change_status
from mineaction.core import access
from mineaction.core.choices import Role, Visibility

SCORE_QUANTUM = Decimal("0.001")
CRITERIA = ("impact", "urgency", "feasibility")
# Challenges that become priorities when a round closes; those already prioritised or being
# addressed keep their status, resolved and parked ones are not reopened by a vote.
PRIORITISABLE = (ChallengeStatus.IDENTIFIED, ChallengeStatus.UNDER_DISCUSSION)
# The membership roles that speak for an organisation (the lead donor follows from a
# membership), so the organisations that may vote.
VOTING_ROLES = [role for role in access.ORGANISATION_VOICES if role in Role.values]


def when(moment):
    """A moment as shown in messages: local date and time in the active language."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def quantize(value):
    return value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


# Reads ------------------------------------------------------------------------------------------


def eligible_challenges():
    """The challenges a round may include: open, and visible to every member (a round's
    challenges are seen by every organisation that votes)."""
    return Challenge.objects.open().filter(visibility=Visibility.MEMBERS).order_by("number")


def rounds_for_list(user):
    """Every round, open ones first (closing soonest first), then closed (latest first), then
    drafts, with their counts and the user's organisation's ballot (abstained: None when it
    has not voted)."""
    person = access.person_of(user)
    own_ballots = Ballot.objects.filter(
        prioritisation_round=OuterRef("pk"),
        organisation_id=person.organisation_id if person else None,
    )
    status_order = Case(
        When(status=RoundStatus.OPEN, then=Value(0)),
        When(status=RoundStatus.CLOSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    open_closes_at = Case(When(status=RoundStatus.OPEN, then=F("closes_at")))
    return PrioritisationRound.objects.annotate(
        status_order=status_order,
        open_closes_at=open_closes_at,
        challenge_count=Count("challenges", distinct=True),
        ballot_count=Count("ballots", distinct=True),
        has_voted=Exists(own_ballots),
        own_abstained=Subquery(own_ballots.values("abstained")[:1]),
    ).order_by(
        "status_order",
        F("open_closes_at").asc(nulls_last=True),
        F("closed_at").desc(nulls_last=True),
        "-created_at",
        "-id",
    )


def round_challenges(prioritisation_round):
    return list(prioritisation_round.challenges.order_by("number"))


def with_entries(ballots):
    """Ballots with their organisation, voter and entries (by challenge number)."""
    entries = BallotEntry.objects.select_related("challenge").order_by("challenge__number")
    return ballots.select_related("organisation", "cast_by").prefetch_related(
        Prefetch("entries", queryset=entries)
    )


def own_ballot(prioritisation_round, user):
    """The ballot of the user's organisation in the round, or None."""
    person = access.person_of(user)
    if person is None:
        return None
    ballots = prioritisation_round.ballots.filter(organisation_id=person.organisation_id)
    return with_entries(ballots).first()


# The arithmetic --------------------------------------------------------------------------------


@dataclass
class ChallengeScore:
    """A challenge's place in a round, as `round_scores` computes it (and RoundResult keeps)."""

    challenge: Challenge
    rank: int | None
    score: Decimal | None
    votes: int
    abstentions: int
    spread: dict = field(default_factory=dict)


def _entry_points(prioritisation_round, entry, challenge_count):
    """(numerator, denominator) of a ballot entry's value, so that a challenge's mean is one
    exact sum and a single division; None for an abstention on that challenge."""
    if prioritisation_round.method == RoundMethod.RANK:
        if entry.rank is None:
            return None
        return Decimal(challenge_count - entry.rank + 1), Decimal(1)
    if None in (entry.impact, entry.urgency, entry.feasibility):
        return None
    weights = (
        prioritisation_round.weight_impact,
        prioritisation_round.weight_urgency,
        prioritisation_round.weight_feasibility,
    )
    scores = (entry.impact, entry.urgency, entry.feasibility)
    numerator = sum(
        (weight * score for weight, score in zip(weights, scores, strict=True)), Decimal(0)
    )
    return numerator, sum(weights, Decimal(0))


def _spread(values):
    """Per constituency: how many ballots scored the challenge and their mean, lowest and
    highest value, as strings (the JSON kept in RoundResult)."""
    by_type = defaultdict(list)
    for organisation_type, numerator, denominator in values:
        by_type[organisation_type].append((numerator, denominator))
    spread = {}
    for organisation_type in sorted(by_type):
        pairs = by_type[organisation_type]
        each = [numerator / denominator for numerator, denominator in pairs]
        spread[organisation_type] = {
            "count": len(pairs),
            "mean": str(_mean(pairs)),
            "min": str(quantize(min(each))),
            "max": str(quantize(max(each))),
        }
    return spread


def _mean(pairs):
    total = sum((numerator for numerator, _denominator in pairs), Decimal(0))
    return quantize(total / (pairs[0][1] * len(pairs)))


@dataclass(frozen=True)
class CastBallot:
    """What the arithmetic needs of a ballot: the voter's constituency, whether the whole
    ballot abstains, and its entries (anything with challenge_id, impact, urgency, feasibility
    and rank, such as BallotEntry)."""

    organisation_type: str
    abstained: bool
    entries: tuple


def round_scores(prioritisation_round):
    """Every challenge of the round with its rank, score, votes, abstentions and spread by
    constituency, best first; challenges nobody scored come last, by number. Reads the ballots
    and writes nothing."""
    ballots = prioritisation_round.ballots.select_related("organisation").prefetch_related(
        "entries"
    )
    return score_ballots(
        prioritisation_round,
        round_challenges(prioritisation_round),
        [
            CastBallot(ballot.organisation.type, ballot.abstained, tuple(ballot.entries.all()))
            for ballot in ballots
        ],
    )


def score_ballots(prioritisation_round, challenges, ballots):
    """The arithmetic of `round_scores` on given challenges and CastBallots (no database):
    the round gives the method and the weights."""
    values = {challenge.pk: [] for challenge in challenges}
    for ballot in ballots:
        if ballot.abstained:
            continue
        for entry in ballot.entries:
            points = (
                _entry_points(prioritisation_round, entry, len(challenges))
                if entry.challenge_id in values
                else None
            )
            if points is not None:
                values[entry.challenge_id].append((ballot.organisation_type, *points))
    scores = []
    for challenge in challenges:
        scored = values[challenge.pk]
        scores.append(
            ChallengeScore(
                challenge=challenge,
                rank=None,
                score=_mean([(n, d) for _type, n, d in scored]) if scored else None,
                votes=len(scored),
                abstentions=len(ballots) - len(scored),
                spread=_spread(scored),
            )
        )
    return _ranked(scores)


def _ranked(scores):
    ranked = sorted(
        (score for score in scores if score.score is not None),
        key=lambda score: (-score.score, score.challenge.number),
    )
    for position, score in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        score.rank = previous.rank if previous and previous.score == score.score else position
    unranked = sorted(
        (score for score in scores if score.score is None),
        key=lambda score: score.challenge.number,
    )
    return ranked + unranked


# Preparing and opening -------------------------------------------------------------------------


def _lock(prioritisation_round):
    """The round's row under a lock: opening, voting and closing the same round one at a time."""
    return PrioritisationRound.objects.select_for_update().get(pk=prioritisation_round.pk)


@transaction.atomic
def round_save(*, form):
    """Create a round, or change a draft one (a round's terms are fixed once it opens)."""
    prioritisation_round = form.instance
    if (
        prioritisation_round.pk is not None
        and _lock(prioritisation_round).status != RoundStatus.DRAFT
    ):
        raise ValidationError(_("Only a draft round can be changed."))
    return form.save()


def _opening_problems(prioritisation_round, now):
    if prioritisation_round.status != RoundStatus.DRAFT:
        return [_("Only a draft round can be opened; this one is already open or closed.")]
    problems = []
    if prioritisation_round.closes_at <= now:
        problems.append(
            _(
                "The round was to close on %(when)s, which has passed: set a later closing "
                "time before opening it."
            )
            % {"when": when(prioritisation_round.closes_at)}
        )
    challenges = round_challenges(prioritisation_round)
    if len(challenges) < 2:
        problems.append(_("A round needs at least two challenges to rank them against each other."))
    ineligible = [
        challenge.reference
        for challenge in challenges
        if not challenge.is_open or challenge.visibility != Visibility.MEMBERS
    ]
    if ineligible:
        problems.append(
            _(
                "These challenges are closed or restricted and cannot be prioritised: "
                "%(challenges)s. Take them out of the round first."
            )
            % {"challenges": ", ".join(ineligible)}
        )
    if prioritisation_round.method == RoundMethod.SCORE and not any(
        (
            prioritisation_round.weight_impact,
            prioritisation_round.weight_urgency,
            prioritisation_round.weight_feasibility,
        )
    ):
        problems.append(_("Give at least one of the three criteria a weight above zero."))
    return problems


@transaction.atomic
def round_open(*, prioritisation_round, now=None):
    """Open a draft round for voting until its closing time."""
    now = now or timezone.now()
    locked = _lock(prioritisation_round)
    problems = _opening_problems(locked, now)
    if problems:
        raise ValidationError(problems)
    locked.status = RoundStatus.OPEN
    locked.opened_at = now
    locked.save(update_fields=["status", "opened_at", "updated_at"])
    prioritisation_round.status, prioritisation_round.opened_at = locked.status, locked.opened_at
    return prioritisation_round


# Voting ------------------------------------------------------------------------------------------


def _already_voted(ballot):
    values = {"organisation": ballot.organisation.name, "when": when(ballot.cast_at)}
    if ballot.cast_by is None:
        message = _(
            "%(organisation)s has already voted in this round (on %(when)s), and a ballot is "
            "final once cast."
        )
    else:
        values["person"] = str(ballot.cast_by)
        message = _(
            "%(organisation)s has already voted in this round: %(person)s cast its ballot on "
            "%(when)s, and a ballot is final once cast."
        )
    return ValidationError(message % values, code="already_voted")


def _voting_problem(prioritisation_round, organisation, now):
    """Why the organisation may not vote in the round now, or None."""
    if prioritisation_round.status == RoundStatus.DRAFT:
        return ValidationError(_("This round is not open for voting yet."), code="not_open")
    if prioritisation_round.status == RoundStatus.CLOSED:
        return ValidationError(
            _("This round is closed (voting ended on %(when)s).")
            % {"when": when(prioritisation_round.closed_at or prioritisation_round.closes_at)},
            code="closed",
        )
    if now >= prioritisation_round.closes_at:
        return ValidationError(
            _("Voting in this round closed on %(when)s: the ballot came too late.")
            % {"when": when(prioritisation_round.closes_at)},
            code="late",
        )
    existing = (
        prioritisation_round.ballots.filter(organisation=organisation)
        .select_related("organisation", "cast_by")
        .first()
    )
    return _already_voted(existing) if existing else None


def voting_problem(prioritisation_round, user, now=None):
    """Why the user's organisation may not vote in the round now (a message), or None."""
    person = access.person_of(user)
    if person is None:
        return None
    problem = _voting_problem(prioritisation_round, person.organisation, now or timezone.now())
    return problem.messages[0] if problem else None


def _value(entry, name):
    value = entry.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "invalid"
    return value


def _score_entry_problems(label, entry):
    problems = []
    if _value(entry, "rank") is not None:
        problems.append(
            _("%(challenge)s: this round is scored, not ranked; leave the rank empty.")
            % {"challenge": label}
        )
    scores = {name: _value(entry, name) for name in CRITERIA}
    for name, value in scores.items():
        if value is not None and (value == "invalid" or not SCORE_MIN <= value <= SCORE_MAX):
            problems.append(
                _("%(challenge)s: %(criterion)s must be a whole number from %(min)s to %(max)s.")
                % {
                    "challenge": label,
                    "criterion": BallotEntry._meta.get_field(name).verbose_name,
                    "min": SCORE_MIN,
                    "max": SCORE_MAX,
                }
            )
    given = [value is not None for value in scores.values()]
    if any(given) and not all(given):
        problems.append(
            _(
                "%(challenge)s: give all three scores (impact, urgency and feasibility), or "
                "none to abstain on this challenge."
            )
            % {"challenge": label}
        )
    return problems


def _rank_entry_problems(label, entry, challenge_count):
    problems = []
    if any(_value(entry, name) is not None for name in CRITERIA):
        problems.append(
            _("%(challenge)s: this round is ranked, not scored; give a rank only.")
            % {"challenge": label}
        )
    rank = _value(entry, "rank")
    if rank is not None and (rank == "invalid" or not 1 <= rank <= challenge_count):
        problems.append(
            _("%(challenge)s: the rank must be a whole number from 1 to %(count)s.")
            % {"challenge": label, "count": challenge_count}
        )
    return problems


def _public_id(value):
    return str(value.public_id if isinstance(value, Challenge) else value)


def _ballot_problems(prioritisation_round, challenges, entries, abstained):
    """Messages about the ballot's entries (empty when it may be cast) and the entries by
    challenge."""
    by_public_id = {str(challenge.public_id): challenge for challenge in challenges}
    problems, chosen, ranks = [], {}, {}
    for entry in entries:
        key = _public_id(entry.get("challenge"))
        challenge = by_public_id.get(key)
        if challenge is None:
            problems.append(_("%(challenge)s is not in this round.") % {"challenge": key})
            continue
        if challenge.pk in chosen:
            problems.append(
                _("%(challenge)s appears more than once on the ballot.")
                % {"challenge": challenge.reference}
            )
            continue
        chosen[challenge.pk] = entry
        if prioritisation_round.method == RoundMethod.RANK:
            problems += _rank_entry_problems(challenge.reference, entry, len(challenges))
            rank = _value(entry, "rank")
            if isinstance(rank, int) and rank in ranks:
                problems.append(
                    _(
                        "%(first)s and %(second)s have the same rank (%(rank)s): give each "
                        "challenge its own rank."
                    )
                    % {"first": ranks[rank], "second": challenge.reference, "rank": rank}
                )
            elif isinstance(rank, int):
                ranks[rank] = challenge.reference
        else:
            problems += _score_entry_problems(challenge.reference, entry)
    if problems:
        return problems, chosen
    return _completeness_problems(prioritisation_round, chosen, abstained), chosen


def _has_values(entry):
    return any(_value(entry, name) is not None for name in (*CRITERIA, "rank"))


def _completeness_problems(prioritisation_round, chosen, abstained):
    given = any(_has_values(entry) for entry in chosen.values())
    if abstained and given:
        return [
            _("An abstaining ballot carries no scores or ranks: clear them, or do not abstain.")
        ]
    if not abstained and not given:
        if prioritisation_round.method == RoundMethod.RANK:
            return [_("Rank at least one challenge, or abstain on the whole ballot.")]
        return [_("Score at least one challenge, or abstain on the whole ballot.")]
    return []


@transaction.atomic
def ballot_cast(
    *, prioritisation_round, person, entries, abstained=False, comment="", now=None
) -> Ballot:
    """Cast the ballot of the person's organisation: final once cast, one per organisation.

    `entries` are mappings with "challenge" (its public id) and "impact", "urgency" and
    "feasibility" (score rounds) or "rank" (rank rounds); a challenge without values, or left
    out, is an abstention on that challenge. Refuses (ValidationError, nothing written) a round
    that is not open, a late ballot, a second ballot of the organisation (a plain message),
    and bad entries (messages under "entries").
    """
    now = now or timezone.now()
    locked = _lock(prioritisation_round)
    problem = _voting_problem(locked, person.organisation, now)
    if problem:
        raise problem
    challenges = round_challenges(locked)
    problems, chosen = _ballot_problems(locked, challenges, list(entries), abstained)
    if problems:
        raise ValidationError({"entries": problems})
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                prioritisation_round=locked,
                organisation=person.organisation,
                cast_by=person,
                cast_at=now,
                abstained=abstained,
                comment=(comment or "").strip(),
            )
    except IntegrityError:
        # Another request of the same organisation was cast between the check and the write.
        existing = locked.ballots.select_related("organisation", "cast_by").get(
            organisation=person.organisation
        )
        raise _already_voted(existing) from None
    if not abstained:
        BallotEntry.objects.bulk_create(
            [_entry(ballot, challenge, chosen.get(challenge.pk, {})) for challenge in challenges]
        )
    return ballot


def _entry(ballot, challenge, values):
    return BallotEntry(
        ballot=ballot,
        challenge=challenge,
        **{name: _value(values, name) for name in (*CRITERIA, "rank")},
    )


# Closing -----------------------------------------------------------------------------------------


def _closing_problem(prioritisation_round):
    if prioritisation_round.status == RoundStatus.DRAFT:
        return _("A draft round cannot be closed: it has not been opened.")
    if prioritisation_round.status == RoundStatus.CLOSED:
        return _("This round was already closed (on %(when)s).") % {
            "when": when(prioritisation_round.closed_at)
        }
    return None


@transaction.atomic
def round_close(*, prioritisation_round, now=None):
    """Close an open round (early, too): rank its challenges, keep the results, record each
    challenge's place and make the top `priorities_count` ranks priorities (ties at the limit
    included) when they are identified or under discussion. All or nothing."""
    now = now or timezone.now()
    locked = _lock(prioritisation_round)
    problem = _closing_problem(locked)
    if problem:
        raise ValidationError(problem)
    scores = round_scores(locked)
    RoundResult.objects.bulk_create(
        [
            RoundResult(
                prioritisation_round=locked,
                challenge=score.challenge,
                rank=score.rank,
                score=score.score,
                votes=score.votes,
                abstentions=score.abstentions,
                spread=score.spread,
            )
            for score in scores
        ]
    )
    on = min(timezone.localdate(now), timezone.localdate())
    for score in scores:
        _record_place(locked, score, on)
    locked.status = RoundStatus.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    prioritisation_round.status, prioritisation_round.closed_at = locked.status, locked.closed_at
    return scores


def _record_place(prioritisation_round, score, on):
    challenge = score.challenge
    challenge.priority_rank = score.rank
    challenge.priority_score = score.score
    challenge.prioritised_in = prioritisation_round
    challenge.save(
        update_fields=["priority_rank", "priority_score", "prioritised_in", "updated_at"]
    )
    if (
        score.rank is not None
        and score.rank <= prioritisation_round.priorities_count
        and challenge.status in PRIORITISABLE
    ):
        challenge_change_status(
            challenge=challenge,
            to_status=ChallengeStatus.PRIORITISED,
            on=on,
            note=_("Ranked %(rank)s in the prioritisation round “%(round)s”.")
            % {"rank": score.rank, "round": prioritisation_round.title},
            prioritisation_round=prioritisation_round,
        )


def rounds_close_due(*, now=None):
    """Close every open round whose closing time has passed. Returns [(round, problem or
    None)]: a round that cannot be closed stays open and the others are closed."""
    now = now or timezone.now()
    due = PrioritisationRound.objects.filter(status=RoundStatus.OPEN, closes_at__lte=now)
    outcomes = []
    for prioritisation_round in due.order_by("closes_at", "id"):
        try:
            round_close(prioritisation_round=prioritisation_round, now=now)
        except ValidationError as error:
            outcomes.append((prioritisation_round, " ".join(error.messages)))
        else:
            outcomes.append((prioritisation_round, None))
    return outcomes
