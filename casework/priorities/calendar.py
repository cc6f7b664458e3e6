"""Working days and working hours with a holiday calendar (PC7, PC9, PC14; K15).

Business time scales ("first contact within 2 working days of referral", "statutory deadline in
3 working days", "first contact within 1 working hour of a safeguarding concern") count working
days: by default Monday to Friday, less the bank holidays of the organisation's nation (England,
Wales, Scotland or Northern Ireland, from the ``holidays`` package), plus any closure days an
organisation adds and less any bank holiday it chooses to work.

No Django import. A ``WorkingCalendar`` precomputes a cumulative count of working
days over a range of years (1990 to 2100 unless told otherwise), so every question it answers for
dates inside that range costs a list lookup and a subtraction. Dates outside the range still get
the right answer, only more slowly.

Conventions, chosen so that the arithmetic composes without off-by-one surprises:

* ``working_days_between(start, end)`` counts the working days ``d`` with ``start < d <= end``
  (the day you start from is not counted, the day you arrive on is). It is signed: when ``end``
  comes before ``start`` the answer is minus the count of working days ``d`` with
  ``end < d <= start``. So it is antisymmetric (``between(a, b) == -between(b, a)``) and additive
  (``between(a, b) + between(b, c) == between(a, c)``). From a Friday to the next Monday is 1;
  from a Friday to the Saturday after is 0.
* ``add_working_days(start, n)`` is its inverse: for ``n != 0`` it returns the working day ``d``
  with ``working_days_between(start, d) == n``; for ``n == 0`` it returns ``start`` unchanged
  (even if that is not a working day).
* Working hours run from ``day_starts`` to ``day_ends`` (09:00 to 17:00 by default) in the
  calendar's time zone (Europe/London by default) on working days only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

import holidays as holiday_data

HolidayRule = Callable[[int], Iterable[date]]

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND


# The UK's four nations as the ``holidays`` package names their subdivisions.
UK_SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@cache
def _nation_rule(nation: str) -> HolidayRule:
    subdivision = UK_SUBDIVISIONS[nation]

    @cache
    def bank_holidays(year: int) -> tuple[date, ...]:
        found = holiday_data.country_holidays("GB", subdiv=subdivision, years=year)
        # The package also lists the day itself when it falls at a weekend beside its
        # substitute day; a weekend is no working day anyway, and GOV.UK lists weekdays only.
        return tuple(sorted(day for day in found if day.weekday() < 5 and day.year == year))

    return bank_holidays


def uk_bank_holidays(nation: str) -> HolidayRule:
    """The bank holidays of one UK nation (``england``, ``wales``, ``scotland`` or
    ``northern_ireland``), as the ``holidays`` package knows them, one-off days included."""
    if nation not in UK_SUBDIVISIONS:
        raise ValueError(f"Unknown nation {nation!r}: choose one of {', '.join(UK_SUBDIVISIONS)}.")
    return _nation_rule(nation)


def england_and_wales_bank_holidays(year: int) -> tuple[date, ...]:
    """The bank holidays of England and Wales in ``year``, in date order (GOV.UK's list)."""
    return tuple(uk_bank_holidays("england")(year))


class WorkingCalendar:
    """Working days and hours for one organisation: weekdays less holidays, in a time zone.

    ``extra_holidays`` are days the organisation is closed (for example between Christmas and
    New Year); ``removed_holidays`` are bank holidays it works. Build one per distinct
    configuration and share it: it is immutable once built, and safe to use from many threads.
    """

    __slots__ = (
        "_base",
        "_closed_by_year",
        "_cum",
        "_day_length_us",
        "_day_start_us",
        "_end",
        "_extra",
        "_holiday_rule",
        "_nth",
        "_removed",
        "_weekday_prefix",
        "_weekdays",
        "_working",
        "day_ends",
        "day_starts",
        "first_year",
        "last_year",
        "tz",
    )

    def __init__(
        self,
        *,
        bank_holidays: HolidayRule = england_and_wales_bank_holidays,
        extra_holidays: Iterable[date] = (),
        removed_holidays: Iterable[date] = (),
        timezone: str | tzinfo = "Europe/London",
        day_starts: time = time(9),
        day_ends: time = time(17),
        working_weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        first_year: int = 1990,
        last_year: int = 2100,
    ) -> None:
        weekdays = frozenset(working_weekdays)
        if not weekdays or not weekdays <= set(range(7)):
            raise ValueError("working_weekdays must be a non-empty set of weekday numbers 0 (Monday) to 6.")
        if day_ends <= day_starts:
            raise ValueError("The working day must end after it starts.")
        if not 1 < first_year <= last_year < 9999:
            raise ValueError("The calendar's years must run forwards, between 2 and 9998.")
        self.tz: tzinfo = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        self.day_starts = day_starts
        self.day_ends = day_ends
        self.first_year = first_year
        self.last_year = last_year
        self._holiday_rule = bank_holidays
        self._extra = frozenset(extra_holidays)
        self._removed = frozenset(removed_holidays)
        self._weekdays = weekdays
        # _weekday_prefix[r]: how many of the weekdays 0 .. r-1 are working days.
        self._weekday_prefix = tuple(sum(1 for w in range(r) if w in weekdays) for r in range(8))
        self._day_start_us = _time_us(day_starts)
        self._day_length_us = _time_us(day_ends) - self._day_start_us
        self._closed_by_year: dict[int, frozenset[int]] = {}

        self._base = date(first_year, 1, 1).toordinal()
        self._end = date(last_year, 12, 31).toordinal()
        size = self._end - self._base + 1
        closed: set[int] = set()
        for year in range(first_year, last_year + 1):
            closed |= self._closed_ordinals(year)
        working = bytearray(size)
        # _cum[i]: working days among base .. base + i (inclusive); _nth[k]: index of the k-th.
        cum = [0] * size
        nth = [-1]
        count = 0
        for i in range(size):
            ordinal = self._base + i
            if (ordinal - 1) % 7 in weekdays and ordinal not in closed:
                working[i] = 1
                count += 1
                nth.append(i)
            cum[i] = count
        self._working = bytes(working)
        self._cum = cum
        self._nth = nth

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(tz={self.tz}, {self.day_starts:%H:%M}-{self.day_ends:%H:%M}, "
            f"{len(self._extra)} extra and {len(self._removed)} removed holidays)"
        )

    # -- holidays ---------------------------------------------------------------------------

    def holidays(self, year: int) -> tuple[date, ...]:
        """Every day the calendar treats as a holiday in ``year`` (weekends included), in order."""
        days = set(self._holiday_rule(year))
        days |= {d for d in self._extra if d.year == year}
        days -= self._removed
        return tuple(sorted(days))

    def _closed_ordinals(self, year: int) -> frozenset[int]:
        """Ordinals of the holidays in ``year`` that fall on a working weekday."""
        closed = self._closed_by_year.get(year)
        if closed is None:
            closed = frozenset(d.toordinal() for d in self.holidays(year) if d.weekday() in self._weekdays)
            self._closed_by_year[year] = closed
        return closed

    # -- working days -----------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        i = ordinal - self._base
        if 0 <= i < len(self._working):
            return bool(self._working[i])
        return self._is_working_ordinal(ordinal)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
        return self._count(end.toordinal()) - self._count(start.toordinal())

    def add_working_days(self, start: date, n: int) -> date:
        """The working day ``n`` working days after ``start`` (before it when ``n`` is negative).

        ``working_days_between(start, add_working_days(start, n)) == n`` always holds, and for
        ``n != 0`` the result is a working day. ``n == 0`` returns ``start`` itself.
        """
        if n == 0:
            return start
        return date.fromordinal(self._nth_ordinal(self._count(start.toordinal()) + n))

    def latest_date_within(self, start: date, n: int) -> date:
        """The last date ``d`` with ``working_days_between(start, d) <= n`` (``n >= 0``).

        A deadline falls "within ``n`` working days" of ``start`` exactly when it is due on or
        before this date, which lets a caller test many deadlines with a date comparison.
        """
        if n < 0:
            raise ValueError("n must not be negative.")
        return date.fromordinal(self._nth_ordinal(self._count(start.toordinal()) + n + 1) - 1)

    def earliest_date_within(self, end: date, n: int) -> date:
        """The first date ``d`` with ``working_days_between(d, end) <= n`` (``n >= 0``).

        Something that started before this date has been waiting more than ``n`` working days
        by ``end``.
        """
        if n < 0:
            raise ValueError("n must not be negative.")
        return date.fromordinal(self._nth_ordinal(self._count(end.toordinal()) - n))

    # -- working hours ----------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the calendar's time zone. Naive datetimes are refused."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("A naive datetime has no place here: give it a time zone.")
        return moment.astimezone(self.tz)

    def start_of_day(self, day: date) -> datetime:
        """Local midnight at the start of ``day``, in UTC."""
        return datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours elapsed from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        return (self._working_us(end) - self._working_us(start)) / _US_PER_HOUR

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` working hours after ``start``, in the calendar's time zone.

        Landing exactly on the end of a working day gives 17:00 that day, not 09:00 the next.
        ``hours`` must not be negative.
        """
        if hours < 0:
            raise ValueError("hours must not be negative.")
        if hours == 0:
            return self.local(start)
        target = self._working_us(start) + round(hours * _US_PER_HOUR)
        full_days, rest = divmod(target, self._day_length_us)
        if rest == 0:
            day, offset = date.fromordinal(self._nth_ordinal(full_days)), self._day_length_us
        else:
            day, offset = date.fromordinal(self._nth_ordinal(full_days + 1)), rest
        opening = datetime.combine(day, self.day_starts, tzinfo=self.tz)
        return opening + timedelta(microseconds=offset)

    def _working_us(self, moment: datetime) -> int:
        """Working microseconds from the calendar's origin to ``moment``."""
        local = self.local(moment)
        ordinal = local.toordinal()
        working = self._is_working_ordinal(ordinal)
        done_before = (self._count(ordinal) - working) * self._day_length_us
        if not working:
            return done_before
        into_day = _time_us(local.time()) - self._day_start_us
        return done_before + min(max(into_day, 0), self._day_length_us)

    # -- the table, and the slow path outside it ---------------------------------------------

    def _is_working_ordinal(self, ordinal: int) -> bool:
        i = ordinal - self._base
        if 0 <= i < len(self._working):
            return bool(self._working[i])
        year = date.fromordinal(ordinal).year
        return (ordinal - 1) % 7 in self._weekdays and ordinal not in self._closed_ordinals(year)

    def _count(self, ordinal: int) -> int:
        """Working days from the start of the table up to ``ordinal`` inclusive (an offset count:
        only differences between two counts mean anything)."""
        i = ordinal - self._base
        if 0 <= i < len(self._cum):
            return self._cum[i]
        if i < 0:
            return -self._count_slow(ordinal + 1, self._base - 1)
        return self._cum[-1] + self._count_slow(self._end + 1, ordinal)

    def _count_slow(self, first: int, last: int) -> int:
        """Working days among ordinals ``first`` .. ``last`` inclusive, without the table."""
        if last < first:
            return 0
        weekdays = self._weekdays_upto(last) - self._weekdays_upto(first - 1)
        first_year, last_year = date.fromordinal(first).year, date.fromordinal(last).year
        closed = sum(len(self._closed_ordinals(year)) for year in range(first_year + 1, last_year))
        for year in {first_year, last_year}:
            closed += sum(1 for o in self._closed_ordinals(year) if first <= o <= last)
        return weekdays - closed

    def _weekdays_upto(self, ordinal: int) -> int:
        """Working weekdays among ordinals 1 .. ``ordinal``; ordinal 1 (1 January 1) is a Monday."""
        weeks, rest = divmod(ordinal, 7)
        return weeks * len(self._weekdays) + self._weekday_prefix[rest]

    def _nth_ordinal(self, k: int) -> int:
        """The ordinal of the working day whose count is ``k`` (the first date reaching ``k``)."""
        if 1 <= k < len(self._nth):
            return self._base + self._nth[k]
        # Outside the table: widen a window from the table's edge until it holds the answer,
        # then halve it. Answers near the table (the usual case) take a few steps.
        first, last = date.min.toordinal(), date.max.toordinal()
        step = 32
        if k < 1:
            high = self._base - 1
            low = max(high - step, first)
            while self._count(low) >= k and low > first:
                step *= 2
                low = max(high - step, first)
        else:
            low = self._end + 1
            high = min(low + step, last)
            while self._count(high) < k and high < last:
                step *= 2
                high = min(low + step, last)
        if not (self._count(low) <= k <= self._count(high)):
            raise OverflowError("That many working days runs off the calendar.")
        while low < high:
            middle = (low + high) // 2
            if self._count(middle) >= k:
                high = middle
            else:
                low = middle + 1
        return low


def _time_us(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _US_PER_SECOND + moment.microsecond


@cache
def default_calendar() -> WorkingCalendar:
    """England and Wales bank holidays, Monday to Friday, 09:00 to 17:00 Europe/London."""
    return WorkingCalendar()


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)


def working_days_between(start: date, end: date) -> int:
    """See ``WorkingCalendar.working_days_between``; uses the default calendar."""
    return default_calendar().working_days_between(start, end)


def add_working_days(start: date, n: int) -> date:
    """See ``WorkingCalendar.add_working_days``; uses the default calendar."""
    return default_calendar().add_working_days(start, n)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """See ``WorkingCalendar.add_working_hours``; uses the default calendar."""
    return default_calendar().add_working_hours(start, hours)
