"""The archive graph and the page addresses: pure functions over fixture meetings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import urls
from generator.archive import Archive, build_archive, clock_time, long_date
from generator.load import load_content
from generator.schema import Item

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archive"


@pytest.fixture(scope="module")
def archive() -> Archive:
    content = load_content(FIXTURES)
    assert content.problems == []
    return build_archive(content.committees, [(m.meeting, m.source) for m in content.meetings])


def slugs(entries: object) -> list[str]:
    return [e.slug for e in entries]  # type: ignore[attr-defined]


def test_meetings_are_ordered_by_date_then_committee(archive: Archive) -> None:
    assert slugs(archive.entries) == ["2020-03-12-board", "2021-06-17-board", "2021-06-17-strategic-group"]


def test_previous_and_next_stay_within_a_committee(archive: Archive) -> None:
    first, board_2021, group_2021 = archive.entries
    assert archive.previous(first) is None
    assert archive.next(first) is board_2021
    assert archive.previous(board_2021) is first
    assert archive.next(board_2021) is None
    # Same day, other committee: not a neighbour.
    assert archive.previous(group_2021) is None
    assert archive.next(group_2021) is None


def test_years_newest_first_and_their_meetings(archive: Archive) -> None:
    assert archive.years() == [2021, 2020]
    assert slugs(archive.in_year(2021)) == ["2021-06-17-board", "2021-06-17-strategic-group"]


def test_latest_is_by_date_not_by_file(archive: Archive) -> None:
    latest = archive.latest()
    assert latest is not None
    assert latest.meeting.date == dt.date(2021, 6, 17)


def test_scheduled_comes_from_each_committees_latest_minutes(archive: Archive) -> None:
    # The 2020 Board minutes announced 11 June 2020, but a later Board meeting exists,
    # so only the 2021 announcement counts; the Group announced nothing.
    scheduled = archive.scheduled()
    assert [(s.committee.id, s.next_meeting.date, s.announced_by.slug) for s in scheduled] == [
        ("board", dt.date(2021, 9, 9), "2021-06-17-board")
    ]


def test_an_empty_archive() -> None:
    archive = build_archive([], [])
    assert archive.latest() is None
    assert archive.years() == []
    assert archive.scheduled() == []


def test_dates_and_times_as_people_write_them() -> None:
    assert long_date(dt.date(2021, 6, 17)) == "Thursday 17 June 2021"
    assert long_date(dt.date(2017, 7, 6)) == "Thursday 6 July 2017"
    assert clock_time(dt.time(10, 0)) == "10.00 am"
    assert clock_time(dt.time(18, 30)) == "6.30 pm"
    assert clock_time(dt.time(12, 0)) == "12.00 pm"
    assert clock_time(dt.time(0, 15)) == "12.15 am"


def test_addresses_come_from_the_data(archive: Archive) -> None:
    entry = archive.entries[0]
    assert entry.source == "archive/meetings/2020-03-12-board.yml"
    assert urls.meeting_page(entry.meeting) == "meetings/2020-03-12-board.md"
    assert urls.year_page(2020) == "years/2020.md"
    assert urls.committee_page(entry.committee) == "committees/board.md"


def test_item_anchors_are_stable_and_unique() -> None:
    items = [
        Item(number="20", title="Safer neighbourhoods"),
        Item(number="156a", title="IOM"),
        Item(number="39/20", title="Housing"),
        Item(number="4.1", title="Sub-item"),
        Item(title="Any other business"),
        Item(title="Any other business"),
        Item(title="!!!"),
    ]
    assert urls.item_anchors(items) == [
        "item-20",
        "item-156a",
        "item-39-20",
        "item-4-1",
        "item-any-other-business",
        "item-any-other-business-2",
        "item-untitled",
    ]


def test_relative_links_between_pages() -> None:
    assert urls.relative("meetings/2021-06-17-board.md", "index.md") == "meetings/2021-06-17-board.md"
    assert urls.relative("committees/board.md", "meetings/x.md") == "../committees/board.md"
    assert urls.relative("meetings/a.md", "meetings/b.md") == "a.md"
