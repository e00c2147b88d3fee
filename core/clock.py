"""China time. Storage is UTC; deadlines, overdue days and printed dates are judged in Asia/Shanghai.

China has had no daylight saving since 1991, so a fixed UTC+8 offset is exact and needs no tz database (which a
Windows Python does not ship).
"""

from __future__ import annotations

import datetime as dt

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def china_today() -> dt.date:
    return dt.datetime.now(CHINA_TZ).date()


def china_date(moment: dt.datetime) -> dt.date:
    """The calendar day in China of an aware timestamp."""
    return moment.astimezone(CHINA_TZ).date()
