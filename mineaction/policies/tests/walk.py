"""The policies records of the every-URL walk; see `dashboard/tests/walks.py`."""

import datetime

from mineaction.policies.tests import factories
from mineaction.stakeholders.models import Organisation


def walk_records():
    """An NMAS chapter lagging behind its IMAS (so every part of its page shows), the IMAS, and
    an advocacy action logged by the member persona's organisation (which may change it)."""
    imas = factories.make_imas("09.10", edition_date=datetime.date(2023, 2, 1))
    instrument = factories.make_chapter(
        "Walk clearance requirements",
        imas,
        followed=datetime.date(2019, 5, 1),
        reference="NMAS 09.10",
    )
    organisation = Organisation.objects.get(name="Clear Fields Association")
    return {
        "instrument": instrument,
        "imas": imas,
        "advocacy": factories.make_advocacy(instrument, organisation),
    }
