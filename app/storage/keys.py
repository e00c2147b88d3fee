"""The data key of a data directory, and how it is kept: wrapped, in ``key.json``, never in clear.

Every data directory has one random 256-bit *data key*; it encrypts the database (SQLCipher, raw key) and the
attachments (AES-256-GCM). ``key.json`` holds the data key *wrapped* (AES-256-GCM) by a *wrapping key* that lives
elsewhere:

* ``keyring`` — a random wrapping key in the operating system's keyring (service ``LaborCheck``, one entry per
  data directory, named by the directory's ``key_id``). The coordinator is never asked for anything. ``key.json``
  says ``keyring`` only after a fresh instance of the backend has read the wrapping key back
  (:func:`app.storage.keyring_store.store_secret`): a keyring that forgets would lock the directory for good.
* ``passphrase`` — wherever that does not hold (headless Linux: keyring's ``fail`` backend, a plaintext store, a
  backend that does not keep what it is given), the wrapping key is derived from a passphrase with Argon2id; the
  app asks at start and says why.

Changing the passphrase re-wraps the same data key, so no data is rewritten. The header fields of ``key.json``
(format, key id, method, KDF parameters) are the AES-GCM associated data: editing them breaks the unwrap instead
of, say, silently weakening the KDF. A wrong passphrase is :class:`WrongPassphrase`; nothing is ever created over
an existing encrypted database whose key file is missing (:class:`KeyFileMissing`).
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.backend import KeyringBackend

from app.storage.aead import KEY_SIZE, NONCE_SIZE
from app.storage.durable_files import exclusive_lock, write_atomically
from app.storage.keyring_store import (
    delete_secret,
    read_secret,
    secure_keyring_available,
    store_secret,
    system_keyring,
)
from core.errors import LaborCheckError

SERVICE = "LaborCheck"
KEY_FILE = "key.json"
FORMAT = 1
ENV_PASSPHRASE = "LABORCHECK_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret
MIN_PASSPHRASE_LENGTH = 8
METHOD_KEYRING = "keyring"
METHOD_PASSPHRASE = "passphrase"  # noqa: S105 - a method name

NO_SECURE_KEYRING = (
    "本机没有安全的系统密钥环，无法替您保管数据加密密钥，因此需要一个口令来保护本机上的企业和职工信息"
    "（姓名、身份证号、工资、健康信息）。"
)
"""Why the app asks for a passphrase: shown above the prompt (GUI dialog, terminal)."""


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost. Production uses RFC 9106's second recommended option (t=3, 64 MiB, p=4)."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 4


PRODUCTION_ARGON2 = Argon2Params()


@dataclass(frozen=True)
class PassphraseRequest:
    """What the prompt must say: which directory, whether a new passphrase is being set (ask twice), and why."""

    data_dir: Path
    new: bool
    reason: str


PassphraseSource = Callable[[PassphraseRequest], str]
"""Asked only when a passphrase is needed: the GUI dialog, or :func:`default_passphrase_source`."""


class EncryptionKeyError(LaborCheckError):
    """Base of the key errors (shown to the coordinator as they are)."""


class WrongPassphrase(EncryptionKeyError):
    def __init__(self) -> None:
        super().__init__("口令不正确，无法解开本数据目录的加密密钥。请检查大小写、输入法后重试；数据没有被改动。")


class PassphraseRequired(EncryptionKeyError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{reason}请在终端中运行以输入口令，或通过环境变量 {ENV_PASSPHRASE} 提供口令（仅限脚本使用）。"
        )


class PassphraseTooShort(EncryptionKeyError):
    def __init__(self) -> None:
        super().__init__(f"口令太短：至少需要 {MIN_PASSPHRASE_LENGTH} 个字符。")


class PassphraseMismatch(EncryptionKeyError):
    def __init__(self) -> None:
        super().__init__("两次输入的口令不一致，请重新输入。")


class KeyringKeyMissing(EncryptionKeyError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"系统密钥环中找不到数据目录 {data_dir} 的加密密钥（可能换了电脑或系统账户），无法解密其中的数据。"
            "数据没有被改动；请在原来的电脑和账户上打开，或从服务器重新同步。"
        )


class KeyFileMissing(EncryptionKeyError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"数据目录 {data_dir} 中的数据库已加密，但缺少密钥文件 {KEY_FILE}，无法解密。"
            "为保护原有数据，程序不会新建数据库；请从备份中找回该文件。"
        )


class KeyFileDamaged(EncryptionKeyError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"密钥文件 {path} 已损坏或被改动（{detail}），无法解密数据；请从备份中找回该文件。")


# ------------------------------------------------------------------------------------------------ keyring


def _keyring_account(key_id: str) -> str:
    return f"data-key-{key_id}"


# ------------------------------------------------------------------------------------------------ passphrases


def passphrase_from_environment() -> str | None:
    """``LABORCHECK_PASSPHRASE`` for scripts (and the frozen build's self-test on a headless machine)."""
    return os.environ.get(ENV_PASSPHRASE) or None


def default_passphrase_source(request: PassphraseRequest) -> str:
    """For processes without a window: the environment variable, else a terminal prompt, else a clear error."""
    from_env = passphrase_from_environment()
    if from_env is not None:
        return from_env
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise PassphraseRequired(request.reason)
    sys.stderr.write(request.reason + "\n")
    first = getpass.getpass("请设置新口令：" if request.new else f"请输入数据目录 {request.data_dir} 的口令：")
    if request.new:
        check_new_passphrase(first)
        if getpass.getpass("请再次输入新口令：") != first:
            raise PassphraseMismatch
    return first


def prompt_new_passphrase(root: Path) -> str:
    """A new passphrase typed twice at the terminal (never from the environment: that holds the current one)."""
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise PassphraseRequired("设置新口令需要在终端中输入。")
    first = getpass.getpass(f"数据目录 {root} 的新口令：")
    check_new_passphrase(first)
    if getpass.getpass("请再次输入新口令：") != first:
        raise PassphraseMismatch
    return first


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise PassphraseTooShort


def _obtain(source: str | PassphraseSource | None, request: PassphraseRequest) -> str:
    if isinstance(source, str):
        return source
    return (source or default_passphrase_source)(request)


def derive_wrapping_key(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_SIZE,
        type=Type.ID,
    )


# ------------------------------------------------------------------------------------------------ the key file


def key_file_path(root: Path) -> Path:
    return Path(root) / KEY_FILE


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text, validate=True)


