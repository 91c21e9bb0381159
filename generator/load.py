"""YAML files -> schema objects, with every problem placed at file:line:column.

Scalars are read as the text the editor typed (YAML 1.2, no implicit typing beyond
null and true/false), so ``NO``, ``12:30`` and ``1.10`` stay strings; the schema
then parses dates and times strictly. Nothing here raises on bad input: every
problem in every file is collected, so one run shows an editor all of them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel

from generator import apart
from generator.cache import BuildCache, key_of
from generator.checks import (
    Known,
    check_markup,
    check_meeting,
    check_people,
    check_references,
    check_updates,
    problem_at,
    registry_keys,
)
from generator.messages import validate_model
from generator.schema import (
    Committee,
    CommitteeRegistry,
    Glossary,
    GlossaryTerm,
    Meeting,
    PeopleRegistry,
    PersonRecord,
    Redirect,
    RedirectRegistry,
    Topic,
    TopicRegistry,
    action_ids,
)
from generator.source import Positions, Problem, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

# The registries of a content folder, each a file of its own.
COMMITTEES = "committees.yml"
TOPICS = "topics.yml"
GLOSSARY = "glossary.yml"
PEOPLE = "people.yml"
REDIRECTS = "redirects.yml"


@dataclass(frozen=True)
class _Registry:
    """One registry: its file, its model, the model's list of entries and the Content field it fills."""

    file: str
    model: type[BaseModel]
    listed: str
    field: str
    optional: bool = True


REGISTRIES = (
    _Registry(COMMITTEES, CommitteeRegistry, "committees", "committees", optional=False),
    _Registry(TOPICS, TopicRegistry, "topics", "topics"),
    _Registry(GLOSSARY, Glossary, "terms", "glossary"),
    _Registry(REDIRECTS, RedirectRegistry, "redirects", "redirects"),
    _Registry(PEOPLE, PeopleRegistry, "people", "people"),
)


@dataclass(frozen=True)
class MeetingFile:
    """A validated meeting and the repository path of the file it came from."""

    meeting: Meeting
    source: str


