"""Opening, voting in and closing prioritisation rounds: every refusal writes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mineaction.challenges.models import (
    Ballot,
    BallotEntry,
    ChallengeStatus,
    ChallengeStatusChange,
    RoundMethod,
    RoundResult,
    RoundStatus,
)
from mineaction.challenges.services.round_results import member_organisations
from mineaction.challenges.services.rounds import (
    round_close,
    round_open,
    rounds_close_due,
    when,
)
from mineaction.challenges.tests.factories import make_challenge, make_round
from mineaction.challenges.tests.rounds_support import (
    cast,
    make_challenges,
    open_round,
    ranks,
    scores,
)
from mineaction.core.choices import Visibility
from mineaction.core.models import AuditEntry


def messages(error):
    return error.value.messages


def counts():
    return (
        Ballot.objects.count(),
        BallotEntry.objects.count(),
        RoundResult.objects.count(),
        ChallengeStatusChange.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def challenges(ngo_org):
    return make_challenges(ngo_org, 3)


@pytest.fixture
def score_round(challenges):
    return open_round(challenges)


def past(prioritisation_round, **delta):
    """Move the round's closing time into the past (as if its time had come)."""
    prioritisation_round.closes_at = timezone.now() - datetime.timedelta(**(delta or {"hours": 1}))
    prioritisation_round.save()
    return prioritisation_round


# Opening ---------------------------------------------------------------------------------------


def test_opening_a_draft_round_sets_it_open_with_the_time(challenges):
    draft = make_round("Draft", challenges)
    now = timezone.now()

    round_open(prioritisation_round=draft, now=now)

    draft.refresh_from_db()
    assert (draft.status, draft.opened_at) == (RoundStatus.OPEN, now)


def test_a_round_whose_closing_time_has_passed_cannot_be_opened(challenges):
    draft = past(make_round("Draft", challenges), days=1)
    closes_at = draft.closes_at

    with pytest.raises(ValidationError) as error:
        round_open(prioritisation_round=draft)

    assert "which has passed: set a later closing time before opening it" in messages(error)[0]
    draft.refresh_from_db()
    assert (draft.status, draft.opened_at, draft.closes_at) == (RoundStatus.DRAFT, None, closes_at)


def test_a_round_needs_two_eligible_challenges_to_open(ngo_org):
    resolved = make_challenge("Resolved", ngo_org, status=ChallengeStatus.RESOLVED)
    restricted = make_challenge("Restricted", ngo_org, visibility=Visibility.RESTRICTED)
    lonely = make_round("Lonely", [make_challenge("Alone", ngo_org)])
    unfit = make_round("Unfit", [resolved, restricted])

    with pytest.raises(ValidationError) as lonely_error:
        round_open(prioritisation_round=lonely)
    with pytest.raises(ValidationError) as unfit_error:
        round_open(prioritisation_round=unfit)

    assert messages(lonely_error) == [
        "A round needs at least two challenges to rank them against each other."
    ]
    assert messages(unfit_error) == [
        "These challenges are closed or restricted and cannot be prioritised: CH-001, CH-002. "
        "Take them out of the round first."
    ]
    assert {lonely.status, unfit.status} == {RoundStatus.DRAFT}


def test_an_open_round_cannot_be_opened_again(score_round):
    with pytest.raises(ValidationError) as error:
        round_open(prioritisation_round=score_round)

    assert messages(error) == [
        "Only a draft round can be opened; this one is already open or closed."
    ]


# Voting ----------------------------------------------------------------------------------------


def test_a_ballot_keeps_every_challenge_of_the_round_blank_ones_as_abstentions(
    people, challenges, score_round
):
    first, second, third = challenges
    ballot = cast(
        score_round,
        people["member"],
        scores((first, (4, 3, 5)), (third, (1, 2, 3))),
        comment=" Urgent. ",
    )

    assert (ballot.organisation.name, ballot.cast_by, ballot.comment) == (
        "Clear Fields Association",
        people["member"],
        "Urgent.",
    )
    entries = ballot.entries.order_by("challenge__number")
    assert [(e.challenge, e.impact, e.urgency, e.feasibility, e.rank) for e in entries] == [
        (first, 4, 3, 5, None),
        (second, None, None, None, None),
        (third, 1, 2, 3, None),
    ]


def test_a_whole_ballot_abstention_keeps_no_entries(people, score_round):
    ballot = cast(score_round, people["member"], abstained=True)

    assert (ballot.abstained, ballot.entries.count()) == (True, 0)


def test_a_late_vote_is_refused_and_says_when_voting_closed(people, challenges, score_round):
    past(score_round, minutes=5)
    before = counts()

    with pytest.raises(ValidationError) as error:
        cast(score_round, people["member"], scores((challenges[0], (1, 1, 1))))

    assert messages(error) == [
        f"Voting in this round closed on {when(score_round.closes_at)}: the ballot came too late."
    ]
    assert counts() == before


