"""A hostile or broken client against the real server, on SQLite and PostgreSQL.

The server, its seeded districts and the laptops come from tests/sync/conftest.py (imported, not copied); this
file adds signed-in API sessions speaking raw HTTP, so a test can send what no honest client would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.sync.conftest import PASSWORD, District, database_url, district, laptop

__all__ = ["database_url", "district", "laptop"]

Api = Callable[..., httpx.Client]


@pytest.fixture
def api(district: District) -> Iterator[Api]:
    """A factory of signed-in clients: ``api("li")`` (a new device), ``api("li", device="d1")``, closed at the end."""
    opened: list[httpx.Client] = []

    def factory(username: str, device: str | None = None, **options: Any) -> httpx.Client:
        client = httpx.Client(base_url=district.server.url, timeout=30, **options)
        opened.append(client)
        device = device or f"{username}-{uuid.uuid4()}"
        answer = client.post("/auth/sign-in", json={"username": username, "password": PASSWORD, "device_id": device})
        assert answer.status_code == 200, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        client.headers["X-Device"] = device
        return client

    yield factory
    for client in opened:
        client.close()


def mutation(entity: str, entity_id: str, payload: dict[str, Any], seq: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "mutation_id": extra.pop("mutation_id", None) or str(uuid.uuid4()),
        "seq": seq,
        "entity": entity,
        "entity_id": entity_id,
        "op": extra.pop("op", "insert"),
        "payload": {"id": entity_id, **payload},
        **extra,
    }


def push(client: httpx.Client, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post("/sync/push", json={"device_id": client.headers["X-Device"], "mutations": list(mutations)})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def enterprise_of(district: District, prefix: str = "91511703") -> str:
    """An enterprise of 达川区 (``91511703``) or of 通川区 (``91511702``)."""
    return next(v for k, v in district.enterprises.items() if k.startswith(prefix))


def new_audit(client: httpx.Client, district: District, prefix: str = "91511703") -> str:
    audit_id = str(uuid.uuid4())
    payload = {"enterprise_id": enterprise_of(district, prefix), "status": "in_progress", "visit_date": "2026-11-10"}
    result = push(client, mutation("audit", audit_id, payload, base_version=1))[0]
    assert result["status"] == "applied", result
    return audit_id
