"""The replay digest (issue 12): the server writes it around the payload's own canonical text, and that must give
exactly the digest earlier releases stored (a canonical encoding of the whole mutation), or a laptop replaying a
mutation applied before an upgrade would be answered "conflict" instead of "duplicate"."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.protocol import Mutation
from server.push import mutation_digest, payload_text

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
)
_json: st.SearchStrategy[Any] = st.recursive(
    _scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4), max_leaves=20
)


def _stored_digest(mutation: Mutation) -> str:
    """The definition as earlier releases computed it, restated here."""
    content = [mutation.seq, mutation.entity, mutation.entity_id, mutation.op, mutation.payload, mutation.base_version]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@settings(max_examples=200, deadline=None)
@given(
    payload=st.dictionaries(_text, _json, max_size=6),
    seq=st.integers(min_value=1, max_value=2**63 - 1),
    entity=_text.filter(bool),
    entity_id=_text.filter(bool),
    op=st.sampled_from(["insert", "update", "delete"]),
    base_version=st.none() | st.integers(min_value=0, max_value=2**31 - 1),
)
def test_the_digest_is_the_one_stored_before(
    payload: dict[str, Any], seq: int, entity: str, entity_id: str, op: str, base_version: int | None
) -> None:
    mutation = Mutation.model_validate(
        {
            "mutation_id": "m-1",
            "seq": seq,
            "entity": entity[:40],
            "entity_id": entity_id[:64],
            "op": op,
            "payload": payload,
            "base_version": base_version,
        }
    )
    expected = _stored_digest(mutation)
    assert mutation_digest(mutation) == expected
    assert mutation_digest(mutation, payload_text(mutation)) == expected
    assert json.loads(payload_text(mutation)) == mutation.payload


def test_a_float_anywhere_in_a_payload_made_in_process_keeps_the_standard_bytes() -> None:
    """orjson writes floats otherwise (``0.00001`` for ``1e-05``): a float inside a tuple (a payload built in
    process, not parsed from JSON) must still take the standard library's path."""
    mutation = Mutation.model_validate(
        {"mutation_id": "m-1", "seq": 1, "entity": "answer", "entity_id": "a", "op": "insert", "payload": {}}
    )
    mutation = mutation.model_copy(update={"payload": {"inputs": ({"rate": 1e-05},), "note": "中文"}})
    assert payload_text(mutation) == '{"inputs":[{"rate":1e-05}],"note":"中文"}'
    assert mutation_digest(mutation) == _stored_digest(mutation)
