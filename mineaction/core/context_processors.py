from django.conf import settings

from mineaction.core import access
from mineaction.core.models import CountryProfile


def platform(request):
    """The country profile, the demo banner and the viewer's roles, for every template."""
    profile = CountryProfile.load()
    return {
        "country_profile": profile,
        "demo_mode": settings.DEMO_MODE or bool(profile and profile.is_demo),
        "viewer_roles": access.roles_of(request.user),
    }
