"""Trust in what is stored (issue 12): a signed notice is accepted only when its content hash is the hash of
what it says, so the public verification page can never vouch for a forged hash."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
from sqlalchemy import select

from app.audit.attachments import add_signature
from app.audit.notices import create_notice, sign_notice
from app.models import Notice
from app.sync.protocol import ErrorCode
from server.models import Record
from tests.security.conftest import Api, mutation, new_audit, push
from tests.sync._helpers import VISIT_DAY, do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District
from tests.unit.test_images import png_bytes


def test_a_signed_notice_with_a_forged_content_hash_is_refused(district: District, api: Api) -> None:
    li = api("li")
    audit_id = new_audit(li, district)
    forged = {
        "audit_id": audit_id,
        "number": "达川人社体检〔2026〕A3-009号",
        "status": "signed",
        "content": {"problems": [{"position": 1, "description": "未签订书面劳动合同"}]},
        "content_hash": "e" * 64,
        "signed_at": "2026-11-10T03:30:00+00:00",
    }
    notice_id = str(uuid.uuid4())
    answer = push(li, mutation("notice", notice_id, forged))[0]
    assert (answer["status"], answer["code"]) == ("rejected", ErrorCode.VALIDATION)
    with district.db.session() as session:
        assert session.get(Record, ("notice", notice_id)) is None
    page = httpx.get(f"{district.server.url}/verify/{notice_id}", params={"h": "e" * 64}).json()
    assert page["valid"] is False


def test_a_notice_signed_on_a_laptop_is_accepted_and_verifiable(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = finished_audit(ws, first_enterprise(ws), photos=0)
    with ws.db.session() as session:
        notice = create_notice(session, audit_id, issued_on=VISIT_DAY)
        mine = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 0)))
        theirs = add_signature(session, ws.blobs, png_bytes(color=(0, 0, 90)))
        sign_notice(
            session,
            notice.id,
            coordinator_signature_sha256=mine.sha256,
            enterprise_signer="王芳",
            enterprise_signature_sha256=theirs.sha256,
            signed_at=dt.datetime(2026, 11, 10, 3, 30, tzinfo=dt.UTC),
        )
        notice_id, content_hash = notice.id, notice.content_hash
    summary = do_sync(ws, "li")
    assert summary.errors == []
    with ws.db.session() as session:
        assert session.scalars(select(Notice.status).where(Notice.id == notice_id)).one() == "signed"
    page = httpx.get(f"{district.server.url}/verify/{notice_id}", params={"h": content_hash}).json()
    assert page["valid"] is True
