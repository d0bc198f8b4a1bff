"""Minutes: drafting in one or more languages, versions, decisions and action points agreed
inline, circulation for amendment, amendments and approval.

The pages and the API call these functions, so the rules and the messages are the same
everywhere. Every saved change of the minutes' content increments `Minutes.revision` and keeps
a `MinutesVersion` (a full snapshot), so no edit is lost and any two versions can be compared.
Distribution (email with PDF and DOCX) is `minutes_distribute`, in its own module.
"""

import difflib
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.mail import queue_email
from mineaction.meetings.models import (
    Amendment,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    MinutesEntry,
    MinutesVersion,
)

EDITABLE = {Minutes.Status.DRAFT, Minutes.Status.CIRCULATED}
# A meeting gets minutes once it has been held; more languages may be added later.
MINUTES_MEETING_STATUSES = {
    Meeting.Status.HELD,
    Meeting.Status.MINUTES_DRAFT,
    Meeting.Status.MINUTES_CIRCULATED,
    Meeting.Status.MINUTES_APPROVED,
    Meeting.Status.DISTRIBUTED,
}
ATTENDED = [Attendance.Presence.PRESENT, Attendance.Presence.REMOTE]
FROZEN_MESSAGE = _("These minutes have been approved and can no longer be changed.")


class MinutesConflict(Exception):
    """Someone else saved the minutes since the revision an edit was based on."""

    def __init__(self, minutes):
        self.minutes = minutes
        super().__init__(minutes.revision)


def is_public_id(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def meeting_date(meeting):
    """The day the meeting took place, in the meeting's own time zone."""
    return timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(meeting.time_zone)).date()


# Reading ---------------------------------------------------------------------------------------


def minutes_sections(minutes):
    """Per agenda item (in order): the item, its entry's discussion, decisions and action
    points; items added to the agenda after the minutes started have an empty discussion."""
    meeting = minutes.meeting
    discussions = dict(minutes.entries.values_list("agenda_item_id", "discussion"))
    decisions = {}
    for decision in meeting.decisions.all():
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    action_points = {}
    for action_point in meeting.action_points.select_related(
        "owner_organisation", "owner_person"
    ).order_by("id"):
        action_points.setdefault(action_point.agenda_item_id, []).append(action_point)
    sections = [
        {
            "agenda_item": item,
            "discussion": discussions.get(item.pk, ""),
            "decisions": decisions.get(item.pk, []),
            "action_points": action_points.get(item.pk, []),
        }
        for item in meeting.agenda_items.order_by("order", "id")
    ]
    return sections, decisions.get(None, []), action_points.get(None, [])


def minutes_content(minutes):
    """The full content of the minutes as plain data (the snapshot kept in a version)."""
    sections, other_decisions, other_action_points = minutes_sections(minutes)

    def item_id(record):
        item = record.agenda_item
        return str(item.public_id) if item is not None else None

    decisions = [d for section in sections for d in section["decisions"]] + other_decisions
    action_points = [
        a for section in sections for a in section["action_points"]
    ] + other_action_points
    return {
        "entries": [
            {
                "agenda_item": str(section["agenda_item"].public_id),
                "order": section["agenda_item"].order,
                "title": section["agenda_item"].title,
                "discussion": section["discussion"],
            }
            for section in sections
        ],
        "decisions": [
            {"number": d.number, "text": d.text, "agenda_item": item_id(d)}
            for d in sorted(decisions, key=lambda d: d.number)
        ],
        "action_points": [
            {
                "public_id": str(a.public_id),
                "text": a.text,
                "owner_organisation": str(a.owner_organisation),
                "owner_person": str(a.owner_person) if a.owner_person else "",
                "due_on": a.due_on.isoformat(),
                "component": a.component,
                "status": a.status,
                "agenda_item": item_id(a),
            }
            for a in action_points
        ],
    }


def content_lines(content):
    """The snapshot as lines of text, grouped by agenda item, for comparing two versions."""
    lines = []

    def records_of(item_id):
        for decision in content.get("decisions", []):
            if decision["agenda_item"] == item_id:
                lines.append(
                    gettext("Decision %(number)s: %(text)s")
                    % {"number": decision["number"], "text": decision["text"]}
                )
        for action_point in content.get("action_points", []):
            if action_point["agenda_item"] == item_id:
                owner = action_point["owner_organisation"]
                if action_point["owner_person"]:
                    owner = f"{owner}, {action_point['owner_person']}"
                lines.append(
                    gettext("Action point: %(text)s (owner: %(owner)s; due %(due)s)")
                    % {"text": action_point["text"], "owner": owner, "due": action_point["due_on"]}
                )

    for entry in content.get("entries", []):
        lines.append(f"{entry['order']}. {entry['title']}")
        lines.extend(entry["discussion"].splitlines())
        records_of(entry["agenda_item"])
        lines.append("")
    records_of(None)
    return lines


