"""The search records: what is indexed, and what is not."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from generator.archive import Archive
from generator.people import People
from generator.search import record_html, records
from tests.fixtures import VALID, archive_of, write_content

ROOT = Path(__file__).resolve().parent.parent


def real_archive() -> Archive:
    return archive_of(ROOT / "content", ROOT)


def test_one_record_per_item_meeting_topic_term_person_and_role() -> None:
    archive = real_archive()
    found = list(records(archive))
    items = sum(len(e.meeting.items) for e in archive.entries)
    people = People.of(archive)
    assert len(found) == (
        items
        + len(archive.entries)
        + len(archive.topics)
        + len(archive.glossary)
        + len(people.everyone)
        + len(people.roles)
    )
    # Each kind can be chosen alone on the search page.
    kinds = {kind for r in found for kind in r.filters["type"]}
    assert kinds == {"meeting", "item", "topic", "term", "person"}
    urls = [r.url for r in found]
    assert len(urls) == len(set(urls))
    assert "meetings/2021-06-17-board/#item-22" in urls


def test_an_item_record_carries_its_facts_filters_and_sort() -> None:
    record = next(r for r in records(real_archive()) if r.url == "meetings/2021-06-17-board/#item-22")
    assert record.meta == {
        "title": "Violence Reduction Action Plan (VRAP)",
        "date": "Thursday 17 June 2021",
        "committee": "Safer Bromley Partnership Board",
        "minute": "22",
    }
    assert record.filters == {"year": ["2021"], "committee": ["board"], "topic": ["vrap"], "type": ["item"]}
    assert record.sort == {"date": "2021-06-17"}
    assert "standing item on the SBPB agenda" in record.content


def test_topic_and_glossary_records_hold_only_their_title_and_summary() -> None:
    archive = real_archive()
    by_url = {r.url: r for r in records(archive)}
    topic = by_url["topics/vrap/"]
    assert topic.content.splitlines()[0] == "Violence Reduction Action Plan"
    assert "Mr Bentley" not in topic.content  # the timeline's item text is not indexed again
    assert by_url["glossary/#term-asb"].content.split() == ["ASB", "anti-social", "behaviour"]


def test_record_documents_escape_text_and_carry_the_real_address() -> None:
    record = next(iter(records(real_archive())))
    soup = BeautifulSoup(record_html(record), "html.parser")
    metas = [span["data-pagefind-meta"] for span in soup.select("[data-pagefind-meta]")]
    assert f"link:{record.url}" in metas
    assert soup.body is not None and soup.body.has_attr("data-pagefind-body")


def test_material_search_is_replaced_by_pagefind(real_site: Path) -> None:
    assert not (real_site / "search" / "search_index.json").exists()
    # The real archive is small enough for one bucket: the one bundle is the primary index.
    listing = json.loads((real_site / "pagefind" / "buckets.json").read_text(encoding="utf-8"))
    assert len(listing["buckets"]) == 1
    assert (real_site / "pagefind" / listing["buckets"][0] / "pagefind.js").is_file()
    home = BeautifulSoup((real_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    form = home.select_one("header form[role=search]")
    assert form is not None and form["action"] == "search/"
    assert home.select_one("header label[for=archive-search-input]") is not None


def test_a_person_is_one_record_found_by_every_spelling_of_their_name(tmp_path: Path) -> None:
    content = write_content(
        tmp_path,
        {
            "2021-06-17-board.yml": VALID + "attendance:\n  present:\n    - Betty Macdonald\n",
            "2021-09-09-board.yml": VALID.replace("2021-06-17", "2021-09-09")
            + "attendance:\n  present:\n    - name: Betty McDonald\n      role: Head of Service\n",
        },
    )
    (content / "people.yml").write_text(
        "people:\n  - name: Betty McDonald\n    variants: [Betty Macdonald]\n", encoding="utf-8"
    )
    found = [r for r in records(archive_of(content)) if r.filters.get("type") == ["person"]]
    assert [r.url for r in found] == ["people/betty-mcdonald/"]
    assert found[0].meta["title"] == "Person: Betty McDonald"
    assert "Betty Macdonald" in found[0].content and "Head of Service" in found[0].content
    assert found[0].filters["committee"] == ["board"]
