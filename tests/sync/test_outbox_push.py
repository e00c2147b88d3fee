"""The push as the outbox writes it: the body written around the stored payload texts says exactly what the
protocol models would, and a row the server would refuse (NUL, NaN) is held back on the laptop with its reason
while the rest of the outbox syncs — and goes once it is fixed. A server that checks at its edge (protocol 2) is
left the check of every batch, and only a batch it refuses is checked on the laptop; an older server's batches
are all checked before they go."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from app.models import OutboxEntry
from app.sync.client import SyncClient, SyncError
from app.sync.outbox import HELD_BACK, next_batch, prepare_batch, read_pending, to_mutation
from app.sync.protocol import PushRequest, PushResponse, ServerInfo
from app.sync.service import device_id, sync_status
from server.models import AppliedMutation, Record
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District


class _Pushes(SyncClient):
    """A client against a server answering ``protocol`` to ``/info``, noting each push's fate (``ok`` or the code)."""

    protocol = 2
    fates: list[str]

    def info(self) -> ServerInfo:
        return super().info().model_copy(update={"protocol_version": self.protocol})

    def push_json(self, body: bytes) -> PushResponse:
        try:
            answer = super().push_json(body)
        except SyncError as error:
            self.fates.append(error.code)
            raise
        self.fates.append("ok")
        return answer


def _pushes(protocol: int, fates: list[str]) -> Any:
    def factory(server_url: str, token: str | None) -> SyncClient:
        client = _Pushes(server_url, token=token)
        client.protocol, client.fates = protocol, fates
        return client

    return factory


@pytest.mark.parametrize("server_protocol", [2, 1])
def test_the_written_body_is_the_protocol_request_and_bad_rows_are_held_back_not_blocking(
    district: District, laptop: Any, server_protocol: int
) -> None:
    a = laptop("李明")
    do_sync(a, "li")
    finished_audit(a, first_enterprise(a), photos=2)
    with a.db.session() as session:
        device = device_id(session)
        entries = next_batch(session, 0, 1000)
        expected = PushRequest(device_id=device, mutations=[to_mutation(entry) for entry in entries])
        batch = prepare_batch(device, read_pending(session, 0, 1000))
    assert PushRequest.model_validate_json(batch.body) == expected  # same request, built without re-encoding
    assert batch.held_back == []
    assert len(batch.hashes) == 2  # the photos, to upload before the batch
    assert len(entries) > 6

    # Two rows go bad on the laptop (a NUL in a note, a NaN in a payload), one early in the outbox, one late.
    bad_early, bad_late = entries[1], entries[-2]
    originals = {bad_early.seq: bad_early.payload, bad_late.seq: bad_late.payload}
    with a.db.session() as session:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq == bad_early.seq)
            .values(payload={**bad_early.payload, "note": "坏\x00字"})
        )
        session.execute(
            update(OutboxEntry).where(OutboxEntry.seq == bad_late.seq).values(payload={**bad_late.payload, "x": 1e400})
        )

    fates: list[str] = []
    # Small batches: each held-back row shares a batch, later ones follow.
    summary = do_sync(a, "li", batch_size=3, client_factory=_pushes(server_protocol, fates))
    if server_protocol >= 2:  # each batch with a bad row went unchecked, was refused once, then went without it
        assert fates.count("validation_error") == 2
    else:  # checked before it went: the server never saw a bad row
        assert "validation_error" not in fates
    assert fates.count("ok") == -(-len(entries) // 3)

    assert len(summary.errors) == 2, summary.errors
    assert all(HELD_BACK in error for error in summary.errors)
    assert "note：不能含有空字符（NUL）" in summary.errors[0]
    assert "x：数值必须是有限数" in summary.errors[1]
    assert summary.sent == len(entries) - 2
    with a.db.session() as session:
        assert sorted(session.scalars(select(OutboxEntry.seq))) == sorted(originals)
        assert sync_status(session).pending == 2
    with district.db.session() as session:
        applied = set(session.scalars(select(AppliedMutation.mutation_id)))
        assert bad_early.mutation_id not in applied
        assert bad_late.mutation_id not in applied
        assert {entry.mutation_id for entry in entries} - applied == {bad_early.mutation_id, bad_late.mutation_id}
        assert "\x00" not in json.dumps([r.data for r in session.scalars(select(Record))], ensure_ascii=False)

    with a.db.session() as session:  # fixed (as a later edit would rewrite them): judged again, sent
        for seq, payload in originals.items():
            session.execute(update(OutboxEntry).where(OutboxEntry.seq == seq).values(payload=payload))
    again = do_sync(a, "li")
    assert again.errors == []
    assert again.sent == 2
    with a.db.session() as session:
        assert session.scalar(select(OutboxEntry.seq)) is None
    with district.db.session() as session:
        applied = set(session.scalars(select(AppliedMutation.mutation_id)))
        assert {entry.mutation_id for entry in entries} <= applied


def test_a_refused_batch_with_no_row_at_fault_stops_the_sync_and_keeps_the_outbox(
    district: District, laptop: Any
) -> None:
    a = laptop("李明")
    do_sync(a, "li")
    finished_audit(a, first_enterprise(a))
    with a.db.session() as session:
        pending = sync_status(session).pending

    refused: list[bytes] = []

    class Refusing(SyncClient):
        """Refuses the first push (a second try would pass: it must not be made with nothing held back)."""

        def push_json(self, body: bytes) -> PushResponse:
            if not refused:
                refused.append(body)
                raise SyncError("服务器拒收：请求不符合协议", "validation_error", 422)
            return super().push_json(body)

    with pytest.raises(SyncError, match="服务器拒收"):
        do_sync(a, "li", client_factory=lambda url, token: Refusing(url, token=token))
    assert len(refused) == 1
    with a.db.session() as session:
        assert sync_status(session).pending == pending > 0
