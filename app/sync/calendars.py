"""Holiday schedules the office published, from the change feed, validated at the edge (SYNC.md).

A ``holiday_calendar`` row is data from the network: it is read through the protocol's
:class:`app.sync.protocol.HolidayCalendar` (the same checks the server made, :func:`core.workdays.schedule_problems`)
before it is kept; one that does not match is refused and a conflict-log entry says so (the year's last good
schedule stays). A newer publication of a year replaces the older. Schedules are never taken back (deadlines
already counted by one stay as they were) and nothing here is pushed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.models.setting import save_holiday_schedule
from app.sync.outbox import log_conflict

if TYPE_CHECKING:
    from app.sync.protocol import ChangeRow

CALENDAR_ENTITY = "holiday_calendar"


def apply_calendar(session: Session, row: ChangeRow) -> None:
    from app.sync.protocol import HolidayCalendar

    if row.op == "delete" or not row.data:
        return
    try:
        calendar = HolidayCalendar.model_validate(row.data)
    except ValidationError as error:
        log_conflict(
            session,
            entity=CALENDAR_ENTITY,
            entity_id=row.entity_id,
            field_name="content",
            local=None,
            server=None,
            resolution=f"区办发布的节假日安排格式不正确，未采用（{error.error_count()} 处错误）",
        )
        return
    save_holiday_schedule(session, calendar.schedule())
