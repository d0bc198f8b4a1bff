"""Action points: what a meeting agreed, who owes it, its progress, reminders and carry-over.

The pages, the API, the minutes page (which creates action points) and `send-reminders` call
these functions, so an action point is validated, moved through its statuses and reminded of
the same way everywhere.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.choices import Component
from mineaction.core.mail import queue_email
from mineaction.meetings.models import ActionPoint, ActionPointReminder, ActionPointUpdate
from mineaction.stakeholders.models import Membership, Person

OPEN = ActionPoint.Status.OPEN
IN_PROGRESS = ActionPoint.Status.IN_PROGRESS
DONE = ActionPoint.Status.DONE
DROPPED = ActionPoint.Status.DROPPED
CLOSED = {DONE, DROPPED}
DEFAULT_DAYS_BEFORE = 7


def meeting_date(meeting):
    """The calendar day of the meeting where it takes place."""
    return timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(meeting.time_zone)).date()


# Validation ------------------------------------------------------------------------------------


def action_point_problems(
    *, meeting, agenda_item, text, owner_organisation, owner_person, due_on, component
):
    """Messages per field for an action point's values; empty when they are acceptable."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Say what has to be done.")]
    if owner_organisation is None:
        errors["owner_organisation"] = [_("Choose the organisation that owns the action.")]
    elif owner_person is not None and owner_person.organisation_id != owner_organisation.pk:
        errors["owner_person"] = [
            _("The owner must be a person of the owner organisation (%(organisation)s).")
            % {"organisation": owner_organisation}
        ]
    if due_on is None:
        errors["due_on"] = [_("Enter the date the action is due.")]
    elif due_on < meeting_date(meeting):
        errors["due_on"] = [
            _("The due date cannot be before the meeting where it was agreed (%(date)s).")
            % {"date": meeting_date(meeting).isoformat()}
        ]
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = [_("The agenda item belongs to another meeting.")]
    if component and component not in Component.values:
        errors["component"] = [_("Unknown component: %(value)s.") % {"value": component}]
    return errors


# Changes ---------------------------------------------------------------------------------------


@transaction.atomic
def action_point_create(
    *,
    meeting,
    agenda_item=None,
    text,
    owner_organisation,
    owner_person=None,
    due_on,
    component="",
):
    """Record an action point agreed at `meeting`. Raises ValidationError (by field) and
    creates nothing when a value is not acceptable, such as a due date before the meeting."""
    errors = action_point_problems(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
        component=component,
    )
    if errors:
        raise ValidationError(errors)
    return ActionPoint.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        text=text.strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
        component=component or "",
    )


def next_statuses(action_point, *, can_reopen):
    """The statuses a progress update may leave the action point in."""
    if action_point.status == OPEN:
        return [OPEN, IN_PROGRESS, DONE, DROPPED]
    if action_point.status == IN_PROGRESS:
        return [IN_PROGRESS, DONE, DROPPED]
    if can_reopen:
        return [action_point.status, OPEN, IN_PROGRESS]
    return []


def status_problem(action_point, status, *, can_reopen):
    """Why the action point may not move to `status`, or None."""
    if status not in ActionPoint.Status.values:
        return _("Unknown status: %(value)s.") % {"value": status}
    if status in next_statuses(action_point, can_reopen=can_reopen):
        return None
    if action_point.status in CLOSED and not can_reopen:
        return _("This action point is closed. Only the secretariat may reopen it.")
    if action_point.status in CLOSED:
        return _("Reopen the action point before closing it another way.")
    return _("An action point in progress cannot go back to open.")


@transaction.atomic
def action_point_progress_add(*, action_point, on, text, status, by):
    """Record progress on an action point and move it to `status`: done and dropped close it
    (on the update's date), reopening is for those who run meetings. Raises ValidationError
    and changes nothing when the update is not acceptable."""
    action_point = ActionPoint.objects.select_for_update().get(pk=action_point.pk)
    can_reopen = access.can_run_meetings(by)
    errors = {}
    problem = status_problem(action_point, status, can_reopen=can_reopen)
    if problem:
        errors["status"] = [problem]
    if not (text or "").strip():
        errors["text"] = [_("Describe the progress.")]
    if on is None:
        errors["on"] = [_("Enter the date of the update.")]
    elif on > timezone.localdate():
        errors["on"] = [_("The date of an update cannot be in the future.")]
    elif on < meeting_date(action_point.meeting):
        errors["on"] = [_("The date of an update cannot be before the meeting.")]
    if errors:
        raise ValidationError(errors)
    update = ActionPointUpdate.objects.create(
        action_point=action_point, on=on, text=text.strip(), status=status
    )
    if status != action_point.status or (status in CLOSED) != bool(action_point.closed_on):
        action_point.status = status
        action_point.closed_on = on if status in CLOSED else None
        action_point.save(update_fields=["status", "closed_on", "updated_at"])
    return update


