"""How complete the archive is: committee by committee and year by year, what it holds and what it lacks.

An archive of minutes is rarely whole: some meetings were never published, some
were published cut short, some are still draft, and some were read from the
council's site long after they were held. Residents reading the archive should
know where its gaps are before they draw conclusions from it, so they are worked
out here, from the records alone. Like everything in the archive, "what is still
to come" is decided by the latest meeting held here, never by the day of the
build: the same records always say the same about their own gaps.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from dataclasses import dataclass
from functools import cached_property

from generator.archive import Archive, Entry, Occurrence
from generator.schema import Committee


@dataclass(frozen=True)
class Missing:
    """A meeting the minutes announced (their ``next_meeting``) of which the archive holds no record.

    Each may be a meeting that was held and whose minutes were never published or
    imported, one that was cancelled, or one that was moved to another day: the
    records cannot tell which, so the page says what is known and links it, the
    announcing meeting and the committee's next meeting in the archive.
    """

    committee: Committee
    date: dt.date
    # The latest meeting whose minutes announced this date.
    announced_by: Entry
    # The committee's next meeting in the archive after the announcing one, if any.
    next_held: Entry | None


@dataclass(frozen=True)
class Silence:
    """A run of whole years, between a committee's first and last, with none of its meetings in the archive.

    Named by the meetings either side, the last before and the first after, where a
    resident would start looking for what happened in between.
    """

    first: int
    last: int
    before: Entry
    after: Entry

    @property
    def years(self) -> int:
        """How many years the run spans."""
        return self.last - self.first + 1


@dataclass(frozen=True)
class Retrieval:
    """A meeting read from the council's site: its original page, and when it was read there."""

    entry: Entry
    url: str
    retrieved: dt.date | None

    @property
    def days(self) -> int | None:
        """Days from the meeting to the reading of its minutes; None when the record does not say when."""
        return (self.retrieved - self.entry.meeting.date).days if self.retrieved else None


@dataclass(frozen=True)
class Lag:
    """How long after their meetings a set of minutes was read from the council's site."""

    # The retrievals whose date is known, in the order of their meetings.
    timed: tuple[Retrieval, ...]

    @property
    def median(self) -> float | None:
        """The median of the days, or None when no retrieval is dated."""
        return statistics.median(r.days for r in self.timed if r.days is not None) if self.timed else None

    @property
    def longest(self) -> Retrieval | None:
        """The retrieval longest after its meeting (the earliest meeting of those tied), if any."""
        return max(self.timed, key=lambda r: (r.days or 0, -r.entry.meeting.date.toordinal()), default=None)


def _lag(retrievals: tuple[Retrieval, ...]) -> Lag:
    return Lag(tuple(r for r in retrievals if r.retrieved is not None))


@dataclass(frozen=True)
class YearCoverage:
    """One committee's year: what the archive holds of it and what it knows is missing."""

    year: int
    meetings: tuple[Entry, ...]
    cut_short: tuple[Occurrence, ...]
    missing: tuple[Missing, ...]
    retrievals: tuple[Retrieval, ...]

    @property
    def approved(self) -> int:
        """Meetings whose minutes the committee has agreed."""
        return sum(1 for e in self.meetings if e.meeting.status == "approved")

    @property
    def draft(self) -> int:
        """Meetings whose minutes are still draft: they may yet be corrected."""
        return len(self.meetings) - self.approved

    @property
    def lag(self) -> Lag:
        """How long after the year's meetings their minutes were read from the council's site."""
        return _lag(self.retrievals)


