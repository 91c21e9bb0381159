"""Whole-site tests: build with MkDocs into a temporary folder and read the HTML a resident sees."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from tests.fixtures import FIXTURE_ARCHIVE, page, run_build


def internal_links(site: Path) -> list[tuple[str, str]]:
    """(page address, resolved link target) for every internal link on every page."""
    links = []
    for html in sorted(site.rglob("*.html")):
        address = "/" + html.relative_to(site).as_posix().removesuffix("index.html")
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for anchor in soup.find_all("a", href=True):
            href = str(anchor["href"])
            if urlsplit(href).scheme or href.startswith("//"):
                continue
            links.append((address, urljoin(address, href)))
    return links


def resolves(site: Path, target: str) -> bool:
    """Whether an internal address exists in the built site, anchor included."""
    parts = urlsplit(target)
    path = site / parts.path.lstrip("/")
    file = path / "index.html" if parts.path.endswith("/") else path
    if not file.is_file():
        return False
    if not parts.fragment or file.suffix != ".html":
        return True
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    return soup.find(id=parts.fragment) is not None


def test_no_internal_link_is_dead(fixture_site: Path, real_site: Path) -> None:
    for site in (fixture_site, real_site):
        dead = [(source, target) for source, target in internal_links(site) if not resolves(site, target)]
        assert dead == []


def test_meeting_page_as_a_resident_sees_it(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-board")
    assert soup.title is not None
    assert soup.title.get_text().startswith("Example Partnership Board, Thursday 17 June 2021")
    h1 = soup.find_all("h1")
    assert [h.get_text(strip=True).rstrip("¶") for h in h1] == ["Example Partnership Board: Thursday 17 June 2021"]
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in soup.find_all("dt")}
    assert facts["Date"] == "Thursday 17 June 2021, 6.30 pm"
    assert facts["Venue"] == "Committee Room 2"
    assert facts["Minutes"] == "Draft: not yet agreed by the committee"
    item = soup.find(id="item-39-20")
    assert item is not None and item.name == "h2"
    assert "39/20. Housing update" in item.get_text()
    actions = soup.select("div.admonition.info li")
    assert [" ".join(a.get_text(" ", strip=True).split()) for a in actions] == [
        "Action 1 of minute 39/20 : circulate the housing report"
        " Owner: Bo Example (Head of Service) · Due: Thursday 9 September 2021 · Status: Open ."
    ]
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.archive-breadcrumbs li")]
    assert crumbs == ["Home", "Committees", "Example Partnership Board", "Thursday 17 June 2021"]
    assert soup.select_one(".md-tabs__item--active").get_text(strip=True) == "Committees"
    contents = soup.select_one("details.meeting-contents")
    assert [a["href"] for a in contents.select("a")] == [
        "#item-37-20",
        "#item-38-20",
        "#item-39-20",
        "#item-any-other-business",
        "#item-any-other-business-2",
    ]
    edit = soup.find("a", rel="edit")
    assert edit is not None
    assert str(edit["href"]).endswith("/edit/main/content/meetings/2021-06-17-board.yml")


def test_previous_and_next_links_go_both_ways(fixture_site: Path) -> None:
    later = page(fixture_site, "meetings/2021-06-17-board")
    earlier = page(fixture_site, "meetings/2020-03-12-board")
    back = later.select_one("nav.meeting-neighbours a")
    assert back is not None and back.get_text() == "Thursday 12 March 2020"
    assert back["href"] == "../2020-03-12-board/"
    forward = earlier.select_one("nav.meeting-neighbours a")
    assert forward is not None and forward.get_text() == "Thursday 17 June 2021"
    assert forward["href"] == "../2021-06-17-board/"
    resolved = earlier.select("div.admonition.success p:not(.admonition-title)")
    assert [r.get_text() for r in resolved] == ["RESOLVED that the update be noted."]


def test_nav_lists_index_pages_only(fixture_site: Path) -> None:
    soup = page(fixture_site, "")
    tabs = [a.get_text(strip=True) for a in soup.select("nav.md-tabs a")]
    assert tabs == [
        "Home",
        "Years",
        "Committees",
        "Topics",
        "Decisions",
        "Actions",
        "People",
        "Glossary",
        "Data",
        "About",
        "Editing",
    ]
    nav_links = [str(a["href"]) for a in soup.select("nav.md-nav--primary a[href]")]
    assert not any("meetings/" in href for href in nav_links)


def test_home_page_links_latest_next_years_and_committees(fixture_site: Path) -> None:
    soup = page(fixture_site, "")
    latest = soup.find(id="latest-meeting").find_next("p").find("a")
    assert latest["href"] == "meetings/2021-06-17-strategic-group/"
    assert "Thursday 9 September 2021" in soup.find(id="next-scheduled-meeting").find_next("ul").get_text()
    years = [a.get_text() for a in soup.find(id="browse-by-year").find_next("ul").find_all("a")]
    assert years == ["2021", "2020", "2017"]


def notices(heading: Tag) -> list[str]:
    """The titles of the notices (admonitions) in the section a heading opens."""
    titles = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        if "admonition" in (sibling.get("class") or []):
            titles.append(sibling.find(class_="admonition-title").get_text())
    return titles


def test_real_meeting_pages(real_site: Path) -> None:
    board = page(real_site, "meetings/2021-06-17-board")
    assert board.find("h1").get_text(strip=True).rstrip("¶") == (
        "Safer Bromley Partnership Board: Thursday 17 June 2021"
    )
    for number in ("20", "21", "22", "23", "25"):
        heading = board.find(id=f"item-{number}")
        assert heading is not None, number
        assert "The published text of this item is cut short" in notices(heading), number
    # The resolution is a paragraph of the minutes: marked there, not repeated in a box.
    assert notices(board.find(id="item-crime-needs-assessment")) == []
    resolutions = [p.get_text() for p in board.select("div.minutes-resolution p")]
    assert "RESOLVED that the Crime Needs Assessment be noted." in resolutions
    assert board.get_text().count("RESOLVED that the Crime Needs Assessment be noted.") == 1
    assert "No earlier meeting of the SBP Board is in the archive." in board.get_text()
    group = page(real_site, "meetings/2017-07-06-strategic-group")
    assert group.find(id="item-150") is not None
    assert group.find(id="item-156a") is not None
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in group.find_all("dt")}
    assert facts["Date"] == "Thursday 6 July 2017, 10.00 am"
    assert facts["Venue"] == "Committee Room 2 - Bromley Civic Centre"
    year = page(real_site, "years/2017")
    assert [a.get_text() for a in year.select("article table a")] == [
        "Thursday 6 July 2017",
        "Safer Bromley Partnership Strategic Group",
    ]


@pytest.mark.site
def test_a_broken_record_stops_the_build_with_a_placed_message(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    record = content / "meetings" / "2020-03-12-board.yml"
    record.write_text(record.read_text().replace("status: approved", "status: aproved"))
    result, site = run_build(content, tmp_path / "build")
    assert result.returncode != 0
    assert (
        "content/meetings/2020-03-12-board.yml:5:9: status: 'aproved' is not allowed"
        " (hint: use one of: draft or approved)" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (site / "meetings").exists()


def test_the_404_page_helps_the_resident_on(real_site: Path) -> None:
    soup = BeautifulSoup((real_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").get_text() == "Page not found"
    form = soup.select_one("article form[role=search]")
    assert form is not None and str(form["action"]).endswith("search/")
    links = [a.get_text() for a in soup.select("article ul a")]
    assert links == [
        "Meetings by year",
        "Meetings by committee",
        "Topics followed across meetings",
        "The archive's home page",
    ]


def test_every_page_has_a_description_for_link_previews(real_site: Path) -> None:
    for html in sorted(real_site.rglob("index.html")):
        if "pagefind" in html.parts or "assets" in html.parts or html.parent == real_site / "admin":
            continue  # machinery, and the clerks' editor (noindex: never previewed)
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        assert description is not None and len(str(description["content"])) > 20, html
