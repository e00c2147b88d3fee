"""Opening a data directory: the one entry point shared by the GUI, the CLI and the tests.

Opening unlocks the directory's data key (keyring or passphrase, see :mod:`app.storage.keys`), converts a
directory made before encryption (:mod:`app.storage.encryption`), runs the database migrations and publishes any
packaged checklist version the database does not have yet, so a new build brings its templates with it while
audits already started keep the versions they pinned. The database and the attachments are encrypted at rest.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend
from sqlalchemy import select

import app.checklists
from app.config import Paths, resolve_paths
from app.db import Database, open_database
from app.models import Setting, Template
from app.storage.blobstore import ContentStore
from app.storage.durable_files import exclusive_lock
from app.storage.encrypted_blobstore import EncryptedBlobStore
from app.storage.encryption import migrate_to_encrypted, needs_migration, unlock_data_key
from app.storage.keys import Argon2Params, PassphraseSource

log = logging.getLogger(__name__)

PACKAGED_DIGEST_KEY = "_packaged_templates_digest"
PACKAGED_TEMPLATES = Path(app.checklists.__file__).resolve().parent / "templates"


@dataclass
class Workspace:
    paths: Paths
    db: Database
    blobs: ContentStore

    def close(self) -> None:
        self.db.close()


def _directory_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install_packaged_templates(db: Database, directory: Path | None = None) -> int:
    """Publish the packaged templates that are not in the database yet; returns how many were added.

    The YAML is parsed only when the packaged files differ from those last installed here (a digest of the
    files is kept), so an ordinary start does not pay for loading and validating every template.
    """
    directory = directory or PACKAGED_TEMPLATES
    files = _directory_digest(directory)
    with db.session() as session:
        marker = session.get(Setting, PACKAGED_DIGEST_KEY)
        if marker is not None and marker.value == files:
            return 0
    # Imported here: YAML and the schema cost a noticeable part of start-up and are rarely needed at all.
    from app.audit.template_store import TemplateConflict, publish
    from app.checklists.loader import content_hash, load_template_set, module_snapshot

    template_set = load_template_set(directory)
    added = 0
    with db.session() as session:
        known = {
            tuple(row) for row in session.execute(select(Template.module, Template.version, Template.content_hash))
        }
        for module in template_set.modules:
            snapshot = module_snapshot(template_set, module.module)
            if (module.module, module.version, content_hash(snapshot)) in known:
                continue
            try:
                with session.begin_nested():
                    publish(session, snapshot)
                added += 1
            except TemplateConflict as conflict:  # a server version took this number first: keep it, start anyway
                log.warning("packaged checklist not installed: %s", conflict)
        marker = session.get(Setting, PACKAGED_DIGEST_KEY)
        if marker is None:
            session.add(Setting(key=PACKAGED_DIGEST_KEY, value=files))
        else:
            marker.value = files
        return added


def open_workspace(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    passphrase: str | PassphraseSource | None = None,
    keyring: KeyringBackend | None = None,
    argon2_for_tests: Argon2Params | None = None,
) -> Workspace:
    """Open the data directory, encrypted at rest.

    ``passphrase`` is used only where the key is protected by one (no secure keyring): a string, or a source
    asked only when needed (the GUI's dialog); by default ``LABORCHECK_PASSPHRASE`` or a terminal prompt.
    ``keyring`` defaults to the system keyring. ``argon2_for_tests`` lowers the Argon2 cost of a *new*
    passphrase and exists for the tests only.
    """
    paths = resolve_paths(data_dir).ensure()
    with exclusive_lock(paths.root):
        key = unlock_data_key(paths, passphrase=passphrase, keyring=keyring, argon2_for_tests=argon2_for_tests)
        if needs_migration(paths):
            migrate_to_encrypted(paths, key)
    db = open_database(paths.database, key=key)
    install_packaged_templates(db)
    return Workspace(paths=paths, db=db, blobs=EncryptedBlobStore(paths.blobs, key))


@contextmanager
def workspace(
    data_dir: str | os.PathLike[str] | None = None, *, passphrase: str | PassphraseSource | None = None
) -> Iterator[Workspace]:
    ws = open_workspace(data_dir, passphrase=passphrase)
    try:
        yield ws
    finally:
        ws.close()
