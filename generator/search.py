"""The search index: one record per agenda item, written as a Pagefind bundle.

Records are built from the archive, not scraped from the built pages, so a query
finds each item once and never matches navigation, footers or the registers that
repeat the minutes. Each record links to its item's anchor and carries the facts a
result shows (date, committee, minute, title), the filters (year, committee,
topic) and a date to sort by.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from generator import urls
from generator.archive import Archive, Entry
from generator.labels import long_date, owner_label
from generator.marks import said
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
    people = [*meeting.chairs, *meeting.attendance.present, *meeting.attendance.apologies]
    people += meeting.attendance.substitutes
    parts = [entry.committee.name, long_date(meeting.date), meeting.venue or ""]
    parts += [p.name for p in people]
    parts += [f"{d.name}: {d.interest}" for d in meeting.declarations]
    return "\n".join(p for p in parts if p)


def records(archive: Archive) -> Iterator[SearchRecord]:
    """Every record of the archive: each meeting's facts, each item, each topic and term."""
    for entry in archive.entries:
        meeting = entry.meeting
        date = long_date(meeting.date)
        common = {"date": date, "committee": entry.committee.name}
        filters = {"year": [str(meeting.date.year)], "committee": [entry.committee.id]}
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
                filters={**filters, "topic": list(dict.fromkeys(item.topics))},
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
            filters={"topic": [topic.id]},
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


def write_index(search_records: Sequence[SearchRecord], site_dir: Path) -> None:
    """Write the Pagefind bundle for these records into ``site_dir/pagefind``.

    The records go to Pagefind as one folder of HTML documents, indexed by
    Pagefind's own command (from the pinned ``pagefind[bin]``) in one run: the
    Python API's per-record calls each wait a tenth of a second for their reply,
    and its service can answer that the bundle is written before the files are
    complete on disk, while the command has finished writing when it exits.
    """
    with tempfile.TemporaryDirectory(prefix="minutes-search-") as folder:
        for number, record in enumerate(search_records):
            # Named by position: the documents' own addresses are never shown.
            (Path(folder) / f"{number}.html").write_text(record_html(record), encoding="utf-8")
        output = site_dir / "pagefind"
        command = [sys.executable, "-m", "pagefind", "--site", folder, "--output-path", str(output)]
        result = subprocess.run(
            [*command, "--force-language", "en", "--silent"], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SearchIndexError(f"Pagefind could not index the search records: {result.stderr.strip()}")
    canonicalise(site_dir / "pagefind")


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
