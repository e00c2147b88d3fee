"""Small lists the pages offer in their filters: the district's campaigns, coordinators and checklist modules."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Record, User


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def campaigns(session: Session, district_id: int) -> list[Option]:
    rows = session.execute(
        select(Record.entity_id, Record.data).where(
            Record.entity == "campaign", Record.district_id == district_id, Record.deleted.is_(False)
        )
    ).all()
    found = [
        (str((data or {}).get("starts_on") or ""), Option(entity_id, str((data or {}).get("name") or entity_id)))
        for entity_id, data in rows
    ]
    return [option for _, option in sorted(found, key=lambda pair: pair[0], reverse=True)]


def coordinators(session: Session, district_id: int) -> list[Option]:
    rows = session.execute(
        select(User.id, User.display_name, User.username)
        .where(User.district_id == district_id, User.role == "coordinator", User.disabled.is_(False))
        .order_by(User.display_name, User.username)
    ).all()
    return [Option(str(user_id), display or username) for user_id, display, username in rows]


def coordinator_ids(session: Session, district_id: int) -> set[int]:
    return set(
        session.scalars(select(User.id).where(User.district_id == district_id, User.role == "coordinator")).all()
    )


def parse_int(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
