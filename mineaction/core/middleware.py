from django.conf import settings
from django.shortcuts import redirect

from mineaction.core import access, audit

# Paths a privileged user may visit before setting up two-factor authentication.
TWO_FACTOR_SETUP_PATHS = ("/accounts/", "/i18n/", "/static/", "/healthz", "/api/")


class AuditActorMiddleware:
    """Records the logged-in user as the actor of every change made during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.acting_as(request.user):
            return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Administrators, the lead authority and the secretariat must set up TOTP first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.TWO_FACTOR_REQUIRED_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path_info.startswith(TWO_FACTOR_SETUP_PATHS)
            and access.is_privileged(request.user)
            and not has_two_factor(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def has_two_factor(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
