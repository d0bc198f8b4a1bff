"""`mineaction send-reminders [--days-before N] [--today YYYY-MM-DD]`: email the owners of open
action points N days before the due date and once when overdue. Run it daily (cron, systemd
timer); running it twice never sends the same reminder twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mineaction.meetings.services.action_points import (
    DEFAULT_DAYS_BEFORE,
    action_point_reminders_send,
)


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Email reminders for open action points: N days before the due date and once when "
        "overdue, in each recipient's language, through the outbox. Safe to run repeatedly."
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
        sent = action_point_reminders_send(today=today, days_before=days_before)
        for action_point, kind, recipients in sent:
            emails = ", ".join(person.email for person in recipients)
            self.stdout.write(
                f"{kind}: {action_point.public_id} (due {action_point.due_on}) "
                f"{action_point.text[:60]!r} -> {emails}"
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent on {today.isoformat()}.")
