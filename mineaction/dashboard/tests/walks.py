"""The apps' parts of the every-URL walk (`test_every_url.py`).

An app with a walk has `tests/walk.py` with `walk_records()` (one record of each kind its URLs
name, keyed by a short name) and, next to it, `walk_<part>.py` modules that declare for their own
URL names:
- `EXPECTED`: {(url name, method): expected status per persona}, built with `outcomes`;
- `URL_RECORDS`: {url name: key of `walk_records()`, passed as `public_id`, or None};
- `URL_ARGUMENTS` (optional): {url name: other URL arguments}, such as {"kind": "hazards"}.
"""

import importlib
import pkgutil

APPS = (
    "landrelease",
    "challenges",
    "workplans",
    "policies",
    "partnerships",
    "funding",
    "dashboard",
)


def _parts(app):
    package = importlib.import_module(f"mineaction.{app}.tests")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("walk_"):
            yield importlib.import_module(f"{package.__name__}.{module.name}")


def _merged(attribute):
    merged = {}
    for app in APPS:
        for part in _parts(app):
            values = getattr(part, attribute, {})
            if attribute == "URL_RECORDS":
                values = {name: (app, key) for name, key in values.items()}
            merged.update(values)
    return merged


def expected():
    return _merged("EXPECTED")


def url_records():
    """{url name: (app, record key or None)}."""
    return _merged("URL_RECORDS")


def url_arguments():
    return _merged("URL_ARGUMENTS")


def walk_records():
    """Every app's walk records, keyed "<app>_<key>"."""
    records = {}
    for app in APPS:
        try:
            walk = importlib.import_module(f"mineaction.{app}.tests.walk")
        except ModuleNotFoundError:
            continue
        records.update({f"{app}_{key}": record for key, record in walk.walk_records().items()})
    return records
