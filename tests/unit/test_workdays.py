"""Deadlines in calendar days or Chinese working days, across official schedules, estimates and overrides."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.workdays import (
    Deadline,
    DeadlineError,
    WorkdayCalendar,
    compute_deadline,
    working_days_between,
)


@pytest.fixture
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


# ---------------------------------------------------------------------- the library's facts we rely on


def test_library_knows_the_2025_national_day_schedule() -> None:
    for day in _days(date(2025, 10, 1), date(2025, 10, 8)):
        assert not chinese_calendar.is_workday(day), day
    assert date(2025, 9, 28).weekday() == 6  # a Sunday worked
    assert chinese_calendar.is_workday(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == 5  # a Saturday worked
    assert chinese_calendar.is_workday(date(2025, 10, 11))
    assert not chinese_calendar.is_workday(date(2025, 9, 27))
    assert not chinese_calendar.is_workday(date(2025, 10, 12))


def test_library_knows_the_2026_national_day_schedule() -> None:
    for day in _days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not chinese_calendar.is_workday(day), day
    assert chinese_calendar.is_workday(date(2026, 10, 8))
    assert date(2026, 9, 20).weekday() == 6
    assert chinese_calendar.is_workday(date(2026, 9, 20))
    assert date(2026, 10, 10).weekday() == 5
    assert chinese_calendar.is_workday(date(2026, 10, 10))
    # 2026's Mid-Autumn Festival (Fri 25 September to Sun 27 September) falls just before it.
    for day in _days(date(2026, 9, 25), date(2026, 9, 27)):
        assert not chinese_calendar.is_workday(day), day


def test_library_has_no_schedule_for_2027_so_we_must_estimate_it() -> None:
    # When a chinesecalendar release adds 2027, this fails on purpose: move the "estimated" tests below to
    # the first year the library does not know.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))
    statutory = holidays.country_holidays("CN", years=2027)
    assert date(2027, 1, 1) in statutory  # 元旦, a Friday
    for day in _days(date(2027, 2, 5), date(2027, 2, 8)):  # 除夕 and 春节 初一 to 初三
        assert day in statutory, day
    # The 办法 grants weekday 补假 for 春节 days falling on the weekend (6 and 7 February 2027).
    assert date(2027, 2, 9) in statutory
    assert date(2027, 2, 10) in statutory
    assert date(2027, 2, 11) not in statutory


# ------------------------------------------------------------------------------------- working days


def test_five_working_days_before_national_day_2025_count_the_make_up_sunday(calendar: WorkdayCalendar) -> None:
    # Fri 26 Sep issued: Sun 28 (make-up), Mon 29, Tue 30, then the holiday, then Thu 9 and Fri 10 October.
    deadline = compute_deadline(date(2025, 9, 26), 5, working_days=True, calendar=calendar)
    assert deadline == Deadline(due=date(2025, 10, 10), days=5, working_days=True, estimated=False)


def test_five_working_days_over_national_day_2025_count_the_make_up_saturday(calendar: WorkdayCalendar) -> None:
    # Mon 29 Sep issued: Tue 30, Thu 9, Fri 10, Sat 11 October (make-up), then Mon 13 October.
    deadline = compute_deadline(date(2025, 9, 29), 5, working_days=True, calendar=calendar)
    assert deadline.due == date(2025, 10, 13)
    assert not deadline.estimated
    assert compute_deadline(date(2025, 9, 30), 5, working_days=True, calendar=calendar).due == date(2025, 10, 14)


def test_five_working_days_around_national_day_2026(calendar: WorkdayCalendar) -> None:
    # Fri 18 Sep issued: Sun 20 (make-up), Mon 21 to Thu 24.
    assert compute_deadline(date(2026, 9, 18), 5, working_days=True, calendar=calendar).due == date(2026, 9, 24)
    # Thu 24 Sep issued: Mid-Autumn 25-27, Mon 28 to Wed 30, holiday 1-7 October, Thu 8, Fri 9.
    assert compute_deadline(date(2026, 9, 24), 5, working_days=True, calendar=calendar).due == date(2026, 10, 9)
    # Tue 29 Sep issued: Wed 30, Thu 8, Fri 9, Sat 10 October (make-up), then Mon 12 October.
    deadline = compute_deadline(date(2026, 9, 29), 5, working_days=True, calendar=calendar)
    assert deadline == Deadline(due=date(2026, 10, 12), days=5, working_days=True, estimated=False)


def test_a_working_day_deadline_issued_on_a_holiday_starts_counting_the_next_day(
    calendar: WorkdayCalendar,
) -> None:
    assert compute_deadline(date(2025, 10, 3), 1, working_days=True, calendar=calendar).due == date(2025, 10, 9)


# ------------------------------------------------------------------------------------- calendar days


def test_calendar_deadline_landing_in_the_holiday_moves_to_the_first_working_day_after(
    calendar: WorkdayCalendar,
) -> None:
    # 26 Sep + 10 days = Mon 6 Oct 2025, inside the holiday that ends Wed 8 Oct.
    deadline = compute_deadline(date(2025, 9, 26), 10, working_days=False, calendar=calendar)
    assert deadline == Deadline(due=date(2025, 10, 9), days=10, working_days=False, estimated=False)


def test_calendar_deadline_on_a_weekend_rest_day_moves_to_monday(calendar: WorkdayCalendar) -> None:
    # Mon 13 Oct 2025 + 5 days = Sat 18 Oct, a rest day.
    assert compute_deadline(date(2025, 10, 13), 5, working_days=False, calendar=calendar).due == date(2025, 10, 20)


def test_calendar_deadline_on_a_make_up_saturday_stays_there(calendar: WorkdayCalendar) -> None:
    # 1 Oct 2025 + 10 days = Sat 11 Oct, a make-up working day.
    assert compute_deadline(date(2025, 10, 1), 10, working_days=False, calendar=calendar).due == date(2025, 10, 11)


def test_calendar_deadline_on_a_working_day_is_issue_date_plus_days(calendar: WorkdayCalendar) -> None:
    # Mon 3 Nov 2025 + 15 days = Tue 18 Nov; counting starts on 4 Nov, the day after issue.
    assert compute_deadline(date(2025, 11, 3), 15, working_days=False, calendar=calendar).due == date(2025, 11, 18)
    assert compute_deadline(date(2025, 11, 3), 1, working_days=False, calendar=calendar).due == date(2025, 11, 4)


# ------------------------------------------------------------------------------------- estimated years


def test_a_2027_working_day_deadline_is_estimated_and_skips_new_year_and_the_weekend(
    calendar: WorkdayCalendar,
) -> None:
    # Mon 28 Dec 2026 issued: 29, 30, 31 Dec (known), Fri 1 Jan 2027 元旦, weekend, Mon 4 and Tue 5 Jan.
    deadline = compute_deadline(date(2026, 12, 28), 5, working_days=True, calendar=calendar)
    assert deadline == Deadline(due=date(2027, 1, 5), days=5, working_days=True, estimated=True)


def test_a_2027_deadline_skips_the_statutory_spring_festival_days(calendar: WorkdayCalendar) -> None:
    # Wed 3 Feb 2027 issued: Thu 4; Fri 5 除夕 to Mon 8, and 补假 Tue 9 and Wed 10, are off; Thu 11, Fri 12.
    deadline = compute_deadline(date(2027, 2, 3), 3, working_days=True, calendar=calendar)
    assert deadline.due == date(2027, 2, 12)
    assert deadline.estimated


def test_a_calendar_deadline_is_estimated_only_when_its_last_days_are(calendar: WorkdayCalendar) -> None:
    inside_known_year = compute_deadline(date(2026, 12, 1), 29, working_days=False, calendar=calendar)
    assert inside_known_year.due == date(2026, 12, 30)
    assert not inside_known_year.estimated
    # 20 Dec 2026 + 12 days = Fri 1 Jan 2027 (元旦), then the weekend: Mon 4 Jan, estimated.
    into_2027 = compute_deadline(date(2026, 12, 20), 12, working_days=False, calendar=calendar)
    assert into_2027 == Deadline(due=date(2027, 1, 4), days=12, working_days=False, estimated=True)


def test_a_deadline_wholly_inside_known_years_is_not_estimated(calendar: WorkdayCalendar) -> None:
    assert not compute_deadline(date(2026, 12, 1), 20, working_days=True, calendar=calendar).estimated
    assert not calendar.is_estimated(date(2026, 12, 31))
    assert calendar.is_estimated(date(2027, 1, 1))
    assert calendar.is_estimated(date(2003, 6, 2))  # before the library's data too


def test_estimated_years_treat_plain_weekdays_as_working_and_weekends_as_rest(calendar: WorkdayCalendar) -> None:
    assert calendar.is_workday(date(2027, 3, 10))  # a Wednesday
    assert not calendar.is_workday(date(2027, 3, 13))  # a Saturday
    assert not calendar.is_workday(date(2027, 10, 1))  # 国庆节


# ------------------------------------------------------------------------------------------- overrides


def test_overrides_make_2027_known_and_honour_a_make_up_saturday() -> None:
    published = {day: False for day in _days(date(2027, 2, 5), date(2027, 2, 11))}
    published[date(2027, 2, 20)] = True  # a make-up working Saturday
    office = WorkdayCalendar(overrides=published, override_years=[2027])
    # Thu 18 Feb issued: Fri 19, Sat 20 (make-up), Mon 22, Tue 23, Wed 24.
    deadline = compute_deadline(date(2027, 2, 18), 5, working_days=True, calendar=office)
    assert deadline == Deadline(due=date(2027, 2, 24), days=5, working_days=True, estimated=False)
    estimate = compute_deadline(date(2027, 2, 18), 5, working_days=True, calendar=WorkdayCalendar())
    assert estimate == Deadline(due=date(2027, 2, 25), days=5, working_days=True, estimated=True)


def test_an_override_year_is_fully_known_from_the_overrides_and_the_weekday_rule() -> None:
    office = WorkdayCalendar(overrides={date(2027, 1, 1): False}, override_years=[2027])
    assert not office.is_workday(date(2027, 1, 1))
    # The estimate would call 3 May 2027 a 补假 day off; the office's published year does not list it.
    assert not WorkdayCalendar().is_workday(date(2027, 5, 3))
    assert office.is_workday(date(2027, 5, 3))
    assert not office.is_estimated(date(2027, 5, 3))
    assert not office.is_workday(date(2027, 5, 8))  # a Saturday without an override


def test_a_single_override_outside_an_override_year_is_known_but_its_neighbours_are_estimated() -> None:
    office = WorkdayCalendar(overrides={date(2028, 1, 3): False})
    assert not office.is_workday(date(2028, 1, 3))
    assert not office.is_estimated(date(2028, 1, 3))
    assert office.is_estimated(date(2028, 1, 4))


def test_overrides_take_precedence_over_the_library() -> None:
    office = WorkdayCalendar(overrides={date(2026, 10, 12): False})
    assert compute_deadline(date(2026, 9, 29), 5, working_days=True, calendar=office).due == date(2026, 10, 13)


# ---------------------------------------------------------------------------------------- immediate


@pytest.mark.parametrize("working_days", [True, False])
def test_zero_days_means_due_on_the_day_of_issue_even_on_a_holiday(
    working_days: bool, calendar: WorkdayCalendar
) -> None:
    for issued in (date(2025, 10, 1), date(2025, 9, 29), date(2027, 2, 6)):
        deadline = compute_deadline(issued, 0, working_days=working_days, calendar=calendar)
        assert deadline == Deadline(due=issued, days=0, working_days=working_days, estimated=False)


def test_negative_days_are_refused_with_a_chinese_message(calendar: WorkdayCalendar) -> None:
    with pytest.raises(DeadlineError, match="不能为负数"):
        compute_deadline(date(2025, 9, 29), -1, working_days=True, calendar=calendar)


def test_days_must_be_an_integer(calendar: WorkdayCalendar) -> None:
    with pytest.raises(TypeError):
        compute_deadline(date(2025, 9, 29), 2.5, working_days=True, calendar=calendar)  # type: ignore[arg-type]


def test_a_deadline_beyond_the_last_representable_date_is_refused(calendar: WorkdayCalendar) -> None:
    with pytest.raises(DeadlineError):
        compute_deadline(date(9999, 12, 30), 5, working_days=False, calendar=calendar)


# ------------------------------------------------------------------------------ working_days_between


def test_working_days_between_counts_after_the_start_up_to_and_including_the_end(
    calendar: WorkdayCalendar,
) -> None:
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 10), calendar) == 5
    assert working_days_between(date(2025, 9, 29), date(2025, 10, 11), calendar) == 4
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8), calendar) == 0
    assert working_days_between(date(2025, 10, 8), date(2025, 10, 9), calendar) == 1


def test_working_days_between_is_zero_for_the_same_or_an_earlier_date(calendar: WorkdayCalendar) -> None:
    assert working_days_between(date(2025, 10, 9), date(2025, 10, 9), calendar) == 0
    assert working_days_between(date(2025, 10, 13), date(2025, 10, 9), calendar) == 0


issue_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 6, 30))


@settings(max_examples=200, deadline=None)
@given(issue_dates, st.integers(min_value=1, max_value=40))
def test_a_working_day_deadline_lands_on_a_working_day_exactly_n_working_days_later(issued: date, days: int) -> None:
    calendar = WorkdayCalendar()
    deadline = compute_deadline(issued, days, working_days=True, calendar=calendar)
    assert calendar.is_workday(deadline.due)
    assert working_days_between(issued, deadline.due, calendar) == days
    assert working_days_between(issued, deadline.due - timedelta(days=1), calendar) == days - 1
    span = _days(issued + timedelta(days=1), deadline.due)
    assert deadline.estimated == any(calendar.is_estimated(day) for day in span)


@settings(max_examples=200, deadline=None)
@given(issue_dates, st.integers(min_value=1, max_value=90))
def test_a_calendar_deadline_is_the_first_working_day_on_or_after_issue_plus_n(issued: date, days: int) -> None:
    calendar = WorkdayCalendar()
    deadline = compute_deadline(issued, days, working_days=False, calendar=calendar)
    nominal = issued + timedelta(days=days)
    assert deadline.due >= nominal
    assert calendar.is_workday(deadline.due)
    assert all(not calendar.is_workday(day) for day in _days(nominal, deadline.due - timedelta(days=1)))
    assert deadline.estimated == any(calendar.is_estimated(day) for day in _days(nominal, deadline.due))
