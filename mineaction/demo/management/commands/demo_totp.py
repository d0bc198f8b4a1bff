from django.core.management.base import BaseCommand, CommandError

from mineaction.demo.services import demo_is_loaded, demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo log-ins (admin, authority and "
        "secretariat), so a tester can pass two-factor without an authenticator app."
    )

    def handle(self, *args, **options):
        if not demo_is_loaded():
            raise CommandError(
                "This database does not hold the demo (no demo country profile), so there is no "
                "demo two-factor code. Load it with: mineaction load_demo"
            )
        code, seconds_left = demo_totp_code()
        self.stdout.write(code)
        self.stderr.write(f"Valid for another {seconds_left} seconds.")
