"""YAML files -> schema objects, with every problem placed at file:line:column.

Scalars are read as the text the editor typed (YAML 1.2, no implicit typing beyond
null and true/false), so ``NO``, ``12:30`` and ``1.10`` stay strings; the schema
then parses dates and times strictly. Nothing here raises on bad input: every
problem in every file is collected, so one run shows an editor all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator import sanitise, terms
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
from generator.source import Loc, Positions, Problem, field_name, read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class SourcedMeeting:
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
    meetings: list[SourcedMeeting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build (warnings do not)."""
        return [p for p in self.problems if p.severity == "error"]


def validate_model(
    model: type[ModelT], data: Any, positions: Positions, display: str
) -> tuple[ModelT | None, list[Problem]]:
    """Validate data against a model; each pydantic error becomes a placed Problem."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [
            _problem(model, e, positions, display)
            for e in error.errors(include_url=False)
            if not any(tuple(e["loc"][: len(loc)]) == loc for loc in positions.unreadable)
        ]
        return None, sorted(set(problems))


def _problem(model: type[BaseModel], error: ErrorDetails, positions: Positions, display: str) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        line, column = positions.of_key(loc)
        allowed = _field_names(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.75)
        hint = f"did you mean '{guess[0]}'?" if guess else f"allowed fields here: {', '.join(allowed)}"
        return Problem(display, line, column, field_name(loc), f"unknown field '{loc[-1]}'", hint)
    if kind == "missing":
        line, column = positions.of_value(loc[:-1])
        return Problem(
            display,
            line,
            column,
            field_name(loc),
            "is required but missing",
            f"add `{loc[-1]}:` with its value",
        )
    if kind in _WHOLE_ITEM_RULES:
        # The rule concerns the item as a whole; point at the field that breaks it.
        loc = (*loc, error.get("ctx", {})["field"])
        line, column = positions.of_key(loc)
        return Problem(display, line, column, field_name(loc), error["msg"], _WHOLE_ITEM_RULES[kind])
    # An empty value has no text of its own to point at: point at its field name.
    line, column = positions.of_key(loc) if value is None else positions.of_value(loc)
    message, hint = _explain(kind, error, value)
    return Problem(display, line, column, field_name(loc), message, hint)


# Rules about an item as a whole (schema.Item), and how to mend a breach of each.
_WHOLE_ITEM_RULES = {
    "private_text": "remove those fields: these files are published as they are, so private text never goes in them;"
    " what may be published goes in public_summary",
    "private_basis": "write the paragraph number (1 to 7) that the minutes give for excluding the press and public",
    "public_summary_without_basis": "add `private_under:` with the Schedule 12A paragraph number if the item"
    " was considered in private; otherwise write the minutes in `text`",
    "period_order": "check both dates: `from` is the first day of the period and `to` the last",
}


def _explain(kind: str, error: ErrorDetails, value: Any) -> tuple[str, str]:
    """Plain-English message and hint for one pydantic error."""
    if value is None and kind in {"string_type", "model_type", "list_type", "date_type", "value_error"}:
        return "is empty", "give it a value, or remove the line if the field is optional"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), _value_hint(str(error["msg"]))
    if kind == "string_type":
        return "must be text", "put the value in quotes"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list", "put each entry on its own line starting with '- '"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be a group of fields", "indent the fields under this one, each as `name: value`"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, not {value!r}", "write true or false without quotes"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"'{value}' is not allowed", f"use one of: {expected}"
    if kind == "too_short":
        return "must have at least one entry", "add an entry, each on its own line starting with '- '"
    return str(error["msg"]), ""


def _value_hint(message: str) -> str:
    if "Schedule 12A" in message:
        return "use the paragraph number the minutes give, 1 to 7"
    if "email address" in message:
        return "write the address alone, without a name or <>"
    if "web address" in message:
        return "copy the document's address from the browser's address bar"
    if "calendar" in message:
        return "check the day and the month"
    if "date" in message or "time" in message:
        return 'write it in quotes if in doubt, e.g. "10:00"'
    return ""


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The fields allowed at loc inside model, for did-you-mean hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else current
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional down to the type an editor fills in."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        elif origin is list:
            first = typing.get_args(annotation)[0]
            if isinstance(_unwrap(first), type) and issubclass(_unwrap(first), BaseModel):
                return list[_unwrap(first)]  # type: ignore[misc]
            return annotation
        else:
            return annotation


def meeting_files(content_dir: Path) -> list[Path]:
    """Every meeting record under content/meetings, in a stable order."""
    folder = content_dir / "meetings"
    return sorted(p for pattern in ("*.yml", "*.yaml") for p in folder.rglob(pattern) if p.is_file())


def _display(path: Path, root: Path) -> str:
    try:
        return str(PurePosixPath(path.resolve().relative_to(root.resolve())))
    except ValueError:
        return str(path)


def load_content(content_dir: Path, root: Path | None = None) -> Content:
    """Read and check the registries and every meeting under content_dir.

    ``root`` is the repository root that paths are shown relative to (and that
    edit links are built from); it defaults to the content folder's parent.
    """
    root = root or content_dir.parent
    content = Content()
    committees = _read_registry(content, CommitteeRegistry, content_dir / "committees.yml", root, "committees")
    if committees:
        content.committees = list(committees.committees)
    topics = _read_registry(content, TopicRegistry, content_dir / "topics.yml", root, "topics", optional=True)
    if topics:
        content.topics = list(topics.topics)
    glossary = _read_registry(content, Glossary, content_dir / "glossary.yml", root, "terms", optional=True)
    if glossary:
        content.glossary = list(glossary.terms)
    redirects = _read_registry(
        content, RedirectRegistry, content_dir / "redirects.yml", root, "redirects", optional=True
    )
    if redirects:
        content.redirects = list(redirects.redirects)
    committee_ids = {c.id for c in content.committees}

    def memberships(registry: PeopleRegistry, positions: Positions, display: str) -> list[Problem]:
        return _check_memberships(registry, positions, display, committee_ids if committees else None)

    people = _read_registry(
        content, PeopleRegistry, content_dir / "people.yml", root, "people", optional=True, check=memberships
    )
    if people:
        content.people = list(people.people)
    known = _Known(
        committees={c.id for c in content.committees} if committees else None,
        topics=content.topics if topics or not (content_dir / "topics.yml").exists() else None,
    )
    seen: dict[tuple[str, str], str] = {}
    checked: list[tuple[Meeting, Positions, str, list[Problem]]] = []
    for path in meeting_files(content_dir):
        display = _display(path, root)
        data, positions, problems = read_yaml(path, display)
        problems += _check_markup(data, (), positions, display)
        meeting = None
        if isinstance(data, dict):
            meeting, invalid = validate_model(Meeting, data, positions, display)
            problems = sorted(set(problems + invalid + list(_check_references(data, positions, display, known))))
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
        if meeting:
            problems += _check_meeting(meeting, positions, display, seen)
            checked.append((meeting, positions, display, problems))
        else:
            content.problems += problems
    # Action updates may name an action in any file, so they are checked once all are read.
    raised_on = {action_id: meeting.date for meeting, *_ in checked for action_id in action_ids(meeting).values()}
    for meeting, positions, display, problems in checked:
        problems += _check_updates(meeting, positions, display, raised_on)
        if not any(p.severity == "error" for p in problems):
            content.meetings.append(SourcedMeeting(meeting, display))
        content.problems += problems
    content.meetings.sort(key=lambda m: (m.meeting.date, m.meeting.committee))
    content.problems.sort()
    return content


def _check_markup(data: Any, loc: Loc, positions: Positions, display: str) -> list[Problem]:
    """Every text in a file, at any depth, holds only markup the site publishes as written."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _check_markup(value, (*loc, key), positions, display)]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in _check_markup(value, (*loc, index), positions, display)]
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


