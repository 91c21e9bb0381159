"""The one way from a content folder to everything the archive publishes.

content folder -> checked records -> the archive (one graph) -> pages, data files,
the registers' browser indexes, search records, and the set of addresses kept.
The MkDocs plugin, the ``minutes`` command, the benchmark and the tests all call
this; none of them puts the pieces together itself.

With a build cache, a record whose file is unchanged is not parsed or validated
again (``load``), and when no input at all has changed since the last build, what
it made is taken whole from the cache. The cache never changes a byte of output.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import addresses, apart, urls
from generator.archive import Archive
from generator.cache import BuildCache, key_of
from generator.collector import fewer_full_collections
from generator.load import REGISTRIES, Content, load_content, meeting_files
from generator.outputs import every_output
from generator.people import People
from generator.registers import Registers
from generator.render import (
    MeetingPages,
    PeoplePages,
    RegisterPages,
    gathered,
    render_attendance_and_people,
    render_meetings,
    render_register_pages,
)
from generator.schema import Redirect
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

    # Generated pages, by their source path: "meetings/2021-06-17-board.md" -> Markdown.
    pages: dict[str, str]
    # Feeds, calendars and open data, by their path in the site.
    data_files: dict[str, bytes]
    # The registers' browser indexes, by their path in the site: machinery, not addresses to keep.
    index_files: dict[str, bytes]
    # The hand-written pages' source paths.
    hand_written: list[str]
    # Each generated meeting page's record, by repository path, for its edit link.
    records: dict[str, str]
    # The archive, until its search records are made (see search_records).
    archive: Archive | None = field(default=None, repr=False, compare=False)
    # Addresses that moved (content/redirects.yml), and the records' warnings.
    redirects: list[Redirect] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # The pages that gather across the whole archive (registers, topics, attendance, ...): the slow part.
    gathered: frozenset[str] = frozenset()
    # A preview's first sight of a change (see ``preview``): the gathered pages and the data files are
    # the last build's, and a whole build must follow.
    partial: bool = False

    # The search index's records, once made (see search_records).
    made_records: list[SearchRecord] | None = field(default=None, repr=False, compare=False)

    @property
    def search_records(self) -> list[SearchRecord]:
        """The search index's records: each meeting's facts, each item, each topic and term.

        Made with the pages when a second process makes them (``site_from``); otherwise
        when first asked for, since the preview shows a saved page first and indexes it
        for search after.
        """
        if self.made_records is None:
            assert self.archive is not None, "a cached site keeps its search records; a partial one has none"
            self.made_records = list(records(self.archive))
        self.archive = None  # nothing else needs it: let it go, for the build's peak memory
        return self.made_records

    def __getstate__(self) -> dict[str, object]:
        # A site kept in the cache keeps its search records, not the whole archive they are made from.
        state = {**self.__dict__, "made_records": self.search_records}
        state["archive"] = None
        return state

    @property
    def addresses(self) -> set[str]:
        """Every address this build publishes to be kept: pages, hand-written and generated, and data files."""
        return addresses.kept_addresses([*self.pages, *self.hand_written], self.data_files)

    def record_of(self, page: str) -> str | None:
        """The repository path of the record a generated page is made from, for its edit link."""
        return self.records.get(page)


def site_from(
    content: Content,
    site_name: str,
    site_url: str = "/",
    pages_dir: Path | None = None,
    cache: BuildCache | None = None,
) -> Site:
    """Everything published from records already read and checked (``content``)."""
    archive = archive_of(content)
    meetings = MeetingPages(archive, site_name, site_url, cache)
    # The work after the archive, in two halves that share only the archive: the meetings' pages
    # in a second process (generator.apart), the registers here. The rest goes where it evens
    # them out. The search records go there when the site is to be cached, which asks for them
    # at once (otherwise Site.search_records makes them when the search index asks, in its
    # thread); the data files go there unless the search records do; and when the cache has
    # most meetings' pages, so that there is little else to do there, the data files and the
    # attendance and people's pages go there too.
    records_there = apart.can_fork() and bool(cache)
    # Both halves need the archive's people (its pages, the action owners): worked out once, before
    # the fork, instead of once in each process.
    People.of(archive)
    mostly_kept = meetings.mostly_kept
    data_there = mostly_kept or not records_there

    def there() -> tuple[dict[str, str], dict[str, bytes] | None, PeoplePages | None, list[SearchRecord] | None]:
        return (
            meetings.render(),
            every_output(archive, site_url, site_name) if data_there else None,
            render_attendance_and_people(archive) if mostly_kept else None,
            list(records(archive)) if records_there else None,
        )

    def here() -> tuple[RegisterPages, PeoplePages | None, dict[str, bytes] | None, dict[str, bytes]]:
        lists = Registers.of(archive)
        return (
            render_register_pages(archive, lists),
            None if mostly_kept else render_attendance_and_people(archive),
            None if data_there else every_output(archive, site_url, site_name),
            lists.index_files(),
        )

    (rendered, data_made_there, people_there, search), (register_pages, people_here, data_here, index_files) = (
        apart.both(there, here)
    )
    people_pages = people_there if mostly_kept else people_here
    data_files = data_made_there if data_there else data_here
    assert people_pages is not None and data_files is not None
    gathered_pages = gathered(people_pages, register_pages)
    return Site(
        pages=meetings.complete(rendered) | gathered_pages,
        data_files=data_files,
        index_files=index_files,
        archive=archive,
        hand_written=hand_written_pages(pages_dir) if pages_dir else [],
        records={urls.meeting_page(e.meeting): e.source for e in archive.entries},
        redirects=list(content.redirects),
        warnings=[p for p in content.problems if p.severity == "warning"],
        gathered=frozenset(gathered_pages),
        made_records=search,
    )


def _inputs(content_dir: Path, root: Path, site_name: str, site_url: str, hand_written: list[str]) -> str:
    """The key of everything a build reads: every record's and registry's path and bytes, and the site's names."""
    digest = hashlib.sha256()
    files = [content_dir / registry.file for registry in REGISTRIES] + meeting_files(content_dir)
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0absent"
        digest.update(os.path.relpath(path.resolve(), root.resolve()).encode() + b"\0")
        digest.update(len(data).to_bytes(8, "big") + data)
    return key_of("site", digest.hexdigest(), site_name, site_url, "\n".join(hand_written))


