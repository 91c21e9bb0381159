"""The whole archive as one graph: pure functions over validated records.

Everything a page needs to know about other meetings (what came before and after,
what is scheduled next) is worked out here once, from the data alone, so the same
records always give the same site whatever the date of the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.schema import Committee, Meeting, NextMeeting


@dataclass(frozen=True)
class Entry:
    """A meeting in the archive: the record, its committee and its source file."""

    meeting: Meeting
    committee: Committee
    source: str

    @property
    def slug(self) -> str:
        """The meeting's identity in addresses: its date and committee id."""
        return f"{self.meeting.date.isoformat()}-{self.committee.id}"


@dataclass(frozen=True)
class Scheduled:
    """A meeting announced by the latest minutes of a committee but not yet held."""

    committee: Committee
    next_meeting: NextMeeting
    announced_by: Entry


@dataclass(frozen=True)
class Archive:
    """Every meeting, oldest first, with the links between them worked out."""

    committees: tuple[Committee, ...]
    entries: tuple[Entry, ...]
    _previous: dict[str, Entry] = field(default_factory=dict, repr=False)
    _next: dict[str, Entry] = field(default_factory=dict, repr=False)

    def previous(self, entry: Entry) -> Entry | None:
        """The same committee's meeting before this one, if the archive holds it."""
        return self._previous.get(entry.slug)

    def next(self, entry: Entry) -> Entry | None:
        """The same committee's meeting after this one, if the archive holds it."""
        return self._next.get(entry.slug)

    def of_committee(self, committee: Committee) -> list[Entry]:
        """A committee's meetings, oldest first."""
        return [e for e in self.entries if e.committee.id == committee.id]

    def years(self) -> list[int]:
        """The years with at least one meeting, newest first."""
        return sorted({e.meeting.date.year for e in self.entries}, reverse=True)

    def in_year(self, year: int) -> list[Entry]:
        """A year's meetings, oldest first."""
        return [e for e in self.entries if e.meeting.date.year == year]

    def latest(self) -> Entry | None:
        """The most recent meeting in the archive."""
        return self.entries[-1] if self.entries else None

    def scheduled(self, committee: Committee | None = None) -> list[Scheduled]:
        """Meetings announced by each committee's latest minutes and not yet in the archive.

        Soonest first. Only the latest meeting of a committee counts: an earlier
        meeting's "next meeting" has either happened or been superseded.
        """
        found = []
        for each in self.committees if committee is None else (committee,):
            held = self.of_committee(each)
            if held and held[-1].meeting.next_meeting:
                found.append(Scheduled(each, held[-1].meeting.next_meeting, held[-1]))
        return sorted(found, key=lambda s: (s.next_meeting.date, s.committee.id))


def build_archive(committees: Iterable[Committee], meetings: Iterable[tuple[Meeting, str]]) -> Archive:
    """Join meetings to their committees and link each to its neighbours.

    ``meetings`` pairs each record with its source path; records naming an unknown
    committee are a validation error upstream, so here they are a programming error.
    """
    by_id = {c.id: c for c in committees}
    entries = sorted(
        (Entry(meeting, by_id[meeting.committee], source) for meeting, source in meetings),
        key=lambda e: (e.meeting.date, e.committee.id),
    )
    previous: dict[str, Entry] = {}
    following: dict[str, Entry] = {}
    last_of: dict[str, Entry] = {}
    for entry in entries:
        before = last_of.get(entry.committee.id)
        if before is not None:
            previous[entry.slug] = before
            following[before.slug] = entry
        last_of[entry.committee.id] = entry
    return Archive(tuple(by_id.values()), tuple(entries), previous, following)


def long_date(day: dt.date) -> str:
    """A date as people in the UK write it: Thursday 17 June 2021."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock_time(time: dt.time) -> str:
    """A time as council minutes print it: 10.00 am, 6.30 pm."""
    hour = time.hour % 12 or 12
    return f"{hour}.{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"
