"""The committed OpenAPI snapshot: a change of the API's schema must be a deliberate one."""

import json
import os
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from mineaction.api import api
from mineaction.core.api import PROBLEM_DETAILS, PROBLEM_TITLES

SNAPSHOT = Path(__file__).with_name("openapi.json")
REGENERATE = "UPDATE_OPENAPI_SNAPSHOT=1 uv run --frozen pytest -q " + str(
    Path("mineaction", "core", "tests", Path(__file__).name)
)


def current_schema():
    encoded = json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder, indent=2, sort_keys=True)
    return encoded + "\n"


def test_openapi_schema_matches_the_committed_snapshot(db):
    schema = current_schema()
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(schema, encoding="utf-8")

    assert json.loads(schema) == json.loads(SNAPSHOT.read_text(encoding="utf-8")), (
        "The API's OpenAPI schema changed. If the change is intended, regenerate the snapshot "
        f"with `{REGENERATE}`, review its diff and commit it."
    )


def test_every_documented_error_status_has_a_problem_title_and_detail(db):
    """A problem answered with a status the API documents gets its own title, not "Error"."""
    documented = {
        int(status)
        for operations in api.get_openapi_schema()["paths"].values()
        for operation in operations.values()
        for status in operation.get("responses", {})
        if int(status) >= 400
    }
    assert documented - set(PROBLEM_TITLES) == set()
    assert set(PROBLEM_TITLES) == set(PROBLEM_DETAILS)
    assert 410 in documented
    assert str(PROBLEM_TITLES[410]) == "Gone"


def _schema_classes(base):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _schema_classes(subclass)


def test_no_two_different_schemas_share_a_name(db):
    """The OpenAPI document names each schema by its class name: two different schemas of the
    same name would make one app's endpoints point at another app's shape."""
    from ninja import Schema

    api.get_openapi_schema()  # every router imported
    shapes = {}
    for schema in _schema_classes(Schema):
        if not schema.__module__.startswith("mineaction."):
            continue
        shapes.setdefault(schema.__name__, {})[schema.__module__] = json.dumps(
            schema.model_json_schema(), sort_keys=True, default=str
        )
    clashes = {
        name: sorted(modules) for name, modules in shapes.items() if len(set(modules.values())) > 1
    }
    assert clashes == {}
