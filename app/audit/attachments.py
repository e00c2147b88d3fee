"""Evidence attached to an audit: photos of documents, scanned or PDF documents, and signature images.

Every image is decoded and re-encoded before it is stored, for three reasons:

* **Workers' privacy.** A phone photo carries EXIF metadata — the GPS position where it was taken, the device, the
  time — and often XMP and comments. Re-encoding writes only the pixels (and the colour profile), so none of that
  metadata reaches the blob store, the server or an exported bundle (个人信息保护法: capture only what the check
  needs).
* **Safety.** A file is opened only by the decoders of the formats we accept (never, e.g., the EPS plugin that
  calls Ghostscript); it must pass ``Image.verify`` and a full decode; an image whose pixel count is a
  decompression bomb is refused before it is decoded.
* **Size and orientation.** The EXIF orientation is applied to the pixels (so the stored photo is upright in
  every viewer) and the long edge is reduced to at most 2560 px: enough to read a payroll sheet, a fraction of
  the original's size on a laptop that keeps ~10 photos per visit.

Rows are added to the caller's session (nothing is committed here). The blob file is written to the store first:
if the caller then rolls back, an unreferenced file remains, which is harmless (content addressed, reused by the
next attempt) and can be collected later.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from app.models import Attachment, Blob, new_id, utcnow
from app.storage.blobstore import ContentStore
from core.errors import LaborCheckError

MAX_FILE_BYTES = 25 * 1024 * 1024
"""Largest file accepted (photo or document), before processing."""
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
MAX_LONG_EDGE = 2560
JPEG_QUALITY = 85
MAX_CAPTION_CHARS = 200
MAX_NAME_CHARS = 255

PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF")
"""Pillow format names accepted for photos. HEIC/HEIF is added when a Pillow plugin for it is installed."""

KIND_PHOTO = "photo"
KIND_DOCUMENT = "document"
KIND_SIGNATURE = "signature"

MIME_JPEG = "image/jpeg"
MIME_PNG = "image/png"
MIME_PDF = "application/pdf"


class AttachmentRejected(LaborCheckError):
    """A file the coordinator chose cannot be attached; the message says why and what to do."""


class AttachmentNotFound(LaborCheckError):
    pass


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    mime: str
    width: int
    height: int


def accepted_photo_formats() -> tuple[str, ...]:
    """The formats this installation can read: the fixed list, plus HEIF when a plugin (pillow-heif) registered it."""
    Image.init()
    return PHOTO_FORMATS + (("HEIF",) if "HEIF" in Image.OPEN else ())


def _formats_text(formats: tuple[str, ...]) -> str:
    names = {"WEBP": "WebP", "HEIF": "HEIC/HEIF"}
    text = "、".join(names.get(name, name) for name in formats)
    if "HEIF" not in formats:
        text += "（苹果手机的 HEIC 照片请先在手机上导出为 JPEG）"
    return text


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_size(data: bytes, limit: int, what: str) -> None:
    if not data:
        raise AttachmentRejected(f"{what}是空文件（0 字节），请重新选择或重新拍摄。")
    if len(data) > limit:
        raise AttachmentRejected(
            f"{what}过大：{_megabytes(len(data))}，超过 {limit // (1024 * 1024)} MB 的上限。请压缩或拆分后再添加。"
        )


def _open_image(data: bytes, formats: tuple[str, ...], what: str) -> Image.Image:
    """Decode ``data`` with only the accepted decoders; every failure becomes an :class:`AttachmentRejected`."""
    accepted = _formats_text(formats)
    try:
        with warnings.catch_warnings():
            # Above Image.MAX_IMAGE_PIXELS Pillow only warns; a file that large is refused, not decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(formats)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=list(formats))
            image.load()
    except UnidentifiedImageError:
        raise AttachmentRejected(f"{what}不是可识别的图片，或格式不受支持。支持的格式：{accepted}。") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentRejected(
            f"{what}的像素尺寸异常巨大（超过 {Image.MAX_IMAGE_PIXELS:,} 像素），可能是恶意构造的文件，已拒绝。"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise AttachmentRejected(f"{what}已损坏或不完整，无法读取，请重新拍摄或重新导出。") from None
    return image


def _rgb_for_jpeg(image: Image.Image) -> Image.Image:
    """JPEG holds L or RGB; transparency is flattened onto white (a screenshot's background is meant to be white)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("1", "I;16", "I", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, *, as_png: bool) -> StoredImage:
    """Encode pixels only: ``info`` (EXIF, XMP, comments, PNG text) is dropped; the ICC profile is kept for colour."""
    icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA", "L") else None
    image.info = {}
    out = io.BytesIO()
    if as_png:
        image.save(out, "PNG", icc_profile=icc_profile)
        mime = MIME_PNG
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc_profile)
        mime = MIME_JPEG
    return StoredImage(out.getvalue(), mime, image.width, image.height)


