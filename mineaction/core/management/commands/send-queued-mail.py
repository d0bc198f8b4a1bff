"""`mineaction send-queued-mail`: deliver the queued email that is due (run on a schedule)."""

from django.core.management.base import BaseCommand

from mineaction.core.mail import deliver_due


class Command(BaseCommand):
    help = (
        "Try to deliver every queued email whose next attempt is due, and print how many were "
        "sent, failed again and are still waiting. Run it every minute or few minutes."
    )

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(
            f"Sent {counts['sent']}, failed {counts['failed']}, still waiting {counts['waiting']}."
        )
