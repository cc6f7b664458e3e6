"""Working days, working hours and the bank holidays of each UK nation (PC9, PC14; K15)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.priorities import calendar as cal
from casework.priorities.calendar import (
    WorkingCalendar,
    add_working_days,
    england_and_wales_bank_holidays,
    is_working_day,
    working_days_between,
)

LONDON = ZoneInfo("Europe/London")


def d(text: str) -> date:
    return date.fromisoformat(text)


def brute_count(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Working days after ``start`` up to ``end``, counted one day at a time."""
    sign, low, high = (1, start, end) if start <= end else (-1, end, start)
    days = (low + timedelta(days=i) for i in range(1, (high - low).days + 1))
    return sign * sum(1 for day in days if calendar.is_working_day(day))


# -- bank holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Published on GOV.UK (England and Wales).
        (2024, "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26"),
        (2025, "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26"),
        (2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28"),
        (2027, "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28"),
    ],
)
def test_bank_holidays_match_gov_uk(year, expected):
    assert england_and_wales_bank_holidays(year) == tuple(d(f"{year}-{md}") for md in expected.split())


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # VE Day 75: early May bank holiday moved from Monday 4 May to Friday 8 May.
        (2020, "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28"),
        # Platinum Jubilee (spring moved to Thursday 2 June, plus Friday 3 June); the State Funeral;
        # Christmas Day on a Sunday, so Boxing Day on Monday and the substitute on Tuesday.
        (2022, "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27"),
        # The Coronation on Monday 8 May; New Year's Day on a Sunday, so Monday 2 January.
        (2023, "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26"),
        # Christmas Day on a Saturday: Monday 27 and Tuesday 28 December.
        (2021, "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28"),
        # Diamond Jubilee: spring moved to Monday 4 June, plus Tuesday 5 June.
        (2012, "01-02 04-06 04-09 05-07 06-04 06-05 08-27 12-25 12-26"),
    ],
)
def test_one_off_changes_and_substitute_days(year, expected):
    assert england_and_wales_bank_holidays(year) == tuple(d(f"{year}-{md}") for md in expected.split())


@pytest.mark.parametrize("nation", ["england", "wales", "scotland", "northern_ireland"])
@given(year=st.integers(min_value=1978, max_value=2100))
def test_every_nation_has_weekday_holidays_in_date_order(nation, year):
    holidays = cal.uk_bank_holidays(nation)(year)

    assert 8 <= len(holidays) <= 12
    assert all(h.weekday() < 5 and h.year == year for h in holidays)
    assert list(holidays) == sorted(set(holidays))


def _gov_uk(division: str, year: int) -> tuple[date, ...]:
    from govuk_bank_holidays.bank_holidays import BankHolidays

    bank_holidays = BankHolidays(use_cached_holidays=True)
    return tuple(sorted(h["date"] for h in bank_holidays.get_holidays(division=division, year=year)))


@pytest.mark.parametrize(
    ("nation", "division"),
    [
        ("england", "england-and-wales"),
        ("wales", "england-and-wales"),
        ("scotland", "scotland"),
        ("northern_ireland", "northern-ireland"),
    ],
)
@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026])
def test_each_nation_matches_gov_uk_bundled_data(nation, division, year):
    """A second source: GOV.UK's own list, as the govuk-bank-holidays package bundles it."""
    ours = set(cal.uk_bank_holidays(nation)(year))

    assert ours - KNOWN_NEWER.get((nation, year), set()) == set(_gov_uk(division, year))


# Days the ``holidays`` package knows that the bundled GOV.UK data (govuk-bank-holidays 0.19)
# was published before: Scotland's extra bank holiday for its first FIFA World Cup match.
KNOWN_NEWER = {("scotland", 2026): {date(2026, 6, 15)}}


def test_an_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="Unknown nation"):
        cal.uk_bank_holidays("cornwall")


# -- working days ----------------------------------------------------------------------------


