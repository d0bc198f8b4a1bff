"""The challenges records of the every-URL walk; see `dashboard/tests/walks.py`."""

from django.core.files.base import ContentFile

from mineaction.challenges.models import ChallengeDocument, RoundStatus
from mineaction.challenges.tests import factories
from mineaction.stakeholders.models import Organisation


def walk_records():
    """A challenge raised by the member persona's organisation (still "identified", so that
    organisation may edit it), its document, and a draft, an open and a closed round."""
    organisation = Organisation.objects.get(name="Clear Fields Association")
    challenge = factories.make_challenge("Walk challenge", organisation)
    document = ChallengeDocument(challenge=challenge, title="Walk evidence")
    document.file.save("walk.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {
        "challenge": challenge,
        "document": document,
        "draft_round": factories.make_round("Walk draft round", [challenge]),
        "open_round": factories.make_round("Walk open round", [challenge], status=RoundStatus.OPEN),
        "closed_round": factories.make_round(
            "Walk closed round", [challenge], status=RoundStatus.CLOSED, closes_in_days=-1
        ),
    }
