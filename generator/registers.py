"""Registers: the lists that grow with the archive, split so that no page does.

A register (every decision, every action, the items on one topic) is a list of
rows, newest first. Its pages hold one year each, in pages of at most
``PAGE_ROWS`` rows, so a page's weight does not grow with the archive. Filters
that span every year are answered in the browser from a prebuilt index:

- ``facets.json``: for each facet (year, committee, topic, status, owner, routine)
  its values, with a label and a count each;
- ``<facet>-<n>.json``: the numbers of the rows that carry the facet's ``n``-th
  value, ascending, each written as its difference from the one before (small
  numbers, which compress well);
- ``rows-<k>.json``: the rows themselves, ``CHUNK_ROWS`` to a file, as the page
  shows them, so a page of filtered rows fetches only the files that hold them.

The index lives under a folder named after its own content, so a browser never
mixes files of two builds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any

from generator import urls
from generator.archive import Archive, Decision, Occurrence, TrackedAction
from generator.labels import STATUS_LABELS, action_label, item_label, long_date, owner_keys, private_notice
from generator.marks import said
from generator.people import People
from generator.plain import plain_words
from generator.resolutions import find, is_routine
from generator.sanitise import plain_text
from generator.schema import Topic

# Rows on one page of a register's year; a longer year continues on further pages.
PAGE_ROWS = 100
# Rows in one file of the browser's index.
CHUNK_ROWS = 16
# Where the browser's indexes live in the site, and the file naming the current one of each.
INDEX_ROOT = "registers"
CURRENT = "current.json"
# Rows a page of filtered results shows (the browser's script pages them the same).
RESULTS_PAGE = 50
# Facets whose values are fetched only when the filter is used.
LOADED_APART = frozenset({"owner"})
# Each facet's filter: its label and what choosing nothing means.
FILTERS = {
    "status": ("Status", "Any status"),
    "year": ("Year", "All years"),
    "committee": ("Committee", "All committees"),
    "topic": ("Topic", "All topics"),
    "owner": ("Owner", "Anyone"),
}


@dataclass(frozen=True)
class Row:
    """One row of a register: what it lists, the facets it can be found by, and its data for the browser."""

    subject: Decision | TrackedAction | Occurrence
    year: int
    facets: dict[str, tuple[str, ...]]
    data: dict[str, Any]


@dataclass
class Register:
    """A register's rows, newest first, and where its pages and index live."""

    # The address its pages hang from: "decisions", "actions", "topics/vrap".
    base: str
    # The landing page's source path: "decisions.md", "topics/vrap.md".
    landing: str
    # What one row is called, singular and plural: "decision", "decisions".
    noun: tuple[str, str]
    rows: list[Row]
    # Facet -> value -> label, in the order the filters offer them.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    _counted: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict, repr=False)
    _crossed: dict[tuple[str, str], dict[tuple[str, str], int]] = field(default_factory=dict, repr=False)

    def years(self) -> list[int]:
        """The years with at least one row, newest first."""
        return sorted({row.year for row in self.rows}, reverse=True)

    def in_year(self, year: int) -> list[Row]:
        """A year's rows, newest first."""
        return self._by_year.get(year, [])

    @cached_property
    def _by_year(self) -> dict[int, list[Row]]:
        found: dict[int, list[Row]] = {}
        for row in self.rows:
            found.setdefault(row.year, []).append(row)
        return found

    def pages(self, year: int) -> list[list[Row]]:
        """A year's rows, cut into pages of at most ``PAGE_ROWS``."""
        rows = self.in_year(year)
        return [rows[start : start + PAGE_ROWS] for start in range(0, len(rows), PAGE_ROWS)] or [[]]

    def page(self, year: int, number: int = 1) -> str:
        """The source path of one page of a year: ``decisions/2021.md``, then ``decisions/2021/2.md``."""
        return f"{self.base}/{year}.md" if number == 1 else f"{self.base}/{year}/{number}.md"

    def counts(self, facet: str) -> list[tuple[str, str, int]]:
        """Each value of a facet with its label and how many rows carry it, in the facet's order."""
        if facet not in self._counted:
            tally: dict[str, int] = {}
            for row in self.rows:
                for value in row.facets.get(facet, ()):
                    tally[value] = tally.get(value, 0) + 1
            order = self.labels.get(facet) or {value: value for value in sorted(tally)}
            self._counted[facet] = [(value, label, tally[value]) for value, label in order.items() if tally.get(value)]
        return self._counted[facet]

    def cross(self, first: str, second: str) -> dict[tuple[str, str], int]:
        """How many rows carry each pair of values of two facets, e.g. (committee, status)."""
        key = (first, second)
        if key not in self._crossed:
            tally: dict[tuple[str, str], int] = {}
            for row in self.rows:
                for one in row.facets.get(first, ()):
                    for other in row.facets.get(second, ()):
                        tally[(one, other)] = tally.get((one, other), 0) + 1
            self._crossed[key] = tally
        return self._crossed[key]

    @cached_property
    def index_folder(self) -> str:
        """The site folder of this register's browser index, named after its content."""
        return f"{INDEX_ROOT}/{self.base}/{_digest(self.index_content)}/"

    @property
    def index_home(self) -> str:
        """Where a page finds the index: ``current.json`` there names the folder of this build's.

        Pages name this, not the folder, so that a row added to the register changes
        only the pages it is on, not every page that offers the filters.
        """
        return f"{INDEX_ROOT}/{self.base}/"

    def index_files(self) -> dict[str, bytes]:
        """Every file of the browser index, keyed by its path in the site."""
        folder = self.index_folder
        current = {self.index_home + CURRENT: _json({"folder": folder.removeprefix(self.index_home)})}
        return current | {folder + name: data for name, data in self.index_content.items()}

    @cached_property
    def index_content(self) -> dict[str, bytes]:
        """The index's files by name; worked out once, as the pages and the index both need it."""
        files: dict[str, bytes] = {}
        facets: dict[str, list[list[Any]]] = {}
        names = list(self.labels) + sorted({f for row in self.rows for f in row.facets} - set(self.labels))
        for facet in names:
            carrying: dict[str, list[int]] = {}
            for number, row in enumerate(self.rows):
                for value in row.facets.get(facet, ()):
                    carrying.setdefault(value, []).append(number)
            order = self.labels.get(facet) or {value: value for value in sorted(carrying)}
            listed = [(value, label) for value, label in order.items() if value in carrying]
            values = [
                [plain_text(value), len(carrying[value])] + ([] if label == value else [plain_text(label)])
                for value, label in listed
            ]
            if facet in LOADED_APART:
                # A list that grows with the archive (every owner ever named) comes only when asked for.
                files[f"{facet}.json"] = _json(values)
            else:
                facets[facet] = values
            for position, (value, _) in enumerate(listed):
                files[f"{facet}-{position}.json"] = _json(_deltas(carrying[value]))
        apart = [facet for facet in names if facet in LOADED_APART]
        files["facets.json"] = _json({"rows": len(self.rows), "chunk": CHUNK_ROWS, "facets": facets, "apart": apart})
        for start in range(0, len(self.rows), CHUNK_ROWS):
            rows = self.rows[start : start + CHUNK_ROWS]
            files[f"rows-{start // CHUNK_ROWS}.json"] = _json([_plain_data(row.data) for row in rows])
        return files


