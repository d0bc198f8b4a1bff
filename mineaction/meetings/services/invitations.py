"""Invitations: whom a meeting invites (or only informs), the invitation email with its
iCalendar part (RFC 5545) and personal answer link, updates and cancellations, answers, and the
calendar files and feeds of meetings.

The pages and the API call these functions. Mail goes through the outbox (`core.mail`). The
meeting's UID never changes; its SEQUENCE grows with every change that matters to invitees
(services/meetings.py), and each invitation records the SEQUENCE it was last sent with, so that
sending again never sends the same version twice.
"""

import datetime
import email.utils
import secrets
import zoneinfo

import icalendar
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.mail import queue_email
from mineaction.meetings.models import CalendarFeed, Invitation, Meeting
from mineaction.meetings.services.meetings import NOT_YET_HELD, meeting_set_status
from mineaction.stakeholders.models import Membership, Person

Status = Meeting.Status
Response = Invitation.Response

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
PRODID = "-//Mine Action Platform//Meetings//EN"

RSVP_SALT = "mineaction.meetings.rsvp"
# An answer link works until a day after the meeting ends (following the meeting when it is
# postponed) and, whatever happens, never longer than this after it was sent.
RSVP_GRACE = datetime.timedelta(days=1)
RSVP_MAX_AGE = datetime.timedelta(days=400)

# Calendar feed secrets have their own table and prefix: the API refuses them (it only accepts
# "map_..." tokens), and the feed accepts nothing else.
FEED_PREFIX = CalendarFeed.PREFIX
# The feed lists meetings from this long ago onwards.
FEED_PAST = datetime.timedelta(days=365)

PARTSTAT = {
    Response.PENDING: "NEEDS-ACTION",
    Response.ACCEPTED: "ACCEPTED",
    Response.REMOTE: "ACCEPTED",
    Response.TENTATIVE: "TENTATIVE",
    Response.DECLINED: "DECLINED",
}
EXPIRED = "expired"
TAMPERED = "tampered"
WITHDRAWN = "withdrawn"


# Who is invited --------------------------------------------------------------------------------


def _refuse_closed(meeting):
    if meeting.status in {Status.CANCELLED, Status.DISTRIBUTED}:
        raise ValidationError(
            _("The meeting is “%(status)s”: its invitations can no longer change.")
            % {"status": meeting.get_status_display()},
            code="closed",
        )


def _people_to_invite(people, organisations, working_groups):
    chosen = {person.pk: person for person in people}
    current = Membership.objects.current().filter(person=OuterRef("pk"))
    members = Person.objects.filter(Exists(current), organisation__in=list(organisations))
    for person in members:
        chosen.setdefault(person.pk, person)
    for group in working_groups:
        for person in group.members.all():
            chosen.setdefault(person.pk, person)
    return list(chosen.values())


@transaction.atomic
def invitations_add(
    *, meeting, people=(), organisations=(), working_groups=(), informed_only=False
):
    """Invite (or only inform) people, the current members of organisations and the members of
    working groups. People already on the list keep their invitation; people without an email
    address are left out. Returns {"added": [...], "already": [...], "without_email": [...]}."""
    _refuse_closed(meeting)
    candidates = _people_to_invite(people, organisations, working_groups)
    existing = set(meeting.invitations.values_list("person_id", flat=True))
    result = {"added": [], "already": [], "without_email": []}
    for person in sorted(candidates, key=lambda p: (p.family_name, p.given_name, p.pk)):
        if person.pk in existing:
            result["already"].append(person)
        elif not person.email:
            result["without_email"].append(person)
        else:
            result["added"].append(
                Invitation.objects.create(
                    meeting=meeting, person=person, informed_only=informed_only
                )
            )
    return result


@transaction.atomic
def invitation_remove(*, invitation):
    """Take someone off the list, as long as nothing has been sent to them."""
    _refuse_closed(invitation.meeting)
    if invitation.sent_sequence is not None:
        raise ValidationError(
            _(
                "%(person)s has already been sent the invitation, so it cannot be removed. "
                "Cancel or change the meeting instead."
            )
            % {"person": invitation.person},
            code="already_sent",
        )
    invitation.delete()


def invitation_counts(meeting):
    """Answers of the invited (not the informed), the informed and what waits to be sent."""
    invited = meeting.invitations.filter(informed_only=False)
    by_response = dict(
        invited.values_list("response").annotate(count=Count("id")).order_by("response")
    )
    return {
        "responses": [
            {"key": value, "label": str(label), "count": by_response.get(value, 0)}
            for value, label in Response.choices
        ],
        "invited": sum(by_response.values()),
        "informed": meeting.invitations.filter(informed_only=True).count(),
        "not_sent": _not_yet_sent(meeting).count(),
        "out_of_date": _out_of_date(meeting).count(),
    }


