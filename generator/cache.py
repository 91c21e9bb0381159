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
import io
import pickle
import sqlite3
import tempfile
import threading
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


# The one file the entries are kept in: a SQLite database, so that the thousands of entries a large
# archive makes are rows, not files (a file each cost a millisecond to create and replace), and each
# is written whole or not at all by SQLite's own transactions.
DATABASE = "entries.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
    " PRIMARY KEY (kind, key))"
)


# Entries are written and read a megabyte at a time; smaller ones are made in memory.
_CHUNK = 1 << 20


class _BlobReader(io.RawIOBase):
    """An entry in the database, as a file that pickle (through a buffer) can read."""

    def __init__(self, blob: sqlite3.Blob) -> None:
        self._blob = blob

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._blob.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class BuildCache:
    """A folder of cached entries by kind (records, site, pages, ...) and key; None is no cache at all."""

    def __init__(self, folder: Path | None, remember: bool = False) -> None:
        # remember: also keep the objects in memory, for a process that builds again and again (the
        # preview), so that an unchanged record is not even unpickled again. Only this package's
        # own builds write entries, and nothing they read from the cache is ever changed in place.
        self.folder = folder
        self._used: dict[str, set[str]] = {}
        self._objects: dict[tuple[str, str], Any] | None = {} if remember else None
        self._database: sqlite3.Connection | None = None
        # The preview's rebuilds and the search index run in threads of their own.
        self._lock = threading.Lock()

    def begin(self) -> None:
        """Start another build with the same cache: what it uses is counted afresh, for ``sweep``."""
        self._used = {}
        with self._lock:
            # Opened again for each build, so that a cache deleted between two rebuilds is made anew.
            self._close()

    def __bool__(self) -> bool:
        return self.folder is not None

    def _connection(self) -> sqlite3.Connection:
        assert self.folder is not None
        if self._database is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                self._database = self._open(self.folder / DATABASE)
            except sqlite3.DatabaseError:
                # Not a database (a cache cut short by a full disk, say): safe to delete, as all of it is.
                (self.folder / DATABASE).unlink(missing_ok=True)
                self._database = self._open(self.folder / DATABASE)
        return self._database

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        # Autocommit: every put is its own transaction, so no build holds the database locked for long
        # and an interrupted build keeps what it finished. WAL lets another build read meanwhile. Not
        # synced to disk (which made writing the cache twice as slow): a build that stops keeps every
        # entry it finished; only the machine stopping could lose the last ones, and the cache is safe
        # to lose.
        database = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=60)
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA synchronous=OFF")
        database.execute(_SCHEMA)
        return database

    def _close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None

    def close(self) -> None:
        """Let go of the database file (a build's cache is let go when the build is done with it)."""
        with self._lock:
            self._close()

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry's bytes, or None if there is no such entry (or no cache)."""
        data: bytes | None = self._read(kind, key, lambda entry: entry.read())
        return data

    def _read(self, kind: str, key: str, read: Callable[[IO[bytes]], Any]) -> Any:
        if self.folder is None:
            return None
        self._used.setdefault(kind, set()).add(key)
        with self._lock:
            database = self._connection()
            # A small entry comes whole; a large one is read from the database as it is used: the whole
            # generator's output is a hundred megabytes of pickle at 1,000 meetings, which need not be in
            # memory beside the objects made from it.
            found = database.execute(
                "SELECT rowid, CASE WHEN length(value) <= ? THEN value END FROM entries WHERE kind = ? AND key = ?",
                (_CHUNK, kind, key),
            ).fetchone()
            if found is None:
                return None
            row, small = found
            if small is not None:
                return read(io.BytesIO(small))
            with database.blobopen("entries", "value", row, readonly=True) as blob:
                return read(io.BufferedReader(_BlobReader(blob), _CHUNK))

    def has(self, kind: str, key: str) -> bool:
        """Whether there is such an entry (not counted as used: ``get`` it to keep it)."""
        if self.folder is None:
            return False
        with self._lock:
            found = self._connection().execute("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key))
            return found.fetchone() is not None

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Keep an entry. Written whole or not at all, so an interrupted build leaves no half entry."""
        self._write(kind, key, lambda out: out.write(data))

    def _write(self, kind: str, key: str, write: Callable[[IO[bytes]], object]) -> None:
        if self.folder is None:
            return
        self._used.setdefault(kind, set()).add(key)
        # Made apart first (in memory, or beside the cache once it is large), as SQLite must know its size.
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.SpooledTemporaryFile(max_size=_CHUNK, dir=str(self.folder)) as spooled:
            write(spooled)
            size = spooled.tell()
            spooled.seek(0)
            with self._lock:
                database = self._connection()
                database.execute("BEGIN IMMEDIATE")
                try:
                    inserted = database.execute(
                        "INSERT OR REPLACE INTO entries VALUES (?, ?, zeroblob(?))", (kind, key, size)
                    )
                    assert inserted.lastrowid is not None
                    with database.blobopen("entries", "value", inserted.lastrowid) as blob:
                        while chunk := spooled.read(_CHUNK):
                            blob.write(chunk)
                except BaseException:
                    database.execute("ROLLBACK")
                    raise
                database.execute("COMMIT")

    def get_object(self, kind: str, key: str) -> Any:
        """A cached Python object, or None. Entries are only ever written by this package's own builds."""
        if self._objects is not None and (kind, key) in self._objects:
            self._used.setdefault(kind, set()).add(key)
            return self._objects[kind, key]
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
            # Pickled straight into the entry, for the same reason as _read reads it so.
            self._write(kind, key, lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            self._used.setdefault(kind, set()).add(key)
        if self._objects is not None:
            self._objects[kind, key] = value

    def sweep(self, kind: str) -> None:
        """Delete the entries of a kind that this build did not ask for, so the cache does not grow forever."""
        if self.folder is None:
            return
        used = self._used.get(kind, set())
        if self._objects is not None:
            for gone in [k for k in self._objects if k[0] == kind and k[1] not in used]:
                del self._objects[gone]
        with self._lock:
            database = self._connection()
            stored = [key for (key,) in database.execute("SELECT key FROM entries WHERE kind = ?", (kind,))]
            gone_keys = [(kind, key) for key in stored if key not in used]
            if gone_keys:
                database.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", gone_keys)
