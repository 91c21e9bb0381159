"""Generated pages converted from Markdown to HTML in a second process, while MkDocs converts the rest.

MkDocs converts one page after another, and converting Markdown is most of a cold
build (71% of it at 1,000 meetings, ``make profile``), so a second core sat idle
while the first did it. Here a worker process, forked once the pages are known,
converts pages MkDocs is about to convert, from the last backwards, exactly as MkDocs
would (``Page.render`` with the same configuration and files, which the fork
inherits, and the same sanitising the plugin gives every page), while MkDocs
converts from the first forwards, until they meet. When MkDocs reaches a page the worker has done,
the plugin hands over the worker's HTML, table of contents, title, anchors and
links, and repeats the warnings its conversion gave, so the site and the build's
log are what MkDocs alone would have made (a test builds both ways and compares).

Only the generated pages are handed over, and only when no other plugin takes part
in reading or converting a page (another plugin's hooks would be skipped for them).
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from generator.apart import submit_forking
from generator.sanitise import clean_page

# The plugin events a page goes through between its source and its HTML: with any other plugin's
# hook among them, the worker (which runs none of them) would make another page than MkDocs.
_PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")
# Pages a worker converts at a time: few enough that MkDocs seldom waits for the worker to finish
# one, enough that handing them over costs little.
_BATCH = 10
# Fewer pages than this are not worth a process.
_FEWEST = 4

# What the worker converts with: set just before it is forked, and so inherited, never pickled.
_inherited: tuple[MkDocsConfig, Files] | None = None


@dataclass(frozen=True)
class Converted:
    """A page as MkDocs' conversion and the plugin's sanitising leave it, to hand to MkDocs."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str]
    # Each page linked to with an anchor, by its source path: the links to check its anchors against.
    links_to_anchors: dict[str, dict[str, str]] | None
    # What the conversion logged at warning level or above (a link to a missing page, say).
    said: tuple[tuple[str, int, str], ...]


class _Said(logging.Handler):
    """What MkDocs logs in the worker, kept to be said again by the build itself."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _start_worker() -> None:
    # The build's own handlers (its terminal, its count of warnings) are the parent's to use.
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        mkdocs_log.removeHandler(handler)
    mkdocs_log.addHandler(_Said())
    mkdocs_log.propagate = False


def _convert(src_uris: list[str]) -> list[tuple[str, Converted]]:
    assert _inherited is not None
    config, files = _inherited
    said = next(h for h in logging.getLogger("mkdocs").handlers if isinstance(h, _Said))
    done = []
    for src_uri in src_uris:
        file = files.get_file_from_path(src_uri)
        assert file is not None
        said.records = []
        page = Page(None, file, config)
        config._current_page = page
        try:
            page.read_source(config)
            page.render(config, files)
        finally:
            config._current_page = None
        assert page.content is not None
        links = getattr(page, "links_to_anchors", None)
        done.append(
            (
                src_uri,
                Converted(
                    content=clean_page(page.content),
                    toc=page.toc,
                    title=page._title_from_render,
                    anchors=frozenset(page.present_anchor_ids or ()),
                    links_to_anchors=None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
                    said=tuple(said.records),
                ),
            )
        )
    return done


def can_convert_apart(config: MkDocsConfig, plugin: Any) -> bool:
    """Whether this plugin's own hooks are the only ones a page goes through until it is HTML."""
    for event in _PAGE_EVENTS:
        for hook in config.plugins.events.get(event, []):
            if getattr(hook, "__self__", None) is not plugin:
                return False
    return True


class Converter:
    """The pages a worker process is converting, and their results as they come.

    The worker takes batches from the last page backwards while MkDocs converts from
    the first forwards; a batch the worker has not begun when MkDocs reaches it is
    taken back, and MkDocs converts it itself. So the work is shared however fast
    either side goes (MkDocs has the search index beside it, and the cache to fill).
    """

    def __init__(self, config: MkDocsConfig, files: Files, backwards: Iterable[str]) -> None:
        # backwards: the pages MkDocs will convert, from its last; worked out as the worker goes, so
        # that it begins on the last pages while the parent is still choosing the first.
        self._pending: dict[str, Future[list[tuple[str, Converted]]]] = {}
        self._batches: dict[Future[list[tuple[str, Converted]]], list[str]] = {}
        self._done: dict[str, Converted] = {}
        self._pool: ProcessPoolExecutor | None = None
        self.converted = 0
        batch: list[str] = []
        for src_uri in backwards:
            batch.append(src_uri)
            if len(batch) == _BATCH:
                self._submit(batch, config, files)
                batch = []
        if batch and (self._pool is not None or len(batch) >= _FEWEST):
            self._submit(batch, config, files)

    def _submit(self, batch: list[str], config: MkDocsConfig, files: Files) -> None:
        global _inherited
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"), initializer=_start_worker)
            _inherited = (config, files)
            try:
                future = submit_forking(self._pool, _convert, batch)
            finally:
                _inherited = None  # the worker has its copy; the parent need not keep them alive for it
        else:
            future = self._pool.submit(_convert, batch)
        self._batches[future] = batch
        for src_uri in batch:
            self._pending[src_uri] = future

    def claims(self, src_uri: str) -> bool:
        """Whether the worker converts this page: its batch is under way or done. One it has not begun
        is taken back (the whole batch), and MkDocs converts it."""
        future = self._pending.get(src_uri)
        if future is None:
            return src_uri in self._done
        if future.cancel():
            for taken_back in self._batches.pop(future):
                del self._pending[taken_back]
            return False
        return True

    def __contains__(self, src_uri: str) -> bool:
        """Whether the worker has this page, to be taken: claimed (under way) or done."""
        return src_uri in self._pending or src_uri in self._done

    def take(self, src_uri: str) -> Converted:
        """The page as the worker converted it (waiting for it if need be); once only."""
        if src_uri not in self._done:
            future = self._pending[src_uri]
            for converted_uri, converted in future.result():
                self._done[converted_uri] = converted
                del self._pending[converted_uri]
            self._batches.pop(future, None)
        self.converted += 1
        return self._done.pop(src_uri)

    def close(self) -> None:
        """Stop the worker (at the end of the build, or when it fails)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending, self._batches, self._done = {}, {}, {}


def hand_over(converted: Converted, page: Page, files: Files) -> str:
    """Give MkDocs' page what its own conversion would have: say its warnings again, and return its HTML."""
    for name, level, message in converted.said:
        logging.getLogger(name).log(level, message)
    page.toc = converted.toc
    page._title_from_render = converted.title
    page.present_anchor_ids = set(converted.anchors)
    if converted.links_to_anchors is not None:
        page.links_to_anchors = {
            target: anchors
            for uri, anchors in converted.links_to_anchors.items()
            if (target := files.get_file_from_path(uri)) is not None
        }
    return converted.content
