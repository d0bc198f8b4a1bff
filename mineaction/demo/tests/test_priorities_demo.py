"""The demo's challenges, prioritisation rounds, work plans and policies.

Most checks read one demo loaded for the whole module (loading takes a while); each test runs in
its own transaction, rolled back after, so the tests that vote, reload or reset change nothing
for the others.
"""

import collections
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mineaction.challenges.models import (
    STATUS_TRANSITIONS,
    Ballot,
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    ChallengeStatusChange,
    PrioritisationRound,
    RoundMethod,
    RoundResult,
    RoundStatus,
)
from mineaction.challenges.services.links import top_priorities
from mineaction.challenges.services.rounds import ballot_cast, round_scores
from mineaction.core import access, audit
from mineaction.core.choices import Component, Visibility
from mineaction.core.models import AuditEntry, User
from mineaction.demo import challenge_data as cd
from mineaction.demo import policy_data as pd
from mineaction.demo import workplan_data as wd
from mineaction.demo.plan import demo_plan
from mineaction.demo.priorities_load import Anchors
from mineaction.demo.services import demo_counts, demo_wipe
from mineaction.meetings import links
from mineaction.meetings.models import AgendaLink
from mineaction.policies.models import (
    STAGE_TRANSITIONS,
    AdvocacyAction,
    ImasStandard,
    Instrument,
    InstrumentKind,
    InstrumentStage,
    StageChange,
)
from mineaction.stakeholders.models import Person
from mineaction.workplans.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
    Milestone,
    WorkPlan,
    WorkPlanKind,
)
from mineaction.workplans.services.budget import planned_budget_by_year

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = [
    Challenge,
    ChallengeStatusChange,
    PrioritisationRound,
    Ballot,
    RoundResult,
    WorkPlan,
    Activity,
    ActivityUpdate,
    Milestone,
    ImasStandard,
    Instrument,
    StageChange,
    AdvocacyAction,
    AgendaLink,
]


