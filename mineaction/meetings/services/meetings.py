"""Meetings: creating the next meeting of a series, changing, postponing, cancelling and marking
a meeting as held, and the rules of its status flow.

The pages and the API call these functions. Every change of date, time, time zone, venue,
online link or status raises the meeting's iCalendar SEQUENCE (RFC 5545 section 3.8.7.4); when
invitations had already been sent, the updated (or cancelled) invites, with the same UID, go out
once the change is committed, through the invitations part (`invitations_send_update`).
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Role
from mineaction.meetings.models import Meeting
from mineaction.meetings.services.agenda import agenda_propose
from mineaction.stakeholders.models import Membership, Organisation, OrganisationType

Status = Meeting.Status

# The documented flow: planned → invitations sent → held → minutes in draft → circulated →
# approved → distributed; a meeting not yet held may be postponed (again) or cancelled.
NOT_YET_HELD = {Status.PLANNED, Status.INVITATIONS_SENT, Status.POSTPONED}
ALLOWED_MOVES = {
    Status.PLANNED: {Status.INVITATIONS_SENT, Status.HELD, Status.POSTPONED, Status.CANCELLED},
    Status.INVITATIONS_SENT: {Status.HELD, Status.POSTPONED, Status.CANCELLED},
    Status.POSTPONED: {
        Status.INVITATIONS_SENT,
        Status.HELD,
        Status.POSTPONED,
        Status.CANCELLED,
    },
    Status.HELD: {Status.MINUTES_DRAFT},
    Status.MINUTES_DRAFT: {Status.MINUTES_CIRCULATED},
    Status.MINUTES_CIRCULATED: {Status.MINUTES_DRAFT, Status.MINUTES_APPROVED},
    Status.MINUTES_APPROVED: {Status.DISTRIBUTED},
    Status.DISTRIBUTED: set(),
    Status.CANCELLED: set(),
}
# Changes invitees are sent: a new date, venue or link before the meeting, or its cancellation
# (once held, the status moves on with the minutes and invitations are no longer updated).
INVITEES_TOLD = NOT_YET_HELD | {Status.CANCELLED}
# Fields whose change makes the invitations already sent out of date.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "venue", "online_url", "status")
DEFAULT_LENGTH = datetime.timedelta(hours=3)
DEFAULT_START = datetime.time(9, 0)


def meeting_can_move(meeting, status):
    return status in ALLOWED_MOVES.get(meeting.status, set())


def meeting_check_move(meeting, status):
    """Refuse a status change that is not along the documented flow."""
    if not meeting_can_move(meeting, status):
        raise ValidationError(
            _("The meeting is “%(current)s”: it cannot become “%(target)s”.")
            % {"current": meeting.get_status_display(), "target": Status(status).label},
            code="invalid_move",
        )


def default_chair():
    """The national mine action authority chairs the platform."""
    return (
        Organisation.objects.filter(type=OrganisationType.NATIONAL_AUTHORITY, is_active=True)
        .order_by("name", "pk")
        .first()
    )


def default_convener(user=None):
    """The secretariat's organisation: the acting user's when they hold the secretariat role,
    otherwise that of the longest-serving current secretariat member."""
    memberships = (
        Membership.objects.current()
        .filter(role=Role.SECRETARIAT)
        .select_related("person__organisation")
        .order_by("starts_on", "pk")
    )
    if user is not None and getattr(user, "is_authenticated", False):
        own = memberships.filter(person__user=user).first()
        if own is not None:
            return own.person.organisation
    first = memberships.first()
    return first.person.organisation if first else None


def meeting_propose_next(*, series, user=None):
    """The initial values of the next meeting of `series`: the next number, the start by the
    series' rule (or the next working morning for a first or ad hoc meeting), the usual venue,
    the chair and the convener."""
    last = series.meetings.order_by("-number").first()
    zone = zoneinfo.ZoneInfo(series.default_time_zone)
    starts_at = series.next_start(last.starts_at) if last else None
    if starts_at is not None:
        length = last.ends_at - last.starts_at
    else:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        starts_at = datetime.datetime.combine(tomorrow, DEFAULT_START, tzinfo=zone)
        length = DEFAULT_LENGTH
    return {
        "series": series,
        "number": (series.meetings.aggregate(Max("number"))["number__max"] or 0) + 1,
        "starts_at": starts_at,
        "ends_at": starts_at + length,
        "time_zone": last.time_zone if last else series.default_time_zone,
        "venue": series.default_venue,
        "online_url": last.online_url if last else "",
        "focus": last.focus if last else Meeting.Focus.ARTICLE_5,
        "visibility": series.visibility,
        "chair": default_chair(),
        "convener": default_convener(user),
    }


@transaction.atomic
def meeting_create(*, form):
    """Save a new meeting and propose its agenda."""
    meeting = form.save()
    agenda_propose(meeting=meeting)
    return meeting


def _calendar_values(meeting):
    return tuple(getattr(meeting, name) for name in CALENDAR_FIELDS)


def _send_updates_on_commit(meeting):
    """Once the change is committed, send the new version to everyone who had an earlier one.
    A failure here does not undo the committed change (`robust`: Django logs it), and the
    invitations page still offers to send the update, which is also the way to retry."""
    # Imported here: the invitations part builds on this module.
    from mineaction.meetings.services.invitations import invitations_send_update

    transaction.on_commit(lambda: invitations_send_update(meeting=meeting), robust=True)


def _save_with_sequence(meeting):
    before = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if _calendar_values(before) != _calendar_values(meeting):
        meeting.ical_sequence = before.ical_sequence + 1
    meeting.save()
    if (
        meeting.ical_sequence > before.ical_sequence
        and meeting.status in INVITEES_TOLD
        and meeting.invitations.filter(sent_sequence__isnull=False).exists()
    ):
        _send_updates_on_commit(meeting)
    return meeting


@transaction.atomic
def meeting_update(*, form):
    """Save the meeting form; the SEQUENCE grows when the invitation's content changed."""
    meeting = form.save(commit=False)
    _save_with_sequence(meeting)
    form.save_m2m()
    return meeting


