"""The build cache: work done by an earlier build, kept on disk, that can never be served stale.

Every entry is named by a key that hashes everything the work depended on: the
bytes it was made from and the code that made it (``CODE_VERSION``: this package's
own files and the versions of the libraries whose output it keeps). Change one
byte of a record, or upgrade a pin, and the key changes, so the old entry is
simply never asked for. The folder is kept out of git, and deleting it is always
safe: the next build is a cold one, and makes byte for byte the same site.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any

# The libraries whose output a cached entry holds (parsed records, Markdown, HTML, search bundles).
_LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "ruamel.yaml",
    "Jinja2",
    "Markdown",
    "nh3",
    "mkdocs",
    "mkdocs-material",
    "pagefind",
    "pagefind-bin",
)


@cache
def code_version() -> str:
    """A hash of this package's source and templates and of the pinned libraries' versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2"}:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}=={version}\0".encode())
    return digest.hexdigest()


def key_of(*parts: bytes | str) -> str:
    """A cache key: the hash of the code's version and of every part given, each kept apart."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class BuildCache:
    """A folder of cached entries by kind (records, site, pages, ...) and key; None is no cache at all."""

    def __init__(self, folder: Path | None, remember: bool = False) -> None:
        # remember: also keep the objects in memory, for a process that builds again and again (the
        # preview), so that an unchanged record is not even unpickled again. Only this package's
        # own builds write entries, and nothing they read from the cache is ever changed in place.
        self.folder = folder
        self._used: dict[str, set[str]] = {}
        self._objects: dict[tuple[str, str], Any] | None = {} if remember else None

    def begin(self) -> None:
        """Start another build with the same cache: what it uses is counted afresh, for ``sweep``."""
        self._used = {}

    def __bool__(self) -> bool:
        return self.folder is not None

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry's bytes, or None if there is no such entry (or no cache)."""
        data: bytes | None = self._read(kind, key, lambda entry: entry.read())
        return data

    def _read(self, kind: str, key: str, read: Callable[[IO[bytes]], Any]) -> Any:
        if self.folder is None:
            return None
        self._used.setdefault(kind, set()).add(key)
        try:
            with self._path(kind, key).open("rb") as entry:
                return read(entry)
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Keep an entry. Written whole or not at all, so an interrupted build leaves no half entry."""
        self._write(kind, key, lambda out: out.write(data))

    def _write(self, kind: str, key: str, write: Callable[[IO[bytes]], object]) -> None:
        if self.folder is None:
            return
        self._used.setdefault(kind, set()).add(key)
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            write(out)
        os.replace(out.name, path)

    def get_object(self, kind: str, key: str) -> Any:
        """A cached Python object, or None. Entries are only ever written by this package's own builds."""
        if self._objects is not None and (kind, key) in self._objects:
            self._used.setdefault(kind, set()).add(key)
            return self._objects[kind, key]
        # Unpickled from the file as it is read: the whole generator's output is a hundred megabytes
        # of pickle at 1,000 meetings, which need not be in memory beside the objects made from it.
        value = self._read(kind, key, pickle.load)
        if self._objects is not None and value is not None:
            self._objects[kind, key] = value
        return value

    @property
    def remembers(self) -> bool:
        """Whether this cache keeps its objects in memory as well (see ``__init__``)."""
        return self._objects is not None

    def put_object(self, kind: str, key: str, value: Any, on_disk: bool = True) -> None:
        """Keep a Python object; with ``on_disk=False``, only in memory, for this process's later builds."""
        if on_disk or self._objects is None:
            # Pickled straight into the file, for the same reason as get_object reads it so.
            self._write(kind, key, lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            self._used.setdefault(kind, set()).add(key)
        if self._objects is not None:
            self._objects[kind, key] = value

    def sweep(self, kind: str) -> None:
        """Delete the entries of a kind that this build did not ask for, so the cache does not grow forever."""
        if self.folder is None or not (self.folder / kind).is_dir():
            return
        used = self._used.get(kind, set())
        if self._objects is not None:
            for gone in [k for k in self._objects if k[0] == kind and k[1] not in used]:
                del self._objects[gone]
        for entry in (self.folder / kind).glob("*/*"):
            if entry.name not in used:
                entry.unlink(missing_ok=True)
