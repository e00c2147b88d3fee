"""schemathesis against the live server on SQLite and PostgreSQL, with hostile values mixed in: NUL characters,
non-finite numbers and integers past every column (issue 12). Bounded: a few examples per operation. Zero 5xx, and
every answer conforms to the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.security.conftest import Api
from tests.sync.conftest import District

EXAMPLES = 15
"""Examples per operation and database: enough to hit every hostile value somewhere, cheap enough for make test."""

HOSTILE = st.sampled_from(
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        2**63,
        -(2**63) - 1,
        2**31,
        10**30,
        "\x00",
        "a\x00b",
        "工\x00",
        "\n",
        "9" * 300,
    ]
)


def poisoned(value: Any) -> st.SearchStrategy[Any]:
    """``value`` with one leaf (anywhere inside it) replaced by a hostile value, or a hostile key added."""
    if isinstance(value, dict):
        added = st.tuples(st.sampled_from(["x", "a\x00"]), HOSTILE).map(lambda kv: {**value, kv[0]: kv[1]})
        if not value:
            return added
        keys = sorted(value)
        replaced = st.sampled_from(keys).flatmap(lambda k: poisoned(value[k]).map(lambda v: {**value, k: v}))
        return st.one_of(replaced, added)
    if isinstance(value, list):
        if not value:
            return HOSTILE.map(lambda v: [v])
        return st.integers(0, len(value) - 1).flatmap(
            lambda i: poisoned(value[i]).map(lambda v: [*value[:i], v, *value[i + 1 :]])
        )
    return HOSTILE


def flatmap_body(_context: Any, body: Any) -> st.SearchStrategy[Any]:
    if isinstance(body, dict | list):
        return st.one_of(st.just(body), poisoned(body))
    return st.just(body)


def flatmap_query(_context: Any, query: Any) -> st.SearchStrategy[Any]:
    if isinstance(query, dict) and query:
        return st.one_of(st.just(query), poisoned(query))
    return st.just(query)


def flatmap_path_parameters(_context: Any, parameters: Any) -> st.SearchStrategy[Any]:
    if isinstance(parameters, dict) and parameters:
        return st.one_of(st.just(parameters), poisoned(parameters).map(lambda p: {k: str(v) for k, v in p.items()}))
    return st.just(parameters)


@pytest.fixture
def token(api: Api) -> str:
    """An office account's token, so fuzzed requests get past authentication to the routes themselves."""
    return api("office").headers["Authorization"].removeprefix("Bearer ")


def test_hostile_input_never_gets_a_5xx_and_answers_follow_the_schema(district: District, token: str) -> None:
    schema = schemathesis.openapi.from_url(f"{district.server.url}/openapi.json")
    for hook in (flatmap_body, flatmap_query, flatmap_path_parameters):
        schema.hook(hook)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            extra: dict[str, Any] = {}
            if isinstance(case.body, dict | list):  # NaN and Infinity go out as the literals a broken client sends
                extra["data"] = json.dumps(case.body, allow_nan=True).encode()
                case.headers = {**(case.headers or {}), "Content-Type": "application/json"}
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
                **extra,
            )

        try:
            call()
        except Exception as error:  # every failing operation is reported, not only the first
            failures.append(f"{operation.label}: {error}")
    assert failures == []
