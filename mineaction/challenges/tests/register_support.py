"""Records and helpers shared by the challenge register's tests."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.challenges.models import (
    Challenge,
    ChallengeStatus,
    ChallengeStatusChange,
    RoundResult,
    RoundStatus,
)
from mineaction.challenges.services.register import challenge_change_status, challenge_link
from mineaction.challenges.tests.factories import make_challenge, make_round
from mineaction.core.choices import Component, Visibility
from mineaction.core.models import AuditEntry
from mineaction.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    Minutes,
)
from mineaction.policies.models import Instrument, InstrumentKind, InstrumentStage
from mineaction.workplans.models import Activity, ActivityStatus, WorkPlan, WorkPlanKind

S = ChallengeStatus

LOGIN = "login"
PAST_START = datetime.datetime(2024, 3, 5, 7, 0, tzinfo=datetime.UTC)


def make_meeting(number=1, starts_at=PAST_START, **fields):
    series = MeetingSeries.objects.get_or_create(name="Quarterly plenary")[0]
    return Meeting.objects.create(
        series=series,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        **fields,
    )


def make_agenda_item(meeting, title="Review of priority challenges", order=1):
    return AgendaItem.objects.create(meeting=meeting, title=title, order=order)


def make_action_point(meeting, organisation, text="Map the suspected areas", **fields):
    fields.setdefault("due_on", datetime.date(2024, 9, 1))
    return ActionPoint.objects.create(
        meeting=meeting, owner_organisation=organisation, text=text, **fields
    )


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def register_state():
    """Everything a refused write must leave as it was: the challenges with their values, the
    history, the audit trail."""
    return {
        "challenges": list(
            Challenge.objects.order_by("pk").values(
                "pk", "title", "status", "status_changed_on", "resolution", "visibility"
            )
        ),
        "changes": ChallengeStatusChange.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def queries_for(client, url, **params):
    """How many queries a GET of `url` makes (for flat query-count assertions)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def make_story(ngo_org, authority_org):
    """A challenge raised 2024-02-01, discussed at a plenary on 2024-03-05 (decision and action
    point under the item, one more action point linked directly), prioritised there, ranked in
    a round closed 2024-04-10, addressed by an activity from 2024-05-01 and an instrument in
    drafting since 2024-06-15; also linked to a restricted meeting of 2024-04-02."""
    challenge = make_challenge("Survey backlog", ngo_org, raised_on=datetime.date(2024, 2, 1))
    challenge.status_changes.update(on=datetime.date(2024, 2, 1))
    plenary = make_meeting(number=1)
    item = make_agenda_item(plenary)
    challenge_link(challenge=challenge, agenda_item=item)
    Minutes.objects.create(meeting=plenary, language="en", status=Minutes.Status.APPROVED)
    Decision.objects.create(
        meeting=plenary, agenda_item=item, number=1, text="Ask for two more survey teams."
    )
    make_action_point(plenary, ngo_org, text="Draft the tasking plan", agenda_item=item)
    elsewhere = make_action_point(plenary, authority_org, text="Brief the donors")
    challenge_link(challenge=challenge, action_point=elsewhere)
    challenge_change_status(
        challenge=challenge,
        to_status=S.PRIORITISED,
        on=datetime.date(2024, 3, 5),
        meeting=plenary,
        note="Top of the list.",
    )
    closed_at = datetime.datetime(2024, 4, 10, 12, tzinfo=datetime.UTC)
    prioritisation_round = make_round(
        "First round", [challenge, make_challenge("Other", ngo_org)], status=RoundStatus.CLOSED
    )
    prioritisation_round.closed_at = closed_at
    prioritisation_round.save()
    RoundResult.objects.create(
        prioritisation_round=prioritisation_round,
        challenge=challenge,
        rank=1,
        score=Decimal("4.250"),
        votes=3,
    )
    restricted = make_meeting(
        number=2,
        starts_at=datetime.datetime(2024, 4, 2, 7, tzinfo=datetime.UTC),
        visibility=Visibility.RESTRICTED,
    )
    challenge_link(challenge=challenge, agenda_item=make_agenda_item(restricted, "Closed session"))
    plan = WorkPlan.objects.create(
        title="Article 5 work plan",
        kind=WorkPlanKind.values[0],
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    activity = Activity.objects.create(
        work_plan=plan,
        code="2.1",
        title="Train two survey teams",
        responsible_organisation=ngo_org,
        component=Component.TECHNICAL,
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 12, 31),
        status=ActivityStatus.IN_PROGRESS,
    )
    activity.challenges.add(challenge)
    instrument = Instrument.objects.create(
        kind=InstrumentKind.values[0],
        reference="NMAS 07.11",
        title="Land release",
        stage=InstrumentStage.DRAFTING,
        stage_changed_on=datetime.date(2024, 6, 15),
    )
    instrument.challenges.add(challenge)
    return challenge
