"""The Article 5 records of the every-URL walk; see `dashboard/tests/walks.py`."""

import datetime

from django.core.files.base import ContentFile

from mineaction.landrelease.models import ImportJob, ImportKind, ImportMapping
from mineaction.landrelease.tests import factories


def walk_records():
    """One record of each kind, for the URLs that name one (keys are URL_RECORDS values)."""
    region = factories.make_admin_area("WALK01", name="Walk region")
    hazard = factories.make_hazard("WALK-HA-1", admin_area=region)
    release = factories.make_release(
        hazard, 1000, datetime.date(2024, 5, 1), external_id="WALK-LR-1"
    )
    milestone = factories.make_milestone(2025, 50_000)
    mapping = ImportMapping.objects.create(
        name="Walk mapping", kind=ImportKind.HAZARDS, columns={"external_id": "ID"}
    )
    job = ImportJob(kind=ImportKind.HAZARDS, original_name="walk.csv")
    job.file.save("walk.csv", ContentFile(b"external_id\n"), save=True)
    return {
        "admin_area": region,
        "hazard": hazard,
        "release": release,
        "milestone": milestone,
        "mapping": mapping,
        "import_job": job,
    }
