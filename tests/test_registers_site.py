"""The registers as a resident reads them in the built site, without JavaScript."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from tests.fixtures import page


def table_rows(table: Tag) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


def register_rows(soup: BeautifulSoup) -> list[Tag]:
    """The rows of the register list the page shows without its script."""
    return soup.select("[data-register-static] .register-list > ul > li")


def text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def open_link(site: Path, address: str, href: str) -> tuple[BeautifulSoup, str]:
    target = urlsplit(urljoin("/" + address, href))
    return page(site, target.path.strip("/")), target.fragment


def test_actions_landing_counts_by_status_and_lists_the_latest_year_newest_first(fixture_site: Path) -> None:
    soup = page(fixture_site, "actions")
    summary = text(soup.find(string="Status of every action:").find_parent("p"))
    assert summary == "Status of every action: Overdue: 1 · Open: 1 · Done: 1 · Dropped: 1"
    rows = register_rows(soup)
    assert [text(r.find("a")) for r in rows] == ["Action 1 of minute 39/20"]
    assert text(rows[0]) == (
        "Action 1 of minute 39/20 : Housing update Example Partnership Board, Thursday 17 June 2021"
        " circulate the housing report Open · Owner: Bo Example (Head of Service) · Due: Thursday 9 September 2021"
    )
    years = [text(a) for a in soup.find(string="Years:").find_parent("p").find_all("a")]
    assert years == ["2021", "2020", "2017"]
    form = soup.select_one("form.register-filters")
    assert form is not None and form.has_attr("hidden")  # shown only by the script
    # The owner list comes from the index, so that a council's hundreds of owners weigh nothing here.
    assert [o.get_text() for o in form.select("select[name=owner] option")] == ["Anyone"]


def test_each_year_of_actions_is_a_page_with_every_status(fixture_site: Path) -> None:
    year = page(fixture_site, "actions/2020")
    assert year.find("h1").get_text(strip=True).rstrip("¶") == "Actions agreed in 2020"
    rows = register_rows(year)
    assert [text(r.find("a")) for r in rows] == ["Action 1 of minute 2", "Action 2 of minute 2"]
    assert [r.select_one(".register-tag").get_text() for r in rows] == ["Done", "Dropped"]
    overdue = register_rows(page(fixture_site, "actions/2017"))
    assert overdue[0].select_one(".register-tag--overdue").get_text() == "Overdue"
    assert "Owner: Example Strategic Group" in text(overdue[0])


def test_an_action_updated_twice_links_to_both_updates_and_back(fixture_site: Path) -> None:
    row = register_rows(page(fixture_site, "actions/2020"))[0]
    # The links to the later meetings' updates (the row also links the action and its owner's page).
    updates = [a for a in row.find_all("a") if "#update-" in str(a.get("href", ""))]
    assert [u.get_text() for u in updates] == ["Thursday 17 June 2021", "Thursday 17 June 2021"]
    assert "Updates: Thursday 17 June 2021 carried forward; Thursday 17 June 2021 done" in text(row)
    for link in updates:
        later, fragment = open_link(fixture_site, "actions/2020/", str(link["href"]))
        marker = later.find(id=fragment)
        assert marker is not None
        back = marker.find_next("a")
        assert back.get_text(" ", strip=True) == ("Action 1 of minute 2, Board, Thursday 12 March 2020")
        agreed, action_fragment = open_link(fixture_site, "meetings/2021-06-17-board/", str(back["href"]))
        assert action_fragment == "action-2-1"
        entry = agreed.find(id=action_fragment).parent
        assert (
            "Status: Done ; updated at Board, Thursday 17 June 2021 (carried forward),"
            " Example Strategic Group, Thursday 17 June 2021 (done)."
        ) in text(entry)


def test_a_meeting_with_no_actions_shows_none(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-strategic-group")
    titles = [t.get_text() for t in soup.select(".admonition-title")]
    assert "Actions" not in titles
    assert "Updates on actions from earlier meetings" in titles
    register = page(fixture_site, "actions/2021").get_text()
    assert "Example Strategic Group, Thursday 17 June 2021" not in register


def test_decisions_name_their_item_committee_and_date_and_link_to_it(fixture_site: Path) -> None:
    soup = page(fixture_site, "decisions/2020")
    [row] = register_rows(soup)
    assert text(row) == (
        "Minute 2: Knife crime update Example Partnership Board, Thursday 12 March 2020 · routine"
        " RESOLVED that the update be noted. Topics: Knife crime"
    )
    meeting, fragment = open_link(fixture_site, "decisions/2020/", str(row.find("a")["href"]))
    assert fragment == "item-2"
    assert meeting.find(id=fragment) is not None
    landing = page(fixture_site, "decisions")
    assert [text(r.find("a")) for r in register_rows(landing)] == ["Minute 37/20: Minutes of the previous meeting"]
    by_year = table_rows(landing.find(id="by-year").find_next("table"))
    assert by_year == [["2021", "1", "1"], ["2020", "1", "1"]]


def test_a_long_year_continues_on_further_pages(tmp_path: Path) -> None:
    from generator import registers
    from generator.render import render_site
    from tests.fixtures import archive_of

    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    (content / "committees.yml").write_text("committees:\n  - id: b\n    name: Board\n")
    items = "".join(
        f'  - number: "{n}"\n    title: Item {n}\n    resolutions:\n      - RESOLVED that plan {n} be adopted.\n'
        for n in range(1, 31)
    )
    for month in range(1, 9):
        (content / "meetings" / f"m{month}.yml").write_text(
            f"committee: b\ndate: 2021-{month:02d}-01\nstatus: approved\nitems:\n{items}"
        )
    pages = render_site(archive_of(content), "A")
    assert registers.PAGE_ROWS == 100
    assert "decisions/2021/3.md" in pages and "decisions/2021/4.md" not in pages
    assert "this page shows 201 to 240" in pages["decisions/2021/3.md"]
    assert "[Previous page](2.md)" in pages["decisions/2021/3.md"]
    assert "[Next page](2021/2.md)" in pages["decisions/2021.md"]


def test_the_filter_index_answers_across_years(fixture_site: Path) -> None:
    form = page(fixture_site, "actions/2021").select_one("form.register-filters")
    # The page names the index's home; its current.json names this build's folder.
    home = fixture_site / form["data-index"]
    index = home / json.loads((home / "current.json").read_text())["folder"]
    meta = json.loads((index / "facets.json").read_text())
    assert meta["rows"] == 4
    assert meta["apart"] == ["owner"]  # the owners, which grow with the archive, come in a file of their own
    years = {value[0]: n for n, value in enumerate(meta["facets"]["year"])}
    rows = [r for chunk in sorted(index.glob("rows-*.json")) for r in json.loads(chunk.read_text())]
    assert [r["label"] for r in rows] == [
        "Action 1 of minute 39/20",
        "Action 1 of minute 2",
        "Action 2 of minute 2",
        "Action 1 of minute 150",
    ]

    def facet(name: str, value: str) -> list[int]:
        listed = meta["facets"].get(name) or json.loads((index / f"{name}.json").read_text())
        position = [v[0] for v in listed].index(value)
        deltas = json.loads((index / f"{name}-{position}.json").read_text())
        return [sum(deltas[: n + 1]) for n in range(len(deltas))]

    assert facet("year", "2020") == [1, 2] and years["2020"] == 1
    assert facet("status", "overdue") == [3]
    # An owner named by person and role is found by either.
    assert facet("owner", "Bo Example") == [0] == facet("owner", "Head of Service")


def test_attendance_counts_only_the_meetings_each_person_could_attend(fixture_site: Path) -> None:
    soup = page(fixture_site, "committees/board/attendance")
    by_person = table_rows(soup.select("article table")[0])
    assert by_person == [
        ["Ann Example (Councillor)", "1", "1", "0", "100% (1 of 1)", "1: 17 Jun 2021"],
        ["Bo Example (Head of Service, Example Council)", "1", "0", "0", "100% (1 of 1)", "1: 17 Jun 2021"],
        ["Cy Example", "0", "0", "1", "0% (0 of 1)", "1: 17 Jun 2021"],
        ["Di Example", "1", "0", "0", "100% (1 of 1)", "1: 17 Jun 2021"],
    ]
    grid = soup.select_one(".attendance-grid table")
    assert [th.get_text(strip=True) for th in grid.select("thead th")] == ["Name", "17 Jun 2021"]
    assert table_rows(grid) == [
        ["Ann Example", "Present"],
        ["Bo Example", "Present"],
        ["Cy Example", "Sent substitute"],
        ["Di Example", "Substitute"],
    ]
    committee = page(fixture_site, "committees/board")
    assert committee.find("a", string="Attendance at its meetings")["href"] == "attendance/"


def test_real_registers_carry_the_seed_decisions_and_actions(real_site: Path) -> None:
    resolutions = [text(r.find_all("p")[1]) for r in register_rows(page(real_site, "decisions/2021"))]
    assert "RESOLVED that the Crime Needs Assessment be noted." in resolutions
    assert len(resolutions) == 4
    assert len(register_rows(page(real_site, "decisions/2017"))) == 6
    labels = [text(r.find("a")) for r in register_rows(page(real_site, "actions/2021"))]
    assert "Action 1 of minute 22" in labels
    assert "Action 1 of “Prevent update”" in [text(r.find("a")) for r in register_rows(page(real_site, "actions/2017"))]


def test_where_no_minutes_list_who_was_present_the_attendance_page_says_so_once(real_site: Path) -> None:
    attendance = page(real_site, "committees/board/attendance")
    said = " ".join(attendance.get_text().split())
    assert "do not list who was present, so no attendance can be shown or rated" in said
    [table] = attendance.select("article table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == [
        "Name",
        "Apologies",
        "Sent a substitute",
        "Substituted for another",
    ]
    rows = table_rows(table)
    assert len(rows) == 19
    assert ["Ade Adetosoye", "1", "0", "0"] in rows
    assert attendance.select(".attendance-grid") == []