def test_working_days_between_counts_days_after_start_up_to_end():
    assert working_days_between(d("2026-03-13"), d("2026-03-16")) == 1  # Friday to Monday
    assert working_days_between(d("2026-03-13"), d("2026-03-14")) == 0  # Friday to Saturday
    assert working_days_between(d("2026-03-13"), d("2026-03-13")) == 0
    assert working_days_between(d("2026-03-09"), d("2026-03-13")) == 4  # Monday to Friday
    assert working_days_between(d("2026-03-16"), d("2026-03-13")) == -1  # signed
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are not working days.
    assert working_days_between(d("2026-04-02"), d("2026-04-07")) == 1
    # Christmas 2026: Friday 25 and Monday 28 December.
    assert working_days_between(d("2026-12-24"), d("2026-12-29")) == 1
    # 261 weekdays in 2026, less 8 bank holidays (1 January itself is not counted: it is the start).
    assert working_days_between(d("2026-01-01"), d("2026-12-31")) == 253


def test_add_working_days_skips_weekends_and_bank_holidays():
    assert add_working_days(d("2026-04-02"), 1) == d("2026-04-07")
    assert add_working_days(d("2026-12-23"), 2) == d("2026-12-29")
    assert add_working_days(d("2026-03-13"), 5) == d("2026-03-20")
    assert add_working_days(d("2026-04-07"), -1) == d("2026-04-02")
    assert add_working_days(d("2026-03-14"), 0) == d("2026-03-14")  # n == 0: start itself
    assert add_working_days(d("2026-03-14"), 1) == d("2026-03-16")  # from a Saturday


def test_is_working_day():
    assert is_working_day(d("2026-04-02"))
    assert not is_working_day(d("2026-04-03"))  # Good Friday
    assert not is_working_day(d("2026-03-14"))  # Saturday
    assert not is_working_day(d("2022-09-19"))  # State Funeral


def test_organisation_closures_and_worked_bank_holidays():
    # Given an organisation closed between Christmas and New Year that works on Easter Monday
    calendar = WorkingCalendar(
        extra_holidays=[d("2026-12-29"), d("2026-12-30"), d("2026-12-31")],
        removed_holidays=[d("2026-04-06")],
    )
    # Then its working days follow its own calendar
    assert calendar.add_working_days(d("2026-12-24"), 1) == d("2027-01-04")
    assert calendar.add_working_days(d("2026-04-02"), 1) == d("2026-04-06")
    closed = "01-01 04-03 05-04 05-25 08-31 12-25 12-28 12-29 12-30 12-31"
    assert calendar.holidays(2026) == tuple(d(f"2026-{md}") for md in closed.split())
    # And the default calendar is untouched
    assert add_working_days(d("2026-12-24"), 1) == d("2026-12-29")


def test_latest_and_earliest_date_within():
    calendar = cal.default_calendar()
    # From Friday 13 March, "within 1 working day" runs to the end of Sunday 15 March... and Monday.
    assert calendar.latest_date_within(d("2026-03-13"), 1) == d("2026-03-16")
    assert calendar.latest_date_within(d("2026-03-13"), 0) == d("2026-03-15")
    # By Thursday 12 March, a case opened before Tuesday 10 March has waited over 2 working days.
    assert calendar.earliest_date_within(d("2026-03-12"), 2) == d("2026-03-10")
    with pytest.raises(ValueError, match="negative"):
        calendar.latest_date_within(d("2026-03-13"), -1)


def test_invalid_calendars_are_refused():
    with pytest.raises(ValueError, match="end after it starts"):
        WorkingCalendar(day_starts=time(17), day_ends=time(9))
    with pytest.raises(ValueError, match="weekday"):
        WorkingCalendar(working_weekdays=[7])


dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2045, 12, 31))


@given(dates, st.integers(min_value=-400, max_value=400))
def test_add_working_days_round_trips_and_lands_on_a_working_day(start, n):
    result = add_working_days(start, n)
    assert working_days_between(start, result) == n
    if n != 0:
        assert is_working_day(result)
        # ... and it is the first such day: the day before is short by one working day.
        before = result - timedelta(days=1)
        assert working_days_between(start, before) == n - 1