Rect = tuple[int, int, int, int]
"""A masked region ``(x, y, width, height)`` in pixels of the upright photo at its original size."""
MAX_MASK_RECTS = 200


def _check_mask(mask: Sequence[Rect], width: int, height: int) -> list[Rect]:
    """Rectangles clipped to the image; a malformed one is refused (a bug upstream, or a crafted call)."""
    if len(mask) > MAX_MASK_RECTS:
        raise AttachmentRejected(f"遮挡区域过多：{len(mask)} 个，最多 {MAX_MASK_RECTS} 个。")
    clipped: list[Rect] = []
    for rect in mask:
        if len(rect) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) for v in rect):
            raise AttachmentRejected("遮挡区域的格式不正确。")
        x, y, w, h = rect
        if w <= 0 or h <= 0:
            raise AttachmentRejected("遮挡区域的宽和高必须大于 0。")
        left, top = max(0, x), max(0, y)
        right, bottom = min(width, x + w), min(height, y + h)
        if right > left and bottom > top:
            clipped.append((left, top, right - left, bottom - top))
    return clipped


def apply_mask(image: Image.Image, mask: Sequence[Rect]) -> Image.Image:
    """Black out the rectangles (in the image's own pixels) on a copy; the original pixels are not kept."""
    masked = image.copy()
    draw = ImageDraw.Draw(masked)
    fill: int | tuple[int, ...] = 0 if masked.mode in ("L", "1", "I", "F") else (0,) * len(masked.getbands())
    if masked.mode in ("RGBA", "LA"):
        fill = (0,) * (len(masked.getbands()) - 1) + (255,)
    for x, y, w, h in _check_mask(mask, masked.width, masked.height):
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=fill)
    return masked


def prepare_photo(data: bytes, *, what: str = "照片", mask: Sequence[Rect] = ()) -> StoredImage:
    """Validate, orient, downscale and re-encode a photo as JPEG (quality 85), dropping all metadata incl. GPS.

    ``mask`` blacks out regions (ID numbers, bank accounts) in the upright photo's original pixels *before* it is
    scaled and encoded, so the stored bytes never contained what was masked.
    """
    _check_size(data, MAX_FILE_BYTES, what)
    image = _open_image(data, accepted_photo_formats(), what)
    try:
        if mask:
            upright = ImageOps.exif_transpose(image)
            upright = apply_mask(_rgb_for_jpeg(upright), mask)
            upright.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE), Image.Resampling.LANCZOS)
            return _encode(upright, as_png=False)
        image.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE), Image.Resampling.LANCZOS)
        upright = ImageOps.exif_transpose(image)
        return _encode(_rgb_for_jpeg(upright), as_png=False)
    finally:
        image.close()


def prepare_signature(data: bytes) -> StoredImage:
    """Validate a signature PNG and re-encode it as PNG (transparency kept, metadata dropped, long edge ≤ 2560)."""
    what = "签名图片"
    _check_size(data, MAX_SIGNATURE_BYTES, what)
    image = _open_image(data, ("PNG",), what)
    try:
        image.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE), Image.Resampling.LANCZOS)
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
            image = image.convert("RGBA")
        return _encode(image, as_png=True)
    finally:
        image.close()


