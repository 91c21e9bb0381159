"""Markdown as plain words, for the places that show text without rendering it.

The search index, the rows a register builds in the browser and the feeds show an
editor's Markdown as text: the marks of emphasis, code and links would otherwise
be shown, or indexed as parts of words.
"""

from __future__ import annotations

import re

# Markdown punctuation, a link's address, and a list item's dash.
_MARKDOWN = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)|^\s*- ", re.MULTILINE)


def plain_words(text: str) -> str:
    """The words of a Markdown text, without its marks, on one line."""
    return " ".join(_MARKDOWN.sub(" ", text).split())


def plain_paragraphs(text: str) -> str:
    """The words of a Markdown text, without its marks, keeping its paragraph breaks."""
    return _MARKDOWN.sub(" ", text)