def _plain_data(value: Any) -> Any:
    """Row data with every string made plain text, as the search records are: the browser shows it as text."""
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    return value


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _deltas(numbers: Sequence[int]) -> list[int]:
    return [number - (numbers[place - 1] if place else 0) for place, number in enumerate(numbers)]


def _digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()[:12]


def _where(occurrence: Occurrence) -> dict[str, str]:
    entry = occurrence.entry
    return {
        "date": long_date(entry.meeting.date),
        "committee": entry.committee.name,
        "item": item_label(occurrence.item),
        "url": urls.address(urls.item_link(entry.meeting, occurrence.index)),
    }


def _topic_links(archive: Archive, topic_ids: Iterable[str]) -> list[list[str]]:
    return [[archive.topic(t).title, urls.address(urls.topic_page(archive.topic(t)))] for t in dict.fromkeys(topic_ids)]


def _common_labels(archive: Archive, years: Iterable[int]) -> dict[str, dict[str, str]]:
    return {
        "year": {str(year): str(year) for year in sorted(set(years), reverse=True)},
        "committee": {c.id: c.name for c in archive.committees},
        "topic": {t.id: t.title for t in archive.topics},
    }


def decisions(archive: Archive) -> Register:
    """Every resolution, newest meeting first, in minute order within a meeting."""
    rows = []
    for decision in archive.decisions():
        at = decision.at
        routine = is_routine(decision.text)
        rows.append(
            Row(
                decision,
                at.entry.meeting.date.year,
                {
                    "year": (str(at.entry.meeting.date.year),),
                    "committee": (at.entry.committee.id,),
                    "topic": tuple(dict.fromkeys(at.item.topics)),
                    "routine": ("yes" if routine else "no",),
                },
                {
                    **_where(at),
                    "text": plain_words(decision.text),
                    "topics": _topic_links(archive, at.item.topics),
                    "routine": routine,
                },
            )
        )
    labels = {**_common_labels(archive, (r.year for r in rows)), "routine": {"yes": "Routine", "no": "Not routine"}}
    return Register("decisions", urls.DECISIONS, ("decision", "decisions"), rows, labels)