def versions_compare(older, newer):
    """Line by line differences between two versions: a list of (kind, text) with kind
    "same", "removed" or "added". Texts are plain; templates escape them."""
    before, after = content_lines(older.content), content_lines(newer.content)
    rows = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(("same", line) for line in before[i1:i2])
            continue
        rows.extend(("removed", line) for line in before[i1:i2])
        rows.extend(("added", line) for line in after[j1:j2])
    return rows


# Problems: why an action is refused now (the same text for pages and the API) ------------------


def meeting_minutes_problem(meeting):
    if meeting.status not in MINUTES_MEETING_STATUSES:
        return _("Minutes can be started only once the meeting has been held.")
    return None


def minutes_start_problem(meeting, language):
    problem = meeting_minutes_problem(meeting)
    if problem:
        return problem
    if language not in dict(settings.LANGUAGES):
        return _("Choose one of the platform's languages.")
    if meeting.minutes.filter(language=language).exists():
        return _("This meeting already has minutes in this language.")
    return None


def minutes_edit_problem(minutes):
    if minutes.status not in EDITABLE:
        return FROZEN_MESSAGE
    return None


def meeting_records_problem(minutes):
    """Decisions and action points belong to the meeting, not to one language's minutes: once
    the authoritative minutes are approved they are frozen, whichever minutes are edited."""
    problem = minutes_edit_problem(minutes)
    if problem is None and (
        minutes.meeting.minutes.filter(is_authoritative=True).exclude(status__in=EDITABLE).exists()
    ):
        problem = FROZEN_MESSAGE
    return problem


def minutes_circulate_problem(minutes):
    if minutes.status not in EDITABLE:
        return FROZEN_MESSAGE
    return None


def amendment_window_problem(minutes, today=None):
    if minutes.status != Minutes.Status.CIRCULATED:
        return _("Amendments can be proposed only while the minutes are circulated for amendment.")
    today = today or timezone.localdate()
    if minutes.amendments_close_on is not None and today > minutes.amendments_close_on:
        return _("The amendment window closed on %(date)s.") % {
            "date": formats.date_format(minutes.amendments_close_on)
        }
    return None


def is_attendee(user, meeting):
    person = access.person_of(user)
    return (
        person is not None
        and meeting.attendances.filter(person=person, presence__in=ATTENDED).exists()
    )


def can_propose_amendment(user, minutes):
    """Those who attended (present or remote) and those who run meetings."""
    return access.can_run_meetings(user) or is_attendee(user, minutes.meeting)


def minutes_approve_problem(minutes):
    if minutes.status != Minutes.Status.CIRCULATED:
        return _("Minutes can be approved only after they have been circulated for amendment.")
    open_count = minutes.amendments.filter(status=Amendment.Status.OPEN).count()
    if open_count:
        return ngettext(
            "%(count)s amendment is still open. Resolve it before approving the minutes.",
            "%(count)s amendments are still open. Resolve them before approving the minutes.",
            open_count,
        ) % {"count": open_count}
    return None


def _refuse(problem, code):
    if problem:
        raise ValidationError(problem, code=code)


# Changes ---------------------------------------------------------------------------------------


