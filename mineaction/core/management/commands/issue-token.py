"""`mineaction issue-token EMAIL`: print a new personal API token for an active user."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mineaction.core.models import ApiToken, User


class Command(BaseCommand):
    help = "Create a personal API token for the user with this email and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="Email address of the user the token acts as.")
        parser.add_argument("--name", default="Command line", help="What the token is for.")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Days until the token expires (default: never).",
        )

    def handle(self, *args, email, name, expires_days, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is inactive; no token was issued.")
        if not name.strip():
            raise CommandError("The token name cannot be empty.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be a whole number of at least 1.")
        expires_at = None
        if expires_days is not None:
            expires_at = timezone.now() + datetime.timedelta(days=expires_days)
        _token, secret = ApiToken.issue(user, name.strip()[:100], expires_at)
        self.stdout.write(secret)