# iCalendar -------------------------------------------------------------------------------------


def _organizer():
    name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["CN"] = name
    return organizer


def _agenda_text(meeting):
    lines = [gettext("Agenda:")]
    for item in meeting.agenda_items.all():
        lines.append(
            gettext("%(order)s. %(title)s (%(minutes)s min)")
            % {"order": item.order, "title": item.title, "minutes": item.duration_minutes}
        )
    return lines


def _description(meeting, rsvp_url=""):
    lines = []
    if meeting.status in {Status.POSTPONED, Status.CANCELLED} and meeting.status_note:
        lines += [f"{meeting.get_status_display()}: {meeting.status_note}", ""]
    if meeting.online_url:
        lines += [gettext("Join online: %(url)s") % {"url": meeting.online_url}, ""]
    lines += _agenda_text(meeting)
    if rsvp_url:
        lines += ["", gettext("Answer the invitation: %(url)s") % {"url": rsvp_url}]
    return "\n".join(lines)


def meeting_url(meeting):
    return settings.SITE_URL + reverse("meetings:meetings_detail", args=[meeting.public_id])


def meeting_event(meeting, *, invitation=None, rsvp_url="", cancelled=False):
    """The VEVENT of a meeting; with `invitation`, the invitee as ATTENDEE."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    event = icalendar.Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", str(meeting))
    location = meeting.venue or meeting.online_url
    if location:
        event.add("location", location)
    event.add("url", meeting_url(meeting))
    event.add("organizer", _organizer())
    cancelled = cancelled or meeting.status == Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("description", _description(meeting, rsvp_url))
    if invitation is not None:
        attendee = icalendar.vCalAddress(f"mailto:{invitation.person.email}")
        attendee.params["CN"] = str(invitation.person)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = PARTSTAT[invitation.response]
        # Answers go through the personal link, not as calendar replies to the platform.
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    return event


def calendar_bytes(events, *, method):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting):
    """The meeting as a calendar file to download (METHOD:PUBLISH)."""
    return calendar_bytes([meeting_event(meeting)], method=PUBLISH)


def invitation_ics(invitation, *, method, rsvp_url=""):
    meeting = invitation.meeting
    event = meeting_event(
        meeting, invitation=invitation, rsvp_url=rsvp_url, cancelled=method == CANCEL
    )
    return calendar_bytes([event], method=method)


# Answer links ----------------------------------------------------------------------------------


def rsvp_token(invitation):
    return signing.dumps(str(invitation.public_id), salt=RSVP_SALT)


def rsvp_url(invitation):
    return settings.SITE_URL + reverse(
        "meetings:invitations_rsvp", kwargs={"token": rsvp_token(invitation)}
    )


def rsvp_expires_at(meeting):
    return meeting.ends_at + RSVP_GRACE


def invitation_from_token(token, *, now=None):
    """The invitation an answer link is for. Refuses, with ValidationError (code `tampered`,
    `expired` or `withdrawn`), a link that was altered, has expired or whose invitation was
    removed."""
    try:
        public_id = signing.loads(token, salt=RSVP_SALT, max_age=RSVP_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("This answer link has expired."), code=EXPIRED) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This answer link is not valid. Check that you copied the whole link."),
            code=TAMPERED,
        ) from None
    invitation = (
        Invitation.objects.select_related("meeting__series", "person__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None or invitation.informed_only:
        raise ValidationError(
            _("This invitation has been withdrawn. Contact the secretariat if this is a mistake."),
            code=WITHDRAWN,
        )
    if (now or timezone.now()) > rsvp_expires_at(invitation.meeting):
        raise ValidationError(_("This answer link has expired: the meeting is over."), code=EXPIRED)
    return invitation


def rsvp_problem(invitation):
    """Why the invitation cannot be answered now, or None."""
    meeting = invitation.meeting
    if meeting.status == Status.CANCELLED:
        return _("The meeting has been cancelled; there is nothing to answer.")
    if meeting.status not in NOT_YET_HELD:
        return _("The meeting has taken place; answers are closed.")
    return None


@transaction.atomic
def invitation_respond(*, invitation, response):
    """Record the invitee's answer (accept, attend online, maybe, decline)."""
    if response not in Response.values or response == Response.PENDING:
        raise ValidationError({"response": _("Choose your answer.")})
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    problem = rsvp_problem(invitation)
    if problem:
        raise ValidationError(problem, code="closed")
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at", "updated_at"])
    return invitation


# Sending ---------------------------------------------------------------------------------------


def _sendable(meeting):
    return meeting.invitations.filter(informed_only=False, person__email__isnull=False)


