"""Vocabulary shared by every app: the platform's components, visibility levels and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Component(models.TextChoices):
    POLITICAL = "political", _("Political")
    TECHNICAL = "technical", _("Technical")
    PARTICIPATION = "participation", _("Participation")
    RESOURCE_MOBILISATION = "resource_mobilisation", _("Resource mobilisation")


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("visibility", "Public")
    MEMBERS = "members", pgettext_lazy("visibility", "Members")
    RESTRICTED = "restricted", pgettext_lazy("visibility", "Restricted")


class Role(models.TextChoices):
    """Roles a person holds in the platform through a dated membership.

    The administrator is not a membership role: it is the account's superuser flag. The lead
    donor is not held directly either: it follows from the lead donor rotation (the members of
    the organisation whose term covers today hold it).
    """

    LEAD_AUTHORITY = "lead_authority", _("Lead authority")
    SECRETARIAT = "secretariat", _("Secretariat")
    DATA_MANAGER = "data_manager", _("Data manager")
    MEMBER = "member", pgettext_lazy("role", "Member")
    OBSERVER = "observer", _("Observer")


ADMINISTRATOR = "administrator"
LEAD_DONOR = "lead_donor"
