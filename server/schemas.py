"""Response and request shapes of the office routes (the laptop protocol lives in ``app.sync.protocol``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.sync.protocol import RequestModel, Version


class RecordOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: str
    entity_id: str
    version: int
    seq: int
    deleted: bool
    data: dict[str, Any] | None


class RecordList(BaseModel):
    records: list[RecordOut]
    next_after: str | None = Field(description="Pass as ``after`` for the next page; null at the end.")


class EnterpriseEdit(RequestModel):
    """An office edit of an enterprise: registry fields apply, observed facts by the latest observation."""

    fields: dict[str, Any] = Field(description="name, uscc, address, industry, headcount, contact_name, …")
    base_version: Version | None = None


class ConflictOut(BaseModel):
    id: int
    entity: str
    entity_id: str
    field: str
    proposed_value: str | None
    server_value: str | None
    resolution: str
    is_proposal: bool
    created_at: str


class ConflictList(BaseModel):
    conflicts: list[ConflictOut]
