"""A piece of a build's work run in a thread of its own beside MkDocs' work, whose failure the build reports."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path


class InBackground:
    """``work()`` in a daemon thread, started at once; ``finish()`` waits for it and raises what it raised."""

    def __init__(self, name: str, work: Callable[[], None]) -> None:
        self._failed: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as error:  # raised again in finish(), in the build's own thread
                self._failed.append(error)

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def finish(self) -> None:
        self._thread.join()
        if self._failed:
            raise self._failed[0]


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write each file at its path under ``folder``, making the folders it needs."""
    made: set[Path] = set()
    for path, data in files.items():
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