@dataclass(frozen=True)
class CommitteeCoverage:
    """How complete the archive's record of one committee is."""

    committee: Committee
    # The committee's meetings, oldest first.
    meetings: tuple[Entry, ...]
    # Every year from its first meeting's to its last meeting's (or a later announced one's), newest first:
    # years without meetings included, so that a gap shows where it is.
    years: tuple[YearCoverage, ...]
    # Runs of years without meetings between its first and last, oldest first.
    silences: tuple[Silence, ...]

    @property
    def first(self) -> Entry | None:
        """The committee's earliest meeting in the archive."""
        return self.meetings[0] if self.meetings else None

    @property
    def last(self) -> Entry | None:
        """The committee's latest meeting in the archive."""
        return self.meetings[-1] if self.meetings else None

    @property
    def approved(self) -> int:
        """Meetings whose minutes are approved."""
        return sum(y.approved for y in self.years)

    @property
    def draft(self) -> int:
        """Meetings whose minutes are still draft."""
        return sum(y.draft for y in self.years)

    @property
    def cut_short(self) -> tuple[Occurrence, ...]:
        """Items cut short in the source, newest meeting first, in minute order within a meeting."""
        return tuple(o for y in self.years for o in y.cut_short)

    @property
    def missing(self) -> tuple[Missing, ...]:
        """Announced meetings the archive holds no record of, newest first."""
        return tuple(m for y in self.years for m in y.missing)

    @property
    def retrievals(self) -> tuple[Retrieval, ...]:
        """Meetings read from the council's site, newest first."""
        return tuple(r for y in self.years for r in y.retrievals)

    @property
    def lag(self) -> Lag:
        """How long after its meetings the committee's minutes were read from the council's site."""
        return _lag(self.retrievals)


@dataclass(frozen=True)
class Coverage:
    """How complete the archive is, for every committee in the registry's order."""

    committees: tuple[CommitteeCoverage, ...]
    # The latest meeting in the archive: announcements after it are still to come, not missing.
    as_of: dt.date | None

    @classmethod
    def of(cls, archive: Archive) -> Coverage:
        """Work out the coverage of every committee of the archive."""
        as_of = archive.data_date
        return cls(tuple(_committee_coverage(archive, c, as_of) for c in archive.committees), as_of)

    @cached_property
    def meetings(self) -> int:
        """Meetings in the archive, across committees."""
        return sum(len(c.meetings) for c in self.committees)

    def of_committee(self, committee: Committee) -> CommitteeCoverage:
        """One committee's coverage."""
        return next(c for c in self.committees if c.committee.id == committee.id)


def missing_meetings(archive: Archive, committee: Committee, as_of: dt.date | None) -> list[Missing]:
    """The dates a committee's minutes announced for its next meeting where the archive holds none of its meetings.

    A date after ``as_of`` (the archive's latest meeting) is still to come and is
    not missing: the home and committee pages show it as scheduled. A date
    announced by more than one meeting is listed once, with the latest to announce
    it: what the committee said last is the best guide to what happened. Oldest first.
    """
    held = archive.of_committee(committee)
    dates = {e.meeting.date for e in held}
    announced: dict[dt.date, Entry] = {}
    for entry in held:
        next_meeting = entry.meeting.next_meeting
        if next_meeting is None or next_meeting.date in dates:
            continue
        if as_of is None or next_meeting.date > as_of:
            continue
        announced[next_meeting.date] = entry
    return [Missing(committee, day, by, archive.next(by)) for day, by in sorted(announced.items())]


def silences(meetings: list[Entry]) -> list[Silence]:
    """The runs of whole years without meetings between the first and last of these meetings (oldest first).

    A committee that met in 2010, 2011 and 2014 has one: 2012 to 2013, between its
    last meeting of 2011 and its first of 2014.
    """
    by_year: dict[int, list[Entry]] = {}
    for entry in meetings:
        by_year.setdefault(entry.meeting.date.year, []).append(entry)
    years = sorted(by_year)
    return [
        Silence(earlier + 1, later - 1, by_year[earlier][-1], by_year[later][0])
        for earlier, later in itertools.pairwise(years)
        if later - earlier > 1
    ]


def _committee_coverage(archive: Archive, committee: Committee, as_of: dt.date | None) -> CommitteeCoverage:
    meetings = archive.of_committee(committee)
    missing = missing_meetings(archive, committee, as_of)
    spanned = [e.meeting.date.year for e in meetings] + [m.date.year for m in missing]
    years = []
    if spanned:
        for year in range(max(spanned), min(spanned) - 1, -1):
            held = [e for e in reversed(meetings) if e.meeting.date.year == year]
            years.append(
                YearCoverage(
                    year,
                    tuple(held),
                    tuple(
                        Occurrence(entry, index)
                        for entry in held
                        for index, item in enumerate(entry.meeting.items)
                        if item.truncated
                    ),
                    tuple(m for m in reversed(missing) if m.date.year == year),
                    tuple(
                        Retrieval(entry, entry.meeting.source.url, entry.meeting.source.retrieved)
                        for entry in held
                        if entry.meeting.source is not None
                    ),
                )
            )
    return CommitteeCoverage(committee, tuple(meetings), tuple(years), tuple(silences(meetings)))
