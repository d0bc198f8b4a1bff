"""Records for the component and search tests: meetings with their minutes, decisions and action
points, work-plan activities and policy instruments."""

import datetime
import itertools

from mineaction.core.choices import Component, Visibility
from mineaction.meetings.models import (
    ActionPoint,
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesEntry,
)
from mineaction.policies.models import Instrument, InstrumentKind, InstrumentStage
from mineaction.workplans.models import Activity, ActivityStatus, WorkPlan, WorkPlanKind

_numbers = itertools.count(1)


def make_meeting(*, starts_at=None, restricted_to=(), status=Meeting.Status.HELD, title=""):
    """A meeting of its own series; restricted to `restricted_to` when organisations are given."""
    number = next(_numbers)
    starts_at = starts_at or datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(
        series=MeetingSeries.objects.create(name=f"Test series {number}"),
        number=1,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=status,
        visibility=Visibility.RESTRICTED if restricted_to else Visibility.MEMBERS,
    )
    meeting.restricted_to.set(restricted_to)
    return meeting


def make_action_point(meeting, text, organisation, *, component="", due_on=None, **fields):
    return ActionPoint.objects.create(
        meeting=meeting,
        text=text,
        owner_organisation=organisation,
        component=component,
        due_on=due_on or datetime.date(2024, 6, 30),
        **fields,
    )


def make_minutes(meeting, discussion, *, status=Minutes.Status.DRAFT, language="en", item=None):
    """Minutes of `meeting` with one entry, on `item` or on a new agenda item."""
    item = item or AgendaItem.objects.create(meeting=meeting, title="Progress report")
    minutes = Minutes.objects.create(
        meeting=meeting,
        language=language,
        status=status,
        is_authoritative=not meeting.minutes.exists(),
    )
    MinutesEntry.objects.create(minutes=minutes, agenda_item=item, discussion=discussion)
    return minutes


def make_decision(meeting, text, *, number=None):
    number = number or meeting.decisions.count() + 1
    return Decision.objects.create(meeting=meeting, number=number, text=text)


def make_work_plan(title="Platform annual plan 2024"):
    return WorkPlan.objects.create(
        title=title,
        kind=WorkPlanKind.PLATFORM_ANNUAL,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )


def make_activity(plan, title, organisation, *, component=Component.TECHNICAL, **fields):
    fields.setdefault("starts_on", datetime.date(2024, 1, 1))
    fields.setdefault("ends_on", datetime.date(2024, 12, 31))
    fields.setdefault("status", ActivityStatus.PLANNED)
    return Activity.objects.create(
        work_plan=plan,
        title=title,
        responsible_organisation=organisation,
        component=component,
        **fields,
    )


def make_instrument(title, *, component=Component.TECHNICAL, **fields):
    fields.setdefault("kind", InstrumentKind.NMAS_CHAPTER)
    fields.setdefault("stage", InstrumentStage.DRAFTING)
    return Instrument.objects.create(title=title, component=component, **fields)
