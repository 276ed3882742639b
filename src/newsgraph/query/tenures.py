"""Tenures: who held an office when, from dated reports of people in it, and who held it on a day.

The logic here is pure (no store): `who` sums reports up in SQL and hands them over as
`Reports`. A report's standing is the canonical office status (`newsgraph.canonical`):

* current-like reports ("current", "acting", "interim", "outgoing") put the person in office
  on their date; a tenure runs from the first to the last of them, and is never extended
  back before the first;
* past reports ("former", "then") are evidence of an earlier tenure: they never make anyone
  current nor extend a tenure to their date. "former" closes the tenure ("then" does not: a
  "then-president" may well still be in office);
* future reports ("designate", "elect", "incoming") say the tenure has not begun yet, so they
  neither open it nor succeed the holder before.

In an office one person holds at a time, a holder is succeeded by the next holder whose first
report comes after the holder's last one; two holders reported in office over overlapping
dates conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsgraph.canonical import PAST_STATUSES

CURRENT = frozenset({"current", "acting", "interim", "outgoing"})
CLOSING = frozenset({"former"})

# Reports this close to the asked day count as evidence "near" it.
NEAR_DAYS = 365

IN_OFFICE = "in office"
LAST_REPORTED = "last reported"
LATER_PAST = "later reported as former"
NEXT_REPORTED = "first reported soon after"
ENDED = "ended"
SUCCEEDED = "succeeded"
REPORTED = "reported"


@dataclass
class Reports:
    """Reports of one person in one office with one standing, summed up: the earliest and the
    latest, how many, and (for an asked day) how many near it and the nearest on either side."""

    person_id: str
    office_key: str
    status: str
    first: dt.date | None
    last: dt.date | None
    count: int = 1
    near: int = 0
    before: dt.date | None = None  # the latest on or before the asked day
    after: dt.date | None = None  # the earliest on or after the asked day

    @classmethod
    def one(
        cls,
        person_id: str,
        office_key: str,
        day: dt.date | None,
        status: str = "current",
        on: dt.date | None = None,
    ) -> Reports:
        """A single report, placed relative to the asked day `on`."""
        if on is None or day is None:
            return cls(person_id, office_key, status, day, day)
        return cls(
            person_id,
            office_key,
            status,
            day,
            day,
            near=int(abs((day - on).days) <= NEAR_DAYS),
            before=day if day <= on else None,
            after=day if day >= on else None,
        )


@dataclass
class Tenure:
    """One person in one office: first and last report in office, how it ended."""

    person_id: str
    office_key: str
    first: dt.date | None = None  # first report in office
    last: dt.date | None = None  # last report in office
    reports: int = 0  # every report, past and future ones included
    near: int = 0  # reports in office near the asked day
    before: dt.date | None = None  # the latest report in office on or before the asked day
    after: dt.date | None = None  # the earliest report in office on or after it
    ended: dt.date | None = None  # the first "former" report on or after the last one in office
    past_last: dt.date | None = None  # the latest past report ("former", "then")
    successor: str | None = None
    succeeded_on: dt.date | None = None  # the successor's first report

    @property
    def end(self) -> dt.date | None:
        """When the tenure is known to have ended, by "former" or by a successor."""
        return min(filter(None, [self.ended, self.succeeded_on]), default=None)

    @property
    def opened(self) -> bool:
        return self.first is not None

    def stale_days(self, on: dt.date) -> int | None:
        """Days between the asked day and the nearest report in office."""
        gaps = [abs((day - on).days) for day in (self.before, self.after) if day is not None]
        return min(gaps, default=None)


@dataclass
class Standing:
    """A tenure as an answer on a day gives it."""

    tenure: Tenure
    status: str
    stale_days: int | None


@dataclass
class Clash:
    """Two holders of a one-holder office reported in office over the same days."""

    office_key: str
    overlap_from: dt.date
    overlap_to: dt.date
    tenures: list[Tenure]

    @property
    def near(self) -> int:
        return sum(t.near for t in self.tenures)


def _earliest(*days: dt.date | None) -> dt.date | None:
    return min(filter(None, days), default=None)


def _latest(*days: dt.date | None) -> dt.date | None:
    return max(filter(None, days), default=None)


def tenures(reports: Iterable[Reports], single_holder: Callable[[str], bool]) -> list[Tenure]:
    """One tenure per person and office key, closed by "former" and, in offices `single_holder`
    says one person holds at a time, by the successor's first report."""
    by_key: dict[tuple[str, str], Tenure] = {}
    closing: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for group in reports:
        key = (group.person_id, group.office_key)
        tenure = by_key.get(key)
        if tenure is None:
            tenure = by_key[key] = Tenure(group.person_id, group.office_key)
        tenure.reports += group.count
        if group.status in CURRENT:
            tenure.first = _earliest(tenure.first, group.first)
            tenure.last = _latest(tenure.last, group.last)
            tenure.near += group.near
            tenure.before = _latest(tenure.before, group.before)
            tenure.after = _earliest(tenure.after, group.after)
        elif group.status in PAST_STATUSES:
            tenure.past_last = _latest(tenure.past_last, group.last)
            if group.status in CLOSING:
                closing[key].extend(d for d in (group.first, group.last) if d is not None)
    for key, days in closing.items():
        tenure = by_key[key]
        # a "former" report before the last one in office contradicts it and closes nothing
        after_last = [d for d in days if tenure.last is None or d >= tenure.last]
        tenure.ended = min(after_last, default=None)
    offices: dict[str, list[Tenure]] = defaultdict(list)
    for tenure in by_key.values():
        offices[tenure.office_key].append(tenure)
    for office_key, held in offices.items():
        if single_holder(office_key):
            _succeed(held)
    return sorted(by_key.values(), key=lambda t: (t.first or t.past_last or dt.date.max, t.person_id))