def _not_yet_sent(meeting):
    return _sendable(meeting).filter(sent_sequence__isnull=True)


def _out_of_date(meeting):
    return _sendable(meeting).filter(
        sent_sequence__isnull=False, sent_sequence__lt=meeting.ical_sequence
    )


def _email_kind(invitation, method):
    if method == CANCEL:
        return "cancellation"
    return "invitation" if invitation.sent_sequence is None else "update"


def _send(invitation, meeting, *, method):
    """Queue one invitee's email, in their language, and record the version sent."""
    person = invitation.person
    invitation.meeting = meeting
    kind = _email_kind(invitation, method)
    link = rsvp_url(invitation) if method == REQUEST else ""
    with (
        translation.override(person.language or settings.LANGUAGE_CODE),
        timezone.override(zoneinfo.ZoneInfo(meeting.time_zone)),
    ):
        context = {
            "kind": kind,
            "meeting": meeting,
            "person": person,
            "rsvp_url": link,
            "rsvp_expires_at": rsvp_expires_at(meeting),
            "meeting_url": meeting_url(meeting),
            "agenda_items": list(meeting.agenda_items.all()),
        }
        subject = render_to_string("meetings/invitations_email_subject.txt", context)
        text = render_to_string("meetings/invitations_email_body.txt", context)
        html = render_to_string("meetings/invitations_email_body.html", context)
        ics = invitation_ics(invitation, method=method, rsvp_url=link)
    queue_email(
        to=[person.email],
        subject=subject,
        text=text,
        html=html,
        language=person.language,
        alternatives=[(ics, f"text/calendar; method={method}")],
        attachments=[("invite.ics" if method == REQUEST else "cancel.ics", ics, "application/ics")],
        purpose=f"meeting_{kind}",
    )
    invitation.sent_sequence = meeting.ical_sequence
    invitation.save(update_fields=["sent_sequence", "updated_at"])


def _locked(meeting):
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def invitations_send(*, meeting):
    """Send the invitation to everyone invited who has not had it yet (informed people get
    none). Moves a planned meeting to "invitations sent". Returns how many were sent; running
    it again sends nothing twice."""
    meeting = _locked(meeting)
    if meeting.status not in NOT_YET_HELD:
        raise ValidationError(
            _("The meeting is “%(status)s”: invitations can no longer be sent.")
            % {"status": meeting.get_status_display()},
            code="closed",
        )
    pending = list(_not_yet_sent(meeting).select_related("person"))
    if not pending and not _sendable(meeting).exists():
        raise ValidationError(
            _("Nobody is invited yet. Add people before sending invitations."), code="empty"
        )
    if meeting.status == Status.PLANNED:
        # The status change raises the SEQUENCE; send that version.
        meeting = meeting_set_status(meeting=meeting, status=Status.INVITATIONS_SENT)
    for invitation in pending:
        _send(invitation, meeting, method=REQUEST)
    return len(pending)


@transaction.atomic
def invitations_send_update(*, meeting):
    """After a change of time or venue, a postponement or a cancellation: send everyone who
    had an earlier version the new one (same UID, higher SEQUENCE), or METHOD:CANCEL when the
    meeting is cancelled. Returns how many were sent; running it again sends nothing twice."""
    meeting = _locked(meeting)
    if meeting.status == Status.CANCELLED:
        method = CANCEL
    elif meeting.status in NOT_YET_HELD:
        method = REQUEST
    else:
        return 0
    outdated = list(_out_of_date(meeting).select_related("person"))
    for invitation in outdated:
        _send(invitation, meeting, method=method)
    return len(outdated)


# Calendar feeds --------------------------------------------------------------------------------


def calendar_feed_token(user):
    """The user's calendar feed (its secret is not kept), or None."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def calendar_feed_issue(*, user):
    """A new secret feed address for `user`; an earlier one stops working. Returns the secret."""
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "key_hash": CalendarFeed.hash(secret),
            "hint": secret[:8],
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return secret


def calendar_feed_user(secret):
    """The active user whose feed secret this is, or None."""
    if not secret or not secret.startswith(FEED_PREFIX):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=CalendarFeed.hash(secret), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def calendar_feed_url(secret):
    return settings.SITE_URL + reverse("meetings:invitations_feed", kwargs={"token": secret})


def calendar_feed_ics(user, *, now=None):
    """Every meeting the user may see, from a year ago on, as a subscribed calendar."""
    since = (now or timezone.now()) - FEED_PAST
    meetings = (
        access.visible_meetings(user)
        .filter(ends_at__gte=since)
        .select_related("series")
        .prefetch_related("agenda_items")
        .order_by("starts_at", "pk")
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        events = [meeting_event(meeting) for meeting in meetings]
    return calendar_bytes(events, method=PUBLISH)
