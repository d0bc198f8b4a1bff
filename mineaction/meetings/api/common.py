"""Small helpers shared by the meetings API routers (api/*.py)."""

from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.api import Problem


def require_runner(user):
    """403 unless the user runs meetings (secretariat, lead authority, administrators)."""
    access.require_reader(user)
    if not access.can_run_meetings(user):
        raise Problem(
            403, _("Only the secretariat, the lead authority and administrators run meetings.")
        )


def refused(error):
    """A service's refusal as a problem: 422 with the messages per field when it names fields,
    otherwise 409 (not possible in the current state) with its message."""
    if hasattr(error, "error_dict"):
        raise Problem(422, errors={k: [str(m) for m in v] for k, v in error.message_dict.items()})
    raise Problem(409, " ".join(str(message) for message in error.messages))
