"""AES-256-GCM sealing of small files (attachments): ``MAGIC + nonce + ciphertext‖tag``.

A fresh random 96-bit nonce per seal (the data key seals far fewer than 2^32 files, so random nonces are safe).
The caller's ``aad`` binds a sealed file to its name, so swapping two encrypted files is detected as tampering.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"LCE1"
"""Format marker of a sealed file (LaborCheck Encrypted, version 1)."""
NONCE_SIZE = 12
TAG_SIZE = 16
OVERHEAD = len(MAGIC) + NONCE_SIZE + TAG_SIZE
KEY_SIZE = 32


class UnsealError(Exception):
    """The sealed bytes are not ours, were damaged, or belong to another key (not a user-facing error)."""


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_SIZE)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, MAGIC + aad)


def unseal(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < OVERHEAD or not sealed.startswith(MAGIC):
        raise UnsealError("not a sealed file")
    nonce = sealed[len(MAGIC) : len(MAGIC) + NONCE_SIZE]
    try:
        return AESGCM(key).decrypt(nonce, sealed[len(MAGIC) + NONCE_SIZE :], MAGIC + aad)
    except InvalidTag:
        raise UnsealError("authentication failed") from None


def plaintext_size(sealed_size: int) -> int:
    return sealed_size - OVERHEAD