@transaction.atomic
def action_point_save(*, form):
    """Save the secretariat's edit of an action point (text, owner, due date, component)."""
    return form.save()


# Reads -----------------------------------------------------------------------------------------


def visible_action_points(user):
    """Action points of the meetings the user may see."""
    return ActionPoint.objects.filter(meeting__in=access.visible_meetings(user))


def own_action_points(user, queryset=None):
    """Action points owned by the user's person, or by their organisation."""
    queryset = visible_action_points(user) if queryset is None else queryset
    person = access.person_of(user)
    if person is None:
        return queryset.none()
    return queryset.filter(Q(owner_person=person) | Q(owner_organisation_id=person.organisation_id))


def open_action_points_for_review(*, meeting):
    """Open action points agreed at earlier meetings of the meeting's series: the next
    meeting reviews them, and every meeting after it until they are closed."""
    return (
        ActionPoint.objects.open()
        .filter(meeting__series_id=meeting.series_id, meeting__starts_at__lt=meeting.starts_at)
        .exclude(meeting=meeting)
        .select_related("meeting", "owner_organisation", "owner_person")
        .order_by("due_on", "id")
    )


# Reminders -------------------------------------------------------------------------------------


def reminder_kind(action_point, *, today, days_before):
    """Which reminder is due for an open action point today, or None."""
    if action_point.due_on < today:
        return ActionPointReminder.Kind.OVERDUE
    if action_point.due_on <= today + datetime.timedelta(days=days_before):
        return ActionPointReminder.Kind.DUE_SOON
    return None


def reminder_recipients(action_point, *, today):
    """The owner person, or when there is none (or they have no email address) the people of
    the owner organisation with a current membership."""
    owner = action_point.owner_person
    if owner is not None and owner.email:
        return [owner]
    current = Membership.objects.current(today).values("person_id")
    return list(
        Person.objects.filter(
            organisation_id=action_point.owner_organisation_id, pk__in=current, email__isnull=False
        )
        .exclude(email="")
        .order_by("family_name", "given_name", "pk")
    )


def _reminder_email(action_point, kind, person, *, today):
    with translation.override(person.language):
        context = {
            "person": person,
            "action_point": action_point,
            "kind": kind,
            "overdue": kind == ActionPointReminder.Kind.OVERDUE,
            "days_left": (action_point.due_on - today).days,
            "days_late": (today - action_point.due_on).days,
            "link": settings.SITE_URL
            + reverse("meetings:action_points_detail", args=[action_point.public_id]),
        }
        subject = render_to_string("meetings/action_points_reminder_subject.txt", context)
        body = render_to_string("meetings/action_points_reminder_body.txt", context)
    return queue_email(
        to=[person.email],
        subject=" ".join(subject.split()),
        text=body,
        language=person.language,
        purpose="action_point_reminder",
    )


def action_point_reminders_send(*, today=None, days_before=DEFAULT_DAYS_BEFORE):
    """Queue the reminders due today: `days_before` days (or fewer) before an open action
    point's due date, and once when it is overdue. Each (action point, kind, due date) is
    reminded of once, so running this twice sends nothing the second time; a new due date
    makes a new reminder possible. Returns [(action point, kind, [people])] for what was sent.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days_before)
    candidates = (
        ActionPoint.objects.open()
        .filter(due_on__lte=horizon)
        .select_related("meeting", "owner_organisation", "owner_person")
        .order_by("due_on", "id")
    )
    sent = []
    for action_point in candidates:
        kind = reminder_kind(action_point, today=today, days_before=days_before)
        if (
            kind is None
            or action_point.reminders.filter(kind=kind, due_on=action_point.due_on).exists()
        ):
            continue
        recipients = reminder_recipients(action_point, today=today)
        if not recipients:
            continue
        if _remind(action_point, kind, recipients, today=today):
            sent.append((action_point, kind, recipients))
    return sent


def _remind(action_point, kind, recipients, *, today):
    """Record the reminder and queue its emails in one transaction: both or neither."""
    try:
        with transaction.atomic():
            ActionPointReminder.objects.create(
                action_point=action_point, kind=kind, due_on=action_point.due_on
            )
            for person in recipients:
                _reminder_email(action_point, kind, person, today=today)
    except IntegrityError:
        return False
    return True
