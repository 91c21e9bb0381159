"""Checks beyond what the record model can say: markup, references, repeats and dates across files.

They run on every build, on the data as written where they can, so that an
editor hears of every problem at once, each placed at file:line:column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator import sanitise, terms
from generator.schema import Meeting, PeopleRegistry, Topic, role_key, slugify
from generator.source import Loc, Positions, Problem, field_name


def problem_at(display: str, positions: Positions, loc: Loc, message: str, hint: str) -> Problem:
    """A problem with the value at ``loc``, placed at its line and column and named as editors see it."""
    line, column = positions.of_value(loc)
    return Problem(display, line, column, field_name(loc), message, hint)


def check_markup(data: Any, loc: Loc, positions: Positions, display: str) -> list[Problem]:
    """Every text in a file, at any depth, holds only markup the site publishes as written."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in check_markup(value, (*loc, key), positions, display)]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in check_markup(value, (*loc, index), positions, display)]
    if not isinstance(data, str):
        return []
    problems = []
    for finding in sanitise.unsafe_markup(data):
        offset = data.lower().find(finding.near.lower())
        line, column = positions.in_text(loc, data, offset, finding.near) if offset >= 0 else positions.of_value(loc)
        problems.append(
            Problem(
                display,
                line,
                column,
                field_name(loc),
                f"holds {finding.what}, which the site does not publish",
                "remove it; the text is Markdown: links are [words](https://address), and to show characters"
                " such as <tag> as they are, put them in `backticks`",
            )
        )
    return problems


def check_updates(
    meeting: Meeting, positions: Positions, display: str, raised_on: dict[str, dt.date]
) -> Iterator[Problem]:
    """Each update names a known action agreed at an earlier meeting."""
    for index, item in enumerate(meeting.items):
        for position, update in enumerate(item.action_updates):
            loc: Loc = ("items", index, "action_updates", position, "action")
            if update.action not in raised_on:
                yield _unknown(
                    display,
                    positions,
                    loc,
                    "action",
                    update.action,
                    sorted(raised_on),
                    "any meeting's actions",
                )
            elif raised_on[update.action] >= meeting.date:
                yield problem_at(
                    display,
                    positions,
                    loc,
                    f"the action {update.action} was agreed on {raised_on[update.action]}, not before this meeting",
                    "an update is recorded at a later meeting than the action it reports on",
                )


def check_people(
    registry: PeopleRegistry, positions: Positions, display: str, committees: set[str] | None
) -> list[Problem]:
    """Each membership names a committee the archive knows; no role has two holders on one day."""
    return (
        _check_memberships(registry, positions, display, committees)
        + _check_role_periods(registry, positions, display)
        + _check_person_ids(registry, positions, display)
    )


# people/index.md and the folder people/roles/: never a person's page (generator/people.py).
RESERVED_PERSON_IDS = ("index", "roles")


def _check_person_ids(registry: PeopleRegistry, positions: Positions, display: str) -> list[Problem]:
    """Each person's page address is theirs alone: no id twice, none reserved, none another's made-up id."""
    made = {slugify(person.name): person.name for person in registry.people if person.id is None}
    seen: dict[str, str] = {}
    problems = []
    for index, person in enumerate(registry.people):
        if person.id is None:
            continue
        loc = ("people", index, "id")
        why = None
        if person.id in RESERVED_PERSON_IDS:
            why = f"'{person.id}' is the address of another page (people/{person.id}/)", "choose another id"
        elif person.id in seen:
            why = f"the id '{person.id}' is already {seen[person.id]}'s", "give each person an id of their own"
        elif person.id in made and made[person.id] != person.name:
            why = (
                f"the id '{person.id}' is the address {made[person.id]}'s page takes from their name",
                f"choose another id, or give {made[person.id]} an id too",
            )
        seen.setdefault(person.id, person.name)
        if why:
            problems.append(problem_at(display, positions, loc, *why))
    return problems


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"from {start} to {end}" if end else f"from {start} (still held)"


def _check_role_periods(registry: PeopleRegistry, positions: Positions, display: str) -> list[Problem]:
    """Two periods of one role overlap: an action named by the role alone would have two owners."""
    held: dict[str, list[tuple[dt.date, dt.date | None, str, int, int]]] = {}
    for index, person in enumerate(registry.people):
        for position, role in enumerate(person.roles):
            held.setdefault(role_key(role.role), []).append((role.start, role.end, person.name, index, position))
    problems = []
    for periods in held.values():
        periods.sort(key=lambda p: (p[0], p[3], p[4]))
        for earlier, later in itertools.pairwise(periods):
            if earlier[1] is not None and earlier[1] < later[0]:
                continue
            named = registry.people[later[3]].roles[later[4]].role
            who = "also" if earlier[2] == later[2] else f"by {earlier[2]}"
            problems.append(
                problem_at(
                    display,
                    positions,
                    ("people", later[3], "roles", later[4], "from"),
                    f"the role '{named}' is held {_period(later[0], later[1])}, but {who}"
                    f" {_period(earlier[0], earlier[1])}: the periods overlap",
                    "a role has one holder at a time: end the earlier period (to:) before the later one starts,"
                    " or tell the roles apart by their names (e.g. 'Interim ...')",
                )
            )
    return problems


def _check_memberships(
    registry: PeopleRegistry, positions: Positions, display: str, committees: set[str] | None
) -> list[Problem]:
    """Each membership names a committee the archive knows."""
    if committees is None:
        return []
    problems = []
    for index, person in enumerate(registry.people):
        for position, membership in enumerate(person.memberships):
            if membership.committee not in committees:
                loc = ("people", index, "memberships", position, "committee")
                wrong, known = membership.committee, sorted(committees)
                problems.append(_unknown(display, positions, loc, "committee", wrong, known, "content/committees.yml"))
    return problems


