"""Photo masking: regions blacked out before anything is hashed or stored; the unmasked image is never written."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from app.audit.attachments import AttachmentRejected, add_photo, prepare_photo
from app.models import Blob, Coordinator, Enterprise
from app.services.workspace import Workspace


def _document_photo(width: int = 400, height: int = 300, orientation: int | None = None) -> bytes:
    """A white page with a bright red band where an ID number would be (x 100–300, y 120–160)."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste((220, 20, 20), (100, 120, 300, 160))
    out = io.BytesIO()
    if orientation is None:
        image.save(out, "JPEG", quality=95)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def _stored_image(ws: Workspace, sha256: str) -> Image.Image:
    return Image.open(io.BytesIO(ws.blobs.get(sha256))).convert("RGB")


def _audit(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> str:
    from app.audit.visits import start_audit
    from tests.conftest import VISIT_DAY

    with ws.db.session() as session:
        return start_audit(session, enterprise_id=enterprise.id, coordinator_id=coordinator.id, visit_date=VISIT_DAY).id


def test_masked_region_is_black_in_the_stored_blob_and_the_rest_is_kept(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    audit_id = _audit(ws, coordinator, enterprise)
    data = _document_photo()
    with ws.db.session() as session:
        attachment = add_photo(
            session,
            ws.blobs,
            audit_id=audit_id,
            item_id=None,
            data=data,
            original_name="身份证复印件.jpg",
            mask=[(90, 110, 220, 60)],
        )
        sha = attachment.sha256
    stored = _stored_image(ws, sha)
    for point in ((100, 120), (200, 140), (299, 159)):
        assert max(stored.getpixel(point)) < 30  # type: ignore[arg-type]
    assert min(stored.getpixel((20, 20))) > 225  # type: ignore[arg-type]
    unmasked = prepare_photo(data)
    assert not ws.blobs.has(hashlib.sha256(unmasked.data).hexdigest())
    assert hashlib.sha256(ws.blobs.get(sha)).hexdigest() == sha


def test_mask_coordinates_are_in_the_upright_photo(
    ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    """A phone photo stored sideways with an EXIF rotation is masked where the coordinator saw the region."""
    audit_id = _audit(ws, coordinator, enterprise)
    data = _document_photo(orientation=6)  # shown rotated 90° clockwise: 300 wide, 400 high
    upright = prepare_photo(data)
    assert (upright.width, upright.height) == (300, 400)
    with ws.db.session() as session:
        sha = add_photo(
            session,
            ws.blobs,
            audit_id=audit_id,
            item_id=None,
            data=data,
            original_name="p.jpg",
            mask=[(0, 0, 150, 400)],
        ).sha256
        blob = session.get_one(Blob, sha)
        assert (blob.width, blob.height) == (300, 400)
    stored = _stored_image(ws, sha)
    assert max(stored.getpixel((140, 200))) < 30  # type: ignore[arg-type]
    assert min(stored.getpixel((280, 10))) > 225  # type: ignore[arg-type]


def test_a_mask_partly_outside_the_photo_is_clipped_and_a_malformed_one_refused() -> None:
    data = _document_photo()
    clipped = Image.open(io.BytesIO(prepare_photo(data, mask=[(-50, -50, 100, 100)]).data)).convert("RGB")
    assert max(clipped.getpixel((10, 10))) < 30  # type: ignore[arg-type]
    with pytest.raises(AttachmentRejected, match="大于 0"):
        prepare_photo(data, mask=[(10, 10, 0, 5)])
    with pytest.raises(AttachmentRejected, match="格式"):
        prepare_photo(data, mask=[(10, 10, 5)])  # type: ignore[list-item]
