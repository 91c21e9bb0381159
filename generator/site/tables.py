"""A Markdown extension that gives every table a caption and every header cell a scope.

Markdown tables have neither, and a screen reader needs both: the caption names a
table when a resident lists or enters it, and ``scope`` ties each data cell to its
headers. The templates and the hand-written pages stay plain Markdown tables:

- a paragraph ``Table: <caption>`` right before a table becomes its ``<caption>``
  (the convention Pandoc uses), inline Markdown and all;
- a table without one takes the text of the heading it sits under, the best name
  a table written without a caption has;
- a header cell in the head row gets ``scope="col"``, one in the body ``scope="row"``.

Raw HTML tables are left as their authors wrote them. Listed in mkdocs.yml as
``generator.site.tables``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

CAPTION_PREFIX = "Table: "
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SPACES = re.compile(r"\s+")


# Python-Markdown has no type information (see [tool.mypy] in pyproject.toml).
class TableCaptions(Treeprocessor):  # type: ignore[misc]
    """Adds the caption and the header scopes to every table in a page."""

    def run(self, root: etree.Element) -> None:
        heading = ""
        # Walk in document order, remembering the latest heading for tables without a caption.
        for parent in list(root.iter()):
            children = list(parent)
            for index, child in enumerate(children):
                if child.tag in _HEADINGS:
                    heading = _text_of(child)
                elif child.tag == "table":
                    before = children[index - 1] if index > 0 else None
                    if before is not None and before.tag == "p" and (before.text or "").startswith(CAPTION_PREFIX):
                        _caption(child, before)
                        parent.remove(before)
                    elif child.find("caption") is None and heading:
                        caption = etree.Element("caption")
                        caption.text = heading
                        child.insert(0, caption)
                    _scope(child)


def _text_of(element: etree.Element) -> str:
    """A heading's words: raw HTML in it (stashed as placeholders until the page is serialised) is no part of them."""
    return _SPACES.sub(" ", HTML_PLACEHOLDER_RE.sub("", "".join(element.itertext()))).strip()


def _caption(table: etree.Element, paragraph: etree.Element) -> None:
    """Move the paragraph's content, less its ``Table: `` prefix, into a caption of the table."""
    caption = etree.Element("caption")
    caption.text = (paragraph.text or "").removeprefix(CAPTION_PREFIX)
    for node in list(paragraph):
        caption.append(node)
    table.insert(0, caption)


def _scope(table: etree.Element) -> None:
    for section, scope in (("thead", "col"), ("tbody", "row")):
        for cell in table.iterfind(f"{section}/tr/th"):
            cell.set("scope", cell.get("scope") or scope)


class TablesExtension(Extension):  # type: ignore[misc]
    """Registers ``TableCaptions`` after inline Markdown and attribute lists, before the table of contents."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After "inline" (20), "attr_list" (8) and "abbr" (7), so captions hold finished
        # inline markup and headings their final words; before "toc" (5) adds permalinks.
        md.treeprocessors.register(TableCaptions(md), "table_captions", 6)


def makeExtension(**kwargs: object) -> TablesExtension:
    """The entry point Python-Markdown calls for ``generator.site.tables`` in mkdocs.yml."""
    return TablesExtension(**kwargs)
