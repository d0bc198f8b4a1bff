"""The advocacy log of an instrument: who did what, when, at which meeting, with what result.

Managers log advocacy for any organisation; anyone else who speaks for an organisation logs
what their own organisation did, and changes only those entries.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core import access


def own_organisation(user):
    """The organisation a non-manager logs advocacy for, or None for managers (they choose)."""
    if access.can_manage_policies(user):
        return None
    person = access.person_of(user)
    return person.organisation if person is not None else None


def advocacy_problems(*, on, organisation, fixed_organisation, today=None):
    """Messages per field for an advocacy entry's values; empty when acceptable."""
    today = today or timezone.localdate()
    errors = {}
    if on is not None and on > today:
        errors["on"] = [_("The date of an advocacy action cannot be in the future.")]
    if fixed_organisation is not None and organisation != fixed_organisation:
        errors["organisation"] = [
            _("You can only log advocacy for your own organisation (%(organisation)s).")
            % {"organisation": fixed_organisation}
        ]
    return errors


def can_change_advocacy(user, advocacy_action):
    """Managers, or someone speaking for the organisation that logged it (the same rule as
    `access.get_advocacy_action_for_user`), for showing edit links."""
    if access.can_manage_policies(user):
        return True
    person = access.person_of(user)
    return (
        access.speaks_for_organisation(user)
        and person.organisation_id == advocacy_action.organisation_id
    )


@transaction.atomic
def advocacy_save(*, form):
    """Save a valid advocacy form (a new entry or a change)."""
    return form.save()


@transaction.atomic
def advocacy_delete(*, advocacy_action):
    advocacy_action.delete()
