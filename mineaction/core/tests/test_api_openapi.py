"""The committed OpenAPI snapshot: a change of the API's schema must be a deliberate one."""

import json
import os
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from mineaction.api import api

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
