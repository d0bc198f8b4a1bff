"""The Article 5 part of the every-URL walk (`dashboard/tests/test_every_url.py`).

Each `walk_<part>.py` module next to this one declares, for its own URL names:
- `EXPECTED`: {(url name, method): expected status per persona}, built with the helpers of
  test_every_url (import them from there inside the module is circular: use `outcomes` below);
- `URL_RECORDS`: {url name: record key of `walk_records()`, or None for a URL without arguments};
- `URL_ARGUMENTS` (optional): {url name: other URL arguments}, such as {"kind": "hazards"}.
"""

import datetime
import importlib
import pkgutil

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


def _parts():
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("walk_"):
            yield importlib.import_module(f"{__package__}.{module.name}")


def expected():
    merged = {}
    for part in _parts():
        merged.update(part.EXPECTED)
    return merged


def url_records():
    merged = {}
    for part in _parts():
        merged.update(part.URL_RECORDS)
    return merged


def url_arguments():
    merged = {}
    for part in _parts():
        merged.update(getattr(part, "URL_ARGUMENTS", {}))
    return merged