def _clean_name(original_name: str) -> str:
    """The file's own name: a path (``C:\\Users\\张三\\…``) can name a person, so only the last part is kept."""
    name = PureWindowsPath(original_name.replace("/", "\\")).name.strip()
    return name[-MAX_NAME_CHARS:]


def _check_caption(caption: str) -> str:
    caption = caption.strip()
    if len(caption) > MAX_CAPTION_CHARS:
        raise AttachmentRejected(f"说明文字过长：{len(caption)} 字，最多 {MAX_CAPTION_CHARS} 字。")
    return caption


def _store_blob(
    session: Session, store: ContentStore, data: bytes, mime: str, width: int | None, height: int | None
) -> Blob:
    """Write the bytes to the store, then the Blob row (one row per content, however often it is attached)."""
    sha256 = store.put(data)
    blob = session.get(Blob, sha256)
    if blob is None:
        blob = Blob(sha256=sha256, size=len(data), mime=mime, width=width, height=height, created_at=utcnow())
        session.add(blob)
        session.flush()  # a second use of the same bytes in this transaction must find this row
    return blob


def restore_blob(session: Session, store: ContentStore, data: bytes) -> Blob:
    """Store bytes fetched back from the server (already checked against their hash) with their Blob row.

    They were accepted once (a processed photo, a PDF, a signature PNG); only the row's description is
    rebuilt here, from the bytes themselves.
    """
    if _is_pdf(data):
        return _store_blob(session, store, data, MIME_PDF, None, None)
    if data.startswith(b"\x1f\x8b"):
        return _store_blob(session, store, data, MIME_EVIDENCE, None, None)
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        return _store_blob(session, store, data, sheet_mime(data), None, None)
    with image:
        mime = Image.MIME.get(image.format or "", "application/octet-stream")
        width, height = image.size
    return _store_blob(session, store, data, mime, width, height)


def _attach(
    session: Session,
    blob: Blob,
    *,
    kind: str,
    audit_id: str,
    item_id: str | None,
    original_name: str,
    caption: str,
) -> Attachment:
    attachment = Attachment(
        id=new_id(),
        audit_id=audit_id,
        item_id=item_id,
        sha256=blob.sha256,
        kind=kind,
        caption=caption,
        original_name=_clean_name(original_name),
        created_at=utcnow(),
    )
    session.add(attachment)
    session.flush()
    return attachment


def add_photo(
    session: Session,
    store: ContentStore,
    *,
    audit_id: str,
    item_id: str | None,
    data: bytes,
    original_name: str,
    caption: str = "",
    mask: Sequence[Rect] = (),
) -> Attachment:
    """Attach a photo to an audit (and to a checklist item when ``item_id`` is given).

    The stored file is a new JPEG made from the pixels: upright, long edge ≤ 2560 px, and **without EXIF (GPS,
    device, time), XMP or comments** — workers' privacy. ``mask`` lists rectangles ``(x, y, w, h)`` in pixels
    of the upright photo at its original size that are blacked out before anything is hashed or stored (ID
    numbers, bank accounts): only the masked image is ever written. Raises :class:`AttachmentRejected` with the
    reason in Chinese for an empty, oversized (> 25 MB), unreadable, unsupported or decompression-bomb file.
    """
    caption = _check_caption(caption)
    prepared = prepare_photo(data, mask=mask)
    blob = _store_blob(session, store, prepared.data, prepared.mime, prepared.width, prepared.height)
    return _attach(
        session, blob, kind=KIND_PHOTO, audit_id=audit_id, item_id=item_id, original_name=original_name, caption=caption
    )


def _is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-")


