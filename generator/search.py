"""The search index: one record per agenda item, written as Pagefind bundles.

Records are built from the archive, not scraped from the built pages, so a query
finds each item once and never matches navigation, footers or the registers that
repeat the minutes. Each record links to its item's anchor and carries the facts a
result shows (date, committee, minute, title), the filters (year, committee,
topic) and a date to sort by.

The records are indexed in chronological buckets of whole years, each its own
bundle named after the hash of its records, which the browser merges into one
search (overrides/assets/javascripts/search.js): Pagefind's memory is then one
bucket's, and a build with a cache indexes only the buckets that changed.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import cbor2

from generator import urls
from generator.archive import Archive, Entry
from generator.labels import long_date, owner_label
from generator.marks import said
from generator.people import People
from generator.plain import plain_paragraphs, plain_words
from generator.resolutions import find
from generator.sanitise import plain_text
from generator.schema import Item


@dataclass(frozen=True)
class SearchRecord:
    """One searchable thing: where it is, what it says, and how it can be narrowed."""

    url: str
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def _sentence(text: str) -> str:
    """A part of a record ended as a sentence, so that an excerpt running into the next part still reads."""
    text = text.strip()
    return text if not text or text[-1] in ".!?:;…" else text + "."


def _item_content(item: Item) -> str:
    """An item's words, each once, in the order the page shows them, each part a sentence of its own.

    A resolution or action already in the minutes is not added again; what is
    added is labelled, so an excerpt reads "... be noted. Action for the Chief
    Inspector: report back ..." rather than running the parts together.
    """
    minutes = said(item)
    parts = [item.title, item.agenda_text or "", minutes]
    parts += [r for r in item.resolutions if find(r, minutes) is None]
    for action in item.actions:
        if find(action.what, minutes) is None:
            parts.append(f"Action for {owner_label(action.who)}: {action.what}")
    parts += [f"Document: {document.title}" for document in item.documents]
    return plain_paragraphs("\n\n".join(_sentence(p) for p in parts if p.strip()))


def _meeting_facts(entry: Entry) -> str:
    meeting = entry.meeting
    people = [*meeting.attendance.present, *meeting.attendance.apologies, *meeting.attendance.substitutes]
    parts = [entry.committee.name, long_date(meeting.date), meeting.venue or ""]
    parts += [chair.name or chair.role or "" for chair in meeting.chairs]
    parts += [p.name for p in people]
    parts += [f"{d.name}: {d.interest}" for d in meeting.declarations]
    return "\n".join(p for p in parts if p)


def records(archive: Archive) -> Iterator[SearchRecord]:
    """Every record of the archive: each meeting's facts, each item, each topic and term, each person and role."""
    for entry in archive.entries:
        meeting = entry.meeting
        date = long_date(meeting.date)
        common = {"date": date, "committee": entry.committee.name}
        filters = {"year": [str(meeting.date.year)], "committee": [entry.committee.id], "type": ["meeting"]}
        sort = {"date": meeting.date.isoformat()}
        yield SearchRecord(
            url=urls.address(urls.meeting_page(meeting)),
            content=_meeting_facts(entry),
            meta={"title": f"{entry.committee.name}: {date}", **common, "minute": ""},
            filters=filters,
            sort=sort,
        )
        for index, item in enumerate(meeting.items):
            yield SearchRecord(
                url=urls.address(urls.item_link(meeting, index)),
                content=_item_content(item),
                meta={"title": item.title, **common, "minute": item.number or ""},
                filters={**filters, "topic": list(dict.fromkeys(item.topics)), "type": ["item"]},
                sort=sort,
            )
    for topic in archive.topics:
        yield SearchRecord(
            url=urls.address(urls.topic_page(topic)),
            content=f"{topic.title}\n{' '.join(topic.aliases)}\n{topic.summary}",
            # A result shows the summary, never the run of aliases the words matched in.
            meta={
                "title": f"Topic: {topic.title}",
                "date": "",
                "committee": "",
                "minute": "",
                "summary": topic.summary,
            },
            filters={"topic": [topic.id], "type": ["topic"]},
        )
    for term in archive.glossary:
        yield SearchRecord(
            url=urls.address(urls.GLOSSARY + "#" + urls.term_anchor(term.term)),
            content=f"{term.term}\n{term.expansion}\n{term.description or ''}",
            meta={
                "title": f"Glossary: {term.term}",
                "date": "",
                "committee": "",
                "minute": "",
                "summary": plain_words(term.expansion + (f": {term.description}" if term.description else "")),
            },
            filters={"type": ["term"]},
        )
    yield from _people_records(archive)


