"""Everyone the archive names, once each, and who held each role when.

A person is an entry of content/people.yml (with the spellings it joins), or else
a name as the minutes write it, matched exactly. Minutes mostly name officers by
role ("the Assistant Director for Public Protection and Enforcement"); when
content/people.yml says who held a role and when, an action or chair named by the
role alone is attributed to whoever held it on the meeting's day. Nothing is
guessed: with no holder known on that day, the role stays a role.
"""

from __future__ import annotations

import bisect
import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import ClassVar

from generator.archive import CLOSED, Archive, Entry, TrackedAction
from generator.checks import RESERVED_PERSON_IDS
from generator.labels import owner_label
from generator.schema import (
    Chair,
    Committee,
    Declaration,
    Owner,
    PersonRecord,
    RoleHeld,
    role_key,
    slugify,
    without_article,
)

# Overdue first, then what is still to do, then what is finished: a resident asks first what is late.

# The marks of the attendance pages, in the order a year's tally counts them.
MARKS = ("present", "apologies", "substitute", "substituted")
STATUS_ORDER = {"overdue": 0, "open": 1, "in-progress": 2, "carried-forward": 3, "done": 4, "dropped": 5}


@dataclass(frozen=True)
class YearAttendance:
    """A person's attendance at one committee in one year (or in all years, ``year`` None)."""

    year: int | None
    present: int
    apologies: int
    substitute: int
    substituted: int
    # The meetings counted for the rate, as on the committee's attendance pages.
    counted: int

    @property
    def rate(self) -> float | None:
        """Share of the counted meetings attended, in person or as a substitute."""
        return (self.present + self.substitute) / self.counted if self.counted else None


@dataclass(frozen=True)
class CommitteeRecord:
    """A person's attendance at one committee: every year, newest first, and the whole."""

    committee: Committee
    years: list[YearAttendance]
    total: YearAttendance
    # The years with an attendance page: those with a meeting whose minutes list who was present.
    graded: frozenset[int] = frozenset()


@dataclass(frozen=True)
class MinutedRole:
    """A role or organisation the minutes give a person, and the meetings that say so."""

    role: str | None
    organisation: str | None
    first: dt.date
    last: dt.date


@dataclass
class Profile:
    """One person across the archive: what a resident sees on their page."""

    id: str
    name: str
    record: PersonRecord | None
    minuted_roles: list[MinutedRole] = field(default_factory=list)
    attendance: list[CommitteeRecord] = field(default_factory=list)
    actions: list[TrackedAction] = field(default_factory=list)
    declarations: list[tuple[Entry, Declaration]] = field(default_factory=list)
    chaired: list[Entry] = field(default_factory=list)
    # Every meeting that names them (or the role they held that day), newest first.
    named_at: list[Entry] = field(default_factory=list)

    @property
    def organisation(self) -> str | None:
        """Their organisation: the registry's, else the latest the minutes give."""
        if self.record and self.record.organisation:
            return self.record.organisation
        return next((r.organisation for r in reversed(self.minuted_roles) if r.organisation), None)

    @property
    def role(self) -> str | None:
        """Their role: the registry's, else the latest the minutes give."""
        if self.record and self.record.role:
            return self.record.role
        return next((r.role for r in reversed(self.minuted_roles) if r.role), None)

    @property
    def roles_held(self) -> list[RoleHeld]:
        """The roles content/people.yml says they held, earliest first."""
        return sorted(self.record.roles, key=lambda r: r.start) if self.record else []

    @property
    def committees(self) -> list[Committee]:
        """The committees whose minutes name them, in the registry's order."""
        return [c.committee for c in self.attendance]

    @property
    def last(self) -> Entry | None:
        """The latest meeting that names them."""
        return self.named_at[0] if self.named_at else None


@dataclass
class RoleRecord:
    """A role the archive names: who held it when, and the actions given to it."""

    id: str
    name: str
    holders: list[tuple[RoleHeld, Profile]] = field(default_factory=list)
    actions: list[TrackedAction] = field(default_factory=list)


