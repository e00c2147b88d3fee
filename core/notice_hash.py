"""The content hash of a signed notice: computed on the laptop when it is signed, recomputed by the server before it
accepts the signed state, verified by the public QR page. One definition, so the three can never disagree.

It covers exactly what the notice says and who signed it: the printed content, the number, both signers with the
SHA-256 of their signature images, and the signing time (ISO 8601, UTC), as canonical JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_json(value: Any) -> bytes:
    """The one serialisation that is hashed: sorted keys, no whitespace, UTF-8 (not ASCII-escaped)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def notice_signed_content(notice: Mapping[str, Any]) -> dict[str, Any]:
    """What the hash covers, from a notice's fields as they travel (a mutation's payload, the laptop's row)."""
    return {
        "content": notice.get("content"),
        "number": notice.get("number"),
        "signatures": {
            "coordinator": {
                "signer": notice.get("coordinator_signer"),
                "sha256": notice.get("coordinator_signature_sha256"),
            },
            "enterprise": {
                "signer": notice.get("enterprise_signer"),
                "sha256": notice.get("enterprise_signature_sha256"),
            },
        },
        "signed_at": notice.get("signed_at"),
    }


def notice_content_hash(notice: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(notice_signed_content(notice))).hexdigest()