@dataclass
class Known:
    """What references may point at; None where the registry itself is broken."""

    committees: set[str] | None
    topics: list[Topic] | None

    @cached_property
    def aliases(self) -> terms.Matcher:
        """Every topic alias, found in one pass over a text."""
        return terms.Matcher(alias for topic in self.topics or () for alias in topic.aliases)


def registry_keys(listed: str, entry: Any, index: int) -> Iterator[tuple[Loc, str]]:
    """The values in one registry entry that no other entry may repeat, and where they stand."""
    if listed == "redirects":
        yield (listed, index, "from"), entry.old
        return
    if listed == "people":
        yield (listed, index, "name"), entry.name
        for position, variant in enumerate(entry.variants):
            yield (listed, index, "variants", position), variant
    else:
        key = "term" if listed == "terms" else "id"
        yield (listed, index, key), getattr(entry, key)


def _unknown(
    display: str, positions: Positions, loc: Loc, kind: str, value: str, known: list[str], registry: str
) -> Problem:
    guess = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known {kind}s: {', '.join(known) or 'none'}"
    return problem_at(display, positions, loc, f"unknown {kind} '{value}' (not in {registry})", hint)


def check_references(data: dict[str, Any], positions: Positions, display: str, known: Known) -> Iterator[Problem]:
    """Checks across fields and files, on the data as written so they run even when other fields are wrong."""
    committees = sorted(known.committees or ())
    committee = data.get("committee")
    if known.committees is not None and isinstance(committee, str) and committee not in known.committees:
        yield _unknown(display, positions, ("committee",), "committee", committee, committees, "content/committees.yml")
    items = data.get("items")
    numbers: dict[str, int] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        number = item.get("number")
        if isinstance(number, str) and number in numbers:
            yield problem_at(
                display,
                positions,
                ("items", index, "number"),
                f'minute number "{number}" is already used by items[{numbers[number]}]',
                "each minute number is printed once; check the number",
            )
        elif isinstance(number, str):
            numbers[number] = index
        for reference in ("approves_minutes_of", "matters_arising_from"):
            ref = item.get(reference)
            other = ref.get("committee") if isinstance(ref, dict) else None
            if known.committees is not None and isinstance(other, str) and other not in known.committees:
                loc = ("items", index, reference, "committee")
                yield _unknown(display, positions, loc, "committee", other, committees, "content/committees.yml")
        if known.topics is not None:
            yield from _check_topics(item, index, positions, display, known.topics, known.aliases)


def _check_topics(
    item: dict[str, Any],
    index: int,
    positions: Positions,
    display: str,
    topics: list[Topic],
    aliases: terms.Matcher,
) -> Iterator[Problem]:
    """Unknown topic ids are errors; a topic named in the text but not tagged is a warning."""
    ids = [t.id for t in topics]
    given = item.get("topics")
    tagged: list[Any] = given if isinstance(given, list) else []
    warned: set[str] = set()
    for position, topic_id in enumerate(tagged):
        if isinstance(topic_id, str) and topic_id not in ids:
            yield _unknown(
                display,
                positions,
                ("items", index, "topics", position),
                "topic",
                topic_id,
                ids,
                "content/topics.yml",
            )
    for text_field in ("title", "agenda_text", "text"):
        text = item.get(text_field)
        if not isinstance(text, str):
            continue
        for alias, offset in aliases.found(text).items():
            for topic in topics:
                if alias not in topic.aliases or topic.id in tagged or topic.id in warned:
                    continue
                warned.add(topic.id)
                loc = ("items", index, text_field)
                line, column = positions.in_text(loc, text, offset, alias)
                yield Problem(
                    display,
                    line,
                    column,
                    field_name(loc),
                    f"mentions '{alias}' but the item is not tagged with the topic '{topic.id}'",
                    f"add {topic.id} to this item's topics if it is about {topic.title}",
                    severity="warning",
                )


def check_meeting(
    meeting: Meeting, positions: Positions, display: str, seen: dict[tuple[str, str], str]
) -> list[Problem]:
    """Checks that need the validated meeting: one file per meeting, dates in order."""
    problems = []
    key = (meeting.date.isoformat(), meeting.committee)
    if key in seen:
        problems.append(
            problem_at(
                display,
                positions,
                ("date",),
                f"{seen[key]} already records a meeting of '{meeting.committee}' on {key[0]}",
                "one file per meeting: merge the two files or correct the date",
            )
        )
    else:
        seen[key] = display
    if meeting.next_meeting and meeting.next_meeting.date <= meeting.date:
        problems.append(
            problem_at(
                display,
                positions,
                ("next_meeting", "date"),
                f"the next meeting ({meeting.next_meeting.date}) is not after this one ({meeting.date})",
                "check the year of the next meeting's date",
            )
        )
    if meeting.source and meeting.source.retrieved and meeting.source.retrieved < meeting.date:
        problems.append(
            problem_at(
                display,
                positions,
                ("source", "retrieved"),
                f"the minutes were retrieved ({meeting.source.retrieved}) before the meeting ({meeting.date})",
                "retrieved is the day the minutes were read from the council's site, on or after the meeting",
            )
        )
    for index, item in enumerate(meeting.items):
        for reference in ("approves_minutes_of", "matters_arising_from"):
            ref = getattr(item, reference)
            if ref is not None and ref.date >= meeting.date:
                problems.append(
                    problem_at(
                        display,
                        positions,
                        ("items", index, reference, "date"),
                        f"{ref.date} is not before this meeting ({meeting.date})",
                        "it names an earlier meeting: check the date",
                    )
                )
    return problems
