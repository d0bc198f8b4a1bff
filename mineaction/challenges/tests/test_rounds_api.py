"""The prioritisation rounds API: the same rules and messages as the pages, as JSON."""

import datetime

import pytest
from django.utils import timezone

from mineaction.challenges.models import Ballot, PrioritisationRound, RoundStatus
from mineaction.challenges.services.rounds import round_close
from mineaction.challenges.tests.factories import make_round
from mineaction.challenges.tests.rounds_support import cast, make_challenges, open_round, scores
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client

BASE = "/api/v1/prioritisation-rounds"
READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]
VOTERS = ["member", "lead_donor", "data_manager", "secretariat", "lead_authority"]


@pytest.fixture
def api(people):
    return {
        persona: token_client(people, persona)
        for persona in ["anonymous", "outsider", *READERS, *RUNNERS]
    }


@pytest.fixture
def challenges(ngo_org):
    return make_challenges(ngo_org, 3)


@pytest.fixture
def score_round(challenges):
    return open_round(challenges, title="Open round")


@pytest.fixture
def closed_round(people, challenges):
    first, second, third = challenges
    prioritisation_round = open_round(challenges, title="Closed round")
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
    round_close(prioritisation_round=prioritisation_round)
    return prioritisation_round


def as_json(entries):
    return [{**entry, "challenge": str(entry["challenge"])} for entry in entries]


def path(prioritisation_round, suffix=""):
    return f"{BASE}/{prioritisation_round.public_id}{suffix}"


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 403), *((p, 200) for p in READERS + RUNNERS)],
)
def test_members_list_rounds(api, score_round, persona, expected):
    assert send(api[persona], "get", BASE).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 404), *((p, 200) for p in READERS + RUNNERS)],
)
@pytest.mark.parametrize("suffix", ["", "/ballots", "/results"])
def test_members_read_a_round_its_ballots_and_results(api, closed_round, suffix, persona, expected):
    assert send(api[persona], "get", path(closed_round, suffix)).status_code == expected


@pytest.mark.parametrize("persona", READERS)
def test_readers_may_not_prepare_open_or_close_rounds(api, challenges, score_round, persona):
    draft = make_round("Draft", challenges)
    created = send(api[persona], "post", BASE, {"title": "Mine"})
    opened = send(api[persona], "post", path(draft, "/open"), {"confirm": True})
    closed = send(api[persona], "post", path(score_round, "/close"), {"confirm": True})

    assert (created.status_code, opened.status_code, closed.status_code) == (403, 403, 403)
    assert created.json()["detail"] == (
        "Only the secretariat, the lead authority and administrators prepare rounds."
    )
    assert PrioritisationRound.objects.filter(status=RoundStatus.OPEN).count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("outsider", 404), ("observer", 403), ("administrator", 403)],
)
def test_only_those_who_speak_for_an_organisation_vote(
    api, challenges, score_round, persona, expected
):
    response = send(
        api[persona],
        "post",
        path(score_round, "/ballots"),
        {"entries": as_json(scores((challenges[0], (3, 3, 3))))},
    )

    assert response.status_code == expected
    assert Ballot.objects.count() == 0


# Preparing, opening, closing -------------------------------------------------------------------


def test_secretariat_prepares_and_opens_a_round(api, challenges):
    closes_at = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    created = send(
        api["secretariat"],
        "post",
        BASE,
        {
            "title": "Priorities",
            "method": "rank",
            "challenges": [str(c.public_id) for c in challenges[:2]],
            "closes_at": closes_at.isoformat(),
            "priorities_count": 1,
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["method"], data["priorities_count"]) == ("draft", "rank", 1)
    assert [c["reference"] for c in data["challenges"]] == ["CH-001", "CH-002"]
    assert data["weights"] == {"impact": "40.00", "urgency": "40.00", "feasibility": "20.00"}

    prioritisation_round = PrioritisationRound.objects.get()
    unconfirmed = send(api["secretariat"], "post", path(prioritisation_round, "/open"), {})
    opened = send(
        api["secretariat"], "post", path(prioritisation_round, "/open"), {"confirm": True}
    )

    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["errors"] == {"confirm": ["Send confirm: true to go ahead."]}
    assert (opened.status_code, opened.json()["status"], opened.json()["accepts_votes"]) == (
        200,
        "open",
        True,
    )


def test_a_bad_round_is_refused_with_messages_per_field(api, challenges):
    response = send(
        api["lead_authority"],
        "post",
        BASE,
        {
            "title": "Too few",
            "challenges": [str(challenges[0].public_id)],
            "closes_at": "2020-01-01T09:00:00+00:00",
            "weight_impact": 0,
            "weight_urgency": 0,
            "weight_feasibility": 0,
        },
    )

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "challenges": ["Choose at least two challenges: a round ranks them against each other."],
        "closes_at": ["The closing time must be in the future."],
        "__all__": ["Give at least one of the three criteria a weight above zero."],
    }
    assert PrioritisationRound.objects.count() == 0


def test_opening_a_round_past_its_closing_time_is_a_conflict(api, challenges):
    draft = make_round("Draft", challenges, closes_in_days=-1)

    response = send(api["secretariat"], "post", path(draft, "/open"), {"confirm": True})

    assert response.status_code == 409
    assert response.json()["detail"].endswith(
        "which has passed: set a later closing time before opening it."
    )
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT


def test_closing_publishes_results_and_closing_twice_is_a_conflict(
    api, people, challenges, score_round
):
    cast(score_round, people["member"], scores((challenges[2], (5, 4, 3))))

    closed = send(api["administrator"], "post", path(score_round, "/close"), {"confirm": True})
    again = send(api["administrator"], "post", path(score_round, "/close"), {"confirm": True})

    assert closed.status_code == 200
    assert [
        (r["challenge"]["reference"], r["rank"], r["score"]) for r in closed.json()["results"]
    ] == [
        ("CH-003", 1, "4.200"),
        ("CH-001", None, None),
        ("CH-002", None, None),
    ]
    assert again.status_code == 409
    assert again.json()["detail"].startswith("This round was already closed (on ")


# Ballots ---------------------------------------------------------------------------------------


def test_a_ballot_is_cast_once_per_organisation(api, people, challenges, score_round):
    first = send(
        api["lead_authority"],
        "post",
        path(score_round, "/ballots"),
        {
            "entries": [
                {
                    "challenge": str(challenges[0].public_id),
                    "impact": 5,
                    "urgency": 4,
                    "feasibility": 3,
                }
            ],
            "comment": "From the centre",
        },
    )
    second = send(
        api["data_manager"],
        "post",
        path(score_round, "/ballots"),
        {"abstained": True},
    )

    assert first.status_code == 201, first.content
    data = first.json()
    assert data["organisation"]["name"] == "Testland Mine Action Centre"
    assert data["cast_by"]["family_name"] == "Authority"
    assert [(e["impact"], e["urgency"], e["feasibility"]) for e in data["entries"]] == [
        (5, 4, 3),
        (None, None, None),
        (None, None, None),
    ]
    assert second.status_code == 409
    assert second.json()["detail"].startswith(
        "Testland Mine Action Centre has already voted in this round: Lead Authority cast its "
        "ballot on "
    )
    assert Ballot.objects.count() == 1


def test_bad_entries_are_a_422_and_nothing_is_written(api, challenges, score_round):
    response = send(
        api["member"],
        "post",
        path(score_round, "/ballots"),
        {
            "entries": [
                {
                    "challenge": str(challenges[0].public_id),
                    "impact": 9,
                    "urgency": 1,
                    "feasibility": 1,
                },
                {"challenge": str(challenges[1].public_id), "rank": 1},
            ]
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "entries": [
            "CH-001: impact must be a whole number from 1 to 5.",
            "CH-002: this round is scored, not ranked; leave the rank empty.",
        ]
    }
    assert Ballot.objects.count() == 0


def test_a_late_ballot_is_a_conflict(api, challenges, score_round):
    score_round.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    score_round.save()

    response = send(
        api["member"],
        "post",
        path(score_round, "/ballots"),
        {"entries": as_json(scores((challenges[0], (3, 3, 3))))},
    )

    assert response.status_code == 409
    assert response.json()["detail"].endswith(": the ballot came too late.")
    assert Ballot.objects.count() == 0


def test_runners_see_every_ballot_others_only_their_organisations(
    api, people, challenges, score_round
):
    cast(score_round, people["member"], scores((challenges[0], (3, 3, 3))))
    cast(score_round, people["lead_donor"], abstained=True)

    runner = send(api["secretariat"], "get", path(score_round, "/ballots")).json()
    member = send(api["observer"], "get", path(score_round, "/ballots")).json()
    data_manager = send(api["data_manager"], "get", path(score_round, "/ballots")).json()

    assert [b["organisation"]["name"] for b in runner["results"]] == [
        "Clear Fields Association",
        "Kingdom of Examplia",
    ]
    assert [b["organisation"]["name"] for b in member["results"]] == ["Clear Fields Association"]
    assert data_manager["results"] == []


# Results ---------------------------------------------------------------------------------------


def test_results_wait_for_the_round_to_close(api, score_round):
    response = send(api["member"], "get", path(score_round, "/results"))

    assert response.status_code == 409
    assert response.json()["detail"] == "The results are published when the round closes."


def test_results_of_a_closed_round(api, closed_round):
    data = send(api["observer"], "get", path(closed_round, "/results")).json()

    assert [
        (
            r["challenge"]["reference"],
            r["rank"],
            r["score"],
            r["votes"],
            r["abstentions"],
            r["movement"],
        )
        for r in data["results"]
    ] == [
        ("CH-002", 1, "4.000", 2, 0, "new"),
        ("CH-001", 2, "2.900", 2, 0, "new"),
        ("CH-003", 3, "1.000", 1, 1, "new"),
    ]
    assert data["results"][0]["spread"] == {
        "donor_state": {"count": 1, "mean": "3.800", "min": "3.800", "max": "3.800"},
        "national_ngo": {"count": 1, "mean": "4.200", "min": "4.200", "max": "4.200"},
    }


def test_results_as_csv_and_a_bad_format(api, closed_round):
    csv_response = send(api["member"], "get", path(closed_round, "/results?format=csv"))
    bad = send(api["member"], "get", path(closed_round, "/results?format=pdf"))

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        csv_response.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith("1,CH-002,Challenge 2,4.000,2,0,,New,")
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"format": ["Use json, csv or xlsx."]}


def test_results_query_count_stays_flat(api, people, ngo_org):
    def closed_with(count, title):
        challenges = make_challenges(ngo_org, count)
        prioritisation_round = open_round(challenges, title=title)
        cast(
            prioritisation_round,
            people["member"],
            scores(*[(challenge, (3, 2, 1)) for challenge in challenges]),
        )
        round_close(prioritisation_round=prioritisation_round)
        return prioritisation_round

    small, large = closed_with(2, "Small"), closed_with(9, "Large")

    assert queries_for(api["member"], path(large, "/results")) == queries_for(
        api["member"], path(small, "/results")
    )
    assert queries_for(api["member"], BASE) == queries_for(api["member"], BASE + "?page_size=1")
