"""Distribution of approved minutes: to every invited and informed person, each in their own
language where minutes exist in it (otherwise the authoritative version), as PDF and DOCX
attachments, through the outbox. Distributed minutes are published on the platform to every
reader who can see the meeting."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.mail import queue_email
from mineaction.meetings import documents
from mineaction.meetings.models import Meeting, Minutes

PUBLISHED = {Minutes.Status.APPROVED, Minutes.Status.DISTRIBUTED}


def is_published(minutes):
    """Approved or distributed minutes are downloadable by every reader of the meeting."""
    return minutes.status in PUBLISHED


def can_download(user, minutes):
    """Those who run meetings see every version; other readers only published minutes."""
    return access.can_run_meetings(user) or is_published(minutes)


def distribution_refusal(minutes):
    """Why `minutes` cannot be distributed, or None when they can."""
    if minutes.status == Minutes.Status.DISTRIBUTED:
        if minutes.distributed_at is None:
            return _("These minutes were already distributed.")
        return _("These minutes were already distributed on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(minutes.distributed_at), "DATETIME_FORMAT"
            )
        }
    if minutes.status != Minutes.Status.APPROVED:
        return _("Only approved minutes can be distributed. These minutes are: %(status)s.") % {
            "status": minutes.get_status_display()
        }
    return None


def _version_for(person, versions, fallback):
    """The minutes a person receives: in their language if there are published minutes in it,
    otherwise the authoritative version (or `fallback` when that is not published)."""
    return versions.get(person.language) or fallback


def distribution_plan(minutes):
    """[(invitation, minutes version)] for everyone invited or informed who has an email
    address, and the invitations without one."""
    meeting = minutes.meeting
    versions = {
        version.language: version
        for version in meeting.minutes.filter(status__in=PUBLISHED).order_by("language")
    }
    authoritative = next(
        (version for version in versions.values() if version.is_authoritative), minutes
    )
    invitations = meeting.invitations.select_related("person", "person__organisation").order_by(
        "person__family_name", "person__given_name", "id"
    )
    plan, unreachable = [], []
    for invitation in invitations:
        if not invitation.person.email:
            unreachable.append(invitation)
            continue
        plan.append((invitation, _version_for(invitation.person, versions, authoritative)))
    return plan, unreachable


def _attachments(version, cache):
    if version.pk not in cache:
        cache[version.pk] = [
            (
                documents.minutes_filename(version, "pdf"),
                documents.render_minutes_pdf(version),
                documents.PDF_CONTENT_TYPE,
            ),
            (
                documents.minutes_filename(version, "docx"),
                documents.render_minutes_docx(version),
                documents.DOCX_CONTENT_TYPE,
            ),
        ]
    return cache[version.pk]


def _queue_minutes_email(invitation, version, attachments):
    person = invitation.person
    meeting = version.meeting
    with translation.override(person.language):
        context = {
            "person": person,
            "meeting": meeting,
            "meeting_date": formats.date_format(
                documents.local_time(meeting.starts_at, meeting.time_zone), "DATE_FORMAT"
            ),
            "invitation": invitation,
            "version_language": translation.get_language_info(version.language)["name_translated"],
            "in_own_language": version.language == person.language,
            "pdf_url": settings.SITE_URL
            + reverse("meetings:distribution_minutes_pdf", args=[version.public_id]),
            "docx_url": settings.SITE_URL
            + reverse("meetings:distribution_minutes_docx", args=[version.public_id]),
        }
        subject = gettext("Minutes of %(meeting)s") % {"meeting": meeting}
        text = render_to_string("meetings/distribution_email.txt", context)
        html = render_to_string("meetings/distribution_email.html", context)
    return queue_email(
        to=[person.email],
        subject=subject,
        text=text,
        html=html,
        language=person.language,
        attachments=attachments,
        purpose="minutes_distribution",
    )


@transaction.atomic
def minutes_distribute(*, minutes, user):
    """Send the meeting's published minutes to every invited and informed person and mark the
    minutes (and the meeting) distributed. Refuses unapproved or already distributed minutes
    with a ValidationError and changes nothing then.

    Returns {"sent": [(person, language)], "unreachable": [person], "versions": [minutes]}.
    """
    if not access.can_run_meetings(user):
        raise ValidationError(_("Only the secretariat and the lead authority distribute minutes."))
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    refusal = distribution_refusal(minutes)
    if refusal:
        raise ValidationError(refusal)
    plan, unreachable = distribution_plan(minutes)
    # A translation approved after an earlier distribution goes only to the people who read it.
    plan = [(inv, version) for inv, version in plan if version.status == Minutes.Status.APPROVED]
    cache = {}
    sent = []
    for invitation, version in plan:
        _queue_minutes_email(invitation, version, _attachments(version, cache))
        sent.append((invitation.person, version.language))
    now = timezone.now()
    versions = {version.pk: version for _invitation, version in plan} | {minutes.pk: minutes}
    for version in versions.values():
        version.status, version.distributed_at = Minutes.Status.DISTRIBUTED, now
        version.save(update_fields=["status", "distributed_at", "updated_at"])
    meeting = minutes.meeting
    meeting.status = Meeting.Status.DISTRIBUTED
    meeting.save(update_fields=["status", "updated_at"])
    return {
        "sent": sent,
        "unreachable": [invitation.person for invitation in unreachable],
        "versions": sorted(versions.values(), key=lambda version: version.language),
    }