def actions(archive: Archive) -> Register:
    """Every action, newest meeting first, in minute order within a meeting, with its current status."""
    rows = []
    for entry in reversed(archive.entries):
        for index in range(len(entry.meeting.items)):
            for tracked in archive.actions_at(Occurrence(entry, index)):
                rows.append(_action_row(archive, tracked))
    years = [r.year for r in rows]
    # By name, whatever the case, and then by case: the same records always number them alike.
    owners = sorted({key for row in rows for key in row.facets["owner"]}, key=lambda owner: (owner.casefold(), owner))
    labels = {
        "status": dict(STATUS_LABELS),
        **_common_labels(archive, years),
        "owner": {owner: owner for owner in owners},
    }
    return Register("actions", urls.ACTIONS, ("action", "actions"), rows, labels)


def _owners(archive: Archive, tracked: TrackedAction) -> tuple[str, ...]:
    """The owners an action is found by: the person and role named, and whoever held the role that day."""
    holder = People.of(archive).owner_of(tracked)
    return tuple(dict.fromkeys((*owner_keys(tracked.action.who), *([holder.name] if holder else []))))


def _action_row(archive: Archive, tracked: TrackedAction) -> Row:
    at = tracked.raised
    meeting = at.entry.meeting
    status = archive.status_of(tracked)
    return Row(
        tracked,
        meeting.date.year,
        {
            "year": (str(meeting.date.year),),
            "committee": (at.entry.committee.id,),
            "topic": tuple(dict.fromkeys(at.item.topics)),
            "status": (status,),
            "owner": _owners(archive, tracked),
        },
        {
            **_where(at),
            "label": action_label(at.item, tracked.number),
            "url": urls.address(urls.action_link(tracked.id, meeting)),
            "what": plain_words(tracked.action.what),
            "owner": People.of(archive).owner_label(tracked),
            "due": long_date(tracked.action.due) if tracked.action.due else "",
            "status": STATUS_LABELS[status],
            "status_id": status,
            "updates": [
                [
                    long_date(update.at.entry.meeting.date),
                    update.at.entry.committee.name,
                    STATUS_LABELS[update.update.status].lower(),
                    urls.address(
                        urls.meeting_page(update.at.entry.meeting)
                        + "#"
                        + urls.update_anchor(update.at.entry.meeting, update.at.index, update.position)
                    ),
                ]
                for update in tracked.updates
            ],
        },
    )


# How many words of an item's minutes a topic's timeline shows before linking to the rest.
OPENING_WORDS = 45


def opening(text: str) -> str:
    """The first words of an item's first paragraph, as plain text for a timeline."""
    paragraph = next((p for p in text.strip().split("\n\n") if p.strip()), "")
    words = paragraph.split()
    return " ".join(words[:OPENING_WORDS]) + (" …" if len(words) > OPENING_WORDS else "")


def timeline_resolutions(occurrence: Occurrence) -> list[str]:
    """The resolutions a timeline entry sets apart: those its opening words do not already show."""
    shown = opening(said(occurrence.item))
    return [r for r in occurrence.item.resolutions if find(r, shown) is None]


def topic(archive: Archive, chosen: Topic) -> Register:
    """Every item on a topic, newest first, across every committee."""
    rows = []
    # Newest meeting first; within a meeting, in minute order, as the decisions register.
    newest_first = [
        o
        for _, same in groupby(reversed(archive.occurrences(chosen)), key=lambda o: o.entry.slug)
        for o in reversed(list(same))
    ]
    for occurrence in newest_first:
        item = occurrence.item
        said = private_notice(item) + (" " + opening(item.public_summary) if item.public_summary else "")
        rows.append(
            Row(
                occurrence,
                occurrence.entry.meeting.date.year,
                {"year": (str(occurrence.entry.meeting.date.year),), "committee": (occurrence.entry.committee.id,)},
                {
                    **_where(occurrence),
                    "opening": plain_words(said if item.private else opening(item.text)),
                    "resolutions": [plain_words(r) for r in timeline_resolutions(occurrence)],
                },
            )
        )
    labels = _common_labels(archive, (r.year for r in rows))
    del labels["topic"]
    return Register(f"topics/{chosen.id}", urls.topic_page(chosen), ("item", "items"), rows, labels)


@dataclass(frozen=True)
class Registers:
    """Every register of the archive: made once, for the pages and for the browser's indexes."""

    decisions: Register
    actions: Register
    topics: dict[str, Register]

    @classmethod
    def of(cls, archive: Archive) -> Registers:
        """The archive's registers."""
        return cls(decisions(archive), actions(archive), {t.id: topic(archive, t) for t in archive.topics})

    def index_files(self) -> dict[str, bytes]:
        """Every file of every register's browser index, keyed by its path in the site."""
        files: dict[str, bytes] = {}
        for register in (self.decisions, self.actions, *self.topics.values()):
            files |= register.index_files()
        return files
