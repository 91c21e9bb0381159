"""The whole archive as one graph: pure functions over validated records.

Everything a page needs to know about other meetings (what came before and after,
what is scheduled next) is worked out here once, from the data alone, so the same
records always give the same site whatever the date of the build.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from generator import terms
from generator.schema import (
    PRIVATE_ITEM_FIELDS,
    Action,
    ActionUpdate,
    Committee,
    GlossaryTerm,
    Item,
    Meeting,
    MeetingRef,
    NextMeeting,
    Person,
    PersonRecord,
    Topic,
    action_ids,
    meeting_slug,
    slug_of,
)


@dataclass(frozen=True)
class Entry:
    """A meeting in the archive: the record, its committee and its source file."""

    meeting: Meeting
    committee: Committee
    source: str

    @cached_property
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
class Update:
    """An update on an action, as recorded at a later meeting's item."""

    at: Occurrence
    position: int
    update: ActionUpdate


@dataclass(frozen=True)
class TrackedAction:
    """An action agreed at one meeting, with every later update on it, oldest first."""

    id: str
    raised: Occurrence
    action: Action
    updates: tuple[Update, ...]

    @property
    def status(self) -> str:
        """The latest update's status, or "open" while there is none."""
        return self.updates[-1].update.status if self.updates else "open"

    @property
    def number(self) -> int:
        """The action's place among its item's actions, from 1."""
        return int(self.id.rsplit("/", 1)[1])

    def overdue(self, as_of: dt.date) -> bool:
        """Due before ``as_of`` and neither done nor dropped."""
        return bool(self.action.due and self.action.due < as_of and self.status not in CLOSED)


# Statuses after which an action needs nothing more.
CLOSED = frozenset({"done", "dropped"})


@dataclass(frozen=True)
class Decision:
    """One resolution, where it was made."""

    at: Occurrence
    text: str


@dataclass(frozen=True)
class AttendanceRecord:
    """How one person (or organisation) attended one committee's meetings."""

    name: str
    role: str | None
    organisation: str | None
    # Meeting slug -> "present", "apologies", "substitute" (came in another's place)
    # or "substituted" (sent someone in their place).
    marks: dict[str, str]
    # The periods of membership content/people.yml gives for this committee, if any.
    memberships: tuple[tuple[dt.date | None, dt.date | None], ...] = ()

    def count(self, mark: str) -> int:
        """How many meetings carry this mark."""
        return sum(1 for m in self.marks.values() if m == mark)

    @property
    def attended(self) -> int:
        """Meetings attended, in person or as a substitute."""
        return len(self.attended_at)

    @property
    def attended_at(self) -> set[str]:
        """The slugs of the meetings attended, in person or as a substitute."""
        return {slug for slug, mark in self.marks.items() if mark in ("present", "substitute")}


@dataclass(frozen=True)
class CommitteeAttendance:
    """Attendance at one committee: its meetings, and a record per person."""

    meetings: list[Entry]
    # The meetings whose minutes list who was present; rates count only these.
    recorded: list[Entry]
    people: list[AttendanceRecord]
    # Worked out once: each page of a committee's attendance asks for them many times.
    _counted: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _dates: dict[str, dt.date] = field(default_factory=dict, repr=False)
    _recorded_dates: list[dt.date] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._dates.update({e.slug: e.meeting.date for e in self.meetings})
        self._recorded_dates.extend(e.meeting.date for e in self.recorded)

    def counted(self, record: AttendanceRecord) -> list[Entry]:
        """The recorded meetings a person could have attended, oldest first.

        Those inside their membership periods when content/people.yml gives any;
        otherwise those from the first to the last meeting of the committee whose
        minutes name them at all. A meeting before someone joined, or after they
        left, says nothing of how often they came.
        """
        if record.name in self._counted:
            return self._counted[record.name]
        if record.memberships:
            found = [
                e
                for e in self.recorded
                if any(
                    (start is None or start <= e.meeting.date) and (end is None or e.meeting.date <= end)
                    for start, end in record.memberships
                )
            ]
        else:
            named = sorted(self._dates[slug] for slug in record.marks if slug in self._dates)
            # The recorded meetings are in date order: the span is a slice of them.
            first = bisect.bisect_left(self._recorded_dates, named[0]) if named else 0
            last = bisect.bisect_right(self._recorded_dates, named[-1]) if named else 0
            found = self.recorded[first:last]
        self._counted[record.name] = found
        return found

    def rate(self, record: AttendanceRecord) -> float | None:
        """Share of the counted meetings the person attended; None if none can be counted."""
        counted = self.counted(record)
        if not counted:
            return None
        return sum(1 for e in counted if record.marks.get(e.slug) in ("present", "substitute")) / len(counted)

    def in_year(self, year: int) -> list[Entry]:
        """The year's recorded meetings (those whose minutes list who was present), newest first."""
        first = bisect.bisect_left(self._recorded_dates, dt.date(year, 1, 1))
        last = bisect.bisect_right(self._recorded_dates, dt.date(year, 12, 31))
        return list(reversed(self.recorded[first:last]))

    def people_in(self, year: int) -> list[AttendanceRecord]:
        """The people the minutes of the year's meetings name, by name."""
        slugs = {e.slug for e in self.in_year(year)}
        return [record for record in self.people if slugs & record.marks.keys()]


