from django.core.management.base import BaseCommand, CommandError

from mineaction.core import audit
from mineaction.demo import data
from mineaction.demo.services import DemoRefused, demo_accounts, demo_load


class Command(BaseCommand):
    help = (
        "Load the fictional Republic of Demoland: organisations, people, memberships, the lead "
        "donor rotation, working groups, one log-in per role and two years of meetings (agendas, "
        "invitations, attendance, minutes, action points), ten years of Article 5 data (admin "
        "areas, hazard areas, land release, milestones), the challenge register with its "
        "prioritisation rounds, three work plans, the policy and standards tracker, four "
        "partnerships (commitments, indicators, progress reports) and the resource mobilisation "
        "(exchange rates, funding requirements, pledges, disbursements). Running it again "
        "changes nothing and "
        "sends no email; --reset deletes the demo first. Refuses a database with real data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo data, its log-ins and the audit trail, then load it afresh.",
        )

    def handle(self, *args, reset=False, **options):
        try:
            with audit.acting_as(None):
                counts = demo_load(reset=reset)
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        self.stdout.write(f"Log-ins (password {data.DEMO_PASSWORD}):")
        for email, role, two_factor in demo_accounts():
            note = "two-factor: mineaction demo_totp" if two_factor else ""
            self.stdout.write(f"  {email:<26} {role:<16} {note}".rstrip())
