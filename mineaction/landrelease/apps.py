from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandReleaseConfig(AppConfig):
    name = "mineaction.landrelease"
    label = "landrelease"
    verbose_name = _("Article 5 progress")