class Archive:
    """Every meeting, oldest first, with every link between them worked out once.

    Built from validated records: references to unknown committees, topics or
    actions are validation errors upstream, so here they are programming errors.
    """

    def __init__(
        self,
        committees: Iterable[Committee],
        meetings: Iterable[tuple[Meeting, str]],
        topics: Iterable[Topic] = (),
        glossary: Iterable[GlossaryTerm] = (),
        people: Iterable[PersonRecord] = (),
    ) -> None:
        self.committees = tuple(committees)
        self.topics = tuple(topics)
        self.glossary = tuple(glossary)
        self.people = tuple(people)
        by_id = self._committees = {c.id: c for c in self.committees}
        self._topics = {t.id: t for t in self.topics}
        self.entries = tuple(
            sorted(
                (Entry(public_part(meeting), by_id[meeting.committee], source) for meeting, source in meetings),
                key=lambda e: (e.meeting.date, e.committee.id),
            )
        )
        self._by_slug = {e.slug: e for e in self.entries}
        self._glossary = terms.Matcher(t.term for t in self.glossary)
        self._terms_of = {e.slug: set(self._glossary.found(meeting_text(e.meeting))) for e in self.entries}
        self._attendance: dict[str, CommitteeAttendance] = {}
        self._action_ids: dict[str, dict[tuple[int, int], str]] = {}
        self._link_neighbours()
        self._link_items()

    def _link_neighbours(self) -> None:
        self._previous: dict[str, Entry] = {}
        self._next: dict[str, Entry] = {}
        last_of: dict[str, Entry] = {}
        for entry in self.entries:
            before = last_of.get(entry.committee.id)
            if before is not None:
                self._previous[entry.slug] = before
                self._next[before.slug] = entry
            last_of[entry.committee.id] = entry

    def _link_items(self) -> None:
        self._occurrences: dict[str, list[Occurrence]] = {}
        self._approved_at: dict[str, Occurrence] = {}
        self._arising_at: dict[str, list[Occurrence]] = {}
        raised: dict[str, tuple[Occurrence, Action]] = {}
        updates: dict[str, list[Update]] = {}
        for entry in self.entries:
            ids = action_ids(entry.meeting)
            for index, item in enumerate(entry.meeting.items):
                here = Occurrence(entry, index)
                for topic_id in dict.fromkeys(item.topics):
                    self._occurrences.setdefault(topic_id, []).append(here)
                if item.approves_minutes_of:
                    self._approved_at.setdefault(ref_slug(entry, item.approves_minutes_of), here)
                if item.matters_arising_from:
                    self._arising_at.setdefault(ref_slug(entry, item.matters_arising_from), []).append(here)
                for position, action in enumerate(item.actions):
                    raised[ids[(index, position)]] = (here, action)
                for position, update in enumerate(item.action_updates):
                    updates.setdefault(update.action, []).append(Update(here, position, update))
        self._actions = {
            action_id: TrackedAction(action_id, at, action, tuple(updates.get(action_id, ())))
            for action_id, (at, action) in raised.items()
        }
        self._topic_neighbours: dict[tuple[str, str, int], tuple[Occurrence | None, Occurrence | None]] = {}
        for topic_id, found in self._occurrences.items():
            for place, here in enumerate(found):
                earlier = found[place - 1] if place else None
                later = found[place + 1] if place + 1 < len(found) else None
                self._topic_neighbours[(topic_id, here.entry.slug, here.index)] = (earlier, later)

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

    @property
    def data_date(self) -> dt.date | None:
        """The date of the latest meeting: "today" as far as the records know."""
        latest = self.latest()
        return latest.meeting.date if latest else None

    def occurrences(self, topic: Topic) -> list[Occurrence]:
        """Every item on a topic, across all meetings and committees, oldest first."""
        return self._occurrences.get(topic.id, [])

    def topic_neighbours(self, topic: Topic, at: Occurrence) -> tuple[Occurrence | None, Occurrence | None]:
        """The times the topic came up just before and just after this item."""
        return self._topic_neighbours.get((topic.id, at.entry.slug, at.index), (None, None))

    def topic(self, topic_id: str) -> Topic:
        """A topic by its id."""
        return self._topics[topic_id]

    def committee(self, committee_id: str) -> Committee:
        """A committee by its id."""
        return self._committees[committee_id]

    def referenced(self, entry: Entry, ref: MeetingRef) -> Entry | None:
        """The meeting a reference names, if the archive holds it."""
        return self._by_slug.get(ref_slug(entry, ref))

    def approved_at(self, entry: Entry) -> Occurrence | None:
        """The item of a later meeting that agreed this meeting's minutes, if any."""
        return self._approved_at.get(entry.slug)

    def matters_arising_reported_at(self, entry: Entry) -> list[Occurrence]:
        """The items of later meetings that reported on this meeting's matters arising."""
        return self._arising_at.get(entry.slug, [])

    def using_term(self, term: GlossaryTerm) -> list[Entry]:
        """The meetings whose minutes use a glossary term, oldest first."""
        return [e for e in self.entries if term.term in self._terms_of[e.slug]]

    def terms_of(self, entry: Entry) -> list[GlossaryTerm]:
        """The glossary terms a meeting's minutes use, in glossary order."""
        used = self._terms_of[entry.slug]
        return [t for t in self.glossary if t.term in used]

    def terms_in(self, text: str) -> list[GlossaryTerm]:
        """The glossary terms a text uses, in glossary order."""
        found = self._glossary.found(text)
        return [t for t in self.glossary if t.term in found]

    def actions(self) -> list[TrackedAction]:
        """Every action in the archive, in the order they were agreed."""
        return list(self._actions.values())

    def status_of(self, tracked: TrackedAction) -> str:
        """The status a register shows: "overdue" when it is, as of the latest meeting, else the latest update's."""
        as_of = self.data_date
        return "overdue" if as_of is not None and tracked.overdue(as_of) else tracked.status

    def action(self, action_id: str) -> TrackedAction:
        """An action by its id."""
        return self._actions[action_id]

    def actions_at(self, at: Occurrence) -> list[TrackedAction]:
        """The actions agreed at one item, in the order minuted."""
        ids = self._action_ids.get(at.entry.slug)
        if ids is None:
            ids = self._action_ids[at.entry.slug] = action_ids(at.entry.meeting)
        return [self._actions[ids[(at.index, n)]] for n in range(len(at.item.actions))]

    def decisions(self) -> list[Decision]:
        """Every resolution in the archive, newest meeting first, in minute order within a meeting."""
        return [
            Decision(Occurrence(entry, index), text)
            for entry in reversed(self.entries)
            for index, item in enumerate(entry.meeting.items)
            for text in item.resolutions
        ]

    def attendance(self, committee: Committee) -> CommitteeAttendance:
        """Who came to a committee's meetings, sent apologies or a substitute.

        Names are matched exactly as written, except that content/people.yml may
        join variant spellings of one person under one name. Worked out once per
        committee: its pages and the people pages all ask for it.
        """
        if committee.id not in self._attendance:
            self._attendance[committee.id] = self._attendance_of(committee)
        return self._attendance[committee.id]

    def _attendance_of(self, committee: Committee) -> CommitteeAttendance:
        canonical: dict[str, PersonRecord] = {}
        for known in self.people:
            for spelling in (known.name, *known.variants):
                canonical[spelling] = known
        people: dict[str, AttendanceRecord] = {}

        def mark(person: Person, slug: str, what: str) -> None:
            known = canonical.get(person.name)
            name = known.name if known else person.name
            if name not in people:
                periods = tuple(
                    (m.start, m.end) for m in (known.memberships if known else ()) if m.committee == committee.id
                )
                people[name] = AttendanceRecord(
                    name,
                    (known.role if known else None) or person.role,
                    (known.organisation if known else None) or person.organisation,
                    {},
                    periods,
                )
            # A person both present and listed otherwise keeps "present".
            people[name].marks.setdefault(slug, what)

        meetings = self.of_committee(committee)
        for entry in meetings:
            attendance = entry.meeting.attendance
            for attendee in attendance.present:
                mark(attendee, entry.slug, "present")
            for substitute in attendance.substitutes:
                mark(substitute, entry.slug, "substitute")
                if substitute.substituting_for:
                    mark(Person(name=substitute.substituting_for), entry.slug, "substituted")
            for absentee in attendance.apologies:
                mark(absentee, entry.slug, "apologies")
        recorded = [e for e in meetings if e.meeting.attendance.present]
        return CommitteeAttendance(meetings, recorded, sorted(people.values(), key=lambda r: r.name))

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