def test_a_vote_at_the_closing_moment_is_late(people, challenges, score_round):
    with pytest.raises(ValidationError) as error:
        cast(
            score_round,
            people["member"],
            scores((challenges[0], (1, 1, 1))),
            now=score_round.closes_at,
        )

    assert error.value.code == "late"
    assert Ballot.objects.count() == 0


def test_draft_and_closed_rounds_take_no_vote(people, challenges):
    draft = make_round("Draft", challenges)
    closed = open_round(challenges)
    round_close(prioritisation_round=closed)
    before = counts()

    with pytest.raises(ValidationError) as draft_error:
        cast(draft, people["member"], scores((challenges[0], (1, 1, 1))))
    with pytest.raises(ValidationError) as closed_error:
        cast(closed, people["member"], scores((challenges[0], (1, 1, 1))))

    assert messages(draft_error) == ["This round is not open for voting yet."]
    closed.refresh_from_db()
    assert messages(closed_error) == [
        f"This round is closed (voting ended on {when(closed.closed_at)})."
    ]
    assert counts() == before


def test_an_organisation_votes_once_and_is_told_who_voted(people, challenges, score_round):
    first = cast(score_round, people["member"], scores((challenges[0], (5, 5, 5))))
    before = counts()

    with pytest.raises(ValidationError) as error:
        # Someone else of the same organisation.
        cast(score_round, people["observer"], scores((challenges[0], (1, 1, 1))))

    assert messages(error) == [
        "Clear Fields Association has already voted in this round: Ngo Member cast its ballot on "
        f"{when(first.cast_at)}, and a ballot is final once cast."
    ]
    assert counts() == before


