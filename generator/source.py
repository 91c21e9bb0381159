"""Reading a YAML source file into plain data, knowing where every value stands.

The file is read from the parser's event stream (libyaml, through ruamel.yaml's C
extension), so no recursive composer can be driven too deep and nothing is
constructed from tags. Scalars are kept as the text the editor typed (YAML 1.2:
only null and true/false get a type of their own), so ``NO``, ``12:30`` and ``1.10``
stay strings. Every problem is returned with its file, line and column; nothing
here raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)
from ruamel.yaml.reader import ReaderError

# A meeting file is a few hundred lines; anything far larger is a mistake, and
# refusing it early keeps a bad commit from exhausting memory in CI.
MAX_FILE_BYTES = 2_000_000
# A record is a few levels deep; the limit only stops deliberately deep input.
MAX_DEPTH = 40

Loc = tuple[str | int, ...]

# YAML 1.2 core schema: the only plain scalars that are not text.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in one file, where an editor can find it."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.unplaced()}"

    def unplaced(self) -> str:
        """The problem without its place in a file: ``field: message (hint: ...)``."""
        kind = "warning: " if self.severity == "warning" else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.field}: {kind}{self.message}{hint}"


@dataclass
class Positions:
    """Where each value and each key of a document stands in its file."""

    lines: list[str] = field(default_factory=list)
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    block_scalars: set[Loc] = field(default_factory=set)
    # Values already reported as unreadable (an alias, a tag): the schema's
    # complaint that they are empty would only repeat the problem.
    unreadable: set[Loc] = field(default_factory=set)

    def of_value(self, loc: Loc) -> tuple[int, int]:
        """The position of the value at loc, or of its nearest enclosing value."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def of_key(self, loc: Loc) -> tuple[int, int]:
        """The position of the key that names loc, falling back to its value."""
        return self.keys.get(loc) or self.of_value(loc)

    def in_text(self, loc: Loc, text: str, offset: int, needle: str) -> tuple[int, int]:
        """The file position of ``needle``, found at ``offset`` in the text value at loc."""
        line, column = self.of_value(loc)
        # A block scalar (| or >) starts on the line after its indicator.
        line += text.count("\n", 0, offset) + (1 if loc in self.block_scalars else 0)
        if 0 < line <= len(self.lines) and needle in self.lines[line - 1]:
            column = self.lines[line - 1].index(needle) + 1
        return line, column


def field_name(loc: Loc) -> str:
    """``("items", 3, "title")`` -> ``items[3].title``: how editors see a field."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


class _TooDeep(Exception):
    def __init__(self, event: Event) -> None:
        super().__init__("too deep")
        self.event = event


@dataclass
class _Frame:
    """An open mapping or sequence while its events are read."""

    loc: Loc
    value: dict[str, Any] | list[Any]
    key: str | None = None  # a mapping's key awaiting its value
    skip: bool = False  # the awaited value belongs to a key already given


def _mark(event: Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Reader:
    """Builds plain data from parser events, noting positions and problems.

    Problems are collected rather than raised so that one run reports them all; a
    value that cannot be read becomes None, which the schema then reports too.
    """

    def __init__(self, display: str, lines: list[str]) -> None:
        self.display = display
        self.positions = Positions(lines)
        self.problems: list[Problem] = []
        self.empty = True  # until the document shows any content

    def _problem(self, event: Event, loc: Loc, message: str, hint: str) -> None:
        self.positions.unreadable.add(loc)
        line, column = _mark(event)
        self.problems.append(Problem(self.display, line, column, field_name(loc), message, hint))

    def read(self, events: Iterable[Event]) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        for event in events:
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._problem(event, (), "holds more than one YAML document", "a record is one document")
                    break
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                done = stack.pop()
                self._attach(stack, done.value)
                if not stack:
                    root = done.value
                continue
            if not isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
                continue  # stream and document ends
            self.empty = False
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.value, dict) and parent.key is None:
                self._key(parent, event)
                continue
            loc = self._child_loc(parent)
            self.positions.values[loc] = _mark(event)
            if isinstance(event, CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise _TooDeep(event)
                self._check_tag(event, loc)
                container: dict[str, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
                stack.append(_Frame(loc, container))
                continue
            if isinstance(event, ScalarEvent):
                value = self._scalar(event, loc)
            else:
                self._alias(event, loc)
                value = None
            self._attach(stack, value)
            if not stack:
                root = value
        return root

    def _child_loc(self, parent: _Frame | None) -> Loc:
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return (*parent.loc, len(parent.value))
        assert parent.key is not None
        return (*parent.loc, parent.key)

    def _attach(self, stack: list[_Frame], value: Any) -> None:
        if not stack:
            return
        parent = stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
        else:
            assert parent.key is not None
            if not parent.skip:
                parent.value[parent.key] = value
            parent.key, parent.skip = None, False

    def _key(self, parent: _Frame, event: Event) -> None:
        """A mapping's key: plain text, and not given twice."""
        if not isinstance(event, ScalarEvent):
            self._problem(event, parent.loc, "a field name must be plain text", "write each field as `name: value`")
            raise _Unreadable
        key = str(event.value)
        loc = (*parent.loc, key)
        if key in parent.value:
            first_line = self.positions.keys[loc][0]
            self._problem(
                event,
                loc,
                f"duplicate field '{key}' (first given on line {first_line})",
                "keep one of the two; the second would silently replace the first",
            )
            parent.skip = True
        else:
            self.positions.keys[loc] = _mark(event)
        parent.key = key

    def _check_tag(self, event: ScalarEvent | CollectionStartEvent, loc: Loc) -> None:
        if event.tag is not None:
            self._problem(
                event,
                loc,
                f"the YAML tag {event.tag!r} is not allowed in records",
                "remove the tag (the word after ! or !!) and write plain values",
            )

    def _scalar(self, event: ScalarEvent, loc: Loc) -> Any:
        """A scalar as the editor typed it: only null and true/false get a type of their own."""
        if event.style in ("|", ">"):
            self.positions.block_scalars.add(loc)
        if event.tag is not None:
            self._check_tag(event, loc)
            return None
        text = str(event.value)
        if event.style in (None, ""):  # plain, so YAML 1.2 may read it as null or a flag
            if _NULL.match(text):
                return None
            if _BOOL.match(text):
                return text.lower() == "true"
        return text

    def _alias(self, event: Event, loc: Loc) -> None:
        self._problem(
            event,
            loc,
            "anchors and aliases (& and *) are not allowed in records",
            "write the value out in full where it is needed",
        )


