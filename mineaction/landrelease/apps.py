from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LandReleaseConfig(AppConfig):
    name = "mineaction.landrelease"
    label = "landrelease"
    verbose_name = _("Article 5 progress")

    def ready(self):
        # `migrate` and `flush` (which empties every table but the cache's) end with
        # post_migrate: figures cached before are of data that may be gone.
        post_migrate.connect(_forget_cached_figures, sender=self)


def _forget_cached_figures(sender, **kwargs):
    from mineaction.landrelease.services.progress import data_changed

    data_changed()