def _people_records(archive: Archive) -> Iterator[SearchRecord]:
    """One record per person, found by any spelling of their name or by their roles; one per role."""
    people = People.of(archive)
    for profile in people.everyone:
        roles = [r.role for r in profile.roles_held] + [r.role or "" for r in profile.minuted_roles]
        organisations = [profile.organisation or ""] + [r.organisation or "" for r in profile.minuted_roles]
        names = [profile.name, *(profile.record.variants if profile.record else [])]
        committees = [c.name for c in profile.committees]
        described = ", ".join(p for p in (profile.role, profile.organisation) if p)
        summary = "; ".join(p for p in (described, ", ".join(committees)) if p)
        yield SearchRecord(
            url=urls.address(urls.person_page(profile.id)),
            content="\n".join(dict.fromkeys(p for p in (*names, *roles, *organisations, *committees) if p)),
            meta={
                "title": f"Person: {profile.name}",
                "date": "",
                "committee": "",
                "minute": "",
                "summary": plain_words(summary or "Named in the minutes."),
            },
            filters={"type": ["person"], "committee": [c.id for c in profile.committees]},
        )
    for role in people.roles:
        holders = list(dict.fromkeys(profile.name for _, profile in role.holders))
        yield SearchRecord(
            url=urls.address(urls.role_page(role.id)),
            content="\n".join([role.name, *holders]),
            meta={
                "title": f"Role: {role.name}",
                "date": "",
                "committee": "",
                "minute": "",
                "summary": plain_words(
                    f"{len(role.actions)} action{'s' if len(role.actions) != 1 else ''}"
                    + (f"; held by {', '.join(holders)}" if holders else "")
                ),
            },
            filters={"type": ["person"]},
        )


def record_html(record: SearchRecord) -> str:
    """One record as the small HTML document Pagefind indexes.

    Pagefind takes the address from the document's path, so the item's real
    address (with its anchor) travels in the ``link`` meta field for the results.
    """
    meta = {**record.meta, "link": record.url}
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title></head>',
        "<body data-pagefind-body>",
        *(
            f'<span data-pagefind-meta="{key}:{html.escape(plain_text(value))}"></span>'
            for key, value in meta.items()
            if value
        ),
        *(
            f'<span data-pagefind-filter="{key}:{html.escape(value)}"></span>'
            for key, values in record.filters.items()
            for value in values
        ),
        *(f'<span data-pagefind-sort="{key}:{html.escape(value)}"></span>' for key, value in record.sort.items()),
        *(
            f"<p>{html.escape(paragraph)}</p>"
            for paragraph in plain_text(record.content).split("\n\n")
            if paragraph.strip()
        ),
        "</body></html>",
    ]
    return "".join(parts)


# --- The index: chronological buckets, each a Pagefind bundle of its own -----------

# The most meetings one bucket holds. Pagefind keeps a whole bundle in memory while it
# writes it (1.15 GB for the 12,307 records of 1,000 synthetic meetings, and growing in
# step with the records), so the archive is indexed a bucket at a time and a build's
# peak memory is one bucket's, however many years the archive spans.
BUCKET_MEETINGS = 1000
# The most meetings of older years the newest year shares its bucket with. Past that, the newest
# year is a bucket of its own: a new meeting is nearly always in the newest year, and publishing it
# then indexes that year again (a few seconds) instead of up to 1,000 meetings (about 20 s). Each
# bucket costs a search of every year (the search page's, or the header's when the newest years
# have too few results) its own index chunks (about 20 KB a word, however small the bucket), so
# below this (about 5 s of indexing) the newest year stays with the older ones.
NEWEST_SHARES_UP_TO = 250

