"""schemathesis against the served OpenAPI document (bounded): no 5xx, every answer conforms to the schema."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from sqlalchemy import select

from app.sync.protocol import Role
from server import admin
from server.app import create_app
from server.config import ServerSettings
from server.db import open_server_database
from server.models import Device, User
from server.security import new_token, token_digest

FUZZ_PASSWORD = "fuzz-password"  # noqa: S105 (a test account)
_DIR = Path(tempfile.mkdtemp(prefix="laborcheck-fuzz-"))
_DB = open_server_database(f"sqlite:///{_DIR / 'server.db'}")
with _DB.session() as _session:
    admin.add_district(_session, "达川区")
    admin.add_user(_session, username="fuzz", password=FUZZ_PASSWORD, role=Role.OFFICE, district="达川区")
APP = create_app(ServerSettings(database_url=f"sqlite:///{_DIR / 'server.db'}", blob_dir=_DIR / "blobs"), database=_DB)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def _token() -> str:
    """A device registered directly in the database, so fuzzed requests get past authentication."""
    token = new_token()
    with _DB.session() as session:
        user = session.scalars(select(User).where(User.username == "fuzz")).one()
        session.add(Device(id="fuzz-device", user_id=user.id, token_hash=token_digest(token)))
    return token


TOKEN = _token()


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_never_fails_with_5xx_and_answers_by_its_schema(case: Any) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
