"""The one way from a content folder to everything the archive publishes.

content folder -> checked records -> the archive (one graph) -> pages, data files,
the registers' browser indexes, search records, and the set of addresses kept.
The MkDocs plugin, the ``minutes`` command, the benchmark and the tests all call
this; none of them puts the pieces together itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator import addresses, urls
from generator.archive import Archive
from generator.load import Content, load_content
from generator.outputs import every_output
from generator.registers import Registers
from generator.render import render_site
from generator.search import SearchRecord, records
from generator.source import Problem

# Where the hand-written pages live, inside the content folder, unless the site builder says otherwise.
PAGES = "pages"


class InvalidRecords(Exception):
    """The records have errors, so nothing may be built from them; ``problems`` lists every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(self.errors)} problem(s) in the archive's records; nothing was built")


def archive_of(content: Content) -> Archive:
    """The archive a content folder's records make: every meeting, with every link between them."""
    return Archive(
        content.committees,
        [(m.meeting, m.source) for m in content.meetings],
        content.topics,
        content.glossary,
        content.people,
    )


def hand_written_pages(pages_dir: Path) -> list[str]:
    """The source paths of the hand-written pages (``about.md``, ...), as the site builder finds them."""
    if not pages_dir.is_dir():
        return []
    return sorted(p.relative_to(pages_dir).as_posix() for p in pages_dir.rglob("*.md"))


@dataclass
class Site:
    """Everything the archive publishes, made from one content folder."""

    content: Content
    archive: Archive
    registers: Registers
    # Generated pages, by their source path: "meetings/2021-06-17-board.md" -> Markdown.
    pages: dict[str, str]
    # Feeds, calendars and open data, by their path in the site.
    data_files: dict[str, bytes]
    # The registers' browser indexes, by their path in the site: machinery, not addresses to keep.
    index_files: dict[str, bytes]
    # The hand-written pages' source paths.
    hand_written: list[str]

    @cached_property
    def search_records(self) -> list[SearchRecord]:
        """The search index's records: each meeting's facts, each item, each topic and term."""
        return list(records(self.archive))

    @cached_property
    def addresses(self) -> set[str]:
        """Every address this build publishes to be kept: pages, hand-written and generated, and data files."""
        return addresses.kept_addresses([*self.pages, *self.hand_written], self.data_files)

    def record_of(self, page: str) -> str | None:
        """The repository path of the record a generated page is made from, for its edit link."""
        return self._records.get(page)

    @cached_property
    def _records(self) -> dict[str, str]:
        return {urls.meeting_page(e.meeting): e.source for e in self.archive.entries}


def site_from(content: Content, site_name: str, site_url: str = "/", pages_dir: Path | None = None) -> Site:
    """Everything published from records already read and checked (``content``)."""
    archive = archive_of(content)
    lists = Registers.of(archive)
    return Site(
        content=content,
        archive=archive,
        registers=lists,
        pages=render_site(archive, site_name, site_url, lists),
        data_files=every_output(archive, site_url, site_name),
        index_files=lists.index_files(),
        hand_written=hand_written_pages(pages_dir) if pages_dir else [],
    )


def build(
    content_dir: Path,
    site_name: str,
    site_url: str = "/",
    root: Path | None = None,
    pages_dir: Path | None = None,
) -> Site:
    """Read and check a content folder and make everything it publishes.

    ``root`` is the repository root that record paths are shown relative to;
    ``pages_dir`` the folder of hand-written pages (``content/pages`` unless the
    site builder's configuration says otherwise). Raises ``InvalidRecords`` with
    every problem when any record has an error; warnings are in ``content.problems``.
    """
    content = load_content(content_dir, root)
    if content.errors:
        raise InvalidRecords(content.problems)
    return site_from(content, site_name, site_url, pages_dir if pages_dir is not None else content_dir / PAGES)