def _check_updates(
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
                line, column = positions.of_value(loc)
                yield Problem(
                    display,
                    line,
                    column,
                    field_name(loc),
                    f"the action {update.action} was agreed on {raised_on[update.action]}, not before this meeting",
                    "an update is recorded at a later meeting than the action it reports on",
                )


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
                line, column = positions.of_value(loc)
                guess = difflib.get_close_matches(membership.committee, sorted(committees), n=1)
                problems.append(
                    Problem(
                        display,
                        line,
                        column,
                        field_name(loc),
                        f"unknown committee '{membership.committee}' (not in content/committees.yml)",
                        f"did you mean '{guess[0]}'?"
                        if guess
                        else f"known committees: {', '.join(sorted(committees))}",
                    )
                )
    return problems


@dataclass
class _Known:
    """What references may point at; None where the registry itself is broken."""

    committees: set[str] | None
    topics: list[Topic] | None

    @cached_property
    def aliases(self) -> terms.Matcher:
        """Every topic alias, found in one pass over a text."""
        return terms.Matcher(alias for topic in self.topics or () for alias in topic.aliases)


def _registry_keys(listed: str, entry: Any, index: int) -> Iterator[tuple[Loc, str]]:
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


def _read_registry(
    content: Content,
    model: type[ModelT],
    path: Path,
    root: Path,
    listed: str,
    optional: bool = False,
    check: Callable[[ModelT, Positions, str], list[Problem]] | None = None,
) -> ModelT | None:
    """Read one registry file, adding its problems (repeated ids or names, and ``check``'s) to content."""
    if optional and not path.exists():
        return None
    display = _display(path, root)
    data, positions, problems = read_yaml(path, display)
    problems += _check_markup(data, (), positions, display)
    registry = None
    if data is not None or not problems:
        registry, invalid = validate_model(model, data, positions, display)
        problems = sorted(set(problems + invalid))
    if registry is not None and check is not None:
        problems += check(registry, positions, display)
    if registry is not None:
        seen: set[str] = set()
        for index, entry in enumerate(getattr(registry, listed)):
            for loc, value in _registry_keys(listed, entry, index):
                if value in seen:
                    line, column = positions.of_value(loc)
                    problems.append(
                        Problem(
                            display,
                            line,
                            column,
                            field_name(loc),
                            f"'{value}' is listed twice",
                            "keep one entry for each",
                        )
                    )
                seen.add(value)
    content.problems += problems
    return registry if not problems else None


def _unknown(
    display: str, positions: Positions, loc: Loc, kind: str, value: str, known: list[str], registry: str
) -> Problem:
    line, column = positions.of_value(loc)
    guess = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known {kind}s: {', '.join(known) or 'none'}"
    return Problem(display, line, column, field_name(loc), f"unknown {kind} '{value}' (not in {registry})", hint)


def _check_references(data: dict[str, Any], positions: Positions, display: str, known: _Known) -> Iterator[Problem]:
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
            line, column = positions.of_value(("items", index, "number"))
            yield Problem(
                display,
                line,
                column,
                f"items[{index}].number",
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


def _check_meeting(
    meeting: Meeting, positions: Positions, display: str, seen: dict[tuple[str, str], str]
) -> list[Problem]:
    """Checks that need the validated meeting: one file per meeting, dates in order."""
    problems = []
    key = (meeting.date.isoformat(), meeting.committee)
    if key in seen:
        line, column = positions.of_value(("date",))
        problems.append(
            Problem(
                display,
                line,
                column,
                "date",
                f"{seen[key]} already records a meeting of '{meeting.committee}' on {key[0]}",
                "one file per meeting: merge the two files or correct the date",
            )
        )
    else:
        seen[key] = display
    if meeting.next_meeting and meeting.next_meeting.date <= meeting.date:
        line, column = positions.of_value(("next_meeting", "date"))
        problems.append(
            Problem(
                display,
                line,
                column,
                "next_meeting.date",
                f"the next meeting ({meeting.next_meeting.date}) is not after this one ({meeting.date})",
                "check the year of the next meeting's date",
            )
        )
    for index, item in enumerate(meeting.items):
        for reference in ("approves_minutes_of", "matters_arising_from"):
            ref = getattr(item, reference)
            if ref is not None and ref.date >= meeting.date:
                line, column = positions.of_value(("items", index, reference, "date"))
                problems.append(
                    Problem(
                        display,
                        line,
                        column,
                        f"items[{index}].{reference}.date",
                        f"{ref.date} is not before this meeting ({meeting.date})",
                        "it names an earlier meeting: check the date",
                    )
                )
    return problems
