"""The challenge register's services: raising, changing, every status move allowed and refused,
links with the meeting cycle, and the dated history."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.models import (
    STATUS_TRANSITIONS,
    Challenge,
    ChallengeStatus,
    ChallengeStatusChange,
)
from mineaction.challenges.services.register import (
    challenge_change_status,
    challenge_history,
    challenge_link,
    challenge_links,
    challenge_raise,
    challenge_unlink,
    challenge_update,
    status_counts,
)
from mineaction.challenges.tests.factories import make_challenge, make_round
from mineaction.challenges.tests.register_support import (
    make_action_point,
    make_agenda_item,
    make_meeting,
    make_story,
    register_state,
)
from mineaction.conftest import client_for
from mineaction.core.choices import Component, Visibility
from mineaction.meetings.models import ActionPoint, AgendaLink, Minutes
from mineaction.meetings.services.action_points import meeting_date

S = ChallengeStatus
ALLOWED = sorted(
    (from_status, to_status)
    for from_status, targets in STATUS_TRANSITIONS.items()
    for to_status in targets
)
REFUSED = sorted(
    (from_status, to_status)
    for from_status, to_status in itertools.product(S, S)
    if to_status not in STATUS_TRANSITIONS[from_status]
)


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def raise_values(**values):
    return {
        "title": "Too few survey teams in the east",
        "kind": "gap",
        "component": Component.TECHNICAL,
        "description": "Two teams cover four provinces.",
        **values,
    }


# Status moves ------------------------------------------------------------------------------------


def test_every_status_has_a_row_of_moves():
    assert set(STATUS_TRANSITIONS) == set(S)
    assert len(ALLOWED) + len(REFUSED) == len(S) ** 2


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_an_allowed_move_changes_the_status_and_records_it(ngo_org, from_status, to_status):
    challenge = make_challenge("Moving", ngo_org, status=from_status, raised_on=days_ago(30))
    ChallengeStatusChange.objects.filter(challenge=challenge).update(on=days_ago(30))
    change = challenge_change_status(
        challenge=challenge,
        to_status=to_status,
        on=days_ago(2),
        note="Agreed by the plenary.",
        resolution="Handled by the new survey teams.",
    )
    challenge.refresh_from_db()
    assert challenge.status == to_status
    assert challenge.status_changed_on == days_ago(2)
    assert (change.from_status, change.to_status, change.on, change.note) == (
        from_status,
        to_status,
        days_ago(2),
        "Agreed by the plenary.",
    )
    assert list(challenge.status_changes.values_list("from_status", "to_status")) == [
        ("", from_status),
        (from_status, to_status),
    ]
    expected_resolution = (
        "Handled by the new survey teams." if to_status in {S.RESOLVED, S.PARKED} else ""
    )
    assert challenge.resolution == expected_resolution


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_a_move_outside_the_transitions_is_refused_naming_both_statuses(
    ngo_org, from_status, to_status
):
    challenge = make_challenge("Stuck", ngo_org, status=from_status)
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(challenge=challenge, to_status=to_status)
    assert refused.value.message_dict == {
        "to_status": [
            f"A challenge cannot move from “{S(from_status).label}” to “{S(to_status).label}”."
        ]
    }
    assert register_state() == before


def test_an_unknown_status_is_refused(ngo_org):
    challenge = make_challenge("Stuck", ngo_org)
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(challenge=challenge, to_status="forgotten")
    assert refused.value.message_dict == {"to_status": ["Unknown status: forgotten."]}


def test_the_date_defaults_to_today_and_updates_the_callers_instance(ngo_org):
    challenge = make_challenge("Moving", ngo_org)
    change = challenge_change_status(challenge=challenge, to_status=S.UNDER_DISCUSSION)
    assert change.on == timezone.localdate()
    assert (challenge.status, challenge.status_changed_on) == (
        S.UNDER_DISCUSSION,
        timezone.localdate(),
    )


def test_a_change_dated_in_the_future_is_refused(ngo_org):
    challenge = make_challenge("Moving", ngo_org)
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(
            challenge=challenge,
            to_status=S.UNDER_DISCUSSION,
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert refused.value.message_dict == {"on": ["The date of the change cannot be in the future."]}
    assert register_state() == before


def test_a_change_dated_before_the_last_change_is_refused_and_the_same_day_is_accepted(ngo_org):
    challenge = make_challenge("Moving", ngo_org, raised_on=days_ago(40))
    ChallengeStatusChange.objects.filter(challenge=challenge).update(on=days_ago(40))
    challenge_change_status(challenge=challenge, to_status=S.UNDER_DISCUSSION, on=days_ago(10))
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(challenge=challenge, to_status=S.PRIORITISED, on=days_ago(11))
    assert refused.value.message_dict == {
        "on": [f"The date cannot be before the last change of status ({days_ago(10).isoformat()})."]
    }
    assert register_state() == before
    challenge_change_status(challenge=challenge, to_status=S.PRIORITISED, on=days_ago(10))
    assert Challenge.objects.get(pk=challenge.pk).status == S.PRIORITISED


@pytest.mark.parametrize(
    ("to_status", "message"),
    [
        (S.RESOLVED, "Say how the challenge was resolved."),
        (S.PARKED, "Say why the challenge is parked."),
    ],
)
def test_resolving_or_parking_needs_a_resolution(ngo_org, to_status, message):
    challenge = make_challenge("Moving", ngo_org)
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(challenge=challenge, to_status=to_status, resolution="  ")
    assert refused.value.message_dict == {"resolution": [message]}
    assert register_state() == before


def test_a_round_moves_a_challenge_without_a_resolution_and_names_itself(ngo_org):
    challenge = make_challenge("Ranked first", ngo_org)
    prioritisation_round = make_round("2026 priorities", [challenge])
    change = challenge_change_status(
        challenge=challenge,
        to_status=S.PRIORITISED,
        prioritisation_round=prioritisation_round,
    )
    assert change.prioritisation_round == prioritisation_round
    assert Challenge.objects.get(pk=challenge.pk).status == S.PRIORITISED


def test_the_meeting_of_a_change_must_have_taken_place_by_its_date(ngo_org):
    challenge = make_challenge("Moving", ngo_org, raised_on=days_ago(5))
    later = make_meeting(starts_at=timezone.now() + datetime.timedelta(days=30))
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_change_status(challenge=challenge, to_status=S.UNDER_DISCUSSION, meeting=later)
    later_date = meeting_date(later)
    assert list(refused.value.message_dict) == ["meeting"]
    assert refused.value.message_dict["meeting"] == [
        f"The meeting ({later_date.isoformat()}) must have taken place by the date of the change."
    ]
    assert register_state() == before


# Raising and changing ----------------------------------------------------------------------------


def test_raising_records_the_challenge_and_its_first_status(people, ngo_org):
    member = people["member"]
    challenge = challenge_raise(**raise_values(), person=member, organisation=ngo_org)
    assert (challenge.reference, challenge.status, challenge.raised_by, challenge.raised_on) == (
        "CH-001",
        S.IDENTIFIED,
        member,
        timezone.localdate(),
    )
    assert list(challenge.status_changes.values_list("from_status", "to_status", "on")) == [
        ("", S.IDENTIFIED, timezone.localdate())
    ]
    assert challenge.search_text == (
        "ch-001 too few survey teams in the east two teams cover four provinces."
    )


def test_a_restricted_challenge_needs_an_organisation_and_nothing_is_written(people, ngo_org):
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_raise(
            **raise_values(visibility=Visibility.RESTRICTED),
            person=people["member"],
            organisation=ngo_org,
        )
    assert refused.value.message_dict == {
        "restricted_to": ["A restricted challenge needs at least one organisation that may see it."]
    }
    assert register_state() == before


def test_raising_refuses_missing_texts_and_a_future_date(people, ngo_org):
    before = register_state()
    with pytest.raises(ValidationError) as refused:
        challenge_raise(
            **raise_values(title=" ", description="", component="roads", kind="rumour"),
            raised_on=timezone.localdate() + datetime.timedelta(days=1),
            person=people["member"],
            organisation=ngo_org,
        )
    assert refused.value.message_dict == {
        "title": ["Give the challenge a short title."],
        "kind": ["Choose whether this is a trend, gap, concern, challenge or opportunity."],
        "component": ["Choose the component the challenge belongs to."],
        "description": ["Describe the challenge."],
        "raised_on": ["A challenge cannot be raised on a date in the future."],
    }
    assert register_state() == before


def test_sharing_a_restricted_challenge_with_all_members_forgets_the_named_organisations(
    people, ngo_org, donor_org
):
    challenge = challenge_raise(
        **raise_values(visibility=Visibility.RESTRICTED, restricted_to=[donor_org]),
        person=people["member"],
        organisation=ngo_org,
    )
    assert list(challenge.restricted_to.all()) == [donor_org]
    challenge_update(
        challenge=challenge, **raise_values(title="Survey capacity", visibility=Visibility.MEMBERS)
    )
    challenge.refresh_from_db()
    assert (challenge.title, challenge.visibility) == ("Survey capacity", Visibility.MEMBERS)
    assert list(challenge.restricted_to.all()) == []


# Links -------------------------------------------------------------------------------------------


def test_a_challenge_links_once_to_an_agenda_item_and_once_to_an_action_point(ngo_org):
    challenge = make_challenge("Linked", ngo_org)
    meeting = make_meeting()
    item = make_agenda_item(meeting)
    action_point = make_action_point(meeting, ngo_org)
    challenge_link(challenge=challenge, agenda_item=item)
    challenge_link(challenge=challenge, action_point=action_point)
    with pytest.raises(ValidationError) as refused:
        challenge_link(challenge=challenge, agenda_item=item)
    assert refused.value.message_dict == {
        "agenda_item": [
            "The challenge is already linked to this agenda item of Quarterly plenary #1."
        ]
    }
    with pytest.raises(ValidationError) as refused:
        challenge_link(challenge=challenge, action_point=action_point)
    assert refused.value.message_dict == {
        "action_point": ["The challenge is already linked to this action point."]
    }
    assert list(
        challenge_links(challenge)
        .order_by("pk")
        .values_list("agenda_item", "action_point", "target")
    ) == [(item.pk, None, "challenge"), (None, action_point.pk, "challenge")]


@pytest.mark.parametrize("both", [True, False])
def test_a_link_names_exactly_one_agenda_item_or_action_point(ngo_org, both):
    challenge = make_challenge("Linked", ngo_org)
    meeting = make_meeting()
    sources = (
        {
            "agenda_item": make_agenda_item(meeting),
            "action_point": make_action_point(meeting, ngo_org),
        }
        if both
        else {}
    )
    with pytest.raises(ValidationError) as refused:
        challenge_link(challenge=challenge, **sources)
    assert refused.value.message_dict == {
        "__all__": ["Choose either an agenda item or an action point to link."]
    }
    assert AgendaLink.objects.count() == 0


def test_unlinking_removes_only_a_link_of_the_challenge(ngo_org):
    challenge = make_challenge("Linked", ngo_org)
    other = make_challenge("Other", ngo_org)
    item = make_agenda_item(make_meeting())
    own = challenge_link(challenge=challenge, agenda_item=item)
    others = challenge_link(challenge=other, agenda_item=item)
    with pytest.raises(ValidationError) as refused:
        challenge_unlink(challenge=challenge, link=others)
    assert refused.value.message_dict == {"link": ["This link does not belong to the challenge."]}
    challenge_unlink(challenge=challenge, link=own)
    assert list(AgendaLink.objects.values_list("pk", flat=True)) == [others.pk]


# Reads -------------------------------------------------------------------------------------------


def test_status_counts_give_every_status_in_order(ngo_org):
    make_challenge("A", ngo_org)
    make_challenge("B", ngo_org)
    make_challenge("C", ngo_org, status=S.PARKED)
    assert status_counts(Challenge.objects.all()) == [
        ("identified", "Identified", 2),
        ("under_discussion", "Under discussion", 0),
        ("prioritised", "Prioritised", 0),
        ("being_addressed", "Being addressed", 0),
        ("resolved", "Resolved", 0),
        ("parked", "Parked", 1),
    ]


@pytest.fixture
def story(people, ngo_org, authority_org):
    return make_story(ngo_org, authority_org)


def _summary(history):
    return [(entry.on.isoformat(), entry.kind, entry.label, entry.status) for entry in history]


def test_the_history_tells_the_challenge_story_in_date_order(people, story):
    history = challenge_history(story, people["member"].user)
    assert _summary(history) == [
        ("2024-02-01", "raised", "", "identified"),
        ("2024-03-05", "meeting", "Quarterly plenary #1", ""),
        ("2024-03-05", "decision", "1. Ask for two more survey teams.", ""),
        ("2024-03-05", "action_point", "Draft the tasking plan", "open"),
        ("2024-03-05", "action_point", "Brief the donors", "open"),
        ("2024-03-05", "status_change", "", "prioritised"),
        ("2024-04-10", "round_result", "First round", ""),
        ("2024-05-01", "activity", "2.1 Train two survey teams", "in_progress"),
        ("2024-06-15", "instrument", "NMAS 07.11 Land release", "drafting"),
    ]
    change = history[5]
    assert (change.from_status, change.note, change.meeting) == (
        "identified",
        "Top of the list.",
        "Quarterly plenary #1",
    )
    result = history[6]
    assert (result.rank, result.score, result.out_of) == (1, Decimal("4.250"), 2)


def test_the_history_shows_the_restricted_meeting_to_the_secretariat_only(people, story):
    secretariat = _summary(challenge_history(story, people["secretariat"].user))
    assert ("2024-04-02", "meeting", "Quarterly plenary #2", "") in secretariat
    assert len(secretariat) == 10
    member = _summary(challenge_history(story, people["member"].user))
    assert [entry for entry in member if entry[0] == "2024-04-02"] == []


def test_decisions_of_draft_minutes_stay_out_of_the_members_history(people, story):
    Minutes.objects.update(status=Minutes.Status.DRAFT)
    kinds = [entry.kind for entry in challenge_history(story, people["member"].user)]
    assert "decision" not in kinds
    kinds = [entry.kind for entry in challenge_history(story, people["secretariat"].user)]
    assert kinds.count("decision") == 1


def test_action_points_keep_their_current_status_in_the_history(people, story):
    ActionPoint.objects.filter(text="Brief the donors").update(status=ActionPoint.Status.DONE)
    history = challenge_history(story, people["member"].user)
    statuses = {
        entry.label: entry.status_label for entry in history if entry.kind == "action_point"
    }
    assert statuses == {"Draft the tasking plan": "Open", "Brief the donors": "Done"}


def test_the_history_names_the_commitments_and_funding_needs_that_address_it(people, story):
    from mineaction.funding.models import FundingRequirement
    from mineaction.partnerships.models import Commitment

    commitment = Commitment.objects.create(
        party=story.raised_by_organisation,
        kind="technical",
        description="Lend two survey team leaders",
        due_on=datetime.date(2024, 9, 30),
    )
    commitment.challenges.add(story)
    requirement = FundingRequirement.objects.create(
        year=2025, amount=Decimal("150000.00"), currency="USD", component="technical"
    )
    requirement.challenges.add(story)
    history = _summary(challenge_history(story, people["member"].user))
    assert history[-2:] == [
        ("2024-09-30", "commitment", "Lend two survey team leaders", "planned"),
        ("2025-01-01", "funding_requirement", "2025", "technical"),
    ]
    page = client_for(people, "member").get(
        reverse("challenges:challenge_detail", args=[story.public_id])
    )
    assert "Lend two survey team leaders" in page.text
    assert "150,000.00 USD" in page.text
