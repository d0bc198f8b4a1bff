from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkPlansConfig(AppConfig):
    name = "mineaction.workplans"
    label = "workplans"
    verbose_name = _("Work plans")
