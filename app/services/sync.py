"""Sync and pull-back for both front ends, wired once: the name initials for search and the retention policy.

``laborcheck sync`` and the sync page call :func:`run_sync`; ``laborcheck audit pull-back`` and the archived
banner call :func:`pull_back`; both record consent to a server address through :func:`consent_to`. After a sync
anything shown may have changed, so the result says so (:data:`~app.services.changes.EVERYTHING`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.audit.enterprises import name_initials
from app.audit.retention import RestoreReport, restore_from_server, retention_for
from app.models import load_settings, save_settings
from app.services.changes import EVERYTHING, OpChanges, OpResult, ids
from app.services.workspace import Workspace
from app.sync import service
from app.sync.service import Cancel, SyncProgress, SyncSummary


def consent_to(ws: Workspace, server_url: str | None = None) -> OpChanges:
    """Record the coordinator's consent to sync with ``server_url`` (default: the address already stored)."""
    with ws.db.session() as session:
        if server_url is not None:
            save_settings(session, server_url=server_url.rstrip("/"), server_consent=True)
        else:
            save_settings(session, server_consent=True)
    return OpChanges(settings=True, sync=True)


def server_url(ws: Workspace) -> str:
    with ws.db.session() as session:
        return load_settings(session).server_url


def run_sync(
    ws: Workspace,
    progress: Callable[[SyncProgress], None] | None,
    cancel: Cancel,
    *,
    username: str | None = None,
    password: str | None = None,
    **options: Any,
) -> OpResult[SyncSummary]:
    """One sync (push, pull, retention); ``options`` go to :func:`app.sync.service.sync` (tests: a client)."""
    summary = service.sync(
        ws,
        progress,
        cancel,
        username=username,
        password=password,
        initials=name_initials,
        retention=retention_for(ws.db.session, ws.blobs),
        **options,
    )
    return OpResult(summary, EVERYTHING)


def pull_back(
    ws: Workspace, audit_id: str, *, username: str | None = None, password: str | None = None, **options: Any
) -> OpResult[RestoreReport]:
    """Fetch an archived audit's answers and photos back from the server and make it whole here."""
    report = service.pull_back(
        ws,
        audit_id,
        lambda found, fetch: restore_from_server(ws.db.session, ws.blobs, audit_id, found.records, fetch),
        username=username,
        password=password,
        **options,
    )
    return OpResult(report, OpChanges(audits=True, items=True, sync=True, audit_ids=ids([audit_id])))


__all__ = ["consent_to", "pull_back", "run_sync", "server_url"]