@dataclass
class Content:
    """Everything read from a content folder, and everything wrong with it."""

    committees: list[Committee] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    meetings: list[MeetingFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build (warnings do not)."""
        return [p for p in self.problems if p.severity == "error"]


def meeting_files(content_dir: Path) -> list[Path]:
    """Every meeting record under content/meetings, in a stable order."""
    folder = content_dir / "meetings"
    return sorted(p for pattern in ("*.yml", "*.yaml") for p in folder.rglob(pattern) if p.is_file())


def _display(path: Path, root: Path) -> str:
    try:
        return str(PurePosixPath(path.resolve().relative_to(root.resolve())))
    except ValueError:
        return str(path)


def _displays(paths: list[Path], folder: Path, root: Path) -> list[str]:
    """How many files under one folder are shown: their path under it, from the root (the folder resolved once).

    Resolving each file as ``_display`` does is most of the time of reading a
    warm archive's thousands of records.
    """
    try:
        within = PurePosixPath(folder.resolve().relative_to(root.resolve()))
    except ValueError:
        return [_display(path, root) for path in paths]
    return [str(within / path.relative_to(folder).as_posix()) for path in paths]


def load_content(content_dir: Path, root: Path | None = None, cache: BuildCache | None = None) -> Content:
    """Read and check the registries and every meeting under content_dir.

    ``root`` is the repository root that paths are shown relative to (and that
    edit links are built from); it defaults to the content folder's parent. With a
    ``cache``, a record whose bytes (and the registries it refers to) are unchanged
    since a build that read it is not parsed or validated again; the checks across
    files (repeated meetings, action updates) run on every build all the same.
    """
    root = root or content_dir.parent
    content = Content()
    read: dict[str, BaseModel | None] = {}
    for registry in REGISTRIES:
        check = None
        if registry.listed == "people":
            # Memberships name committees, which are read first.
            ids = {c.id for c in content.committees} if read["committees"] else None

            def check(
                found: PeopleRegistry, positions: Positions, display: str, ids: set[str] | None = ids
            ) -> list[Problem]:
                return check_people(found, positions, display, ids)

        path = content_dir / registry.file
        found = _read_registry(content, registry.model, path, root, registry.listed, registry.optional, check)
        read[registry.listed] = found
        if found is not None:
            setattr(content, registry.field, list(getattr(found, registry.listed)))
    known = Known(
        committees={c.id for c in content.committees} if read["committees"] else None,
        topics=content.topics if read["topics"] or not (content_dir / TOPICS).exists() else None,
    )
    seen: dict[tuple[str, str], str] = {}
    checked: list[tuple[Meeting, Positions, str, list[Problem]]] = []
    # A record's own problems depend on its bytes and the registries it refers to; read
    # and checked once, they are kept until either changes.
    registries = _fingerprint(known)
    files = meeting_files(content_dir)
    displayed = list(zip(files, _displays(files, content_dir, root), strict=True))
    for display, (meeting, positions, problems) in _read_meetings(displayed, known, registries, cache):
        if meeting:
            problems += check_meeting(meeting, positions, display, seen)
            checked.append((meeting, positions, display, problems))
        else:
            content.problems += problems
    # Action updates may name an action in any file, so they are checked once all are read.
    raised_on = {action_id: meeting.date for meeting, *_ in checked for action_id in action_ids(meeting).values()}
    for meeting, positions, display, problems in checked:
        problems += check_updates(meeting, positions, display, raised_on)
        if not any(p.severity == "error" for p in problems):
            content.meetings.append(MeetingFile(meeting, display))
        content.problems += problems
    content.meetings.sort(key=lambda m: (m.meeting.date, m.meeting.committee))
    content.problems.sort()
    return content


def _fingerprint(known: Known) -> str:
    """What a record's own checks depend on beyond its bytes: the committees and topics it may name."""
    committees = sorted(known.committees) if known.committees is not None else None
    topics = [t.model_dump(mode="json") for t in known.topics] if known.topics is not None else None
    return json.dumps([committees, topics], sort_keys=True)


# Fewer records than this are read in one process: forking costs more than it saves.
_READ_APART_FROM = 200

Read = tuple[Meeting | None, Positions, list[Problem]]


def _read_meetings(
    files: list[tuple[Path, str]], known: Known, registries: str, cache: BuildCache | None
) -> list[tuple[str, Read]]:
    """Every meeting file read and checked on its own, in the order given, each with its display path.

    A file whose bytes (and the registries) are unchanged since it was cached is taken
    from the cache; the others are read half in a second process and half here
    (``generator.apart``), since each file's reading depends on nothing but itself.
    """
    cache = cache or BuildCache(None)
    made: dict[str, Read] = {}
    keys: dict[str, str] = {}
    unread: list[tuple[Path, str]] = []
    for path, display in files:
        with contextlib.suppress(OSError):  # read_yaml says why, in words
            keys[display] = key_of("record", display, path.read_bytes(), registries)
        kept = cache.get_object("records", keys[display]) if cache and display in keys else None
        if kept is not None:
            meeting, positions, problems = kept
            made[display] = (meeting, positions, list(problems))
        else:
            unread.append((path, display))

    def read(part: list[tuple[Path, str]]) -> list[Read]:
        return [_read_meeting(path, display, known) for path, display in part]

    if len(unread) >= _READ_APART_FROM:
        # The forked process takes a little less: its records come back pickled, and the
        # unpickling is this process's.
        half = len(unread) * 9 // 20
        first, second = apart.both(lambda: read(unread[:half]), lambda: read(unread[half:]))
        fresh = first + second
    else:
        fresh = read(unread)
    for (_, display), (meeting, positions, problems) in zip(unread, fresh, strict=True):
        if display in keys:
            cache.put_object("records", keys[display], (meeting, positions, problems))
        # A copy of the list, which later checks add to, so that what the cache holds stays as read.
        made[display] = (meeting, positions, list(problems))
    return [(display, made[display]) for _, display in files]


def _read_meeting(path: Path, display: str, known: Known) -> Read:
    """One record read and checked on its own: the meeting if it is valid, where its values stand, its problems."""
    data, positions, problems = read_yaml(path, display)
    problems += check_markup(data, (), positions, display)
    meeting = None
    if isinstance(data, dict):
        meeting, invalid = validate_model(Meeting, data, positions, display)
        problems = sorted(set(problems + invalid + list(check_references(data, positions, display, known))))
    elif data is not None and not problems:
        problems.append(
            Problem(
                display,
                1,
                1,
                "(file)",
                "must be a group of fields (committee, date, items, ...)",
                "start from an existing record or `minutes new`",
            )
        )
    return meeting, positions, problems


def _read_registry(
    content: Content,
    model: type[ModelT],
    path: Path,
    root: Path,
    listed: str,
    optional: bool = False,
    check: Callable[[Any, Positions, str], list[Problem]] | None = None,
) -> ModelT | None:
    """Read one registry file, adding its problems (repeated ids or names, and ``check``'s) to content."""
    if optional and not path.exists():
        return None
    display = _display(path, root)
    data, positions, problems = read_yaml(path, display)
    problems += check_markup(data, (), positions, display)
    registry = None
    if data is not None or not problems:
        registry, invalid = validate_model(model, data, positions, display)
        problems = sorted(set(problems + invalid))
    if registry is not None and check is not None:
        problems += check(registry, positions, display)
    if registry is not None:
        seen: set[str] = set()
        for index, entry in enumerate(getattr(registry, listed)):
            for loc, value in registry_keys(listed, entry, index):
                if value in seen:
                    twice = f"'{value}' is listed twice"
                    problems.append(problem_at(display, positions, loc, twice, "keep one entry for each"))
                seen.add(value)
    content.problems += problems
    return registry if not problems else None
