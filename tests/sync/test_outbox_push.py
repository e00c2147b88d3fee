"""The push as the outbox writes it: the body written around the stored payload texts says exactly what the
protocol models would, and a row the server would refuse (NUL, NaN) is held back on the laptop with its reason
while the rest of the outbox syncs — and goes once it is fixed."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from app.models import OutboxEntry
from app.sync.outbox import HELD_BACK, next_batch, prepare_batch, read_pending, to_mutation
from app.sync.protocol import PushRequest
from app.sync.service import device_id, sync_status
from server.models import AppliedMutation, Record
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District


def test_the_written_body_is_the_protocol_request_and_bad_rows_are_held_back_not_blocking(
    district: District, laptop: Any
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

    summary = do_sync(a, "li", batch_size=3)  # small batches: the held-back row shares a batch, later ones follow

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