def add_document(
    session: Session,
    store: ContentStore,
    *,
    audit_id: str,
    item_id: str | None,
    data: bytes,
    original_name: str,
    caption: str = "",
) -> Attachment:
    """Attach a document: a PDF (stored as it is) or an image of a document (processed exactly like a photo).

    A PDF is kept byte for byte because its content is the evidence; it is checked only by its ``%PDF-`` header.
    """
    caption = _check_caption(caption)
    what = "文件"
    _check_size(data, MAX_FILE_BYTES, what)
    if _is_pdf(data):
        blob = _store_blob(session, store, data, MIME_PDF, None, None)
    else:
        try:
            prepared = prepare_photo(data, what=what)
        except AttachmentRejected as error:
            raise AttachmentRejected(f"{error} 也可以添加 PDF 文件。") from None
        blob = _store_blob(session, store, prepared.data, prepared.mime, prepared.width, prepared.height)
    return _attach(
        session,
        blob,
        kind=KIND_DOCUMENT,
        audit_id=audit_id,
        item_id=item_id,
        original_name=original_name,
        caption=caption,
    )


KIND_SHEET = "sheet"
MAX_SHEET_BYTES = 300 * 1024 * 1024
"""A year of daily punches for 5,000 workers is ~70 MB of CSV; anything this size is a whole HR system."""
SHEET_MIMES = {
    b"PK\x03\x04": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"\xd0\xcf\x11\xe0": "application/vnd.ms-excel",
}
MIME_CSV = "text/csv"
MIME_EVIDENCE = "application/gzip"


def sheet_mime(data: bytes) -> str:
    """A spreadsheet's MIME type from its first bytes (zip: xlsx or ods, OLE: xls, otherwise text: csv)."""
    for magic, mime in SHEET_MIMES.items():
        if data.startswith(magic):
            return mime
    return MIME_CSV


def add_sheet(
    session: Session, store: ContentStore, *, audit_id: str, data: bytes, original_name: str, caption: str = ""
) -> Attachment:
    """Keep an enterprise's payroll or attendance file as evidence, byte for byte (its hash is the file's own).

    Stored like every attachment (encrypted at rest, synced, removed with the photos by retention); the caller
    has already read it as a spreadsheet (:mod:`app.wage_evidence.sheets`), so only the size is checked here.
    """
    caption = _check_caption(caption)
    if not data:
        raise AttachmentRejected("表格文件是空文件（0 字节）。")
    if len(data) > MAX_SHEET_BYTES:
        raise AttachmentRejected(
            f"表格文件过大：{_megabytes(len(data))}，超过 {MAX_SHEET_BYTES // (1024 * 1024)} MB 的上限。"
        )
    blob = _store_blob(session, store, data, sheet_mime(data), None, None)
    return _attach(
        session, blob, kind=KIND_SHEET, audit_id=audit_id, item_id=None, original_name=original_name, caption=caption
    )


def store_evidence(session: Session, store: ContentStore, data: bytes) -> Blob:
    """Keep a wage check's evidence table (compressed JSON) in the blob store, with its Blob row."""
    return _store_blob(session, store, data, MIME_EVIDENCE, None, None)


def add_signature(session: Session, store: ContentStore, png_bytes: bytes) -> Blob:
    """Store a handwritten signature (PNG from the signing pad) and return its Blob for a notice to reference.

    No Attachment row: a signature belongs to a notice (``coordinator_signature_sha256`` /
    ``enterprise_signature_sha256``), whose content hash covers the blob's hash.
    """
    prepared = prepare_signature(png_bytes)
    return _store_blob(session, store, prepared.data, prepared.mime, prepared.width, prepared.height)


def remove_attachment(session: Session, attachment_id: str) -> None:
    """Remove an attachment from its audit. The blob stays: a signed notice or another attachment may use it."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise AttachmentNotFound("找不到该附件，可能已被删除。")
    session.delete(attachment)


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LONG_EDGE",
    "PHOTO_FORMATS",
    "AttachmentNotFound",
    "AttachmentRejected",
    "Rect",
    "StoredImage",
    "accepted_photo_formats",
    "add_document",
    "add_photo",
    "add_sheet",
    "add_signature",
    "apply_mask",
    "prepare_photo",
    "prepare_signature",
    "remove_attachment",
    "sheet_mime",
    "store_evidence",
]
