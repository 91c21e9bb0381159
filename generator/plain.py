"""Markdown as plain words, for the places that show text without rendering it.

The search index, the rows a register builds in the browser and a topic's timeline
show an editor's Markdown as text: the marks of emphasis, code, headings, quotes,
lists and links would otherwise be shown, or indexed as parts of words.
"""

from __future__ import annotations

import re

from generator.sanitise import plain_text

# A link or an image, [words](address): the words stay, the address goes.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Emphasis and code marks at the edge of a word; a heading's, quote's or list item's marker at a line's start.
_MARKS = re.compile(
    r"(?<![\w*_`])[*_`]+(?=\S)|(?<=\S)[*_`]+(?![\w*_`])|^[ \t]*(?:#{1,6}|>+|[-*+]|\d+[.)])[ \t]+", re.MULTILINE
)


# Signs that a text may hold a mark to take out; most minutes hold none, and are left as they are.
_MAY_HAVE_MARKS = re.compile(r"[*_`]|^[ \t]*(?:#|>|[-+] |\d+[.)] )", re.MULTILINE)


def plain_paragraphs(text: str) -> str:
    """The words of a Markdown text, without its marks or any tag, keeping its paragraph breaks."""
    text = plain_text(text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    return _MARKS.sub("", text) if _MAY_HAVE_MARKS.search(text) else text


def plain_words(text: str) -> str:
    """The words of a Markdown text, without its marks or any tag, on one line."""
    return " ".join(plain_paragraphs(text).split())
