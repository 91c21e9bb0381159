"""The archive graph and the page addresses: pure functions over fixture meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import terms, urls
from generator.archive import Archive, Occurrence
from generator.labels import clock_time, long_date
from generator.load import load_content
from generator.schema import Item, Meeting
from tests.fixtures import FIXTURE_ARCHIVE


@pytest.fixture(scope="module")
def archive() -> Archive:
    content = load_content(FIXTURE_ARCHIVE)
    assert content.problems == []
    return Archive(
        content.committees,
        [(m.meeting, m.source) for m in content.meetings],
        content.topics,
        content.glossary,
    )


def slugs(entries: object) -> list[str]:
    return [e.slug for e in entries]  # type: ignore[attr-defined]


def test_meetings_are_ordered_by_date_then_committee(archive: Archive) -> None:
    assert slugs(archive.entries) == [
        "2017-07-06-strategic-group",
        "2020-03-12-board",
        "2021-06-17-board",
        "2021-06-17-strategic-group",
    ]


def test_previous_and_next_stay_within_a_committee(archive: Archive) -> None:
    group_2017, first, board_2021, group_2021 = archive.entries
    assert archive.previous(first) is None
    assert archive.next(first) is board_2021
    assert archive.previous(board_2021) is first
    assert archive.next(board_2021) is None
    # Same day, other committee: not a neighbour; the Group's own earlier meeting is.
    assert archive.previous(group_2021) is group_2017
    assert archive.next(group_2021) is None


def test_years_newest_first_and_their_meetings(archive: Archive) -> None:
    assert archive.years() == [2021, 2020, 2017]
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
    archive = Archive([], [])
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
    entry = archive.entries[1]
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
    meeting = Meeting(committee="board", date=dt.date(2021, 6, 17), status="approved", items=items)
    assert urls.item_anchors(meeting) == [
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


def places(occurrences: object) -> list[tuple[str, str | None]]:
    return [(o.entry.slug, o.item.number) for o in occurrences]  # type: ignore[attr-defined]


def test_a_topic_is_followed_across_committees_and_skipped_years(archive: Archive) -> None:
    vrap = archive.topic("vrap")
    assert places(archive.occurrences(vrap)) == [
        ("2017-07-06-strategic-group", "150"),
        ("2021-06-17-board", "39/20"),
        ("2021-06-17-strategic-group", "156a"),
    ]
    assert archive.occurrences(archive.topic("prevent")) == []


def test_topic_neighbours_cross_committees_and_same_day_meetings(archive: Archive) -> None:
    vrap = archive.topic("vrap")
    first, board, group = archive.occurrences(vrap)
    assert archive.topic_neighbours(vrap, first) == (None, board)
    # Two committees met on one day: the Board (by id) comes before the Group.
    assert archive.topic_neighbours(vrap, board) == (first, group)
    assert archive.topic_neighbours(vrap, group) == (board, None)


def test_an_item_not_on_a_topic_has_no_neighbours(archive: Archive) -> None:
    vrap = archive.topic("vrap")
    apologies = Occurrence(archive.entries[1], 0)
    assert archive.topic_neighbours(vrap, apologies) == (None, None)


def test_approval_and_matters_arising_link_back(archive: Archive) -> None:
    _, board_2020, board_2021, _ = archive.entries
    approval = archive.approved_at(board_2020)
    assert approval is not None
    assert (approval.entry.slug, approval.item.number) == ("2021-06-17-board", "37/20")
    assert places(archive.matters_arising_reported_at(board_2020)) == [("2021-06-17-board", "38/20")]
    assert archive.approved_at(board_2021) is None
    ref = board_2021.meeting.items[0].approves_minutes_of
    assert ref is not None and archive.referenced(board_2021, ref) is board_2020


def test_a_reference_outside_the_archive_resolves_to_nothing(archive: Archive) -> None:
    group_2021 = archive.entries[3]
    ref = group_2021.meeting.items[1].approves_minutes_of
    assert ref is not None
    assert (ref.date, ref.committee) == (dt.date(2019, 1, 10), "board")
    assert archive.referenced(group_2021, ref) is None


def test_glossary_terms_are_found_in_the_meetings_that_use_them(archive: Archive) -> None:
    usage = {term.term: slugs(archive.using_term(term)) for term in archive.glossary}
    assert usage == {
        "VRAP": ["2017-07-06-strategic-group", "2021-06-17-board"],
        "ASB": ["2017-07-06-strategic-group", "2020-03-12-board"],
        "MARAC": [],
    }


def test_terms_match_whole_words_exactly_with_a_plural() -> None:
    def mentions(term: str, text: str) -> bool:
        return term in terms.Matcher([term]).found(text)

    assert mentions("DHR", "three DHRs outstanding")
    assert mentions("Prevent", "Prevent update:")
    assert not mentions("Prevent", "to try and prevent a similar homicide")
    assert not mentions("ASB", "the ASBO was served")
    assert terms.Matcher(["VRU"]).found("the VRU and the VRU") == {"VRU": 4}
    # A term inside a longer word is passed over, and a shorter one within it still found.
    assert terms.Matcher(["VRU"]).found("the XVRU and the VRU") == {"VRU": 17}
    plan = terms.Matcher(["Action Plan", "Violence Reduction Action Plan"])
    assert plan.found("the XViolence Reduction Action Plan") == {"Action Plan": 24}
    assert plan.found("a Violence Reduction Action Plan") == {"Violence Reduction Action Plan": 2}


def test_an_announcement_older_than_the_latest_meeting_is_not_scheduled() -> None:
    from generator.schema import Committee, Item, Meeting, NextMeeting

    def meeting(committee: str, day: dt.date, next_day: dt.date) -> tuple[Meeting, str]:
        record = Meeting(
            committee=committee,
            date=day,
            status="approved",
            items=[Item(title="Apologies")],
            next_meeting=NextMeeting(date=next_day),
        )
        return record, f"{committee}.yml"

    committees = [Committee(id="board", name="Board"), Committee(id="group", name="Group")]
    archive = Archive(
        committees,
        [
            meeting("group", dt.date(2017, 7, 6), dt.date(2017, 9, 14)),
            meeting("board", dt.date(2021, 6, 17), dt.date(2021, 9, 9)),
        ],
    )
    assert [(s.committee.id, s.next_meeting.date) for s in archive.scheduled()] == [("board", dt.date(2021, 9, 9))]
