"""The scoring arithmetic of prioritisation rounds: weighted means, ranks with ties,
abstentions, the rank method and the spread by constituency, against hand-computed Decimals."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mineaction.challenges.models import (
    BallotEntry,
    Challenge,
    PrioritisationRound,
    RoundMethod,
)
from mineaction.challenges.services.rounds import CastBallot, round_scores, score_ballots
from mineaction.challenges.tests.rounds_support import (
    cast,
    make_challenges,
    make_voter,
    open_round,
    ranks,
    scores,
)


def table(results):
    """(reference, rank, score, votes, abstentions) per challenge, in the order given."""
    return [
        (result.challenge.reference, result.rank, result.score, result.votes, result.abstentions)
        for result in results
    ]


@pytest.fixture
def challenges(ngo_org):
    return make_challenges(ngo_org, 3)


def test_score_round_weighs_each_ballot_and_averages_over_those_who_scored(people, challenges):
    """Weights 40/40/20. The NGO: CH-001 (4, 3, 5) = 3.8, CH-002 (5, 5, 1) = 4.2, CH-003
    blank. The donor: CH-001 (2, 2, 2) = 2.0, CH-002 (3, 4, 5) = 3.8, CH-003 (1, 1, 1) = 1.0.
    The UN agency abstains on the whole ballot."""
    first, second, third = challenges
    prioritisation_round = open_round(challenges)
    cast(
        prioritisation_round,
        people["member"],
        scores((first, (4, 3, 5)), (second, (5, 5, 1)), (third, None)),
    )
    cast(
        prioritisation_round,
        people["lead_donor"],
        scores((first, (2, 2, 2)), (second, (3, 4, 5)), (third, (1, 1, 1))),
    )
    cast(prioritisation_round, people["secretariat"], abstained=True)

    results = round_scores(prioritisation_round)

    assert table(results) == [
        ("CH-002", 1, Decimal("4.000"), 2, 1),
        ("CH-001", 2, Decimal("2.900"), 2, 1),
        ("CH-003", 3, Decimal("1.000"), 1, 2),
    ]
    assert results[1].spread == {
        "donor_state": {"count": 1, "mean": "2.000", "min": "2.000", "max": "2.000"},
        "national_ngo": {"count": 1, "mean": "3.800", "min": "3.800", "max": "3.800"},
    }
    assert results[2].spread == {
        "donor_state": {"count": 1, "mean": "1.000", "min": "1.000", "max": "1.000"}
    }


def test_spread_gives_count_mean_lowest_and_highest_of_each_constituency(people, challenges):
    """Two NGOs score CH-001 3.8 and 2.2 (weights 40/40/20): mean 3.000."""
    first, second, _third = challenges
    prioritisation_round = open_round(challenges)
    cast(prioritisation_round, people["member"], scores((first, (4, 3, 5)), (second, (1, 1, 1))))
    other_ngo = make_voter("Safe Paths", "national_ngo")
    cast(prioritisation_round, other_ngo, scores((first, (2, 2, 3)), (second, (1, 1, 1))))

    results = round_scores(prioritisation_round)

    assert results[0].challenge == first
    assert results[0].spread == {
        "national_ngo": {"count": 2, "mean": "3.000", "min": "2.200", "max": "3.800"}
    }


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(people, ngo_org):
    """Weights 1/1/1: CH-003 = 4, CH-001 = 3 and CH-002 = 3 (tie), CH-004 = 1: "1, 2, 2, 4",
    the tie listed by challenge number."""
    challenges = make_challenges(ngo_org, 4)
    first, second, third, fourth = challenges
    prioritisation_round = open_round(
        challenges, weight_impact=1, weight_urgency=1, weight_feasibility=1
    )
    cast(
        prioritisation_round,
        people["member"],
        scores((first, (3, 3, 3)), (second, (5, 2, 2)), (third, (4, 4, 4)), (fourth, (1, 1, 1))),
    )

    assert table(round_scores(prioritisation_round)) == [
        ("CH-003", 1, Decimal("4.000"), 1, 0),
        ("CH-001", 2, Decimal("3.000"), 1, 0),
        ("CH-002", 2, Decimal("3.000"), 1, 0),
        ("CH-004", 4, Decimal("1.000"), 1, 0),
    ]


def test_means_are_rounded_half_up_to_three_places(people, challenges):
    """Weights 1/1/14 (sum 16): CH-001 (2, 1, 3) = 45/16 = 2.8125, rounded half up to 2.813.
    Weights 1/1/1 would give thirds: see the next test."""
    first, second, _third = challenges
    prioritisation_round = open_round(
        challenges, weight_impact=1, weight_urgency=1, weight_feasibility=14
    )
    cast(prioritisation_round, people["member"], scores((first, (2, 1, 3)), (second, None)))

    assert table(round_scores(prioritisation_round))[0] == ("CH-001", 1, Decimal("2.813"), 1, 0)


def test_a_mean_of_thirds_is_rounded_once_at_the_end(people, challenges):
    """Weights 1/1/1: 11/3 and 12/3, mean 23/6 = 3.8333..., shown 3.833 (rounding each ballot
    first would give (3.667 + 4.000) / 2 = 3.8335 → 3.834)."""
    first, second, _third = challenges
    prioritisation_round = open_round(
        challenges, weight_impact=1, weight_urgency=1, weight_feasibility=1
    )
    cast(prioritisation_round, people["member"], scores((first, (4, 3, 4)), (second, None)))
    cast(prioritisation_round, people["lead_donor"], scores((first, (4, 4, 4)), (second, None)))

    assert table(round_scores(prioritisation_round))[0] == ("CH-001", 1, Decimal("3.833"), 2, 0)


def test_a_criterion_weighted_zero_does_not_count(people, challenges):
    """Weights 50/50/0: (4, 2, 1) and (4, 2, 5) both score 3.0; feasibility is ignored."""
    first, second, third = challenges
    prioritisation_round = open_round(
        challenges, weight_impact=50, weight_urgency=50, weight_feasibility=0
    )
    cast(
        prioritisation_round,
        people["member"],
        scores((first, (4, 2, 1)), (second, (4, 2, 5)), (third, (5, 5, 5))),
    )

    assert table(round_scores(prioritisation_round)) == [
        ("CH-003", 1, Decimal("5.000"), 1, 0),
        ("CH-001", 2, Decimal("3.000"), 1, 0),
        ("CH-002", 2, Decimal("3.000"), 1, 0),
    ]


def test_rank_round_gives_n_minus_rank_plus_one_points(people, challenges):
    """Three challenges. The NGO ranks 1, 2, 3; the donor ranks CH-002 first, CH-001 second
    and leaves CH-003 blank; the UN agency ranks CH-003 first, CH-001 second, CH-002 third.
    CH-001: (3 + 2 + 2) / 3 = 2.333; CH-002: (2 + 3 + 1) / 3 = 2.000; CH-003: (1 + 3) / 2."""
    first, second, third = challenges
    prioritisation_round = open_round(challenges, method=RoundMethod.RANK)
    cast(prioritisation_round, people["member"], ranks((first, 1), (second, 2), (third, 3)))
    cast(prioritisation_round, people["lead_donor"], ranks((first, 2), (second, 1), (third, None)))
    cast(prioritisation_round, people["secretariat"], ranks((first, 2), (second, 3), (third, 1)))

    assert table(round_scores(prioritisation_round)) == [
        ("CH-001", 1, Decimal("2.333"), 3, 0),
        ("CH-002", 2, Decimal("2.000"), 3, 0),
        ("CH-003", 2, Decimal("2.000"), 2, 1),
    ]


def test_a_round_without_ballots_ranks_nothing(challenges):
    prioritisation_round = open_round(challenges)

    assert table(round_scores(prioritisation_round)) == [
        ("CH-001", None, None, 0, 0),
        ("CH-002", None, None, 0, 0),
        ("CH-003", None, None, 0, 0),
    ]


def test_whole_ballot_abstentions_count_as_abstentions_on_every_challenge(people, challenges):
    prioritisation_round = open_round(challenges)
    cast(prioritisation_round, people["member"], abstained=True)
    cast(prioritisation_round, people["lead_donor"], abstained=True)

    assert table(round_scores(prioritisation_round)) == [
        ("CH-001", None, None, 0, 2),
        ("CH-002", None, None, 0, 2),
        ("CH-003", None, None, 0, 2),
    ]


def test_a_challenge_nobody_scored_comes_last_without_a_rank(people, challenges):
    first, second, third = challenges
    prioritisation_round = open_round(challenges)
    cast(
        prioritisation_round,
        people["member"],
        scores((first, None), (second, (1, 1, 1)), (third, (2, 2, 2))),
    )

    assert table(round_scores(prioritisation_round)) == [
        ("CH-003", 1, Decimal("2.000"), 1, 0),
        ("CH-002", 2, Decimal("1.000"), 1, 0),
        ("CH-001", None, None, 0, 1),
    ]


# Invariants over any ballots (no database: the arithmetic on plain records) ----------------------

score_triples = st.one_of(st.none(), st.tuples(*[st.integers(min_value=1, max_value=5)] * 3))
weights = st.tuples(*[st.integers(min_value=0, max_value=100)] * 3).filter(any)
constituency = st.sampled_from(["national_ngo", "donor_state", "un_agency"])


def _challenges(count):
    return [Challenge(pk=number, number=number) for number in range(1, count + 1)]


def _score_ballot(challenges, organisation_type, abstained, triples):
    entries = tuple(
        BallotEntry(challenge_id=challenge.pk, impact=t[0], urgency=t[1], feasibility=t[2])
        for challenge, t in zip(challenges, triples, strict=True)
        if t is not None
    )
    return CastBallot(organisation_type, abstained, entries)


def _assert_ranks_follow_scores(results):
    scored = [result for result in results if result.score is not None]
    for result in scored:
        assert result.rank == 1 + sum(1 for other in scored if other.score > result.score)
    assert [result.score for result in scored] == sorted(
        (result.score for result in scored), reverse=True
    )
    assert all(result.rank is None for result in results[len(scored) :])


@settings(max_examples=200, deadline=None)
@given(
    weights=weights,
    ballots=st.lists(
        st.tuples(constituency, st.booleans(), st.lists(score_triples, min_size=4, max_size=4)),
        max_size=8,
    ),
)
def test_score_round_scores_stay_within_one_to_five_and_ranks_follow_scores(weights, ballots):
    challenges = _challenges(4)
    prioritisation_round = PrioritisationRound(
        method=RoundMethod.SCORE,
        weight_impact=Decimal(weights[0]),
        weight_urgency=Decimal(weights[1]),
        weight_feasibility=Decimal(weights[2]),
    )
    cast_ballots = [_score_ballot(challenges, *ballot) for ballot in ballots]

    results = score_ballots(prioritisation_round, challenges, cast_ballots)

    assert sorted(result.challenge.number for result in results) == [1, 2, 3, 4]
    for result in results:
        assert result.votes + result.abstentions == len(ballots)
        if result.score is not None:
            assert Decimal(1) <= result.score <= Decimal(5)
            assert result.score == result.score.quantize(Decimal("0.001"))
            assert sum(figures["count"] for figures in result.spread.values()) == result.votes
        else:
            assert (result.votes, result.spread) == (0, {})
    _assert_ranks_follow_scores(results)


@settings(max_examples=200, deadline=None)
@given(
    ballots=st.lists(
        st.tuples(constituency, st.permutations([1, 2, 3, 4, 5]), st.integers(0, 5)),
        max_size=8,
    )
)
def test_rank_round_points_stay_within_one_to_n_and_ranks_follow_scores(ballots):
    """Each ballot ranks the first k challenges of a permutation and leaves the rest blank."""
    challenges = _challenges(5)
    prioritisation_round = PrioritisationRound(method=RoundMethod.RANK)
    cast_ballots = [
        CastBallot(
            organisation_type,
            False,
            tuple(
                BallotEntry(challenge_id=challenges[index].pk, rank=rank)
                for index, rank in enumerate(order)
                if rank <= ranked
            ),
        )
        for organisation_type, order, ranked in ballots
    ]

    results = score_ballots(prioritisation_round, challenges, cast_ballots)

    for result in results:
        if result.score is not None:
            assert Decimal(1) <= result.score <= Decimal(5)
    _assert_ranks_follow_scores(results)
