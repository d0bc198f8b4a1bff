"""Reminders to a partnership's focal points before a progress report is due, and once when it
is overdue.

`mineaction send-report-reminders` calls `report_reminders_send` every day. A period whose
report has no submitted version is reminded of `days_before` days (or fewer) before it is due,
and once when overdue; `ReportReminder` records each (partnership, period, kind), so running it
twice sends nothing the second time. Each focal point with an email address gets the message in
their own language, through the outbox.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mineaction.core.mail import queue_email
from mineaction.partnerships.models import (
    Partnership,
    ProgressReport,
    ReportReminder,
    ReportStatus,
)
from mineaction.partnerships.services.reports import report_periods
from mineaction.stakeholders.models import Person

DEFAULT_DAYS_BEFORE = 14


def reminder_kind(period, *, today, days_before):
    """Which reminder a period without a submitted report calls for today, or None."""
    if period.due_on < today:
        return ReportReminder.Kind.OVERDUE
    if period.due_on <= today + datetime.timedelta(days=days_before):
        return ReportReminder.Kind.DUE_SOON
    return None


def reminder_recipients(partnership):
    """The partnership's focal points who have an email address, by name."""
    return sorted(
        (person for person in partnership.focal_points.all() if person.email),
        key=lambda person: (person.family_name, person.given_name, person.pk),
    )


def _due_reminders(today, days_before):
    """[(partnership, period, kind)] that call for a reminder and have not had it."""
    horizon = today + datetime.timedelta(days=days_before)
    partnerships = Partnership.objects.filter(starts_on__lte=horizon).prefetch_related(
        "focal_points"
    )
    submitted = set(
        ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).values_list(
            "partnership_id", "period_start", "period_end"
        )
    )
    drafts = {
        (partnership_id, start, end): public_id
        for partnership_id, start, end, public_id in ProgressReport.objects.filter(
            status=ReportStatus.DRAFT
        ).values_list("partnership_id", "period_start", "period_end", "public_id")
    }
    sent = set(ReportReminder.objects.values_list("partnership_id", "period_end", "kind"))
    due = []
    for partnership in partnerships.order_by("title", "id"):
        for period in report_periods(partnership, horizon):
            if (partnership.pk, period.start, period.end) in submitted:
                continue
            kind = reminder_kind(period, today=today, days_before=days_before)
            if kind is not None and (partnership.pk, period.end, kind) not in sent:
                draft = drafts.get((partnership.pk, period.start, period.end))
                due.append((partnership, period, kind, _link(partnership, period, draft)))
    return due


def _link(partnership, period, draft_id):
    """The draft to finish, or the page that starts the period's report."""
    if draft_id is not None:
        return settings.SITE_URL + reverse("partnerships:report_edit", args=[draft_id])
    create = reverse("partnerships:report_create", args=[partnership.public_id])
    return f"{settings.SITE_URL}{create}?period={period.start.isoformat()}"


def report_reminders_send(*, today=None, days_before=DEFAULT_DAYS_BEFORE):
    """Queue the reminders due today. Returns [(partnership, period, kind, [people])] for what
    was sent; a period without focal points to write to is left for when it has some."""
    today = today or timezone.localdate()
    sent = []
    for partnership, period, kind, link in _due_reminders(today, days_before):
        recipients = reminder_recipients(partnership)
        if recipients and _remind(partnership, period, kind, recipients, today=today, link=link):
            sent.append((partnership, period, kind, recipients))
    return sent


def _remind(partnership, period, kind, recipients, *, today, link):
    """Record the reminder and queue its emails in one transaction: both or neither."""
    try:
        with transaction.atomic():
            ReportReminder.objects.create(partnership=partnership, period_end=period.end, kind=kind)
            for person in recipients:
                _reminder_email(partnership, period, kind, person, today=today, link=link)
    except IntegrityError:
        return False
    return True


def _reminder_email(partnership, period, kind, person: Person, *, today, link):
    with translation.override(person.language):
        context = {
            "person": person,
            "partnership": partnership,
            "period": period,
            "overdue": kind == ReportReminder.Kind.OVERDUE,
            "days_left": (period.due_on - today).days,
            "days_late": (today - period.due_on).days,
            "link": link,
            "status_link": settings.SITE_URL + reverse("partnerships:report_status"),
        }
        subject = render_to_string("partnerships/reports_reminder_subject.txt", context)
        body = render_to_string("partnerships/reports_reminder_body.txt", context)
    return queue_email(
        to=[person.email],
        subject=" ".join(subject.split()),
        text=body,
        language=person.language,
        purpose="progress_report_reminder",
    )
