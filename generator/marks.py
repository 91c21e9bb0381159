"""Marking, in an item's Markdown, the words that were copied out of it into resolutions and actions.

A page prints each text once: a resolution or action that stands in the minutes
word for word is marked where it stands, and only the rest is set apart. Marks are
presentation added around the words, never a change to them, and a mark is only
placed where it cannot change what the Markdown means: not across paragraphs or
list items, not inside code, not between a list item's marker and its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.resolutions import find
from generator.schema import Item

# A line that starts a block of its own: a list item, heading, quote, table row or code.
_BLOCK_LINE = re.compile(r"\n(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]|[ \t]*#|[ \t]*>|[ \t]*\||    |\t)")
# A list item's marker at the start of a line.
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
# Labels for screen readers, which do not announce a highlight; the words themselves are the record's.
_LABELS = {"resolution": "Resolution: ", "action": "Action: "}


@dataclass(frozen=True)
class MarkedItem:
    """An item's minutes with the words lifted out of them marked in place."""

    # The minutes (or, for an item considered in private, its public summary) as Markdown.
    text: str
    # The resolutions the text does not hold where they can be marked, to be set apart.
    set_apart: list[str]
    # For each action whose words are marked, the anchor of the mark.
    marked_actions: dict[int, str]


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    opening: str
    closing: str


def said(item: Item) -> str:
    """What an item's page prints as its minutes: the text, or for a private item its public summary."""
    return (item.public_summary or "") if item.private else item.text


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _in_code(text: str, start: int) -> bool:
    """Whether a position is inside inline code (an odd number of backticks before it in its paragraph)
    or on an indented code line."""
    paragraph_start = text.rfind("\n\n", 0, start) + 1
    line = text[_line_start(text, start) : start]
    return text.count("`", paragraph_start, start) % 2 == 1 or line.startswith(("    ", "\t"))


def _fits(spans: list[_Span], start: int, end: int) -> bool:
    """Whether a span would nest inside, or around, or apart from every span already placed."""
    return all(
        end <= s.start or start >= s.end or (s.start <= start and end <= s.end) or (start <= s.start and s.end <= end)
        for s in spans
    )


def _inline(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a mark within one paragraph or list item, or None where none can go."""
    if _in_code(text, start):
        return None
    if _line_start(text, start) == start:
        # Never between a list item's marker and its words.
        marker = _LIST_MARKER.match(text, start)
        if marker:
            start = marker.end()
    words = text[start:end]
    if start >= end or re.search(r"\n[ \t]*\n", words) or _BLOCK_LINE.search(words):
        return None
    return start, end


def mark_item(item: Item, action_anchors: list[str]) -> MarkedItem:
    """Mark each resolution and action where the minutes hold its words, word for word.

    A resolution that is one or more whole paragraphs of the minutes is wrapped in
    a block; one within a paragraph, and every action, is a ``<mark>`` around its
    words. What the text does not hold, or holds only where a mark could change
    the Markdown, or overlapping another mark, is left to be set apart.
    """
    text = said(item).strip()
    spans: list[_Span] = []
    set_apart: list[str] = []
    for resolution in item.resolutions:
        place = find(resolution, text)
        block = (
            place is not None
            and place.whole_paragraphs
            and _line_start(text, place.start) == place.start
            and not _in_code(text, place.start)
            and not _LIST_MARKER.match(text, place.start)
        )
        inline = None if place is None or block else _inline(text, place.start, place.end)
        if place is not None and block and _fits(spans, place.start, place.end):
            spans.append(_Span(place.start, place.end, '<div class="minutes-resolution" markdown>\n\n', "\n\n</div>"))
        elif inline is not None and _fits(spans, *inline):
            spans.append(_Span(*inline, _mark("resolution"), "</mark>"))
        else:
            set_apart.append(resolution)
    marked: dict[int, str] = {}
    for number, action in enumerate(item.actions):
        place = find(action.what, text)
        inline = None if place is None else _inline(text, place.start, place.end)
        if inline is not None and _fits(spans, *inline):
            anchor = f"{action_anchors[number]}-text"
            spans.append(_Span(*inline, _mark("action", anchor), "</mark>"))
            marked[number] = anchor
    return MarkedItem(_insert(text, spans), set_apart, marked)


def _mark(kind: str, anchor: str | None = None) -> str:
    where = f' id="{anchor}"' if anchor else ""
    return f'<mark class="minutes-{kind}"{where}><span class="archive-visually-hidden">{_LABELS[kind]}</span>'


def _insert(text: str, spans: list[_Span]) -> str:
    """The text with each span's tags around it, properly nested.

    At one place, closing tags come before opening ones; of two spans starting
    together the longer (or, if equal, the earlier placed) opens first, and of two
    ending together the shorter (or the later placed) closes first.
    """
    inserts = [(s.end, 0, -s.start, -rank, s.closing) for rank, s in enumerate(spans)]
    inserts += [(s.start, 1, -s.end, rank, s.opening) for rank, s in enumerate(spans)]
    out, last = [], 0
    for position, *_, tag in sorted(inserts):
        out += [text[last:position], tag]
        last = position
    out.append(text[last:])
    return "".join(out)
