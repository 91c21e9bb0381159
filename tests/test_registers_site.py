"""The registers as a resident reads them in the built site, without JavaScript."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from tests.conftest import page


def table_rows(table: Tag) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in table.select("tbody tr")]


def section_table(soup: BeautifulSoup, heading_id: str) -> Tag:
    heading = soup.find(id=heading_id)
    assert heading is not None, heading_id
    table = heading.find_next("table")
    assert table is not None
    return table


def open_link(site: Path, address: str, href: str) -> tuple[BeautifulSoup, str]:
    target = urlsplit(urljoin("/" + address, href))
    return page(site, target.path.strip("/")), target.fragment


def test_actions_register_groups_by_status_needing_attention_first(fixture_site: Path) -> None:
    soup = page(fixture_site, "actions")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert headings == ["Overdue", "Open", "Done", "Dropped"]
    assert table_rows(section_table(soup, "actions-overdue")) == [
        [
            "2017-07-06-strategic-group/150/1 : circulate the VRAP",
            "Example Strategic Group",
            "Thursday 14 September 2017",
            "Thursday 6 July 2017 , Example Strategic Group",
            "none yet",
        ]
    ]
    markers = soup.select("span.register-row")
    assert [(m["data-status"], m["data-owner"]) for m in markers] == [
        ("overdue", "Example Strategic Group"),
        ("open", "Bo Example (Head of Service)"),
        ("done", "Ann Example"),
        ("dropped", "Housing provider"),
    ]
    form = soup.select_one("form.register-filters")
    assert form is not None and form.has_attr("hidden")  # shown only by the script


def test_an_action_updated_twice_links_to_both_updates_and_back(fixture_site: Path) -> None:
    soup = page(fixture_site, "actions")
    row = section_table(soup, "actions-done").select_one("tbody tr")
    updates = row.find_all("td")[-1].find_all("a")
    assert [u.get_text() for u in updates] == ["Thursday 17 June 2021", "Thursday 17 June 2021"]
    assert row.find_all("td")[-1].get_text(" ", strip=True) == (
        "Thursday 17 June 2021 : carried forward; Thursday 17 June 2021 : done"
    )
    for link in updates:
        later, fragment = open_link(fixture_site, "actions/", str(link["href"]))
        marker = later.find(id=fragment)
        assert marker is not None
        back = marker.find_next("a")
        assert back.get_text(" ", strip=True) == "Action 2020-03-12-board/2/1"
        agreed, action_fragment = open_link(fixture_site, "meetings/2021-06-17-board/", str(back["href"]))
        assert action_fragment == "action-2-1"
        entry = agreed.find(id=action_fragment).parent
        assert "Done; updated at Thursday 17 June 2021 (carried forward), Thursday 17 June 2021 (done)." in (
            entry.get_text(" ", strip=True).replace(" ;", ";").replace(" ,", ",").replace(" .", ".")
        )


def test_a_meeting_with_no_actions_shows_none(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-strategic-group")
    titles = [t.get_text() for t in soup.select(".admonition-title")]
    assert "Actions" not in titles
    assert "Updates on actions from earlier meetings" in titles
    register = page(fixture_site, "actions").get_text()
    assert "2021-06-17-strategic-group/" not in register


def test_decisions_register_links_each_resolution_to_its_item(fixture_site: Path) -> None:
    soup = page(fixture_site, "decisions")
    table = section_table(soup, "decisions-2020")
    assert table_rows(table) == [
        [
            "Thursday 12 March 2020",
            "Example Partnership Board",
            "2",
            "RESOLVED that the update be noted.",
            "Knife crime",
        ]
    ]
    minute = table.select("tbody td")[2].a
    meeting, fragment = open_link(fixture_site, "decisions/", str(minute["href"]))
    assert fragment == "item-2"
    assert meeting.find(id=fragment) is not None
    marker = table.select_one("span.register-row")
    assert (marker["data-year"], marker["data-committee"], marker["data-topic"]) == (
        "2020",
        "board",
        "knife-crime",
    )


def test_attendance_page_lists_people_and_the_meeting_grid(fixture_site: Path) -> None:
    soup = page(fixture_site, "committees/board/attendance")
    tables = soup.select("article table")
    assert table_rows(tables[0]) == [
        ["Ann Example (Councillor)", "1", "1", "0", "100%"],
        ["Bo Example (Head of Service, Example Council)", "1", "0", "0", "100%"],
        ["Cy Example", "0", "0", "1", "0%"],
        ["Di Example", "1", "0", "0", "100%"],
    ]
    grid = soup.select_one(".attendance-grid table")
    assert [th.get_text(strip=True) for th in grid.select("thead th")] == [
        "Name",
        "12 Mar 2020",
        "17 Jun 2021",
    ]
    assert table_rows(grid) == [
        ["Ann Example", "Apologies", "Present"],
        ["Bo Example", "\u2013", "Present"],
        ["Cy Example", "\u2013", "Sent substitute"],
        ["Di Example", "\u2013", "Substitute"],
    ]
    committee = page(fixture_site, "committees/board")
    assert committee.find("a", string="Attendance at its meetings")["href"] == "attendance/"


def test_real_registers_carry_the_seed_decisions_and_actions(real_site: Path) -> None:
    decisions = page(real_site, "decisions")
    resolutions = [row[3] for row in table_rows(section_table(decisions, "decisions-2021"))]
    assert "RESOLVED that the Crime Needs Assessment be noted." in resolutions
    assert len(resolutions) == 4
    assert len(table_rows(section_table(decisions, "decisions-2017"))) == 6
    actions = page(real_site, "actions")
    ids = [str(m.find_next("code").get_text()) for m in actions.select("span.register-row")]
    assert "2021-06-17-board/22/1" in ids
    assert "2017-07-06-strategic-group/prevent-update/1" in ids
    attendance = page(real_site, "committees/board/attendance")
    assert "no attendance rate can be given" in " ".join(attendance.get_text().split())
    by_person = table_rows(attendance.select("article table")[0])
    assert len(by_person) == 19
    assert ["Ade Adetosoye", "0", "1", "0", "not recorded"] in by_person
