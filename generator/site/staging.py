"""The editor's preview: generated files kept on disk, so that `mkdocs serve --dirty` rebuilds only what changed.

MkDocs' dirty build skips a page whose source is older than the page it built from
it, but a file handed to MkDocs as text has no age and is rebuilt every time. Under
`make serve` the plugin writes every generated file (page, data file, register
index) here instead, rewriting only those whose bytes changed since the last
rebuild, and hands MkDocs the file on disk: after a meeting is saved, MkDocs
converts and writes the few pages that meeting changed, not the whole archive.
A file the archive no longer makes (a meeting renamed or deleted) is deleted from
the preview too, so that it cannot be visited as if it were still published.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File


class StagedFiles:
    """A preview session's generated files, in a temporary folder of their own."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="minutes-preview-"))
        # Each staged file's digest, and where MkDocs wrote it, as of the last rebuild.
        self._digests: dict[str, str] = {}
        self._built: dict[str, str] = {}
        self._this_build: dict[str, str] = {}
        # What each file was made from at the last rebuild (the site holds it anyway).
        self._contents: dict[str, str | bytes] = {}
        self.changed: list[str] = []

    def begin(self) -> None:
        """Start a rebuild: count its changes afresh."""
        self._this_build = {}
        self.changed = []

    def file(self, config: MkDocsConfig, path: str, content: str | bytes) -> File:
        """The generated file ``path`` for MkDocs, staged on disk and rewritten only if it changed."""
        staged = self.folder / path
        # A partial rebuild hands on the last site's registers and data files as they were: the very
        # same objects need no hashing to be known unchanged.
        if self._contents.get(path) is not content:
            data = content.encode("utf-8") if isinstance(content, str) else content
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if self._digests.get(path) != digest:
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(data)
                self._digests[path] = digest
                self.changed.append(path)
        self._contents[path] = content
        file = File.generated(config, path, abs_src_path=str(staged))
        self._this_build[path] = file.abs_dest_path
        return file

    def end(self) -> str:
        """Finish a rebuild: delete what the archive no longer makes, from the stage and the preview; say what changed."""
        gone = [path for path in self._built if path not in self._this_build]
        for path in gone:
            for leftover in (self.folder / path, Path(self._built[path])):
                if leftover.is_file():
                    leftover.unlink()
            self._digests.pop(path, None)
            self._contents.pop(path, None)
        self._built = self._this_build
        pages = sum(1 for path in self._this_build if path.endswith(".md"))
        changed_pages = sum(1 for path in self.changed if path.endswith(".md"))
        return (
            f"preview: {changed_pages} of {pages} generated pages changed and are rebuilt;"
            f" {len(self.changed) - changed_pages} of {len(self._this_build) - pages} data files changed,"
            f" {len(gone)} file(s) no longer made"
        )

    def remove(self) -> None:
        """Delete the stage when the preview stops."""
        shutil.rmtree(self.folder, ignore_errors=True)


class FollowUp:
    """A folder the preview watches, and writes to when it wants MkDocs to build once more.

    After a saved meeting's pages are shown (a partial rebuild), the preview asks
    for the whole rebuild that brings the registers, topics and data files up to
    date: MkDocs' live reload starts it as soon as the partial one is done, in the
    same build loop, so that two builds never run at once.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="minutes-preview-follow-up-"))
        self.wanted = False

    def request(self) -> None:
        """Ask for one more build, as soon as the one under way is done."""
        self.wanted = True
        (self.folder / "requested").write_text(str(time.time_ns()), encoding="ascii")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class LatestOnly:
    """Runs jobs one at a time in the background, and of those asked for meanwhile only the latest.

    The preview's search index: it is written after the pages are shown, and when the
    editor saves again while it is being written, the next one indexes the newest
    site, not every site in between.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None

    def request(self, job: Callable[[], None]) -> None:
        """Run ``job`` once the one under way, if any, is done; it replaces any job still waiting."""
        with self._lock:
            self._next = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="preview search index", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None:
                    self._thread = None
                    return
            job()

    def wait(self) -> None:
        """Return when no job is under way or waiting."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join()


class _DirtyBuildWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave the navigation out of date.

    The archive's generated pages are in no navigation, and the stage rebuilds every
    page whose Markdown changed; left in, the warning would stop every rebuild of the
    preview, which is strict like the build, so that it shows the same problems.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_QUIET = _DirtyBuildWarning()


def staging_for(command: str, dirty: bool) -> StagedFiles | None:
    """A stage for `mkdocs serve --dirty`; none for a build, whose every file is written anyway."""
    if command != "serve" or not dirty:
        return None
    logging.getLogger("mkdocs.commands.build").addFilter(_QUIET)
    return StagedFiles()