# Where write_index() puts the index in the built site, and the list of its buckets there.
INDEX_FOLDER = "pagefind"
BUCKET_LIST = "buckets.json"
# Where set_aside() keeps the previous build's index until write_index() has taken back what it can.
_SET_ASIDE = ".pagefind-previous"

# How Pagefind is run on a bucket's documents.
_LANGUAGE = "en"  # every record is English (search.js fetches the English WebAssembly ahead)
_PAGEFIND_OPTIONS = ("--force-language", _LANGUAGE, "--silent")

# Raise this whenever canonicalise() or the way a bundle is made changes, so that no
# cache holds on to bundles made the old way under the names of the new.
_RECIPE = "minutes-search-2"
# What of a bundle the archive's own search does not use: Pagefind's ready-made interfaces, and the
# index of pages in no known language (the records are all English, forced).
_UNUSED = (
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
    "pagefind-modular-ui.*",
    "pagefind-ui.*",
    "wasm.unknown.pagefind",
)


def _year(record: SearchRecord) -> int | None:
    """The year a record belongs to: its date's, or none for topics and glossary terms."""
    date = record.sort.get("date")
    return int(date[:4]) if date else None


def buckets(search_records: Sequence[SearchRecord]) -> list[list[SearchRecord]]:
    """The records in chronological buckets of at most ``BUCKET_MEETINGS`` meetings each, oldest first.

    A bucket holds whole years, walked from the oldest: a new bucket starts when the
    next year would take the current one over the limit, and a year larger than the
    limit is a bucket on its own; so is the newest year, once the older years that
    would share its bucket hold more than ``NEWEST_SHARES_UP_TO`` meetings. A
    boundary therefore depends only on the years before it, so adding meetings to
    the newest year changes only the newest bucket and every older one, with its
    index, stays as it was (until a new year begins, when the year just ended takes
    its place among them, once). A meeting's own record and
    its items' records share its date, so they always share a bucket. Records without
    a date (topics, glossary terms) go to the newest bucket, which changes most often
    anyway. Within a bucket the records keep their order. There is always at least one
    bucket, even for no records, so that the site always has an index to load.
    """
    # A meeting is a page: its items are anchors on it.
    meetings: dict[int, set[str]] = {}
    for record in search_records:
        year = _year(record)
        if year is not None:
            meetings.setdefault(year, set()).add(record.url.partition("#")[0])
    bucket_of: dict[int, int] = {}
    count = 0
    number = 0
    years = sorted(meetings)
    for year in years:
        size = len(meetings[year])
        if count and (count + size > BUCKET_MEETINGS or (year == years[-1] and count > NEWEST_SHARES_UP_TO)):
            number += 1
            count = 0
        bucket_of[year] = number
        count += size
    newest = number
    grouped: list[list[SearchRecord]] = [[] for _ in range(newest + 1)]
    for record in search_records:
        year = _year(record)
        grouped[newest if year is None else bucket_of[year]].append(record)
    return grouped


def _bucket_name(documents: Sequence[str]) -> str:
    """A bucket's folder name: the hash of its documents and of how they are indexed.

    The same documents indexed the same way give the same bundle, byte for byte, so the
    name is a safe key for the cache and for browsers' caches alike; Pagefind's version
    and the options are part of it, so an upgrade never reuses an old bundle.
    """
    digest = hashlib.sha256()
    for part in (_RECIPE, _pagefind_version(), *_PAGEFIND_OPTIONS, *documents):
        data = part.encode("utf-8")
        # Each part's length first, so no two different lists of parts hash alike.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:12]


def _pagefind_version() -> str:
    """The installed Pagefind's version (the binary's package, and the package that runs it)."""
    versions = []
    for package in ("pagefind", "pagefind_bin"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} absent")
    return ", ".join(versions)