class People:
    """Every person and role of an archive, worked out once (``People.of``)."""

    _made: ClassVar[weakref.WeakKeyDictionary[Archive, People]] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, archive: Archive) -> People:
        """The people of an archive, made on first use and then kept with it."""
        if archive not in cls._made:
            cls._made[archive] = cls(archive)
        return cls._made[archive]

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._registry: dict[str, PersonRecord] = {}
        for known in archive.people:
            for spelling in (known.name, *known.variants):
                self._registry[spelling] = known
        self._profiles: dict[str, Profile] = {}
        # The index and the folder of the role pages are never a person's page (validation refuses them as ids).
        self._ids: set[str] = set(RESERVED_PERSON_IDS)
        # Explicit ids first, so a made-up one never takes an id an editor chose.
        for known in sorted(archive.people, key=lambda k: k.id is None):
            self._profile(known.name)
        self._holders: dict[str, list[tuple[RoleHeld, Profile]]] = {}
        for known in archive.people:
            for held in known.roles:
                self._holders.setdefault(role_key(held.role), []).append((held, self._profiles[known.name]))
        for periods in self._holders.values():
            periods.sort(key=lambda pair: pair[0].start)
        self._starts = {key: [held.start for held, _ in periods] for key, periods in self._holders.items()}
        self._roles: dict[str, RoleRecord] = {}
        self._role_ids: set[str] = set()
        for _key, periods in sorted(self._holders.items()):
            self._role(periods[0][0].role).holders.extend(periods)
        self._gather()

    def _profile(self, name: str) -> Profile:
        known = self._registry.get(name)
        shown = known.name if known else name
        if shown not in self._profiles:
            base = (known.id if known and known.id else None) or slugify(shown) or "person"
            person_id, count = base, 1
            while person_id in self._ids:
                count += 1
                person_id = f"{base}-{count}"
            self._ids.add(person_id)
            self._profiles[shown] = Profile(person_id, shown, known)
        return self._profiles[shown]

    def _role(self, role: str) -> RoleRecord:
        key = role_key(role)
        if key not in self._roles:
            base = slugify(key) or "role"
            role_id, count = base, 1
            while role_id in self._role_ids:
                count += 1
                role_id = f"{base}-{count}"
            self._role_ids.add(role_id)
            self._roles[key] = RoleRecord(role_id, without_article(role))
        return self._roles[key]

    def holder(self, role: str, day: dt.date) -> Profile | None:
        """Who held a role on a day, if content/people.yml says."""
        key = role_key(role)
        periods = self._holders.get(key)
        if not periods:
            return None
        # Periods of one role never overlap (a validation error), so the latest to start is the one.
        place = bisect.bisect_right(self._starts[key], day) - 1
        if place >= 0 and periods[place][0].held_on(day):
            return periods[place][1]
        return None

    def named(self, name: str) -> Profile | None:
        """The person a name as written is, if the archive names them."""
        known = self._registry.get(name)
        return self._profiles.get(known.name if known else name)

    def owner(self, owner: Owner | Chair, day: dt.date) -> Profile | None:
        """The person an action's owner or a chair is: by name, else by who held the role that day."""
        if owner.name:
            return self.named(owner.name)
        return self.holder(owner.role, day) if owner.role else None

    def owner_of(self, tracked: TrackedAction) -> Profile | None:
        """The person an action is attributed to."""
        return self.owner(tracked.action.who, tracked.raised.entry.meeting.date)

    def owner_label(self, tracked: TrackedAction) -> str:
        """Who an action is for, in words: "Bo Example (Head of Service)", or "the Head of Service (Bo Example)"
        when the minutes name the role alone and content/people.yml says who held it that day."""
        who = tracked.action.who
        holder = None if who.name else self.owner_of(tracked)
        return f"{the_role(who.role)} ({holder.name})" if holder and who.role else owner_label(who)

    def role_named(self, role: str) -> RoleRecord | None:
        """A role's record, if the archive names it."""
        return self._roles.get(role_key(role))

    @property
    def everyone(self) -> list[Profile]:
        """Every person, by name."""
        return sorted(self._profiles.values(), key=lambda p: (p.name.casefold(), p.name))

    @property
    def roles(self) -> list[RoleRecord]:
        """Every role named by an action's owner or held in content/people.yml, by name."""
        return sorted(self._roles.values(), key=lambda r: (r.name.casefold(), r.id))

    def _gather(self) -> None:
        archive = self.archive
        minuted: dict[str, dict[tuple[str | None, str | None], list[dt.date]]] = {}
        named_at: dict[str, dict[str, Entry]] = {}

        def mention(name: str, entry: Entry, role: str | None = None, organisation: str | None = None) -> Profile:
            profile = self._profile(name)
            named_at.setdefault(profile.name, {})[entry.slug] = entry
            if role or organisation:
                minuted.setdefault(profile.name, {}).setdefault((role, organisation), []).append(entry.meeting.date)
            return profile

        for entry in archive.entries:
            meeting = entry.meeting
            day = meeting.date
            attendance = meeting.attendance
            for person in (*attendance.present, *attendance.apologies, *attendance.substitutes):
                mention(person.name, entry, person.role, person.organisation)
            for substitute in attendance.substitutes:
                if substitute.substituting_for:
                    mention(substitute.substituting_for, entry)
            for chair in meeting.chairs:
                found = mention(chair.name, entry, chair.role, chair.organisation) if chair.name else None
                found = found or (self.holder(chair.role, day) if chair.role else None)
                if found:
                    found.chaired.append(entry)
                    named_at.setdefault(found.name, {})[entry.slug] = entry
            for declaration in meeting.declarations:
                mention(declaration.name, entry).declarations.append((entry, declaration))

        def action_order(tracked: TrackedAction) -> tuple[int, tuple[int, str]]:
            return STATUS_ORDER[archive.status_of(tracked)], _newest_first(tracked.raised.entry)

        for tracked in archive.actions():
            who = tracked.action.who
            if who.name:
                mention(who.name, tracked.raised.entry, who.role)
            if who.role:
                self._role(who.role).actions.append(tracked)
            found = self.owner_of(tracked)
            if found:
                found.actions.append(tracked)
                named_at.setdefault(found.name, {})[tracked.raised.entry.slug] = tracked.raised.entry
        for profile in self._profiles.values():
            profile.named_at = sorted(named_at.get(profile.name, {}).values(), key=_newest_first)
            profile.minuted_roles = sorted(
                (
                    MinutedRole(role, organisation, min(days), max(days))
                    for (role, organisation), days in minuted.get(profile.name, {}).items()
                ),
                key=lambda r: (r.first, r.last, r.role or "", r.organisation or ""),
            )
            profile.actions.sort(key=action_order)
            profile.chaired.sort(key=_newest_first)
            profile.declarations.sort(key=lambda pair: _newest_first(pair[0]))
        for record in self._roles.values():
            record.actions.sort(key=action_order)
        for committee in archive.committees:
            self._attendance(committee)

    def _attendance(self, committee: Committee) -> None:
        attendance = self.archive.attendance(committee)
        graded = frozenset(e.meeting.date.year for e in attendance.recorded)
        years_of = {e.slug: e.meeting.date.year for e in attendance.meetings}
        for record in attendance.people:
            profile = self._profiles.get(record.name)
            if profile is None:
                continue
            by_year: dict[int | None, list[int]] = {}
            counted = {e.slug for e in attendance.counted(record)}
            # Only the meetings that name them or count for them: never every meeting for every person.
            for slug in record.marks.keys() | counted:
                mark = record.marks.get(slug)
                for year in (years_of[slug], None):
                    tally = by_year.setdefault(year, [0, 0, 0, 0, 0])
                    if mark:
                        tally[MARKS.index(mark)] += 1
                    if slug in counted:
                        tally[4] += 1
            total = YearAttendance(None, *by_year.pop(None, [0, 0, 0, 0, 0]))
            years = [YearAttendance(year, *by_year[year]) for year in sorted((y for y in by_year if y), reverse=True)]
            profile.attendance.append(CommitteeRecord(committee, years, total, graded))

    def open_actions(self, profile: Profile | RoleRecord) -> int:
        """How many of their actions are not yet done or dropped."""
        return sum(1 for t in profile.actions if t.status not in CLOSED)


def the_role(role: str) -> str:
    """A role in running text, "the Head of Service", whether the minutes wrote "the" or not."""
    return f"the {without_article(role)}"


def _newest_first(entry: Entry) -> tuple[int, str]:
    return (-entry.meeting.date.toordinal(), entry.committee.id)