def public_part(meeting: Meeting) -> Meeting:
    """The meeting as it may be published: each item considered in private cut to its public fields.

    Validation already refuses private items with anything more; this is the one
    door every page, feed, calendar, data file and search record comes through, so
    nothing private reaches them even from a record that skipped validation.
    """
    if not any(item.private for item in meeting.items):
        return meeting
    items = [
        Item.model_construct(**{name: getattr(item, name) for name in PRIVATE_ITEM_FIELDS}) if item.private else item
        for item in meeting.items
    ]
    public = meeting.model_copy(update={"items": items})
    # A copy keeps what the original had worked out from its items; the copy works it out afresh.
    for worked_out in ("keys_of_items", "slug"):
        public.__dict__.pop(worked_out, None)
    return public


def meeting_text(meeting: Meeting) -> str:
    """All the words of a meeting's items, for finding the terms it uses."""
    parts: list[str] = []
    for item in meeting.items:
        parts += [item.title, item.agenda_text or "", item.text, item.public_summary or "", *item.resolutions]
        parts += [action.what for action in item.actions]
    return "\n".join(parts)


def ref_slug(entry: Entry, ref: MeetingRef) -> str:
    """The slug of the meeting a reference names (its committee defaults to the entry's)."""
    return slug_of(ref.date, ref.committee or entry.committee.id)