def _index_bucket(documents: Sequence[str], bundle: Path) -> None:
    """Index one bucket's documents into a new Pagefind bundle at ``bundle``, in its canonical form.

    The documents go to Pagefind as one folder of HTML files, indexed by Pagefind's own
    command (from the pinned ``pagefind[bin]``) in one run: the Python API's per-record
    calls each wait a tenth of a second for their reply, and its service can answer
    that the bundle is written before the files are complete on disk, while the command
    has finished writing when it exits.
    """
    with tempfile.TemporaryDirectory(prefix="minutes-search-") as folder:
        for number, document in enumerate(documents):
            # Named by position: the documents' own addresses are never shown.
            (Path(folder) / f"{number}.html").write_text(document, encoding="utf-8")
        with _whole(bundle) as partial:
            command = [sys.executable, "-m", "pagefind", "--site", folder, "--output-path", str(partial)]
            result = subprocess.run([*command, *_PAGEFIND_OPTIONS], capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise SearchIndexError(f"Pagefind could not index the search records: {result.stderr.strip()}")
            for pattern in _UNUSED:
                for unused in partial.glob(pattern):
                    unused.unlink()
            canonicalise(partial)


@contextlib.contextmanager
def _whole(bundle: Path) -> Iterator[Path]:
    """A folder to make a bundle in, renamed to ``bundle`` once it is complete, or deleted if it is not.

    A folder under a bundle's name is therefore always a whole bundle, in the site as in
    the cache: a build stopped half-way leaves a partial folder under a hidden name,
    which no later build takes for a bundle (the next clean-up deletes it).
    """
    bundle.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{bundle.name}-", dir=bundle.parent))
    try:
        yield partial
        partial.rename(bundle)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _meta_file(bundle: Path) -> str:
    """The name of a bundle's metadata file, which its entry file names: the browser fetches it with
    every other bucket's at once, instead of each bucket's entry file first and then its metadata."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return f"pagefind.{entry['languages'][_LANGUAGE]['hash']}.pf_meta"


def _link_or_copy(source: str, destination: str) -> None:
    """Put a bundle's file in place as a hard link, or as a copy where links cannot go (another file system).

    A bundle is thousands of small files (11,800 fragments for 1,000 meetings), which
    take seconds to copy and a fraction of one to link; none is ever changed once
    Pagefind has written it (builds delete the site's files, and never write into them).
    """
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _keep(bundle: Path, store: Path, name: str) -> None:
    """Copy a finished bundle into the cache under its name, all at once or not at all.

    The copy is made under a temporary name and renamed into place, so a build that is
    stopped half-way leaves no half bundle behind that a later build could take for a
    whole one (the next build's clean-up deletes the remains).
    """
    try:
        with _whole(store / name) as partial:
            shutil.copytree(bundle, partial, dirs_exist_ok=True, copy_function=_link_or_copy)
    except OSError:
        if not (store / name).is_dir():
            raise
        # Another build sharing the cache has just kept the same bundle: the same bytes.


def set_aside(site_dir: Path) -> None:
    """Move the built site's search index out of the way of a build that is about to empty the site's folder.

    It goes to a hidden folder there, which MkDocs does not delete, and the next
    ``write_index`` takes back from it each bundle the new index has in the cache,
    unchanged, and deletes the rest. With no index in the site, what was set aside
    stays for that ``write_index`` (the plugin sets the index aside before MkDocs empties
    the folder, and ``write_index`` calls this again); with one, what an earlier build
    set aside and never took back (it stopped before writing its index) is deleted first.
    """
    output, previous = site_dir / INDEX_FOLDER, site_dir / _SET_ASIDE
    if output.is_dir() and not output.is_symlink():
        shutil.rmtree(previous, ignore_errors=True)
        output.rename(previous)
    elif output.is_symlink() or output.exists():
        output.unlink()


def write_index(search_records: Sequence[SearchRecord], site_dir: Path, cache_dir: Path | None = None) -> None:
    """Write the search index for these records into ``site_dir/pagefind``.

    Each bucket of records (see ``buckets``) becomes a Pagefind bundle of its own, in
    ``site_dir/pagefind/<name>/``, named after the hash of its documents, and
    ``site_dir/pagefind/buckets.json`` lists the names, newest first, each bundle's
    metadata file and the first and last year of its meetings (none for a bucket of
    topics alone): the browser loads the newest bundle and merges the older ones into it
    as a search reaches back, saying which years the header's results come from.
    The buckets are indexed one after another, never at once, so that Pagefind's memory
    is one bucket's at a time.

    With ``cache_dir``, each finished bundle is also kept in ``cache_dir/search/<name>/``,
    and a bucket whose name is there is copied from the cache instead of being indexed
    again: after a meeting is added, only its bucket is indexed. Since a name is the
    hash of everything that makes the bundle, a cached bundle is byte for byte the one
    Pagefind would write, and the cache may be deleted at any time. Cached bundles this
    build did not use are deleted, so the cache holds one archive's index, not every
    archive's there has been. A cached bundle that the previous build put in the site
    (set aside by ``set_aside``) is moved back into place rather than copied again. Every
    bundle is made under a hidden name and renamed once whole (``_whole``), so a folder
    under a bundle's name is always a whole bundle.
    """
    output = site_dir / INDEX_FOLDER
    # The folder is the index's alone: what a previous build left there is set aside, and what of it
    # this index does not take back is deleted below.
    set_aside(site_dir)
    previous = site_dir / _SET_ASIDE
    output.mkdir(parents=True)
    store = cache_dir / "search" if cache_dir is not None else None
    names: list[str] = []
    metas: list[str] = []
    years: list[list[int] | None] = []
    for bucket in buckets(search_records):
        documents = [record_html(record) for record in bucket]
        name = _bucket_name(documents)
        bundle = output / name
        cached = store / name if store is not None and (store / name).is_dir() else None
        if cached is not None and (previous / name).is_dir():
            # The previous build's copy of the cached bundle (its files are the cache's, linked):
            # one rename, where linking it again is a link for each of its thousands of files.
            (previous / name).rename(bundle)
        elif cached is not None:
            with _whole(bundle) as partial:
                shutil.copytree(cached, partial, dirs_exist_ok=True, copy_function=_link_or_copy)
        else:
            _index_bucket(documents, bundle)
            if store is not None:
                _keep(bundle, store, name)
        names.append(name)
        metas.append(_meta_file(bundle))
        dated = [year for year in map(_year, bucket) if year is not None]
        years.append([min(dated), max(dated)] if dated else None)
    listing = {"buckets": names[::-1], "meta": metas[::-1], "years": years[::-1]}
    (output / BUCKET_LIST).write_text(json.dumps(listing, separators=(",", ":")) + "\n", encoding="utf-8")
    shutil.rmtree(previous, ignore_errors=True)
    if store is not None:
        for kept in store.iterdir():
            if kept.name in names:
                continue
            if kept.is_dir() and not kept.is_symlink():
                shutil.rmtree(kept)
            else:
                kept.unlink()


class SearchIndexError(Exception):
    """Pagefind failed to write the search index."""


# Pagefind's binary files: gzip of this signature followed by CBOR.
_SIGNATURE = b"pagefind_dcd"


def _decode(path: Path) -> Any:
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(_SIGNATURE) :])


def _encode(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _content_name(prefix: str, data: bytes, length: int) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}"


def canonicalise(bundle: Path) -> None:
    """Put Pagefind's filter indexes in a fixed order, so the same records give the same bundle.

    Pagefind writes each filter's values, and the list of filters, in hash-map order,
    which changes from run to run (Pagefind issue #638: "other files will still
    change, such as the filter/metadata indexes"). Everything else in the bundle is
    already stable. The files are renamed after their new content; the browser finds
    them through the metadata index and the entry file, which are rewritten to match.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _decode(meta_path)
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = _decode(old_path)
            data = _encode([filter_name, sorted(values, key=lambda value: value[0])])
            new = _content_name(language, data, 7)
            old_path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = sorted(filters)
        data = _encode(meta)
        details["hash"] = _content_name(language, data, 10)
        meta_path.unlink()
        (bundle / f"pagefind.{details['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