def build(
    content_dir: Path,
    site_name: str,
    site_url: str = "/",
    root: Path | None = None,
    pages_dir: Path | None = None,
    cache: BuildCache | None = None,
) -> Site:
    """Read and check a content folder and make everything it publishes.

    ``root`` is the repository root that record paths are shown relative to;
    ``pages_dir`` the folder of hand-written pages (``content/pages`` unless the
    site builder's configuration says otherwise); ``cache`` the build cache, if
    any. Raises ``InvalidRecords`` with every problem when any record has an
    error.
    """
    site, keep = build_to_keep(content_dir, site_name, site_url, root, pages_dir, cache)
    keep()
    return site


def build_to_keep(
    content_dir: Path,
    site_name: str,
    site_url: str = "/",
    root: Path | None = None,
    pages_dir: Path | None = None,
    cache: BuildCache | None = None,
) -> tuple[Site, Callable[[], None]]:
    """What ``build`` makes, and what keeps it in the cache for a build with nothing changed.

    Keeping it writes the whole site (half a gigabyte at 5,000 meetings) to the cache, so
    the site builder does it in a thread beside its own work; ``keep`` may run in any
    thread, once.
    """
    root = root or content_dir.parent
    pages_dir = pages_dir if pages_dir is not None else content_dir / PAGES
    cache = cache or BuildCache(None)
    hand_written = hand_written_pages(pages_dir)
    key = _inputs(content_dir, root, site_name, site_url, hand_written) if cache else ""
    if cache:
        kept = cache.get_object("site", key)
        if isinstance(kept, Site):
            return kept, lambda: None
    with fewer_full_collections():
        content = load_content(content_dir, root, cache)
        if content.errors:
            raise InvalidRecords(content.problems)
        site = site_from(content, site_name, site_url, pages_dir, cache)
    if not cache:
        return site, lambda: None
    cache.sweep("records")
    if cache.remembers:
        # The preview, which builds again and again, keeps it in memory: pickled, its search
        # records would be made before its pages are shown.
        cache.put_object("site", key, site, on_disk=False)
        cache.sweep("site")
        return site, lambda: None

    def keep() -> None:
        # A connection of its own, so that the long write holds no lock the build's other
        # readers of the cache (the finished pages) would wait for.
        own = BuildCache(cache.folder)
        try:
            own.put_object("site", key, site)
            own.sweep("site")
        finally:
            own.close()

    return site, keep


def preview(
    content_dir: Path,
    site_name: str,
    shown: Site,
    site_url: str = "/",
    root: Path | None = None,
    pages_dir: Path | None = None,
    cache: BuildCache | None = None,
) -> Site:
    """The preview's first sight of a saved change: every record checked, the meetings' pages made again.

    Every record is read and checked as ``build`` does, so every error shows at once,
    and the meetings' pages and the lists of meetings are made from them: the page
    the editor saved shows the change in a second or two. The pages that gather
    across the whole archive, the data files and the search records are ``shown``'s,
    the site the preview shows now; the site returned is ``partial``, and a whole
    ``build`` must follow it, which makes those from the same records.
    """
    root = root or content_dir.parent
    pages_dir = pages_dir if pages_dir is not None else content_dir / PAGES
    content = load_content(content_dir, root, cache or BuildCache(None))
    if content.errors:
        raise InvalidRecords(content.problems)
    archive = archive_of(content)
    pages = {path: shown.pages[path] for path in shown.gathered}
    return Site(
        pages=render_meetings(archive, site_name, site_url, cache) | pages,
        data_files=shown.data_files,
        index_files=shown.index_files,
        hand_written=hand_written_pages(pages_dir),
        records={urls.meeting_page(e.meeting): e.source for e in archive.entries},
        redirects=list(content.redirects),
        warnings=[p for p in content.problems if p.severity == "warning"],
        gathered=shown.gathered,
        partial=True,
    )
