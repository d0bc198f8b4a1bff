from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "mineaction.challenges"
    label = "challenges"
    verbose_name = _("Challenges and priorities")

    def ready(self):
        # The meeting cycle proposes the top priorities on a new meeting's agenda and shows the
        # challenges its agenda items and action points link to; meetings never import us.
        from mineaction.challenges.services import links

        links.register_with_meetings()
