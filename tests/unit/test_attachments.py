"""Photos, documents and signatures: validation, orientation, downscaling, metadata stripping, refusals."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from app.audit import attachments
from app.audit.attachments import (
    AttachmentNotFound,
    AttachmentRejected,
    add_document,
    add_photo,
    add_signature,
    remove_attachment,
)
from app.db import Database, LocalSession
from app.models import Attachment, Audit, Blob
from app.storage.blobstore import BlobStore
from core.errors import LaborCheckError
from tests.unit._builders import add_audit, add_coordinator, add_enterprise, jpeg_bytes, open_test_database, png_bytes


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_test_database(tmp_path)
    yield database
    database.close()


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


@pytest.fixture
def audit_id(database: Database) -> str:
    with database.session() as session:
        audit = add_audit(session, enterprise=add_enterprise(session), coordinator=add_coordinator(session))
        return audit.id


@pytest.fixture
def session(database: Database) -> Iterator[LocalSession]:
    with database.session() as session:
        yield session


def _stored_image(store: BlobStore, sha: str) -> Image.Image:
    image = Image.open(io.BytesIO(store.get(sha)))
    image.load()
    return image


def _rotated_jpeg_with_gps() -> bytes:
    """A landscape-stored 300×100 JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6), with GPS.

    The left third is red, so upright (portrait 100×300) the *top* third must be red.
    """
    image = Image.new("RGB", (300, 100), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (31.0, 12.0, 0.0)}
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95, comment=b"taken at worker's home")
    return out.getvalue()


def test_a_photo_is_stored_with_its_blob_and_attachment_rows(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(
        session,
        store,
        audit_id=audit_id,
        item_id="CONTRACT-01",
        data=jpeg_bytes(640, 480),
        original_name="IMG_0001.JPG",
        caption="花名册第3页",
    )
    blob = session.get_one(Blob, attachment.sha256)
    assert (attachment.kind, attachment.caption, attachment.original_name) == ("photo", "花名册第3页", "IMG_0001.JPG")
    assert attachment.audit_id == audit_id
    assert attachment.item_id == "CONTRACT-01"
    assert (blob.mime, blob.width, blob.height) == ("image/jpeg", 640, 480)
    assert blob.size == store.size(blob.sha256) == len(store.get(blob.sha256))
    assert _stored_image(store, blob.sha256).format == "JPEG"


def test_an_exif_rotated_photo_is_stored_upright_without_exif_or_gps(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(
        session, store, audit_id=audit_id, item_id=None, data=_rotated_jpeg_with_gps(), original_name="a.jpg"
    )
    stored = _stored_image(store, attachment.sha256)
    assert stored.size == (100, 300)
    top_r, _, top_b = stored.getpixel((50, 40))  # type: ignore[misc]
    bottom_r, _, bottom_b = stored.getpixel((50, 260))  # type: ignore[misc]
    assert top_r > 200, "the red third must be on top once upright"
    assert top_b < 60
    assert bottom_b > 200
    assert bottom_r < 60
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert "comment" not in stored.info
    assert b"PhoneMaker" not in store.get(attachment.sha256)


def test_a_6000_by_4000_photo_is_downscaled_to_a_2560_pixel_long_edge(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(
        session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(6000, 4000), original_name="big.jpg"
    )
    blob = session.get_one(Blob, attachment.sha256)
    assert (blob.width, blob.height) == (2560, 1707)
    assert _stored_image(store, blob.sha256).size == (2560, 1707)


def test_a_portrait_png_screenshot_with_transparency_becomes_a_jpeg_on_white(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(
        session,
        store,
        audit_id=audit_id,
        item_id=None,
        data=png_bytes(1000, 3000, (0, 0, 0, 0)),
        original_name="screen.png",
    )
    stored = _stored_image(store, attachment.sha256)
    assert stored.format == "JPEG"
    assert stored.size == (853, 2560)
    assert stored.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("fmt", ["WEBP", "BMP", "TIFF"])
def test_other_accepted_formats_are_converted_to_jpeg(
    session: LocalSession, store: BlobStore, audit_id: str, fmt: str
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(out, fmt)
    attachment = add_photo(session, store, audit_id=audit_id, item_id=None, data=out.getvalue(), original_name="x")
    assert session.get_one(Blob, attachment.sha256).mime == "image/jpeg"


def test_the_same_photo_attached_twice_is_one_blob_and_two_attachments(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    data = jpeg_bytes()
    first = add_photo(session, store, audit_id=audit_id, item_id="A-1", data=data, original_name="a.jpg")
    second = add_photo(session, store, audit_id=audit_id, item_id="A-2", data=data, original_name="a.jpg")
    assert first.sha256 == second.sha256
    assert first.id != second.id
    assert session.scalar(select(func.count()).select_from(Blob)) == 1
    assert session.scalar(select(func.count()).select_from(Attachment)) == 2


def test_a_text_file_renamed_jpg_is_refused_naming_the_accepted_formats(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    with pytest.raises(AttachmentRejected) as raised:
        add_photo(
            session,
            store,
            audit_id=audit_id,
            item_id=None,
            data="这是一份文本文件，不是照片".encode(),
            original_name="photo.jpg",
        )
    message = str(raised.value)
    assert isinstance(raised.value, LaborCheckError)
    assert "不是可识别的图片" in message
    for name in ("JPEG", "PNG", "WebP", "BMP", "TIFF", "HEIC"):
        assert name in message
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not store.root.exists() or not any(p.is_file() for p in store.root.rglob("*"))


def test_an_empty_file_is_refused(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    with pytest.raises(AttachmentRejected, match="空文件"):
        add_photo(session, store, audit_id=audit_id, item_id=None, data=b"", original_name="empty.jpg")


def test_an_oversize_file_is_refused_saying_the_limit_and_its_size(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    data = jpeg_bytes() + b"\x00" * (25 * 1024 * 1024)
    with pytest.raises(AttachmentRejected) as raised:
        add_photo(session, store, audit_id=audit_id, item_id=None, data=data, original_name="huge.jpg")
    assert "25 MB" in str(raised.value)
    assert "25.0 MB" in str(raised.value)


def test_a_gif_is_refused_as_unsupported(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(AttachmentRejected, match="格式不受支持"):
        add_photo(session, store, audit_id=audit_id, item_id=None, data=out.getvalue(), original_name="a.gif")


def test_a_truncated_jpeg_is_refused_as_damaged(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    data = jpeg_bytes(800, 600)
    with pytest.raises(AttachmentRejected, match="损坏或不完整"):
        add_photo(session, store, audit_id=audit_id, item_id=None, data=data[: len(data) // 2], original_name="x")


def _png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb, detected before any pixel is decoded."""
    original = png_bytes(1, 1)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return original[:8] + struct.pack(">I", len(ihdr)) + chunk + crc + original[33:]


