"""Opening a data directory: the one entry point shared by the GUI, the CLI and the tests.

Opening runs the database migrations and publishes any packaged checklist version the database does not have
yet, so a new build brings its templates with it while audits already started keep the versions they pinned.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.audit.blobstore import BlobStore
from app.audit.template_store import install_template_set
from app.checklists.loader import content_hash, default_template_dir, load_template_set, module_snapshot
from app.config import Paths, resolve_paths
from app.db import Database, open_database
from app.models import Template


@dataclass
class Workspace:
    paths: Paths
    db: Database
    blobs: BlobStore

    def close(self) -> None:
        self.db.close()


def install_packaged_templates(db: Database, directory: Path | None = None) -> int:
    """Publish the packaged templates that are not in the database yet; returns how many were added."""
    template_set = load_template_set(directory or default_template_dir())
    with db.session() as session:
        known = {
            tuple(row)
            for row in session.execute(select(Template.module, Template.version, Template.content_hash)).all()
        }
        wanted = {
            (m.module, m.version, content_hash(module_snapshot(template_set, m.module))) for m in template_set.modules
        }
        if wanted <= known:
            return 0
        return len(install_template_set(session, template_set))


def open_workspace(data_dir: str | os.PathLike[str] | None = None) -> Workspace:
    paths = resolve_paths(data_dir).ensure()
    db = open_database(paths.database)
    install_packaged_templates(db)
    return Workspace(paths=paths, db=db, blobs=BlobStore(paths.blobs))


@contextmanager
def workspace(data_dir: str | os.PathLike[str] | None = None) -> Iterator[Workspace]:
    ws = open_workspace(data_dir)
    try:
        yield ws
    finally:
        ws.close()
