"""The whole archive as one graph: pure functions over validated records.

Everything a page needs to know about other meetings (what came before and after,
what is scheduled next) is worked out here once, from the data alone, so the same
records always give the same site whatever the date of the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import terms
from generator.schema import (
    Committee,
    GlossaryTerm,
    Item,
    Meeting,
    MeetingRef,
    NextMeeting,
    Topic,
    meeting_slug,
)


@dataclass(frozen=True)
class Entry:
    """A meeting in the archive: the record, its committee and its source file."""

    meeting: Meeting
    committee: Committee
    source: str

    @property
    def slug(self) -> str:
        """The meeting's identity in addresses: its date and committee id."""
        return meeting_slug(self.meeting)


@dataclass(frozen=True)
class Occurrence:
    """One item of one meeting: where a topic came up, or where minutes were agreed."""

    entry: Entry
    index: int

    @property
    def item(self) -> Item:
        """The item itself."""
        return self.entry.meeting.items[self.index]


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
    topics: tuple[Topic, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    _previous: dict[str, Entry] = field(default_factory=dict, repr=False)
    _next: dict[str, Entry] = field(default_factory=dict, repr=False)
    _occurrences: dict[str, list[Occurrence]] = field(default_factory=dict, repr=False)
    _approved_at: dict[str, Occurrence] = field(default_factory=dict, repr=False)
    _arising_at: dict[str, list[Occurrence]] = field(default_factory=dict, repr=False)
    _by_slug: dict[str, Entry] = field(default_factory=dict, repr=False)
    _topic_neighbours: dict[tuple[str, str, int], tuple[Occurrence | None, Occurrence | None]] = field(
        default_factory=dict, repr=False
    )

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

    def occurrences(self, topic: Topic) -> list[Occurrence]:
        """Every item on a topic, across all meetings and committees, oldest first."""
        return self._occurrences.get(topic.id, [])

    def topic_neighbours(self, topic: Topic, at: Occurrence) -> tuple[Occurrence | None, Occurrence | None]:
        """The times the topic came up just before and just after this item."""
        return self._topic_neighbours.get((topic.id, at.entry.slug, at.index), (None, None))

    def topic(self, topic_id: str) -> Topic:
        """A topic by its id (ids are checked when records are loaded)."""
        return next(t for t in self.topics if t.id == topic_id)

    def committee(self, committee_id: str) -> Committee:
        """A committee by its id (ids are checked when records are loaded)."""
        return next(c for c in self.committees if c.id == committee_id)

    def referenced(self, entry: Entry, ref: MeetingRef) -> Entry | None:
        """The meeting a reference names, if the archive holds it."""
        return self._by_slug.get(_ref_slug(entry, ref))

    def approved_at(self, entry: Entry) -> Occurrence | None:
        """The item of a later meeting that agreed this meeting's minutes, if any."""
        return self._approved_at.get(entry.slug)

    def matters_arising_reported_at(self, entry: Entry) -> list[Occurrence]:
        """The items of later meetings that reported on this meeting's matters arising."""
        return self._arising_at.get(entry.slug, [])

    def using_term(self, term: GlossaryTerm) -> list[Entry]:
        """The meetings whose minutes use a glossary term, oldest first."""
        return [e for e in self.entries if terms.mentions(term.term, meeting_text(e.meeting))]

    def scheduled(self, committee: Committee | None = None) -> list[Scheduled]:
        """Meetings announced by each committee's latest minutes and not yet held.

        Soonest first. Only the latest meeting of a committee counts (an earlier
        announcement has happened or been superseded), and only a date after the
        archive's latest meeting: the data, not the clock, says what is still to
        come, so the same records always build the same site.
        """
        latest = self.latest()
        found = []
        for each in self.committees if committee is None else (committee,):
            held = self.of_committee(each)
            announced = held[-1].meeting.next_meeting if held else None
            if latest and announced and announced.date > latest.meeting.date:
                found.append(Scheduled(each, announced, held[-1]))
        return sorted(found, key=lambda s: (s.next_meeting.date, s.committee.id))


def meeting_text(meeting: Meeting) -> str:
    """All the words of a meeting's items, for finding the terms it uses."""
    parts: list[str] = []
    for item in meeting.items:
        parts += [item.title, item.agenda_text or "", item.text, *item.resolutions]
        parts += [action.what for action in item.actions]
    return "\n".join(parts)


def build_archive(
    committees: Iterable[Committee],
    meetings: Iterable[tuple[Meeting, str]],
    topics: Iterable[Topic] = (),
    glossary: Iterable[GlossaryTerm] = (),
) -> Archive:
    """Join meetings to their committees and work out every link between them.

    ``meetings`` pairs each record with its source path. Records naming an unknown
    committee or topic are a validation error upstream, so here they are a
    programming error.
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
    by_slug = {e.slug: e for e in entries}
    occurrences: dict[str, list[Occurrence]] = {}
    approved_at: dict[str, Occurrence] = {}
    arising_at: dict[str, list[Occurrence]] = {}
    for entry in entries:
        for index, item in enumerate(entry.meeting.items):
            here = Occurrence(entry, index)
            for topic_id in dict.fromkeys(item.topics):
                occurrences.setdefault(topic_id, []).append(here)
            if item.approves_minutes_of:
                approved_at.setdefault(_ref_slug(entry, item.approves_minutes_of), here)
            if item.matters_arising_from:
                arising_at.setdefault(_ref_slug(entry, item.matters_arising_from), []).append(here)
    neighbours: dict[tuple[str, str, int], tuple[Occurrence | None, Occurrence | None]] = {}
    for topic_id, found in occurrences.items():
        for place, here in enumerate(found):
            earlier = found[place - 1] if place else None
            later = found[place + 1] if place + 1 < len(found) else None
            neighbours[(topic_id, here.entry.slug, here.index)] = (earlier, later)
    return Archive(
        tuple(by_id.values()),
        tuple(entries),
        tuple(topics),
        tuple(glossary),
        previous,
        following,
        occurrences,
        approved_at,
        arising_at,
        by_slug,
        neighbours,
    )


def _ref_slug(entry: Entry, ref: MeetingRef) -> str:
    return f"{ref.date.isoformat()}-{ref.committee or entry.committee.id}"


def long_date(day: dt.date) -> str:
    """A date as people in the UK write it: Thursday 17 June 2021."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock_time(time: dt.time) -> str:
    """A time as council minutes print it: 10.00 am, 6.30 pm."""
    hour = time.hour % 12 or 12
    return f"{hour}.{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"
