"""Rendered Markdown: what each page kind says (whole pages are compared in test_golden.py)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from generator.people import People
from generator.render import render_site
from tests.fixtures import FIXTURE_ARCHIVE, archive_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_pages() -> dict[str, str]:
    return render_site(archive_of(ROOT / "content"), "Safer Bromley Partnership minutes archive")


@pytest.fixture(scope="module")
def fixture_pages() -> dict[str, str]:
    return render_site(archive_of(FIXTURE_ARCHIVE), "Test archive")


def test_every_page_kind_is_generated(real_pages: dict[str, str]) -> None:
    people = People.of(archive_of(ROOT / "content"))
    # A page for everyone the minutes name and every role they give actions to, and an index.
    assert sorted(p for p in real_pages if p.startswith("people/")) == sorted(
        ["people/index.md"]
        + [f"people/{profile.id}.md" for profile in people.everyone]
        + [f"people/roles/{role.id}.md" for role in people.roles]
    )
    assert "people/bill-kelly.md" in real_pages
    assert "people/roles/assistant-director-for-public-protection-and-enforcement.md" in real_pages
    assert sorted(p for p in real_pages if not p.startswith("people/")) == [
        "actions.md",
        "actions/2017.md",
        "actions/2021.md",
        "committees/board.md",
        "committees/board/attendance.md",
        "committees/index.md",
        "committees/strategic-group.md",
        "committees/strategic-group/attendance.md",
        "coverage/board.md",
        "coverage/index.md",
        "coverage/strategic-group.md",
        "decisions.md",
        "decisions/2017.md",
        "decisions/2021.md",
        "glossary.md",
        "index.md",
        "meetings/2017-07-06-strategic-group.md",
        "meetings/2021-06-17-board.md",
        "search.md",
        "topics/asb.md",
        "topics/asb/2017.md",
        "topics/asb/2021.md",
        "topics/crime-needs-assessment.md",
        "topics/crime-needs-assessment/2021.md",
        "topics/crime-performance.md",
        "topics/crime-performance/2021.md",
        "topics/dhr.md",
        "topics/dhr/2021.md",
        "topics/hate-crime.md",
        "topics/hate-crime/2021.md",
        "topics/index.md",
        "topics/knife-crime.md",
        "topics/knife-crime/2017.md",
        "topics/knife-crime/2021.md",
        "topics/offender-management.md",
        "topics/offender-management/2017.md",
        "topics/prevent.md",
        "topics/prevent/2017.md",
        "topics/prevent/2021.md",
        "topics/vawg.md",
        "topics/vawg/2017.md",
        "topics/vawg/2021.md",
        "topics/vrap.md",
        "topics/vrap/2021.md",
        "topics/youth-offending.md",
        "topics/youth-offending/2017.md",
        "years/2017.md",
        "years/2021.md",
        "years/index.md",
    ]


def test_meeting_page_marks_resolutions_in_place_and_sets_apart_actions_and_truncation(
    fixture_pages: dict[str, str],
) -> None:
    page = fixture_pages["meetings/2021-06-17-board.md"]
    assert "# Example Partnership Board: Thursday 17 June 2021" in page
    assert "## 39/20. Housing update {#item-39-20}" in page
    assert '!!! warning "The published text of this item is cut short"' in page
    assert '!!! warning "Draft minutes"' in page
    # A resolution the minutes hold word for word is marked where it stands, and printed once.
    resolution = "RESOLVED that the minutes of the meeting held on 12 March 2020 be agreed."
    assert f'<div class="minutes-resolution" markdown>\n\n{resolution}\n\n</div>' in page
    assert page.count(resolution) == 1
    assert '!!! success "Resolved"' not in page
    # An action is named for people; its id is only its anchor.
    assert (
        '    - <span id="action-39-20-1"></span>**Action 1 of minute 39/20**: circulate the housing report<br>\n'
        "      Owner: [Bo Example](../people/bo-example.md) (Head of Service) · Due: Thursday 9 September 2021"
        " · Status: **Open**." in page
    )
    assert "2021-06-17-board/39-20/1" not in page
    assert "- [Housing report](https://example.org/housing.pdf)" in page
    assert "- Appendix A (not published online)" in page
    assert "Previous meeting of the Board: [Thursday 12 March 2020](2020-03-12-board.md)" in page
    assert "No later meeting of the Board is in the archive." in page


def test_resolutions_the_minutes_do_not_hold_are_set_apart_once(fixture_pages: dict[str, str]) -> None:
    page = fixture_pages["meetings/2020-03-12-board.md"]
    assert '!!! success "Resolved"\n    RESOLVED that the update be noted.' in page
    assert page.count("RESOLVED that the update be noted.") == 1
    assert "Next meeting of the Board: [Thursday 17 June 2021](2021-06-17-board.md)" in page


def test_an_imported_meeting_names_where_its_minutes_were_read(fixture_pages: dict[str, str]) -> None:
    page = fixture_pages["meetings/2020-03-12-board.md"]
    assert (
        "Source\n:   Imported from the council's committee system on Thursday 3 December 2026: [original page]"
        "(https://democracy.example.gov.uk/ieListDocuments.aspx?CId=101&MId=4967)" in page
    )
    assert "Imported from" not in fixture_pages["meetings/2021-06-17-board.md"]


def test_home_page_shows_latest_and_next_and_browsing(fixture_pages: dict[str, str]) -> None:
    home = fixture_pages["index.md"]
    assert "[Example Strategic Group, Thursday 17 June 2021](meetings/2021-06-17-strategic-group.md): 2 items." in home
    assert "- Example Partnership Board: Thursday 9 September 2021 (announced in the minutes of" in home
    assert (
        "- [2021](years/2021.md): 2 meetings\n- [2020](years/2020.md): 1 meeting\n- [2017](years/2017.md): 1 meeting"
        in home
    )
    assert "- [Example Partnership Board](committees/board.md): 2 meetings, 2020 to 2021" in home


def test_year_and_committee_pages_list_their_meetings_newest_first(fixture_pages: dict[str, str]) -> None:
    assert fixture_pages["years/2021.md"].index("2021-06-17") < fixture_pages["years/2021.md"].index(
        "Example Strategic"
    )
    year = fixture_pages["years/2021.md"]
    assert "| [Thursday 17 June 2021](../meetings/2021-06-17-board.md) | [Example Partnership Board]" in year
    assert "| [Thursday 17 June 2021](../meetings/2021-06-17-strategic-group.md) | [Example Strategic Group]" in year
    committee = fixture_pages["committees/board.md"]
    assert committee.index("## 2021") < committee.index("## 2020")
    assert "2021-06-17-strategic-group" not in committee


def test_titles_with_quotes_make_valid_front_matter(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    (content / "committees.yml").write_text("committees:\n  - id: b\n    name: 'The \"Board\": a test'\n")
    (content / "meetings" / "m.yml").write_text(
        "committee: b\ndate: 2021-01-01\nstatus: approved\nitems:\n  - title: x\n"
    )
    page = render_site(archive_of(content), "A")["meetings/2021-01-01-b.md"]
    front_matter = page.split("---\n")[1]
    # The theme writes the title into the page as HTML: it arrives escaped, and reads as typed.
    title = YAML(typ="safe").load(front_matter)["title"]
    assert html.unescape(title) == 'The "Board": a test, Friday 1 January 2021'
    assert "<" not in title and '"' not in title
