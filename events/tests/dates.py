"""Event dates for tests that need an event still to come (on sale, bookable, upcoming),
however long after this was written the suite runs. A fixed year such as 2031 is in the past
one day, and such a test then fails for no fault of the code.

Standard library only: the reliability harness (`make soak`) imports it outside Django."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timezone


def future_year(like: int | None = None, *, ahead: int = 2) -> int:
    """A year at least `ahead` years after the current one (UTC); with the default, any date
    in it is at least a year away. With `like`, the first such year whose calendar is
    `like`'s (the same weekday on 1 January, a leap year or not): every date falls on the
    same weekday as in `like`, so a test's Sunday stays a Sunday and clock changes fixed to a
    weekday (Europe's last Sunday of March and of October) fall on the same day of the month."""
    year = datetime.now(timezone.utc).year + ahead
    if like is not None:
        while _calendar(year) != _calendar(like):
            year += 1
    return year


def _calendar(year: int) -> tuple[int, bool]:
    return date(year, 1, 1).weekday(), calendar.isleap(year)