def test_a_decompression_bomb_is_refused(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    with pytest.raises(AttachmentRejected, match="像素尺寸异常巨大"):
        add_photo(
            session, store, audit_id=audit_id, item_id=None, data=_png_claiming_size(60_000, 60_000), original_name="b"
        )


def test_an_image_just_over_the_warning_threshold_is_refused_too(
    session: LocalSession, store: BlobStore, audit_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between MAX_IMAGE_PIXELS and twice that Pillow only warns; the warning must refuse, not decode.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(AttachmentRejected, match="像素尺寸异常巨大"):
        add_photo(session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(40, 40), original_name="w")


def test_a_path_in_the_original_name_keeps_only_the_file_name(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(
        session,
        store,
        audit_id=audit_id,
        item_id=None,
        data=jpeg_bytes(),
        original_name="C:\\Users\\张三\\Pictures\\IMG_0002.jpg",
    )
    assert attachment.original_name == "IMG_0002.jpg"


def test_a_caption_over_200_characters_is_refused(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    with pytest.raises(AttachmentRejected, match="说明文字过长"):
        add_photo(
            session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(), original_name="a", caption="字" * 201
        )


def test_a_pdf_document_is_stored_byte_for_byte(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    attachment = add_document(
        session, store, audit_id=audit_id, item_id="WAGE-03", data=pdf, original_name="工资表.pdf"
    )
    blob = session.get_one(Blob, attachment.sha256)
    assert attachment.kind == "document"
    assert (blob.mime, blob.width, blob.height) == ("application/pdf", None, None)
    assert store.get(blob.sha256) == pdf


def test_an_image_document_is_processed_like_a_photo(session: LocalSession, store: BlobStore, audit_id: str) -> None:
    attachment = add_document(
        session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(5000, 1000), original_name="scan.jpg"
    )
    blob = session.get_one(Blob, attachment.sha256)
    assert attachment.kind == "document"
    assert (blob.mime, blob.width, blob.height) == ("image/jpeg", 2560, 512)


def test_a_document_that_is_neither_pdf_nor_image_is_refused_mentioning_pdf(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    with pytest.raises(AttachmentRejected, match="PDF"):
        add_document(session, store, audit_id=audit_id, item_id=None, data=b"PK\x03\x04docx", original_name="a.docx")


def test_a_signature_is_a_png_blob_keeping_transparency(session: LocalSession, store: BlobStore) -> None:
    signature = png_bytes(300, 100, (0, 0, 0, 0))
    blob = add_signature(session, store, signature)
    assert (blob.mime, blob.width, blob.height) == ("image/png", 300, 100)
    stored = _stored_image(store, blob.sha256)
    assert stored.format == "PNG"
    assert stored.mode == "RGBA"
    assert stored.getpixel((1, 1)) == (0, 0, 0, 0)
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_signature_that_is_not_png_is_refused(session: LocalSession, store: BlobStore) -> None:
    with pytest.raises(AttachmentRejected, match="PNG"):
        add_signature(session, store, jpeg_bytes())


def test_removing_an_attachment_deletes_the_row_and_keeps_the_blob(
    session: LocalSession, store: BlobStore, audit_id: str
) -> None:
    attachment = add_photo(session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(), original_name="a")
    remove_attachment(session, attachment.id)
    session.flush()
    assert session.get(Attachment, attachment.id) is None
    assert session.get(Blob, attachment.sha256) is not None
    assert store.has(attachment.sha256)


def test_removing_an_unknown_attachment_is_a_clear_error(session: LocalSession) -> None:
    with pytest.raises(AttachmentNotFound, match="找不到该附件"):
        remove_attachment(session, "no-such-id")


def test_rows_are_committed_only_by_the_caller(database: Database, store: BlobStore, audit_id: str) -> None:
    session = database.sessions()
    add_photo(session, store, audit_id=audit_id, item_id=None, data=jpeg_bytes(), original_name="a")
    session.rollback()
    session.close()
    with database.session() as check:
        assert check.scalar(select(func.count()).select_from(Attachment)) == 0
        assert check.get(Audit, audit_id) is not None


def test_the_accepted_formats_include_heif_only_when_pillow_can_read_it() -> None:
    Image.init()
    assert ("HEIF" in attachments.accepted_photo_formats()) == ("HEIF" in Image.OPEN)