def _succeed(held: list[Tenure]) -> None:
    """Each holder's successor: the next holder whose first report comes after the holder's last."""
    opened = sorted((t for t in held if t.first is not None), key=lambda t: t.first)  # type: ignore[arg-type,return-value]
    for tenure in opened:
        nxt = next(
            (o for o in opened if o.person_id != tenure.person_id and o.first > tenure.last),  # type: ignore[operator]
            None,
        )
        if nxt is not None:
            tenure.successor, tenure.succeeded_on = nxt.person_id, nxt.first


def on_day(held: list[Tenure], on: dt.date) -> list[Standing]:
    """Who held one office on a day, best evidence first, from the first of these that names
    anyone: those reported in office around it (first <= day <= last); those last reported
    before it, within a year, whom nobody succeeded and who had not left by then; those
    reported as former holders within a year after it; those first reported in office within a
    year after it (the evidence nearest the day, where the last report before it is years old);
    those last reported before it, however long ago."""
    current = [t for t in held if t.opened and t.first <= on <= t.last]  # type: ignore[operator]
    if current:
        return sorted((Standing(t, IN_OFFICE, t.stale_days(on)) for t in current), key=rank)
    soon = on + dt.timedelta(days=NEAR_DAYS)
    still = [
        Standing(t, LAST_REPORTED, t.stale_days(on))
        for t in held
        if t.opened and t.last < on and not (t.end is not None and t.end <= on)  # type: ignore[operator]
    ]
    later = [
        Standing(t, LATER_PAST, (t.past_last - on).days)  # type: ignore[operator]
        for t in held
        if not t.opened and t.past_last is not None and on <= t.past_last <= soon
    ]
    upcoming = [
        Standing(t, NEXT_REPORTED, (t.first - on).days)  # type: ignore[operator]
        for t in held
        if t.opened and on < t.first <= soon  # type: ignore[operator]
    ]
    fresh = [s for s in still if s.stale_days is not None and s.stale_days <= NEAR_DAYS]
    for tier in (fresh, later, upcoming, still):
        if tier:
            return sorted(tier, key=rank)
    return []


def rank(standing: Standing) -> tuple[int, int, int, int, str]:
    """In office before last reported before later reported as former before first reported
    after; then more evidence near the day, fewer days from the nearest report, more reports."""
    order = {IN_OFFICE: 0, LAST_REPORTED: 1, LATER_PAST: 2, NEXT_REPORTED: 3}
    tenure = standing.tenure
    stale = standing.stale_days if standing.stale_days is not None else 1 << 30
    if standing.status in (LAST_REPORTED, NEXT_REPORTED):
        # nobody in office that day: the freshest report says most
        return (order[standing.status], stale, -tenure.near, -tenure.reports, tenure.person_id)
    return (order.get(standing.status, 3), -tenure.near, stale, -tenure.reports, tenure.person_id)


def undated_status(tenure: Tenure) -> str:
    """A tenure's status with no day asked: how it ended, if it did."""
    if tenure.end is None:
        return REPORTED if tenure.opened else ENDED
    if tenure.succeeded_on is not None and tenure.succeeded_on == tenure.end:
        return SUCCEEDED
    return ENDED


def clashes(held: list[Tenure]) -> list[Clash]:
    """Pairs of holders of one office whose days in office overlap."""
    opened = sorted((t for t in held if t.opened), key=lambda t: (t.first, t.person_id))  # type: ignore[arg-type,return-value]
    found = []
    for i, first in enumerate(opened):
        for second in opened[i + 1 :]:
            if first.person_id == second.person_id:
                continue
            start = max(first.first, second.first)  # type: ignore[type-var]
            stop = min(first.last, second.last)  # type: ignore[type-var]
            if start <= stop:  # type: ignore[operator]
                pair = sorted([first, second], key=lambda t: (-t.near, -t.reports, t.person_id))
                found.append(Clash(first.office_key, start, stop, pair))  # type: ignore[arg-type]
    return found