def _refuse_unless_not_held(meeting, message):
    if meeting.status not in NOT_YET_HELD:
        raise ValidationError(message % {"status": meeting.get_status_display()})


@transaction.atomic
def meeting_postpone(*, meeting, starts_at, ends_at, reason):
    """Move the meeting to a new date, giving the reason."""
    _refuse_unless_not_held(
        meeting, _("A meeting that is “%(status)s” cannot be postponed any more.")
    )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A meeting must end after it starts.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for postponing the meeting.")})
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.status = Status.POSTPONED
    meeting.status_note = reason.strip()
    return _save_with_sequence(meeting)


@transaction.atomic
def meeting_cancel(*, meeting, reason):
    _refuse_unless_not_held(meeting, _("A meeting that is “%(status)s” cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the meeting.")})
    meeting.status = Status.CANCELLED
    meeting.status_note = reason.strip()
    return _save_with_sequence(meeting)


@transaction.atomic
def meeting_mark_held(*, meeting, today=None):
    """Record that the meeting took place; not before the day it was due."""
    meeting_check_move(meeting, Status.HELD)
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    today = today or timezone.now().astimezone(zone).date()
    if meeting.starts_at.astimezone(zone).date() > today:
        raise ValidationError(
            _("A meeting cannot be marked as held before the day it takes place.")
        )
    meeting.status = Status.HELD
    meeting.status_note = ""
    return _save_with_sequence(meeting)


@transaction.atomic
def meeting_set_status(*, meeting, status, note=""):
    """Move the meeting along the flow; for the other parts (invitations, minutes), which drive
    the statuses after `held`."""
    meeting_check_move(meeting, status)
    meeting.status = status
    meeting.status_note = note
    return _save_with_sequence(meeting)
