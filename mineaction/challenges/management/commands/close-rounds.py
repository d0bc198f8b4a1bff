"""`mineaction close-rounds`: close every open prioritisation round whose closing time has
passed. Run it regularly (cron, systemd timer); running it again closes nothing twice."""

from django.core.management.base import BaseCommand

from mineaction.challenges.services.rounds import rounds_close_due


class Command(BaseCommand):
    help = (
        "Close the open prioritisation rounds whose closing time has passed: rank their "
        "challenges, keep the results and make the top-ranked ones priorities."
    )

    def handle(self, *args, **options):
        closed = 0
        for prioritisation_round, problem in rounds_close_due():
            if problem:
                self.stderr.write(
                    f"Not closed: {prioritisation_round.title} ({prioritisation_round.public_id}):"
                    f" {problem}"
                )
                continue
            closed += 1
            self.stdout.write(
                f"Closed: {prioritisation_round.title} ({prioritisation_round.public_id}), "
                f"due {prioritisation_round.closes_at.isoformat(timespec='minutes')}"
            )
        self.stdout.write(f"{closed} round(s) closed.")