@given(dates, dates, dates)
def test_working_days_between_is_antisymmetric_and_additive(a, b, c):
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@given(dates, st.integers(min_value=0, max_value=60))
def test_working_days_between_matches_counting_day_by_day(start, span):
    calendar = cal.default_calendar()
    end = start + timedelta(days=span)
    assert calendar.working_days_between(start, end) == brute_count(calendar, start, end)
    assert calendar.working_days_between(end, start) == brute_count(calendar, end, start)


@given(dates, st.integers(min_value=0, max_value=30))
def test_within_dates_are_the_boundaries(day, n):
    calendar = cal.default_calendar()
    latest = calendar.latest_date_within(day, n)
    assert (
        calendar.working_days_between(day, latest)
        <= n
        < calendar.working_days_between(day, latest + timedelta(days=1))
    )
    earliest = calendar.earliest_date_within(day, n)
    assert (
        calendar.working_days_between(earliest, day)
        <= n
        < calendar.working_days_between(earliest - timedelta(days=1), day)
    )


NARROW = WorkingCalendar(first_year=2020, last_year=2022)


@settings(max_examples=50, deadline=None)  # the slow path, on purpose
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=-50, max_value=50),
)
def test_dates_outside_the_table_get_the_same_answers(outside, inside, n):
    # Given a calendar whose table covers only 2020-2022 and the default one (1990-2100)
    wide = cal.default_calendar()
    # Then the slow path outside the table agrees with the table
    assert NARROW.working_days_between(inside, outside) == WorkingCalendar(
        first_year=outside.year, last_year=outside.year
    ).working_days_between(inside, outside)
    if date(1990, 1, 1) <= outside <= date(2100, 12, 1):
        assert NARROW.working_days_between(inside, outside) == wide.working_days_between(inside, outside)
        assert NARROW.add_working_days(outside, n) == wide.add_working_days(outside, n)
        assert NARROW.is_working_day(outside) == wide.is_working_day(outside)


# -- working hours ---------------------------------------------------------------------------


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_add_working_hours_runs_over_evenings_weekends_and_holidays():
    calendar = cal.default_calendar()
    assert calendar.add_working_hours(london("2026-03-13 16:30"), 1) == london("2026-03-16 09:30")
    assert calendar.add_working_hours(london("2026-03-13 16:00"), 1) == london("2026-03-13 17:00")
    assert calendar.add_working_hours(london("2026-03-14 12:00"), 1) == london("2026-03-16 10:00")
    assert calendar.add_working_hours(london("2026-03-12 20:00"), 8) == london("2026-03-13 17:00")
    assert calendar.add_working_hours(london("2026-04-02 16:00"), 2) == london("2026-04-07 10:00")
    # Across the change to British Summer Time (29 March 2026): 10:00 local, 09:00 UTC.
    result = calendar.add_working_hours(datetime(2026, 3, 27, 16, 0, tzinfo=UTC), 2)
    assert result == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert result.tzinfo is LONDON


def test_working_hours_between():
    calendar = cal.default_calendar()
    assert calendar.working_hours_between(london("2026-03-13 15:00"), london("2026-03-16 10:30")) == 3.5
    assert calendar.working_hours_between(london("2026-03-16 10:30"), london("2026-03-13 15:00")) == -3.5
    assert calendar.working_hours_between(london("2026-03-14 10:00"), london("2026-03-15 16:00")) == 0
    assert calendar.working_hours_between(london("2026-03-16 07:00"), london("2026-03-16 20:00")) == 8


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        cal.default_calendar().working_hours_between(datetime(2026, 3, 13, 9), datetime(2026, 3, 13, 10))


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    st.floats(min_value=0.01, max_value=200, allow_nan=False),
)
def test_add_working_hours_round_trips(start, hours):
    calendar = cal.default_calendar()
    end = calendar.add_working_hours(start, hours)
    assert end >= start
    assert calendar.working_hours_between(start, end) == pytest.approx(hours, abs=1e-6)
    local = end.astimezone(LONDON)
    assert calendar.is_working_day(local.date()) and time(9) < local.time() <= time(17)