def _header(document: dict[str, Any]) -> dict[str, Any]:
    return {name: document[name] for name in ("format", "key_id", "method", "kdf")}


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _wrap(wrapping_key: bytes, data_key: bytes, header: dict[str, Any]) -> dict[str, Any]:
    nonce = os.urandom(NONCE_SIZE)
    wrapped = AESGCM(wrapping_key).encrypt(nonce, data_key, _aad(header))
    return {**header, "nonce": _b64(nonce), "wrapped_key": _b64(wrapped)}


def _unwrap(wrapping_key: bytes, document: dict[str, Any]) -> bytes:
    """The data key; raises ``InvalidTag`` when the wrapping key (or the header) is not the one it was wrapped with."""
    nonce = _unb64(document["nonce"])
    return AESGCM(wrapping_key).decrypt(nonce, _unb64(document["wrapped_key"]), _aad(_header(document)))


def _read_key_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise ValueError("not an object")
        if document.get("format") != FORMAT:
            raise ValueError(f"unknown format {document.get('format')!r}")
        if document.get("method") not in (METHOD_KEYRING, METHOD_PASSPHRASE):
            raise ValueError(f"unknown method {document.get('method')!r}")
        _header(document)
        _unb64(document["nonce"])
        _unb64(document["wrapped_key"])
    except (OSError, ValueError, KeyError) as error:
        raise KeyFileDamaged(path, type(error).__name__) from None
    return document


def _kdf_header(salt: bytes, params: Argon2Params) -> dict[str, Any]:
    return {"name": "argon2id", "salt": _b64(salt), **asdict(params)}