def load_demo(*args):
    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        call_command("load_demo", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and committed for the module's tests, wiped afterwards."""
    with django_db_blocker.unblock():
        load_demo()
        yield
        with audit.acting_as(None):
            demo_wipe()


@pytest.fixture
def loaded(demo, db):
    """Each test reads the module's demo inside its own transaction (rolled back after)."""


@pytest.fixture
def anchors(loaded):
    today = timezone.localdate()
    return Anchors(today, demo_plan(today)["meetings"])


def snapshot():
    return {
        model.__name__: sorted(
            repr(sorted((k, v) for k, v in row.items() if k != "updated_at"))
            for row in model.objects.values()
        )
        for model in MODELS
    }


def by_title(titles):
    return [Challenge.objects.get(title=title) for title in titles]


def planned_statuses(planned):
    return [ChallengeStatus.IDENTIFIED, *(status for *_anchor, status, _note in planned["history"])]


def closed_rounds():
    return list(PrioritisationRound.objects.filter(status=RoundStatus.CLOSED).order_by("closed_at"))


# Challenges --------------------------------------------------------------------------------------


def test_the_register_holds_every_status_kind_and_component(loaded):
    finals = collections.Counter(planned_statuses(planned)[-1] for planned in cd.CHALLENGES)

    assert Challenge.objects.count() == len(cd.CHALLENGES) == 26
    assert collections.Counter(Challenge.objects.values_list("status", flat=True)) == finals
    assert set(finals) == set(ChallengeStatus.values)
    assert set(Challenge.objects.values_list("kind", flat=True)) == set(ChallengeKind.values)
    assert set(Challenge.objects.values_list("component", flat=True)) == set(Component.values)
    assert list(Challenge.objects.order_by("number").values_list("number", flat=True)) == list(
        range(1, 27)
    )
    raised = list(Challenge.objects.order_by("number").values_list("raised_on", flat=True))
    assert raised == sorted(raised)


def test_each_history_is_the_planned_one_with_valid_moves_over_the_last_two_years(anchors):
    today = timezone.localdate()
    for planned in cd.CHALLENGES:
        challenge = Challenge.objects.get(title=planned["title"])
        changes = list(challenge.status_changes.order_by("on", "id"))

        assert [change.to_status for change in changes] == planned_statuses(planned)
        assert changes[0].from_status == ""
        assert changes[0].on == challenge.raised_on == anchors.date(planned["raised"])
        for earlier, later in zip(changes, changes[1:], strict=False):
            assert later.from_status == earlier.to_status
            assert later.to_status in STATUS_TRANSITIONS[earlier.to_status]
            assert earlier.on <= later.on
        for change, (name, offset, status, _note) in zip(
            changes[1:], planned["history"], strict=True
        ):
            by_round = name in {"R1", "R2"} and status == ChallengeStatus.PRIORITISED
            assert change.on == anchors.date((name, offset))
            assert change.meeting == anchors.meeting((name, offset))
            assert (change.prioritisation_round is not None) == by_round
        assert (challenge.status, challenge.status_changed_on) == (
            changes[-1].to_status,
            changes[-1].on,
        )
        assert today - datetime.timedelta(days=2 * 366 + 60) <= challenge.raised_on < today
    resolved = Challenge.objects.filter(status__in=["resolved", "parked"])
    assert resolved.count() == 7
    assert not resolved.filter(resolution="").exists()


def test_restricted_challenges_are_seen_only_by_the_organisations_named(loaded):
    restricted = Challenge.objects.filter(visibility=Visibility.RESTRICTED).order_by("number")
    member = User.objects.get(email="member@demo.example")  # Demoland Demining Association
    survivors = Person.objects.get(given_name="Hassan", family_name="Ould Cheikh")
    survivors.user = User.objects.create_user("hassan@survivors.demoland.example", "pw-123456-x")
    survivors.save()

    assert [
        (c.title, sorted(c.restricted_to.values_list("name", flat=True))) for c in restricted
    ] == [
        (
            "National budget line for mine action cut in the draft budget law",
            [
                "Kingdom of Nordvalia",
                "Ministry of Finance and Economic Planning",
                "United Nations Development Programme",
            ],
        ),
        (
            "Survivors' personal data shared between providers without consent",
            [
                "Demoland Landmine Survivors Network",
                "Ministry of Health",
                "Ministry of Social Affairs and Solidarity",
                "National Mine Action Authority of Demoland",
            ],
        ),
    ]
    assert not access.visible_challenges(member).filter(visibility=Visibility.RESTRICTED).exists()
    assert list(
        access.visible_challenges(survivors.user)
        .filter(visibility=Visibility.RESTRICTED)
        .values_list("title", flat=True)
    ) == ["Survivors' personal data shared between providers without consent"]


def test_challenges_are_linked_to_agenda_items_and_action_points_of_past_meetings(loaded):
    secretariat = User.objects.get(email="secretariat@demo.example")
    challenge_links = AgendaLink.objects.filter(target=AgendaLink.Target.CHALLENGE)
    expected = sum(len(p["discussed"]) + len(p["action_points"]) for p in cd.CHALLENGES)

    assert challenge_links.count() == expected == 67
    assert challenge_links.filter(agenda_item__isnull=False).count() == 38
    for link in challenge_links.select_related("agenda_item__meeting", "action_point__meeting"):
        meeting = (link.agenda_item or link.action_point).meeting
        assert meeting.starts_at < timezone.now()
    described = links.linked_records(secretariat, list(challenge_links))
    assert len(described) == len(set(challenge_links.values_list("target_public_id", flat=True)))
    assert len(described) == 20
    law = Challenge.objects.get(title="No law gives the national authority its mandate")
    (item_link,) = challenge_links.filter(target_public_id=law.public_id, agenda_item__isnull=False)
    assert item_link.agenda_item.title == "Draft law on mine action"
    assert item_link.agenda_item.meeting.number == 22


# Prioritisation rounds ---------------------------------------------------------------------------


def test_two_annual_rounds_a_year_apart_with_ten_to_twelve_organisations_each(loaded):
    first, second = closed_rounds()

    assert (first.title, second.title) == (cd.ROUNDS[0]["title"], cd.ROUNDS[1]["title"])
    assert 350 <= (second.closed_at - first.closed_at).days <= 380
    assert timezone.now() - first.closed_at > datetime.timedelta(days=365)
    for prioritisation_round, voters in [(first, 11), (second, 12)]:
        ballots = prioritisation_round.ballots.select_related("organisation")
        types = {ballot.organisation.type for ballot in ballots}

        assert prioritisation_round.method == RoundMethod.SCORE
        assert ballots.count() == voters
        assert ballots.filter(abstained=True).count() == 1
        assert len(types) >= 6
        assert all(
            prioritisation_round.opened_at < ballot.cast_at < prioritisation_round.closes_at
            for ballot in ballots
        )
        assert prioritisation_round.closed_at == prioritisation_round.closes_at


def test_round_results_and_priority_ranks_are_those_the_round_service_computes(loaded):
    for prioritisation_round in closed_rounds():
        stored = [
            (r.challenge_id, r.rank, r.score, r.votes, r.abstentions, r.spread)
            for r in prioritisation_round.results.all()
        ]
        computed = [
            (s.challenge.pk, s.rank, s.score, s.votes, s.abstentions, s.spread)
            for s in round_scores(prioritisation_round)
        ]
        assert sorted(stored, key=lambda row: row[1]) == computed
        # Some voters left a challenge unscored: more abstentions than abstaining ballots.
        assert sum(row[4] for row in stored) > len(stored)
    latest = {}
    for prioritisation_round in closed_rounds():
        for result in prioritisation_round.results.all():
            latest[result.challenge_id] = result
    for challenge in Challenge.objects.all():
        result = latest.get(challenge.pk)
        if result is None:
            assert (challenge.priority_rank, challenge.prioritised_in) == (None, None)
        else:
            assert challenge.priority_rank == result.rank
            assert challenge.priority_score == result.score
            assert challenge.prioritised_in_id == result.prioritisation_round_id


def test_closing_each_round_prioritised_its_top_challenges_as_planned(loaded):
    for planned, prioritisation_round in zip(cd.ROUNDS, closed_rounds(), strict=False):
        keys = {
            challenge["key"]
            for challenge in cd.CHALLENGES
            for name, _offset, status, _note in challenge["history"]
            if name == planned["key"] and status == ChallengeStatus.PRIORITISED
        }
        moved = ChallengeStatusChange.objects.filter(prioritisation_round=prioritisation_round)
        top = prioritisation_round.results.filter(rank__lte=prioritisation_round.priorities_count)

        assert set(moved.values_list("challenge__title", flat=True)) == {
            c["title"] for c in cd.CHALLENGES if c["key"] in keys
        }
        assert set(moved.values_list("challenge", flat=True)) <= set(
            top.values_list("challenge", flat=True)
        )
        assert set(moved.values_list("on", flat=True)) == {
            timezone.localdate(prioritisation_round.closed_at)
        }


def test_the_first_round_ranked_the_border_funding_gap_first_and_the_second_the_extension(loaded):
    first, second = closed_rounds()

    assert first.results.get(rank=1).challenge.title == (
        "Funding gap for clearance of the southern border minefields"
    )
    assert second.results.get(rank=1).challenge.title == (
        "Extension request needs agreed figures on remaining contamination"
    )
    shared = set(first.results.values_list("challenge", flat=True)) & set(
        second.results.values_list("challenge", flat=True)
    )
    assert len(shared) == 2  # compared with the earlier round on the results page


def test_the_open_round_closes_in_the_future_and_accepts_a_vote(loaded):
    prioritisation_round = PrioritisationRound.objects.get(status=RoundStatus.OPEN)
    member = User.objects.get(email="member@demo.example").person
    challenges = list(prioritisation_round.challenges.order_by("number"))

    assert prioritisation_round.method == RoundMethod.RANK
    assert prioritisation_round.accepts_votes()
    assert (
        timezone.now()
        < prioritisation_round.closes_at
        < timezone.now() + datetime.timedelta(days=15)
    )
    assert prioritisation_round.ballots.count() == 5
    assert not prioritisation_round.ballots.filter(organisation=member.organisation).exists()

    ballot = ballot_cast(
        prioritisation_round=prioritisation_round,
        person=member,
        entries=[
            {"challenge": challenge.public_id, "rank": rank}
            for rank, challenge in enumerate(challenges, start=1)
        ],
    )

    assert prioritisation_round.ballots.count() == 6
    assert sorted(ballot.entries.values_list("rank", flat=True)) == list(range(1, 7))


def test_the_top_priorities_feed_the_next_meeting_agenda(loaded):
    priorities = top_priorities()

    assert [challenge.title for challenge in priorities] == [
        "Extension request needs agreed figures on remaining contamination",
        "Referral of survivors does not reach beyond the capital",
        "No agreed response to explosive ordnance found on released land",
        "Donor funding is annual while the work plan runs to the deadline",
        "Funding gap for clearance of the southern border minefields",
    ]
    assert [challenge.priority_rank for challenge in priorities] == [1, 2, 3, 4, 5]


# Work plans --------------------------------------------------------------------------------------


def test_three_work_plans_with_forty_activities_in_every_status(loaded):
    today = timezone.localdate()
    plans = {plan.kind: plan for plan in WorkPlan.objects.all()}
    strategy, article5, annual = (
        plans[WorkPlanKind.NATIONAL_STRATEGY],
        plans[WorkPlanKind.ARTICLE5],
        plans[WorkPlanKind.PLATFORM_ANNUAL],
    )

    assert (strategy.starts_on, strategy.ends_on) == (
        datetime.date(today.year - 2, 1, 1),
        datetime.date(today.year + 3, 12, 31),
    )
    assert strategy.title == f"National Mine Action Strategy {today.year - 2}–{today.year + 3}"
    assert (article5.starts_on, article5.ends_on) == (
        datetime.date(2019, 1, 1),
        datetime.date(2028, 3, 1),
    )
    assert (annual.starts_on, annual.ends_on, annual.title) == (
        datetime.date(today.year, 1, 1),
        datetime.date(today.year, 12, 31),
        f"Platform annual plan {today.year}",
    )
    assert Activity.objects.count() == len(wd.ACTIVITIES) == 41
    assert [plan.activities.count() for plan in (strategy, article5, annual)] == [16, 14, 11]
    for activity in Activity.objects.all():
        assert activity.work_plan.starts_on <= activity.starts_on <= activity.ends_on
        assert activity.ends_on <= activity.work_plan.ends_on
        latest = activity.updates.order_by("-on", "-id").first()
        if latest is None:
            assert (activity.status, activity.progress_percent) == (ActivityStatus.PLANNED, 0)
        else:
            assert (activity.status, activity.progress_percent) == (
                latest.status,
                latest.progress_percent,
            )
            assert latest.on <= today
    relative = Activity.objects.exclude(work_plan=annual).exclude(code="A5-10")
    assert set(relative.values_list("status", flat=True)) == set(ActivityStatus.values)
    late = [activity.code for activity in Activity.objects.all() if activity.is_late(today)]
    assert {"1.4", "2.3", "4.1", "A5-04", "A5-09", "A5-14"} <= set(late)


def test_activities_have_budgets_in_dollars_and_euros_and_address_challenges(loaded):
    currencies = collections.Counter(
        Activity.objects.exclude(budget=None).values_list("currency", flat=True)
    )
    addressing = Activity.objects.filter(challenges__isnull=False).distinct()

    assert currencies == {"USD": 30, "EUR": 6}
    assert Activity.objects.filter(budget=None, currency="").count() == 5
    assert addressing.count() == 19
    assert set(
        Challenge.objects.filter(activities__isnull=False).values_list("visibility", flat=True)
    ) == {Visibility.MEMBERS}
    rows = planned_budget_by_year()
    for currency in ("USD", "EUR"):
        planned = sum((row["amount"] for row in rows if row["currency"] == currency), Decimal(0))
        budgets = sum(
            Activity.objects.filter(currency=currency)
            .exclude(status=ActivityStatus.CANCELLED)
            .values_list("budget", flat=True),
            Decimal(0),
        )
        assert planned == budgets


def test_milestones_are_met_missed_and_ahead(loaded):
    today = timezone.localdate()
    milestones = list(Milestone.objects.select_related("work_plan", "activity"))

    assert len(milestones) == len(wd.MILESTONES) == 10
    assert any(m.achieved_on is None and m.due_on < today for m in milestones)
    assert any(m.achieved_on is None and m.due_on > today for m in milestones)
    assert any(m.achieved_on is not None for m in milestones)
    for milestone in milestones:
        assert milestone.work_plan.starts_on <= milestone.due_on <= milestone.work_plan.ends_on
        assert milestone.activity is None or milestone.activity.work_plan == milestone.work_plan


def test_what_addresses_a_challenge_starts_after_it_was_raised(loaded):
    """A challenge's history lists the activities and instruments addressing it from their
    start (or latest stage): none of them comes before the challenge itself."""
    for challenge in Challenge.objects.prefetch_related("activities", "instruments"):
        for activity in challenge.activities.all():
            assert activity.starts_on >= challenge.raised_on, (challenge, activity)
        for instrument in challenge.instruments.all():
            assert instrument.stage_changed_on >= challenge.raised_on, (challenge, instrument)
    assert Instrument.objects.filter(challenges__isnull=False).distinct().count() == 11


# Policies ----------------------------------------------------------------------------------------


def test_the_imas_catalogue_and_every_kind_and_stage_of_instrument(loaded):
    kinds = collections.Counter(Instrument.objects.values_list("kind", flat=True))

    assert list(ImasStandard.objects.values_list("reference", flat=True)) == [
        reference for reference, *_rest in pd.IMAS
    ]
    assert kinds == {
        InstrumentKind.LAW: 1,
        InstrumentKind.REGULATION: 1,
        InstrumentKind.NATIONAL_STRATEGY: 1,
        InstrumentKind.NMAS_CHAPTER: 11,
        InstrumentKind.SOP: 4,
        InstrumentKind.DEVELOPMENT_PLAN: 1,
    }
    assert set(Instrument.objects.values_list("stage", flat=True)) == set(InstrumentStage.values)
    stage_of = dict(
        Instrument.objects.values_list("kind", "stage").exclude(
            kind__in=[InstrumentKind.NMAS_CHAPTER, InstrumentKind.SOP]
        )
    )
    assert stage_of == {
        InstrumentKind.LAW: InstrumentStage.IN_FORCE,
        InstrumentKind.REGULATION: InstrumentStage.CONSULTATION,
        InstrumentKind.NATIONAL_STRATEGY: InstrumentStage.ADOPTED,
        InstrumentKind.DEVELOPMENT_PLAN: InstrumentStage.DRAFTING,
    }
    law = Instrument.objects.get(kind=InstrumentKind.LAW)
    assert law.reference == f"Law 7 of {law.stage_changes.get(to_stage='adopted').on.year}"


def test_nmas_chapters_follow_their_imas_and_some_lag_behind(loaded):
    chapters = Instrument.objects.filter(kind=InstrumentKind.NMAS_CHAPTER).select_related(
        "imas_standard"
    )

    assert sorted(c.reference for c in chapters if c.lags_imas) == [
        "NMAS 05.10",
        "NMAS 07.11",
        "NMAS 07.30",
        "NMAS 08.20",
        "NMAS 09.10",
    ]
    for chapter in chapters:
        assert chapter.reference == f"NMAS {chapter.imas_standard.reference}"
        assert chapter.imas_edition_followed <= chapter.imas_standard.edition_date


def test_stage_histories_follow_the_transitions_and_the_advocacy_log_is_kept(loaded):
    today = timezone.localdate()
    for planned in pd.INSTRUMENTS:
        instrument = Instrument.objects.get(title=planned["title"])
        changes = list(instrument.stage_changes.order_by("on", "id"))

        assert [change.to_stage for change in changes] == [s for _a, s, _n in planned["stages"]]
        assert changes[0].from_stage == ""
        for earlier, later in zip(changes, changes[1:], strict=False):
            assert later.from_stage == earlier.to_stage
            assert later.to_stage in STAGE_TRANSITIONS[earlier.to_stage]
            assert earlier.on <= later.on <= today
        assert (instrument.stage, instrument.stage_changed_on) == (
            changes[-1].to_stage,
            changes[-1].on,
        )
    overdue = [i.title for i in Instrument.objects.all() if i.is_overdue(today)]
    assert "Regulation on the accreditation and monitoring of mine action operators" in overdue
    assert AdvocacyAction.objects.count() == len(pd.ADVOCACY) == 11
    assert AdvocacyAction.objects.exclude(meeting=None).count() == 4
    assert not AdvocacyAction.objects.filter(on__gt=today).exists()


# The whole ---------------------------------------------------------------------------------------


def test_every_record_passes_model_validation(loaded):
    for model in [
        Challenge,
        ChallengeStatusChange,
        PrioritisationRound,
        Ballot,
        WorkPlan,
        Activity,
        ActivityUpdate,
        Milestone,
        ImasStandard,
        Instrument,
        StageChange,
        AdvocacyAction,
    ]:
        for record in model.objects.all():
            record.full_clean()


def test_loading_again_adds_nothing_and_writes_nothing(loaded):
    before, counts = snapshot(), demo_counts()
    audit_entries = AuditEntry.objects.count()

    load_demo()

    assert snapshot() == before
    assert demo_counts() == counts
    assert AuditEntry.objects.count() == audit_entries
    assert {kind: counts[kind] for kind in ["challenges", "prioritisation rounds", "ballots"]} == {
        "challenges": 26,
        "prioritisation rounds": 3,
        "ballots": 28,
    }
    assert {kind: counts[kind] for kind in ["work plans", "activities", "instruments"]} == {
        "work plans": 3,
        "activities": 41,
        "instruments": 19,
    }


def test_a_reset_wipes_them_and_loads_them_afresh(loaded):
    counts = demo_counts()
    Challenge.objects.create(
        title="Added by a tester",
        component=Component.TECHNICAL,
        description="A test.",
        raised_by_organisation=Person.objects.first().organisation,
    )

    with audit.acting_as(None):
        demo_wipe()
    assert [model.objects.count() for model in MODELS] == [0] * len(MODELS)
    load_demo()

    assert demo_counts() == counts
    assert not Challenge.objects.filter(title="Added by a tester").exists()
