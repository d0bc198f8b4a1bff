"""`mineaction send-report-reminders [--days-before N] [--today YYYY-MM-DD]`: email the focal
points of each partnership N days (default 14) before a progress report is due, and once when it
is overdue, while the period has no submitted report. Run it daily (cron, systemd timer);
running it twice never sends the same reminder twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mineaction.partnerships.services.reminders import DEFAULT_DAYS_BEFORE, report_reminders_send


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Email reminders for partnerships' progress reports: N days before they are due and "
        "once when overdue, to the focal points in their own language, through the outbox. "
        "Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=DEFAULT_DAYS_BEFORE,
            help=f"Remind this many days before the due date (default {DEFAULT_DAYS_BEFORE}).",
        )
        parser.add_argument(
            "--today",
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, days_before, today, **options):
        if days_before < 0:
            raise CommandError("--days-before must be a whole number of at least 0.")
        today = _date(today) if today else timezone.localdate()
        sent = report_reminders_send(today=today, days_before=days_before)
        for partnership, period, kind, recipients in sent:
            emails = ", ".join(person.email for person in recipients)
            self.stdout.write(
                f"{kind}: {partnership.public_id} {partnership.title[:60]!r} "
                f"{period.start.isoformat()} to {period.end.isoformat()} "
                f"(due {period.due_on.isoformat()}) -> {emails}"
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent on {today.isoformat()}.")