def _kdf_params(document: dict[str, Any], path: Path) -> tuple[bytes, Argon2Params]:
    kdf = document["kdf"]
    try:
        if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
            raise ValueError("unknown kdf")
        params = Argon2Params(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
        return _unb64(kdf["salt"]), params
    except (ValueError, KeyError, TypeError):
        raise KeyFileDamaged(path, "kdf") from None


def _wrap_with_passphrase(data_key: bytes, key_id: str, passphrase: str, params: Argon2Params) -> dict[str, Any]:
    salt = os.urandom(16)
    header = {"format": FORMAT, "key_id": key_id, "method": METHOD_PASSPHRASE, "kdf": _kdf_header(salt, params)}
    return _wrap(derive_wrapping_key(passphrase, salt, params), data_key, header)


def _wrap_with_keyring(data_key: bytes, key_id: str, backend: KeyringBackend) -> dict[str, Any] | None:
    """Wrap under a new random key kept in the keyring; None unless the keyring provably keeps it."""
    wrapping_key = os.urandom(KEY_SIZE)
    if not store_secret(backend, SERVICE, _keyring_account(key_id), wrapping_key.hex()):
        return None
    header = {"format": FORMAT, "key_id": key_id, "method": METHOD_KEYRING, "kdf": None}
    return _wrap(wrapping_key, data_key, header)


def _serialise(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def key_method(root: Path) -> str | None:
    """``keyring``, ``passphrase``, or None when the directory has no key yet."""
    path = key_file_path(root)
    return str(_read_key_file(path)["method"]) if path.is_file() else None


def create_data_key(
    root: Path,
    *,
    passphrase: str | PassphraseSource | None = None,
    keyring: KeyringBackend | None = None,
    argon2_for_tests: Argon2Params | None = None,
) -> bytes:
    """Make the directory's data key and write ``key.json``.

    The keyring is used when it is secure, keeps the wrapping key (read back from a fresh backend instance) and no
    passphrase was given as a string (an explicit passphrase is the caller's choice); otherwise a new passphrase
    is asked for (``request.new``: ask twice).
    """
    root = Path(root)
    backend = keyring if keyring is not None else system_keyring()
    data_key = os.urandom(KEY_SIZE)
    key_id = uuid.uuid4().hex
    document = None
    if not isinstance(passphrase, str):
        document = _wrap_with_keyring(data_key, key_id, backend)
    if document is None:
        chosen = _obtain(passphrase, PassphraseRequest(root, new=True, reason=NO_SECURE_KEYRING))
        check_new_passphrase(chosen)
        document = _wrap_with_passphrase(data_key, key_id, chosen, argon2_for_tests or PRODUCTION_ARGON2)
    write_atomically(key_file_path(root), _serialise(document))
    return data_key


def load_data_key(
    root: Path,
    *,
    passphrase: str | PassphraseSource | None = None,
    keyring: KeyringBackend | None = None,
) -> bytes:
    """Unwrap the data key of ``root`` (which must have a ``key.json``)."""
    root = Path(root)
    path = key_file_path(root)
    document = _read_key_file(path)
    if document["method"] == METHOD_KEYRING:
        backend = keyring if keyring is not None else system_keyring()
        stored = read_secret(backend, SERVICE, _keyring_account(str(document["key_id"])))
        if not stored:
            raise KeyringKeyMissing(root)
        try:
            return _unwrap(bytes.fromhex(stored), document)
        except (InvalidTag, ValueError):
            raise KeyringKeyMissing(root) from None
    salt, params = _kdf_params(document, path)
    chosen = _obtain(passphrase, PassphraseRequest(root, new=False, reason=NO_SECURE_KEYRING))
    try:
        return _unwrap(derive_wrapping_key(chosen, salt, params), document)
    except InvalidTag:
        raise WrongPassphrase from None


def change_passphrase(
    root: Path,
    new_passphrase: str,
    *,
    current: str | PassphraseSource | None = None,
    keyring: KeyringBackend | None = None,
    argon2_for_tests: Argon2Params | None = None,
) -> None:
    """Re-wrap the same data key under ``new_passphrase``: ``key.json`` changes, no data file is touched.

    Also moves a keyring-protected directory to a passphrase (to carry it to a machine without a keyring).
    """
    check_new_passphrase(new_passphrase)
    root = Path(root)
    with exclusive_lock(root):  # not while the app is converting or creating the key
        document = _read_key_file(key_file_path(root))
        data_key = load_data_key(root, passphrase=current, keyring=keyring)
        rewrapped = _wrap_with_passphrase(
            data_key, str(document["key_id"]), new_passphrase, argon2_for_tests or PRODUCTION_ARGON2
        )
        write_atomically(key_file_path(root), _serialise(rewrapped))
    if document["method"] == METHOD_KEYRING:
        backend = keyring if keyring is not None else system_keyring()
        delete_secret(backend, SERVICE, _keyring_account(str(document["key_id"])))


__all__ = [
    "ENV_PASSPHRASE",
    "KEY_FILE",
    "NO_SECURE_KEYRING",
    "PRODUCTION_ARGON2",
    "SERVICE",
    "Argon2Params",
    "EncryptionKeyError",
    "KeyFileDamaged",
    "KeyFileMissing",
    "KeyringKeyMissing",
    "PassphraseMismatch",
    "PassphraseRequest",
    "PassphraseRequired",
    "PassphraseSource",
    "PassphraseTooShort",
    "WrongPassphrase",
    "change_passphrase",
    "check_new_passphrase",
    "create_data_key",
    "default_passphrase_source",
    "key_file_path",
    "key_method",
    "load_data_key",
    "passphrase_from_environment",
    "prompt_new_passphrase",
    "secure_keyring_available",
]