def test_two_ballots_of_an_organisation_racing_get_the_same_refusal(
    people, challenges, score_round
):
    """The other ballot lands between the check and the write: the unique constraint refuses
    the second with the same message, and nothing of it is written."""
    raced = []

    def other_request_lands_first(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and sql.startswith("SELECT") and '"challenges_ballot"' in sql:
            raced.append(
                Ballot.objects.create(
                    prioritisation_round=score_round,
                    organisation=people["observer"].organisation,
                    cast_by=people["observer"],
                    abstained=True,
                )
            )
        return result

    with (
        connection.execute_wrapper(other_request_lands_first),
        pytest.raises(ValidationError) as error,
    ):
        cast(score_round, people["member"], scores((challenges[0], (1, 1, 1))))

    assert len(raced) == 1
    assert messages(error) == [
        "Clear Fields Association has already voted in this round: Observer Person cast its "
        f"ballot on {when(raced[0].cast_at)}, and a ballot is final once cast."
    ]
    assert error.value.code == "already_voted"


@pytest.mark.parametrize(
    ("triple", "message"),
    [
        ((0, 3, 3), "CH-001: impact must be a whole number from 1 to 5."),
        ((3, 6, 3), "CH-001: urgency must be a whole number from 1 to 5."),
        ((3, 3, -1), "CH-001: feasibility must be a whole number from 1 to 5."),
        (
            (3, None, 3),
            "CH-001: give all three scores (impact, urgency and feasibility), "
            "or none to abstain on this challenge.",
        ),
    ],
)
def test_scores_out_of_range_or_incomplete_are_refused(
    people, challenges, score_round, triple, message
):
    entry = {
        "challenge": challenges[0].public_id,
        "impact": triple[0],
        "urgency": triple[1],
        "feasibility": triple[2],
    }
    before = counts()

    with pytest.raises(ValidationError) as error:
        cast(score_round, people["member"], [entry])

    assert error.value.message_dict == {"entries": [message]}
    assert counts() == before


def test_a_score_that_is_not_a_whole_number_is_refused(people, challenges, score_round):
    entry = {"challenge": challenges[0].public_id, "impact": "4", "urgency": 4, "feasibility": 4}

    with pytest.raises(ValidationError) as error:
        cast(score_round, people["member"], [entry])

    assert error.value.message_dict == {
        "entries": ["CH-001: impact must be a whole number from 1 to 5."]
    }


def test_entries_for_challenges_outside_the_round_or_twice_are_refused(
    people, ngo_org, challenges, score_round
):
    outside = make_challenge("Outside", ngo_org)
    entries = scores((outside, (1, 1, 1)), (challenges[0], (2, 2, 2)), (challenges[0], (3, 3, 3)))
    before = counts()

    with pytest.raises(ValidationError) as error:
        cast(score_round, people["member"], entries)

    assert error.value.message_dict == {
        "entries": [
            f"{outside.public_id} is not in this round.",
            "CH-001 appears more than once on the ballot.",
        ]
    }
    assert counts() == before


def test_an_empty_ballot_must_abstain_and_an_abstaining_ballot_must_be_empty(
    people, challenges, score_round
):
    with pytest.raises(ValidationError) as empty:
        cast(score_round, people["member"], scores((challenges[0], None)))
    with pytest.raises(ValidationError) as mixed:
        cast(score_round, people["member"], scores((challenges[0], (1, 1, 1))), abstained=True)

    assert empty.value.message_dict == {
        "entries": ["Score at least one challenge, or abstain on the whole ballot."]
    }
    assert mixed.value.message_dict == {
        "entries": [
            "An abstaining ballot carries no scores or ranks: clear them, or do not abstain."
        ]
    }
    assert Ballot.objects.count() == 0


def test_rank_rounds_refuse_duplicate_ranks_ranks_out_of_range_and_scores(people, challenges):
    first, second, third = challenges
    rank_round = open_round(challenges, method=RoundMethod.RANK)
    entries = [
        *ranks((first, 1), (second, 1), (third, 4)),
    ]
    before = counts()

    with pytest.raises(ValidationError) as error:
        cast(rank_round, people["member"], entries)
    with pytest.raises(ValidationError) as scored:
        cast(rank_round, people["member"], scores((first, (1, 1, 1))))

    assert error.value.message_dict == {
        "entries": [
            "CH-001 and CH-002 have the same rank (1): give each challenge its own rank.",
            "CH-003: the rank must be a whole number from 1 to 3.",
        ]
    }
    assert scored.value.message_dict == {
        "entries": ["CH-001: this round is ranked, not scored; give a rank only."]
    }
    assert counts() == before


def test_score_rounds_refuse_ranks(people, challenges, score_round):
    with pytest.raises(ValidationError) as error:
        cast(score_round, people["member"], [{"challenge": challenges[0].public_id, "rank": 1}])

    assert error.value.message_dict == {
        "entries": ["CH-001: this round is scored, not ranked; leave the rank empty."]
    }


# Closing ---------------------------------------------------------------------------------------


def test_closing_keeps_the_results_and_prioritises_the_top_ranks(people, ngo_org):
    """Priorities count 2. CH-001 (identified) ranks 1 and becomes prioritised; CH-002 is
    being addressed and keeps its status at rank 2; CH-003 (rank 3) and CH-004 (nobody scored
    it) keep theirs; every challenge records its place."""
    first = make_challenge("First", ngo_org)
    second = make_challenge("Second", ngo_org, status=ChallengeStatus.BEING_ADDRESSED)
    third = make_challenge("Third", ngo_org, status=ChallengeStatus.UNDER_DISCUSSION)
    fourth = make_challenge("Fourth", ngo_org)
    prioritisation_round = open_round([first, second, third, fourth], priorities_count=2)
    cast(
        prioritisation_round,
        people["member"],
        scores((first, (5, 5, 5)), (second, (4, 4, 4)), (third, (1, 1, 1))),
    )
    now = timezone.now()

    round_close(prioritisation_round=prioritisation_round, now=now)

    prioritisation_round.refresh_from_db()
    assert (prioritisation_round.status, prioritisation_round.closed_at) == (
        RoundStatus.CLOSED,
        now,
    )
    stored = RoundResult.objects.filter(prioritisation_round=prioritisation_round)
    assert [(r.challenge.title, r.rank, r.score, r.votes, r.abstentions) for r in stored] == [
        ("First", 1, Decimal("5.000"), 1, 0),
        ("Second", 2, Decimal("4.000"), 1, 0),
        ("Third", 3, Decimal("1.000"), 1, 0),
        ("Fourth", None, None, 0, 1),
    ]
    for challenge in (first, second, third, fourth):
        challenge.refresh_from_db()
    assert [
        (c.status, c.priority_rank, c.priority_score, c.prioritised_in)
        for c in (first, second, third, fourth)
    ] == [
        (ChallengeStatus.PRIORITISED, 1, Decimal("5.000"), prioritisation_round),
        (ChallengeStatus.BEING_ADDRESSED, 2, Decimal("4.000"), prioritisation_round),
        (ChallengeStatus.UNDER_DISCUSSION, 3, Decimal("1.000"), prioritisation_round),
        (ChallengeStatus.IDENTIFIED, None, None, prioritisation_round),
    ]
    change = first.status_changes.order_by("id").last()
    assert (change.from_status, change.to_status, change.prioritisation_round, change.on) == (
        ChallengeStatus.IDENTIFIED,
        ChallengeStatus.PRIORITISED,
        prioritisation_round,
        timezone.localdate(now),
    )
    assert change.note == "Ranked 1 in the prioritisation round “Round”."


def test_challenges_tied_at_the_limit_all_become_priorities(people, challenges):
    first, second, third = challenges
    prioritisation_round = open_round(challenges, priorities_count=1)
    cast(
        prioritisation_round,
        people["member"],
        scores((first, (3, 3, 3)), (second, (3, 3, 3)), (third, (1, 1, 1))),
    )

    round_close(prioritisation_round=prioritisation_round)

    statuses = [c.status for c in type(first).objects.order_by("number")]
    assert statuses == [
        ChallengeStatus.PRIORITISED,
        ChallengeStatus.PRIORITISED,
        ChallengeStatus.IDENTIFIED,
    ]


def test_closing_twice_is_refused_and_changes_nothing(people, challenges, score_round):
    cast(score_round, people["member"], scores((challenges[0], (5, 5, 5))))
    round_close(prioritisation_round=score_round)
    before = counts()

    with pytest.raises(ValidationError) as error:
        round_close(prioritisation_round=score_round)

    score_round.refresh_from_db()
    assert messages(error) == [f"This round was already closed (on {when(score_round.closed_at)})."]
    assert counts() == before


def test_a_draft_round_cannot_be_closed(challenges):
    draft = make_round("Draft", challenges)

    with pytest.raises(ValidationError) as error:
        round_close(prioritisation_round=draft)

    assert messages(error) == ["A draft round cannot be closed: it has not been opened."]
    assert RoundResult.objects.count() == 0


def test_a_failed_status_change_leaves_the_whole_close_undone(people, challenges, score_round):
    """A challenge whose last status change is dated after today cannot move today: the
    round stays open, without results, and no challenge records a place."""
    first = challenges[0]
    first.status_changes.update(on=timezone.localdate() + datetime.timedelta(days=3))
    cast(score_round, people["member"], scores((first, (5, 5, 5))))
    before = counts()

    with pytest.raises(ValidationError):
        round_close(prioritisation_round=score_round)

    score_round.refresh_from_db()
    first.refresh_from_db()
    assert (score_round.status, score_round.closed_at) == (RoundStatus.OPEN, None)
    assert (first.status, first.priority_rank, first.prioritised_in) == (
        ChallengeStatus.IDENTIFIED,
        None,
        None,
    )
    assert counts() == before


# Closing when the time comes -----------------------------------------------------------------


def test_close_rounds_closes_only_rounds_whose_time_has_passed_and_only_once(challenges):
    due = past(open_round(challenges, title="Due round"))
    later = open_round(challenges, title="Later round")
    draft = past(make_round("Draft round", challenges))

    output = io.StringIO()
    call_command("close-rounds", stdout=output)
    again = io.StringIO()
    call_command("close-rounds", stdout=again)

    lines = output.getvalue().splitlines()
    due.refresh_from_db()
    assert lines[0] == (
        f"Closed: Due round ({due.public_id}), due {due.closes_at.isoformat(timespec='minutes')}"
    )
    assert lines[1:] == ["1 round(s) closed."]
    assert again.getvalue().splitlines() == ["0 round(s) closed."]
    statuses = {r.title: r.status for r in type(due).objects.all()}
    assert statuses == {
        "Due round": RoundStatus.CLOSED,
        "Later round": RoundStatus.OPEN,
        "Draft round": RoundStatus.DRAFT,
    }
    assert later.results.count() == 0
    assert draft.results.count() == 0


def test_a_round_that_cannot_close_is_reported_and_the_others_close(people, ngo_org):
    stuck_challenges = make_challenges(ngo_org, 2)
    stuck_challenges[0].status_changes.update(on=timezone.localdate() + datetime.timedelta(days=3))
    stuck = past(open_round(stuck_challenges, title="Stuck"), hours=2)
    cast_time = stuck.closes_at - datetime.timedelta(hours=1)
    cast(stuck, people["member"], scores((stuck_challenges[0], (5, 5, 5))), now=cast_time)
    fine = past(open_round(stuck_challenges[1:] + make_challenges(ngo_org, 1), title="Fine"))

    outcomes = rounds_close_due()

    assert [(r.title, problem is None) for r, problem in outcomes] == [
        ("Stuck", False),
        ("Fine", True),
    ]
    stuck.refresh_from_db()
    fine.refresh_from_db()
    assert (stuck.status, fine.status) == (RoundStatus.OPEN, RoundStatus.CLOSED)


def test_member_organisations_are_those_with_someone_who_may_vote(people):
    assert [organisation.name for organisation in member_organisations()] == [
        "Clear Fields Association",
        "Kingdom of Examplia",
        "Testland Mine Action Centre",
        "United Nations Development Programme",
    ]
