"""Prioritisation round pages: access per persona, preparing, opening, voting, closing, the
round page with turnout and results, its JSON twin and the exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.models import (
    Ballot,
    ChallengeStatus,
    PrioritisationRound,
    RoundMethod,
    RoundStatus,
)
from mineaction.challenges.services.rounds import round_close
from mineaction.challenges.tests.factories import make_challenge, make_round
from mineaction.challenges.tests.rounds_support import (
    cast,
    make_challenges,
    open_round,
    scores,
)
from mineaction.core.models import AuditEntry
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    DETAIL_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    LOGIN,
    assert_outcome,
    queries_for,
)

LIST_URL = reverse("challenges:round_list")
CREATE_URL = reverse("challenges:round_create")
# Those who speak for an organisation vote; observers and administrators without an
# organisation's role only read.
VOTE_ACCESS = {
    "anonymous": LOGIN,
    "outsider": 404,
    "observer": 403,
    "member": 200,
    "lead_donor": 200,
    "data_manager": 200,
    "secretariat": 200,
    "lead_authority": 200,
    "administrator": 403,
}


def url(name, prioritisation_round, **query):
    address = reverse(f"challenges:{name}", args=[prioritisation_round.public_id])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def challenges(ngo_org):
    return make_challenges(ngo_org, 3)


@pytest.fixture
def draft(challenges):
    return make_round("Draft round", challenges)


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
    cast(prioritisation_round, people["secretariat"], abstained=True)
    round_close(prioritisation_round=prioritisation_round)
    return prioritisation_round


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_round_list_is_for_members(clients, score_round, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_only_meeting_runners_prepare_rounds(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_round_page_is_for_members(clients, closed_round, persona, expected):
    assert_outcome(clients[persona].get(url("round_detail", closed_round)), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
@pytest.mark.parametrize("name", ["round_edit", "round_open"])
def test_only_meeting_runners_edit_and_open_a_draft(clients, draft, name, persona, expected):
    assert_outcome(clients[persona].get(url(name, draft)), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_only_meeting_runners_close_a_round(clients, score_round, persona, expected):
    assert_outcome(clients[persona].get(url("round_close", score_round)), expected)
    response = clients[persona].post(url("round_close", score_round), {"confirm": "on"})
    score_round.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert score_round.status == RoundStatus.CLOSED
    else:
        assert_outcome(response, expected)
        assert score_round.status == RoundStatus.OPEN


@pytest.mark.parametrize(("persona", "expected"), VOTE_ACCESS.items())
def test_those_who_speak_for_an_organisation_vote(clients, score_round, persona, expected):
    assert_outcome(clients[persona].get(url("round_vote", score_round)), expected)


@pytest.mark.parametrize("persona", ["observer", "administrator", "outsider"])
def test_observers_administrators_and_outsiders_cannot_cast_a_ballot(
    clients, challenges, score_round, persona
):
    entries = {f"{name}_{challenges[0].public_id.hex}": "3" for name in ("impact", "urgency")}
    entries[f"feasibility_{challenges[0].public_id.hex}"] = "3"

    response = clients[persona].post(url("round_vote", score_round), entries)

    assert response.status_code == (404 if persona == "outsider" else 403)
    assert Ballot.objects.count() == 0


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_results_export_is_for_members(clients, closed_round, persona, expected):
    assert_outcome(clients[persona].get(url("round_export", closed_round)), expected)


# The list --------------------------------------------------------------------------------------


def test_list_shows_open_rounds_first_then_closed_then_drafts_with_your_vote(
    clients, people, challenges, draft, closed_round
):
    soon = open_round(challenges, title="Closing soon", closes_in_days=2)
    later = open_round(challenges, title="Closing later", closes_in_days=9)
    cast(later, people["member"], scores((challenges[0], (1, 1, 1))))

    response = clients["member"].get(LIST_URL)

    rounds = list(response.context["page"])
    assert [r.title for r in rounds] == [
        "Closing soon",
        "Closing later",
        "Closed round",
        "Draft round",
    ]
    assert [(r.has_voted, r.own_abstained, r.ballot_count) for r in rounds] == [
        (False, None, 0),
        (True, False, 1),
        (True, False, 3),
        (False, None, 0),
    ]
    page = response.content.decode()
    assert f'href="{url("round_vote", soon)}">Not voted yet: vote</a>' in page
    assert "New prioritisation round" not in page


def test_list_tells_an_abstaining_organisation_it_abstained(clients, people, closed_round):
    response = clients["secretariat"].get(LIST_URL)

    assert [r.own_abstained for r in response.context["page"]] == [True]
    assert '<span class="badge">Abstained</span>' in response.content.decode()


def test_list_query_count_stays_flat(clients, people, challenges, closed_round):
    baseline = queries_for(clients["member"], LIST_URL)
    for number in range(4):
        extra = open_round(challenges, title=f"Extra {number}")
        cast(extra, people["member"], scores((challenges[0], (2, 2, 2))))
        make_round(f"Draft {number}", challenges)

    assert queries_for(clients["member"], LIST_URL) == baseline


# Preparing a round -----------------------------------------------------------------------------


def round_form(chosen, **changes):
    data = {
        "title": "Priorities for 2026",
        "description": "Before the plenary.",
        "method": "score",
        "weight_impact": "50",
        "weight_urgency": "30",
        "weight_feasibility": "20",
        "challenges": [str(challenge.pk) for challenge in chosen],
        "closes_at": local_input(timezone.now() + datetime.timedelta(days=10)),
        "priorities_count": "2",
    }
    data.update(changes)
    return data


def test_secretariat_prepares_a_draft_round(clients, challenges):
    response = clients["secretariat"].post(CREATE_URL, round_form(challenges[:2]))

    prioritisation_round = PrioritisationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("round_detail", prioritisation_round)
    assert (
        prioritisation_round.title,
        prioritisation_round.status,
        str(prioritisation_round.weight_impact),
        prioritisation_round.priorities_count,
    ) == ("Priorities for 2026", RoundStatus.DRAFT, "50.00", 2)
    assert list(prioritisation_round.challenges.order_by("number")) == challenges[:2]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"challenges": []}, "challenges", "This field is required."),
        (
            {"priorities_count": "1", "challenges": "one"},
            "challenges",
            "“one” is not a valid value.",
        ),
        (
            {"closes_at": "2020-01-01T09:00"},
            "closes_at",
            "The closing time must be in the future.",
        ),
        (
            {"weight_impact": "0", "weight_urgency": "0", "weight_feasibility": "0"},
            "__all__",
            "Give at least one of the three criteria a weight above zero.",
        ),
        (
            {"weight_urgency": "-1"},
            "weight_urgency",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"priorities_count": "4"},
            "priorities_count",
            "A round of 3 challenges yields at most 3 priorities.",
        ),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_bad_rounds_are_refused_with_a_message_and_nothing_saved(
    clients, challenges, changes, field, message
):
    response = clients["secretariat"].post(CREATE_URL, round_form(challenges, **changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert PrioritisationRound.objects.count() == 0


def test_a_round_needs_two_challenges_and_only_open_members_ones(clients, ngo_org, challenges):
    resolved = make_challenge("Resolved", ngo_org, status=ChallengeStatus.RESOLVED)

    one = clients["secretariat"].post(CREATE_URL, round_form(challenges[:1], priorities_count=1))
    closed = clients["secretariat"].post(CREATE_URL, round_form([challenges[0], resolved]))

    assert one.context["form"].errors["challenges"] == [
        "Choose at least two challenges: a round ranks them against each other."
    ]
    assert closed.context["form"].errors["challenges"] == [
        f"Select a valid choice. {resolved.pk} is not one of the available choices."
    ]
    assert PrioritisationRound.objects.count() == 0


def test_a_draft_round_can_be_edited_but_not_an_open_one(clients, challenges, draft, score_round):
    edited = clients["secretariat"].post(
        url("round_edit", draft), round_form(challenges, title="Renamed")
    )
    refused = clients["secretariat"].post(
        url("round_edit", score_round), round_form(challenges, title="Renamed")
    )

    draft.refresh_from_db()
    score_round.refresh_from_db()
    assert (edited.status_code, draft.title) == (302, "Renamed")
    assert refused.status_code == 302
    assert refused["Location"] == url("round_detail", score_round)
    assert score_round.title == "Open round"


# Opening and closing ---------------------------------------------------------------------------


def test_opening_needs_the_confirmation_button(clients, draft):
    asked = clients["secretariat"].post(url("round_open", draft))
    opened = clients["secretariat"].post(url("round_open", draft), {"confirm": "on"})

    assert asked.status_code == 200
    assert opened.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoundStatus.OPEN


def test_a_round_past_its_closing_time_is_not_opened(clients, draft):
    draft.closes_at = timezone.now() - datetime.timedelta(hours=1)
    draft.save()
    entries = AuditEntry.objects.count()

    response = clients["secretariat"].post(url("round_open", draft), {"confirm": "on"})

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.endswith("which has passed: set a later closing time before opening it.")
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT
    assert AuditEntry.objects.count() == entries


def test_closing_early_publishes_the_results_and_closing_again_is_refused(
    clients, people, challenges, score_round
):
    cast(score_round, people["member"], scores((challenges[1], (5, 5, 5))))

    closed = clients["lead_authority"].post(url("round_close", score_round), {"confirm": "on"})
    again = clients["lead_authority"].post(url("round_close", score_round), {"confirm": "on"})

    assert closed.status_code == 302
    challenges[1].refresh_from_db()
    assert (challenges[1].status, challenges[1].priority_rank) == (ChallengeStatus.PRIORITISED, 1)
    assert again.status_code == 200
    (error,) = again.context["form"].non_field_errors()
    assert error.startswith("This round was already closed (on ")
    assert score_round.results.count() == 3


# Voting ----------------------------------------------------------------------------------------


def ballot_form(challenges, values, **extra):
    """Form data: {challenge index: (impact, urgency, feasibility)}."""
    data = dict(extra)
    for index, triple in values.items():
        for name, value in zip(("impact", "urgency", "feasibility"), triple, strict=True):
            data[f"{name}_{challenges[index].public_id.hex}"] = str(value)
    return data


def test_a_member_casts_the_ballot_of_its_organisation(clients, people, challenges, score_round):
    form = clients["member"].get(url("round_vote", score_round))
    response = clients["member"].post(
        url("round_vote", score_round),
        ballot_form(challenges, {0: (4, 3, 5), 2: (1, 1, 2)}, comment="Our view"),
    )

    assert form.status_code == 200
    assert "Clear Fields Association" in form.content.decode()
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.organisation, ballot.cast_by, ballot.comment) == (
        people["member"].organisation,
        people["member"],
        "Our view",
    )
    entries = ballot.entries.order_by("challenge__number")
    assert [(e.impact, e.urgency, e.feasibility) for e in entries] == [
        (4, 3, 5),
        (None, None, None),
        (1, 1, 2),
    ]


def test_an_empty_ballot_is_refused_and_nothing_written(clients, score_round):
    entries = AuditEntry.objects.count()

    response = clients["member"].post(url("round_vote", score_round), {})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Score at least one challenge, or abstain on the whole ballot."
    ]
    assert (Ballot.objects.count(), AuditEntry.objects.count()) == (0, entries)


def test_a_score_outside_one_to_five_is_refused_on_the_page(clients, challenges, score_round):
    response = clients["member"].post(
        url("round_vote", score_round), ballot_form(challenges, {0: (7, 3, 3)})
    )

    assert response.status_code == 200
    field = f"impact_{challenges[0].public_id.hex}"
    assert response.context["form"].errors[field] == [
        "Select a valid choice. 7 is not one of the available choices."
    ]
    assert Ballot.objects.count() == 0


def test_a_whole_ballot_abstention_from_the_page(clients, score_round):
    response = clients["lead_donor"].post(url("round_vote", score_round), {"abstained": "on"})

    assert response.status_code == 302
    assert Ballot.objects.get().abstained is True


def test_a_second_ballot_of_the_organisation_is_refused_with_who_voted(
    clients, people, challenges, score_round
):
    cast(score_round, people["lead_authority"], scores((challenges[0], (5, 5, 5))))

    shown = clients["data_manager"].get(url("round_vote", score_round), follow=True)
    posted = clients["data_manager"].post(
        url("round_vote", score_round), ballot_form(challenges, {0: (1, 1, 1)})
    )

    (message,) = [str(m) for m in shown.context["messages"]]
    assert message.startswith(
        "Testland Mine Action Centre has already voted in this round: Lead Authority cast its "
        "ballot on "
    )
    assert posted.status_code == 200
    (error,) = posted.context["form"].non_field_errors()
    assert error == message
    assert Ballot.objects.count() == 1


def test_a_late_ballot_is_refused_on_the_page(clients, challenges, score_round):
    score_round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    score_round.save()

    response = clients["member"].post(
        url("round_vote", score_round), ballot_form(challenges, {0: (1, 1, 1)})
    )

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.endswith(": the ballot came too late.")
    assert Ballot.objects.count() == 0


def test_a_rank_round_ballot_has_one_rank_per_challenge(clients, challenges):
    rank_round = open_round(challenges, method=RoundMethod.RANK)
    hexes = [challenge.public_id.hex for challenge in challenges]

    duplicate = clients["member"].post(
        url("round_vote", rank_round), {f"rank_{hexes[0]}": "1", f"rank_{hexes[1]}": "1"}
    )
    cast_ok = clients["member"].post(
        url("round_vote", rank_round), {f"rank_{hexes[0]}": "2", f"rank_{hexes[1]}": "1"}
    )

    assert duplicate.context["form"].non_field_errors() == [
        "CH-001 and CH-002 have the same rank (1): give each challenge its own rank."
    ]
    assert cast_ok.status_code == 302
    ranks = Ballot.objects.get().entries.order_by("challenge__number")
    assert [entry.rank for entry in ranks] == [2, 1, None]


# The round page --------------------------------------------------------------------------------


def test_open_round_shows_turnout_and_only_runners_see_who_has_not_voted(
    clients, people, challenges, score_round
):
    cast(score_round, people["member"], scores((challenges[0], (3, 3, 3))))
    cast(score_round, people["lead_donor"], abstained=True)

    runner = clients["secretariat"].get(url("round_detail", score_round))
    member = clients["member"].get(url("round_detail", score_round))

    turnout = runner.context["turnout"]
    assert (turnout.voted_count, turnout.abstained_count, turnout.member_count) == (2, 1, 4)
    assert [o.name for o in turnout.not_voted] == [
        "Testland Mine Action Centre",
        "United Nations Development Programme",
    ]
    assert member.context["turnout"].not_voted is None
    page = member.content.decode()
    assert "2 of 4 member organisations have voted (1 abstained)." in page
    assert "Member organisations that have not voted yet" not in page
    assert "left)" in page
    assert "Your organisation's ballot" in page


def test_closed_round_shows_results_spread_and_comparison_with_the_previous_round(
    clients, people, ngo_org, challenges, closed_round
):
    """The earlier round ranked CH-002 1st, CH-001 2nd and CH-003 3rd. The later one ranks
    CH-001 first (up), CH-002 second (down), CH-003 third (same) and CH-004, not in the earlier
    round, fourth (new)."""
    first, second, third = challenges
    fourth = make_challenge("Challenge 4", ngo_org)
    later = open_round([*challenges, fourth], title="Later round")
    cast(
        later,
        people["member"],
        scores((first, (5, 5, 5)), (second, (4, 4, 4)), (third, (2, 2, 2)), (fourth, (1, 1, 1))),
    )
    round_close(prioritisation_round=later)

    response = clients["observer"].get(url("round_detail", later))

    rows = response.context["rows"]
    assert [
        (
            row.result.challenge.reference,
            row.result.rank,
            row.earlier.rank if row.earlier else None,
            row.earlier.prioritisation_round.title if row.earlier else None,
            row.movement,
        )
        for row in rows
    ] == [
        ("CH-001", 1, 2, "Closed round", "up"),
        ("CH-002", 2, 1, "Closed round", "down"),
        ("CH-003", 3, 3, "Closed round", "same"),
        ("CH-004", 4, None, None, "new"),
    ]
    page = response.content.decode()
    assert '<span class="badge badge-ok">Moved up</span>' in page
    assert '<span class="badge badge-warn">Moved down</span>' in page
    assert "Spread of opinion by constituency" in page


def test_closed_round_results_table(clients, closed_round):
    response = clients["member"].get(url("round_detail", closed_round))

    rows = response.context["rows"]
    assert [
        (
            row.result.challenge.reference,
            row.result.rank,
            str(row.result.score),
            row.result.votes,
            row.result.abstentions,
            row.earlier,
            row.movement,
        )
        for row in rows
    ] == [
        ("CH-002", 1, "4.000", 2, 1, None, "new"),
        ("CH-001", 2, "2.900", 2, 1, None, "new"),
        ("CH-003", 3, "1.000", 1, 2, None, "new"),
    ]
    spread = {
        table["row"].result.challenge.reference: table
        for table in response.context["spread_tables"]
    }
    assert spread["CH-001"]["constituencies"] == [
        {"label": "Donor State", "count": 1, "mean": "2.000", "min": "2.000", "max": "2.000"},
        {
            "label": "National NGO",
            "count": 1,
            "mean": "3.800",
            "min": "3.800",
            "max": "3.800",
        },
    ]


def test_round_page_json_twin(clients, closed_round, challenges):
    response = clients["member"].get(url("round_detail", closed_round, format="json"))

    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert (data["title"], data["status"], data["weights"]) == (
        "Closed round",
        "closed",
        {"impact": "40.00", "urgency": "40.00", "feasibility": "20.00"},
    )
    assert data["turnout"]["ballots"] == 3
    assert data["turnout"]["not_voted"] is None
    assert [(r["challenge"]["reference"], r["rank"], r["score"]) for r in data["results"]] == [
        ("CH-002", 1, "4.000"),
        ("CH-001", 2, "2.900"),
        ("CH-003", 3, "1.000"),
    ]
    assert data["results"][1]["spread"] == {
        "donor_state": {"count": 1, "mean": "2.000", "min": "2.000", "max": "2.000"},
        "national_ngo": {"count": 1, "mean": "3.800", "min": "3.800", "max": "3.800"},
    }


def test_results_page_query_count_stays_flat(clients, people, ngo_org):
    def closed_with(count, title):
        challenges = make_challenges(ngo_org, count)
        prioritisation_round = open_round(challenges, title=title)
        cast(
            prioritisation_round,
            people["member"],
            scores(*[(challenge, (3, 2, 1)) for challenge in challenges]),
        )
        cast(
            prioritisation_round,
            people["lead_donor"],
            scores(*[(challenge, (1, 2, 3)) for challenge in challenges]),
        )
        round_close(prioritisation_round=prioritisation_round)
        return prioritisation_round

    small = closed_with(2, "Small")
    large = closed_with(8, "Large")

    assert queries_for(clients["member"], url("round_detail", large)) == queries_for(
        clients["member"], url("round_detail", small)
    )


# Exports ---------------------------------------------------------------------------------------


def test_results_export_as_csv(clients, closed_round):
    response = clients["member"].get(url("round_export", closed_round, format="csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Rank",
        "Reference",
        "Challenge",
        "Score",
        "Votes",
        "Abstentions",
        "Earlier rank",
        "Movement",
        "Donor State: votes",
        "Donor State: mean",
        "Donor State: lowest",
        "Donor State: highest",
        "National NGO: votes",
        "National NGO: mean",
        "National NGO: lowest",
        "National NGO: highest",
    ]
    assert rows[1:] == [
        ["1", "CH-002", "Challenge 2", "4.000", "2", "1", "", "New"]
        + ["1", "3.800", "3.800", "3.800", "1", "4.200", "4.200", "4.200"],
        ["2", "CH-001", "Challenge 1", "2.900", "2", "1", "", "New"]
        + ["1", "2.000", "2.000", "2.000", "1", "3.800", "3.800", "3.800"],
        ["3", "CH-003", "Challenge 3", "1.000", "1", "2", "", "New"]
        + ["1", "1.000", "1.000", "1.000", "", "", "", ""],
    ]


def test_results_export_as_xlsx(clients, closed_round):
    response = clients["member"].get(url("round_export", closed_round, format="xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:6] == (1, "CH-002", "Challenge 2", 4, 2, 1)
    assert len(values) == 4


def test_an_open_round_has_no_export_yet(clients, score_round):
    response = clients["member"].get(url("round_export", score_round), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The results are published when the round closes."
    ]


def test_an_unknown_export_format_is_not_found(clients, closed_round):
    assert clients["member"].get(url("round_export", closed_round, format="pdf")).status_code == 404