def _store_version(minutes, *, user, note):
    return MinutesVersion.objects.create(
        minutes=minutes,
        revision=minutes.revision,
        content=minutes_content(minutes),
        note=str(note)[:300],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _next_revision(minutes, *, user, note, based_on=None):
    """Move the minutes to their next revision and keep a version of the new content.

    With `based_on`, the change applies only if nobody saved since that revision (the check and
    the increment are one UPDATE, safe with any number of processes); otherwise it raises
    MinutesConflict with the minutes as they are now.
    """
    current = Minutes.objects.filter(pk=minutes.pk)
    if based_on is not None:
        current = current.filter(revision=based_on)
    if not current.update(revision=F("revision") + 1, updated_at=timezone.now()):
        raise MinutesConflict(Minutes.objects.select_related("meeting").get(pk=minutes.pk))
    # (Not refresh_from_db(fields=...): deferred loading and the audit snapshot do not mix.)
    minutes.revision, minutes.updated_at = (
        Minutes.objects.filter(pk=minutes.pk).values_list("revision", "updated_at").get()
    )


def _locked(minutes):
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


@transaction.atomic
def minutes_start(*, meeting, language, user):
    """Start the minutes of a held meeting in `language`: one entry per agenda item. The first
    minutes of a meeting are authoritative; the meeting moves to "minutes in draft"."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse(minutes_start_problem(meeting, language), "minutes_start_refused")
    first = not meeting.minutes.exists()
    minutes = Minutes.objects.create(meeting=meeting, language=language, is_authoritative=first)
    for item in meeting.agenda_items.order_by("order", "id"):
        MinutesEntry.objects.create(minutes=minutes, agenda_item=item)
    if meeting.status == Meeting.Status.HELD:
        meeting.status = Meeting.Status.MINUTES_DRAFT
        meeting.save(update_fields=["status", "updated_at"])
    _store_version(minutes, user=user, note=_("Minutes started."))
    return minutes


@transaction.atomic
def minutes_save(*, minutes, revision, discussions, note, user):
    """Save the discussion of agenda items (`discussions`: agenda item id → text) as the next
    revision, if `revision` is still the current one; otherwise raise MinutesConflict and
    change nothing."""
    minutes = _locked(minutes)
    _refuse(minutes_edit_problem(minutes), "minutes_frozen")
    _next_revision(minutes, user=user, note=note, based_on=revision)
    items = minutes.meeting.agenda_items.filter(pk__in=discussions)
    for item in items:
        text = discussions[item.pk].replace("\r\n", "\n").strip()
        entry, created = MinutesEntry.objects.get_or_create(
            minutes=minutes, agenda_item=item, defaults={"discussion": text}
        )
        if not created and entry.discussion != text:
            entry.discussion = text
            entry.save(update_fields=["discussion", "updated_at"])
    _store_version(minutes, user=user, note=note or _("Minutes edited."))
    return minutes


@transaction.atomic
def minutes_decision_add(*, minutes, agenda_item, text, user):
    """Record a decision under an agenda item, numbered after the meeting's last decision."""
    minutes = _locked(minutes)
    _refuse(meeting_records_problem(minutes), "minutes_frozen")
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision.objects.create(
        meeting=meeting, agenda_item=agenda_item, number=last + 1, text=text.strip()
    )
    _next_revision(minutes, user=user, note="")
    _store_version(
        minutes, user=user, note=gettext("Decision %(number)s added.") % {"number": decision.number}
    )
    return decision


def _locked_decision(minutes, decision):
    """The decision, locked, if it belongs to the meeting of these minutes."""
    return Decision.objects.select_for_update().get(pk=decision.pk, meeting=minutes.meeting_id)


@transaction.atomic
def decision_update(*, minutes, decision, text, agenda_item, user):
    """Change a decision's wording or agenda item (for example after an accepted amendment)
    as the next revision of the minutes. The number stays; nothing changes (and no version is
    kept) when the text and agenda item are already those given."""
    minutes = _locked(minutes)
    _refuse(meeting_records_problem(minutes), "minutes_frozen")
    decision = _locked_decision(minutes, decision)
    text = text.replace("\r\n", "\n").strip()
    agenda_item_id = agenda_item.pk if agenda_item is not None else None
    if decision.text == text and decision.agenda_item_id == agenda_item_id:
        return decision
    decision.text = text
    decision.agenda_item = agenda_item
    decision.save(update_fields=["text", "agenda_item", "updated_at"])
    _next_revision(minutes, user=user, note="")
    _store_version(
        minutes,
        user=user,
        note=gettext("Decision %(number)s changed.") % {"number": decision.number},
    )
    return decision


@transaction.atomic
def decision_delete(*, minutes, decision, user):
    """Delete a decision as the next revision of the minutes.

    Numbers stay stable: nothing is renumbered, so the other decisions keep their numbers and
    references to them in earlier versions, documents and correspondence stay right (the list
    may then have a gap). New decisions are still numbered after the meeting's last one.
    """
    minutes = _locked(minutes)
    _refuse(meeting_records_problem(minutes), "minutes_frozen")
    decision = _locked_decision(minutes, decision)
    number = decision.number
    decision.delete()
    _next_revision(minutes, user=user, note="")
    _store_version(
        minutes, user=user, note=gettext("Decision %(number)s deleted.") % {"number": number}
    )
    return number


@transaction.atomic
def minutes_action_point_add(*, minutes, form, user):
    """Record an action point agreed under an agenda item (`form`: a valid ActionPointForm)."""
    minutes = _locked(minutes)
    _refuse(meeting_records_problem(minutes), "minutes_frozen")
    action_point = form.save(commit=False)
    action_point.meeting = minutes.meeting
    action_point.save()
    _next_revision(minutes, user=user, note="")
    _store_version(minutes, user=user, note=_("Action point added."))
    return action_point


@transaction.atomic
def minutes_make_authoritative(*, minutes):
    """Make these minutes the authoritative language of the meeting's minutes."""
    meeting = Meeting.objects.select_for_update().get(pk=minutes.meeting_id)
    settled = meeting.minutes.exclude(status__in=EDITABLE).exists()
    _refuse(
        _("The authoritative language cannot change once minutes have been approved.")
        if settled
        else None,
        "minutes_authoritative_refused",
    )
    for other in meeting.minutes.filter(is_authoritative=True).exclude(pk=minutes.pk):
        other.is_authoritative = False
        other.save(update_fields=["is_authoritative", "updated_at"])
    minutes = Minutes.objects.get(pk=minutes.pk)
    if not minutes.is_authoritative:
        minutes.is_authoritative = True
        minutes.save(update_fields=["is_authoritative", "updated_at"])
    return minutes


@transaction.atomic
def minutes_circulate(*, minutes, closes_on, user):
    """Open the amendment window until `closes_on` (a future date) and email the attendees,
    each in their language, a link to the minutes. Circulating again moves the closing date."""
    minutes = _locked(minutes)
    _refuse(minutes_circulate_problem(minutes), "minutes_frozen")
    if closes_on <= timezone.localdate():
        raise ValidationError(
            _("The closing date for amendments must be in the future."), code="past_date"
        )
    minutes.status = Minutes.Status.CIRCULATED
    minutes.amendments_close_on = closes_on
    minutes.save(update_fields=["status", "amendments_close_on", "updated_at"])
    meeting = minutes.meeting
    if minutes.is_authoritative and meeting.status in {
        Meeting.Status.HELD,
        Meeting.Status.MINUTES_DRAFT,
    }:
        meeting.status = Meeting.Status.MINUTES_CIRCULATED
        meeting.save(update_fields=["status", "updated_at"])
    _queue_circulation_emails(minutes)
    return minutes


def circulation_recipients(minutes):
    """People who attended (present or remote) and have an email address."""
    attendances = (
        minutes.meeting.attendances.filter(presence__in=ATTENDED)
        .exclude(person__email__isnull=True)
        .exclude(person__email="")
        .select_related("person")
    )
    return [attendance.person for attendance in attendances]


def _queue_circulation_emails(minutes):
    """One email per attendee, in the outbox with the circulation (sent once it commits)."""
    link = settings.SITE_URL + reverse("meetings:minutes_detail", args=[minutes.public_id])
    for person in circulation_recipients(minutes):
        with translation.override(person.language):
            context = {
                "person": person,
                "minutes": minutes,
                "meeting": minutes.meeting,
                "link": link,
                "closes_on": minutes.amendments_close_on,
            }
            subject = render_to_string("meetings/minutes_email_circulated_subject.txt", context)
            body = render_to_string("meetings/minutes_email_circulated_body.txt", context)
        queue_email(
            to=[person.email],
            subject=" ".join(subject.split()),
            text=body,
            language=person.language,
            purpose="minutes_circulated",
        )


@transaction.atomic
def amendment_propose(*, minutes, person, agenda_item, comment, proposed_text):
    """An attendee's comment or proposed wording on circulated minutes."""
    minutes = _locked(minutes)
    _refuse(amendment_window_problem(minutes), "amendment_window_closed")
    return Amendment.objects.create(
        minutes=minutes,
        agenda_item=agenda_item,
        proposed_by=person,
        comment=comment.strip(),
        proposed_text=proposed_text.strip(),
    )


@transaction.atomic
def amendment_resolve(*, amendment, accept, resolution, user):
    """Accept an amendment (the secretariat then edits the text) or reject it with a reason."""
    amendment = Amendment.objects.select_for_update().select_related("minutes").get(pk=amendment.pk)
    if amendment.status != Amendment.Status.OPEN:
        raise ValidationError(_("This amendment has already been resolved."), code="resolved")
    _refuse(minutes_edit_problem(amendment.minutes), "minutes_frozen")
    resolution = resolution.strip()
    if not accept and not resolution:
        raise ValidationError(
            {"resolution": _("Give the reason for not accepting the amendment.")},
            code="reason_required",
        )
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.resolution = resolution
    amendment.resolved_by = user
    amendment.resolved_at = timezone.now()
    amendment.save(
        update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"]
    )
    return amendment


APPROVER_ONLY = _("Only the lead authority approves minutes.")


@transaction.atomic
def minutes_approve(*, minutes, user):
    """The lead authority approves circulated minutes with no open amendment; they are frozen
    from then on. Approving the authoritative minutes moves the meeting to "minutes approved"."""
    if not access.can_approve_minutes(user):
        raise PermissionDenied(APPROVER_ONLY)
    minutes = _locked(minutes)
    _refuse(minutes_approve_problem(minutes), "minutes_approve_refused")
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = user
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    meeting = minutes.meeting
    if minutes.is_authoritative and meeting.status != Meeting.Status.DISTRIBUTED:
        meeting.status = Meeting.Status.MINUTES_APPROVED
        meeting.save(update_fields=["status", "updated_at"])
    return minutes