class _Unreadable(Exception):
    """A structure so broken (a list or mapping used as a field name) that reading stops."""


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    return yaml


def read_yaml(path: Path, display: str) -> tuple[Any, Positions, list[Problem]]:
    """Read one YAML file into plain data; problems instead of exceptions."""

    def fail(line: int, column: int, fld: str, message: str, hint: str) -> tuple[Any, Positions, list[Problem]]:
        return None, Positions(), [Problem(display, line, column, fld, message, hint)]

    try:
        raw = path.read_bytes()
    except OSError as error:
        return fail(1, 1, "(file)", f"cannot be read: {error.strerror}", "check the file exists and is readable")
    if len(raw) > MAX_FILE_BYTES:
        return fail(
            1,
            1,
            "(file)",
            f"is {len(raw):,} bytes, more than the {MAX_FILE_BYTES:,} a record may be",
            "split it or remove what does not belong to one meeting",
        )
    if b"\x00" in raw:
        return fail(1, 1, "(file)", "is binary, not text", "a record is a UTF-8 text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return fail(line, column, "(file)", "is not UTF-8 text", "save the file with UTF-8 encoding")
    reader = _Reader(display, text.splitlines())
    try:
        data = reader.read(_yaml().parse(text))
    except _TooDeep as deep:
        line, column = _mark(deep.event)
        return fail(
            line,
            column,
            "(syntax)",
            f"the data is nested more than {MAX_DEPTH} levels deep",
            "a record is a few levels deep at most",
        )
    except _Unreadable:
        return None, reader.positions, reader.problems
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        lines = text.splitlines()
        found = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
        return fail(line, column, "(syntax)", f"not valid YAML: {message}", _syntax_hint(message, found))
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return fail(
            line,
            column,
            "(syntax)",
            f"not valid YAML: the character U+{_codepoint(error.character):04X} is not allowed",
            "remove the control character (it is invisible in most editors)",
        )
    except YAMLError as error:
        return fail(1, 1, "(syntax)", f"not valid YAML: {error}", "check the file's indentation and quoting")
    if reader.empty and not reader.problems:
        return fail(1, 1, "(file)", "is empty", "start from an existing record or `minutes new`")
    return data, reader.positions, reader.problems


def _codepoint(character: str | int) -> int:
    # ruamel.yaml reports the offending character as text or as its code point.
    return ord(character) if isinstance(character, str) else character


def _syntax_hint(message: str, found: str) -> str:
    """A hint from the parser's message and the character it stopped at."""
    if found == "\t":
        return "indent with spaces, never tabs"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be put in quotes"
    if "found character '@'" in message or "found character '`'" in message:
        return "put the value in quotes"
    return "check the indentation and that quotes and brackets are closed"
