"""How complete the archive is: what the coverage pages tell a resident, worked out from the records alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import render
from generator.archive import Archive
from generator.coverage import Coverage
from generator.render import render_site
from tests.fixtures import archive_of, write_content

# What a cell shows when there is nothing to say: an en dash.
DASH = "\u2013"


def meeting(
    day: str,
    committee: str = "board",
    status: str = "approved",
    next_meeting: str | None = None,
    truncated: bool = False,
    retrieved: str | None = None,
) -> str:
    record = f"""\
committee: {committee}
date: {day}
status: {status}
items:
  - number: "1"
    title: Community safety
    text: The Board heard the update.
"""
    if truncated:
        record += "    truncated: true\n"
    if next_meeting:
        record += f"next_meeting:\n  date: {next_meeting}\n"
    if retrieved:
        record += f"source:\n  url: https://democracy.example.gov.uk/mg?MId={day}\n  retrieved: {retrieved}\n"
    return record


def archive_with(tmp_path: Path, *meetings: str) -> Archive:
    return archive_of(write_content(tmp_path, {f"m{n}.yml": text for n, text in enumerate(meetings)}))


def pages_of(archive: Archive) -> dict[str, str]:
    return render_site(archive, "Test archive")


def test_an_announced_meeting_with_no_record_is_missing_and_linked_to_the_minutes_that_announced_it(
    tmp_path: Path,
) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2021-01-14", next_meeting="2021-03-11"),
        # Held on another day than the one announced: perhaps rearranged, perhaps not.
        meeting("2021-03-18", next_meeting="2021-06-10"),
        meeting("2021-06-10", next_meeting="2021-09-09"),
        # Another committee's meeting on the announced day is no record of this one's.
        meeting("2021-03-11", committee="strategic-group"),
    )
    board = Coverage.of(archive).of_committee(archive.committee("board"))
    assert [(m.date.isoformat(), m.announced_by.slug, getattr(m.next_held, "slug", None)) for m in board.missing] == [
        ("2021-03-11", "2021-01-14-board", "2021-03-18-board")
    ]
    page = pages_of(archive)["coverage/board.md"]
    assert (
        "- **Thursday 11 March 2021**: announced in the minutes of [Thursday 14 January 2021]"
        "(../meetings/2021-01-14-board.md); the next meeting in the archive is [Thursday 18 March 2021]"
        "(../meetings/2021-03-18-board.md)." in page
    )
    assert "may simply be a meeting\nthat was rearranged" in page
    assert "| 2021 | 3 | 3 | 0 | 0 | 1 |" in page


def test_a_meeting_announced_after_the_latest_meeting_is_still_to_come_not_missing(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2021-01-14", next_meeting="2021-03-11"),
        meeting("2021-03-11", next_meeting="2021-06-10"),
        # The archive's latest meeting, of another committee, comes before the board's next one.
        meeting("2021-04-01", committee="strategic-group"),
    )
    assert [s.next_meeting.date.isoformat() for s in archive.scheduled(archive.committee("board"))] == ["2021-06-10"]
    assert Coverage.of(archive).of_committee(archive.committee("board")).missing == ()
    page = pages_of(archive)["coverage/board.md"]
    assert "Thursday 10 June 2021" not in page
    assert "None: every next meeting its minutes announce up to Thursday 1 April 2021 is in the archive." in page


def test_an_announcement_the_committee_never_followed_is_missing_with_no_later_meeting(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2021-01-14", next_meeting="2021-03-11"),
        meeting("2021-06-10", committee="strategic-group"),
    )
    page = pages_of(archive)["coverage/board.md"]
    assert (
        "- **Thursday 11 March 2021**: announced in the minutes of [Thursday 14 January 2021]"
        "(../meetings/2021-01-14-board.md); no later meeting of the committee is in the archive." in page
    )


def test_a_date_announced_twice_is_missing_once_with_the_latest_to_announce_it(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2021-01-14", next_meeting="2021-06-10"),
        meeting("2021-03-11", next_meeting="2021-06-10"),
        meeting("2021-07-08"),
    )
    missing = Coverage.of(archive).of_committee(archive.committee("board")).missing
    assert [(m.date.isoformat(), m.announced_by.slug) for m in missing] == [("2021-06-10", "2021-03-11-board")]


def test_years_with_no_meetings_are_one_span_linked_to_the_meetings_either_side(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2010-03-11"),
        meeting("2011-03-10"),
        meeting("2011-11-10"),
        meeting("2014-02-13"),
        meeting("2014-06-12"),
    )
    board = Coverage.of(archive).of_committee(archive.committee("board"))
    assert [(s.first, s.last, s.before.slug, s.after.slug) for s in board.silences] == [
        (2012, 2013, "2011-11-10-board", "2014-02-13-board")
    ]
    assert [y.year for y in board.years] == [2014, 2013, 2012, 2011, 2010]
    pages = pages_of(archive)
    assert (
        "- **2012 to 2013**: no meetings in the archive. The last meeting before is [Thursday 10 November 2011]"
        "(../meetings/2011-11-10-board.md), the first after is [Thursday 13 February 2014]"
        "(../meetings/2014-02-13-board.md)." in pages["coverage/board.md"]
    )
    assert "| 2013 | none | 0 | 0 | 0 | 0 |" in pages["coverage/board.md"]
    assert "| [Safer Bromley Partnership Board](board.md) | 2010 to 2014 | 5 |" in pages["coverage/index.md"]
    assert " | 2012 to 2013 | " in pages["coverage/index.md"]
    # With a gap, the page never claims every year is covered.
    assert "None: the archive holds meetings of the committee in every year" not in pages["coverage/board.md"]


def test_approved_and_draft_minutes_are_counted_by_year_and_committee(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2020-03-12"),
        meeting("2021-03-11"),
        meeting("2021-06-10", status="draft"),
        meeting("2021-09-09", status="draft"),
    )
    board = Coverage.of(archive).of_committee(archive.committee("board"))
    assert (board.approved, board.draft) == (2, 2)
    assert [(y.year, len(y.meetings), y.approved, y.draft) for y in board.years] == [(2021, 3, 1, 2), (2020, 1, 1, 0)]
    pages = pages_of(archive)
    assert "4 meetings of the committee" in pages["coverage/board.md"]
    assert "2 with\nminutes approved and 2 still draft." in pages["coverage/board.md"]
    summary = pages["coverage/index.md"]
    assert (
        f"| [Safer Bromley Partnership Board](board.md) | 2020 to 2021 | 4 | 2 | 2 | 0 | 0 | none | {DASH} |" in summary
    )


def test_an_item_cut_short_in_the_source_is_counted_and_linked(tmp_path: Path) -> None:
    archive = archive_with(tmp_path, meeting("2021-06-17", truncated=True), meeting("2021-09-09"))
    page = pages_of(archive)["coverage/board.md"]
    assert "- [Thursday 17 June 2021, minute 1: Community safety](../meetings/2021-06-17-board.md#item-1)" in page
    assert "| 2021 | 2 | 2 | 0 | 1 | 0 |" in page


def test_how_long_after_the_meeting_the_minutes_were_retrieved(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        meeting("2021-01-14", retrieved="2021-01-24"),
        meeting("2021-03-11", retrieved="2021-04-10"),
        meeting("2021-06-10", retrieved="2021-06-15"),
        meeting("2021-09-09", retrieved="2021-09-13"),
        meeting("2022-01-13"),
    )
    board = Coverage.of(archive).of_committee(archive.committee("board"))
    lag = board.years[1].lag
    assert [r.days for r in lag.timed] == [4, 5, 30, 10]
    assert lag.median == 7.5
    assert lag.longest is not None and lag.longest.entry.slug == "2021-03-11-board"
    assert board.years[0].lag.median is None
    page = pages_of(archive)["coverage/board.md"]
    assert "| 2021 | 4 | 4 | 0 | 0 | 0 | 7.5 | [30](../meetings/2021-03-11-board.md) |" in page
    assert f"| 2022 | 1 | 1 | 0 | 0 | 0 | {DASH} | {DASH} |" in page
    assert (
        "| [11 Mar 2021](../meetings/2021-03-11-board.md) | 10 Apr 2021 | 30 |"
        " [original page](https://democracy.example.gov.uk/mg?MId=2021-03-11) |" in page
    )
    assert "Median 7.5 days; the longest,\n30 days, for [Thursday 11 March 2021]" in page
    summary = pages_of(archive)["coverage/index.md"]
    assert "| [Safer Bromley Partnership Board](board.md) | 2021 to 2022 | 5 | 5 | 0 | 0 | 0 | none | 7.5 |" in summary


def test_a_long_list_is_cut_to_the_newest_and_counts_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "COVERAGE_LISTED", 2)
    archive = archive_with(tmp_path, *(meeting(f"2021-0{month}-01", retrieved="2021-12-01") for month in range(1, 6)))
    page = pages_of(archive)["coverage/board.md"]
    assert page.count("[original page]") == 2
    assert "[1 May 2021](../meetings/2021-05-01-board.md)" in page
    assert "And 3 earlier meetings: each meeting's page links its original." in page


def test_the_home_page_and_each_committee_page_link_their_coverage(tmp_path: Path) -> None:
    archive = archive_with(tmp_path, meeting("2021-06-17"), meeting("2021-06-17", committee="strategic-group"))
    pages = pages_of(archive)
    home, board = pages["index.md"], pages["committees/board.md"]
    assert "[How complete the archive is](coverage/index.md)\nsays, committee by committee and year by year" in home
    assert "[How complete the record of its meetings is](../coverage/board.md): year by" in board
    group = pages["committees/strategic-group.md"]
    assert "[How complete the record of its meetings is](../coverage/strategic-group.md)" in group
    # Each coverage page leads back: to the committee, and to every committee's summary.
    coverage = pages["coverage/board.md"]
    assert "[Safer Bromley Partnership Board](../committees/board.md)" in coverage
    assert "[Every committee](index.md), side by side." in coverage
    assert 'breadcrumbs: [["Home", "./"], ["How complete the archive is", "coverage/"], ["Safer Bromley' in coverage


def test_a_committee_with_no_meetings_has_a_page_that_says_so(tmp_path: Path) -> None:
    archive = archive_with(tmp_path, meeting("2021-06-17"))
    pages = pages_of(archive)
    assert "The archive holds no meetings of this committee yet." in pages["coverage/strategic-group.md"]
    row = f"| [Safer Bromley Partnership Strategic Group](strategic-group.md) | none | 0 | 0 | 0 | 0 | 0 | none | {DASH} |"
    assert row in pages["coverage/index.md"]
