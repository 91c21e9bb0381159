"""Recurring items on the built site: topic pages, two-way links, approvals, the glossary."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from tests.fixtures import page


def follow(site: Path, from_address: str, href: str) -> tuple[BeautifulSoup, str]:
    """Open the page a link leads to; return it and the link's fragment."""
    target = urlsplit(urljoin("/" + from_address, href))
    return page(site, target.path.strip("/")), target.fragment


def links_in(element: Tag) -> dict[str, str]:
    return {a.get_text(" ", strip=True): str(a["href"]) for a in element.find_all("a", href=True)}


def entries(soup: BeautifulSoup) -> list[Tag]:
    """The timeline's entries the page shows without its script: the first link of each."""
    return [li.find("a") for li in soup.select("[data-register-static] .register-list > ul > li")]


def test_topic_page_shows_its_latest_year_newest_first_linking_to_items(fixture_site: Path) -> None:
    soup = page(fixture_site, "topics/vrap")
    assert soup.find("h1").get_text(strip=True).rstrip("¶") == "Violence Reduction Action Plan"
    assert [a.get_text() for a in entries(soup)] == [
        "Thursday 17 June 2021, minute 156a: Same-day meeting of another committee",
        "Thursday 17 June 2021, minute 39/20: Housing update",
    ]
    earlier = page(fixture_site, "topics/vrap/2017")
    assert earlier.find("h1").get_text(strip=True).rstrip("¶") == "Violence Reduction Action Plan in 2017"
    assert [a.get_text() for a in entries(earlier)] == ["Thursday 6 July 2017, minute 150: Violence reduction"]
    for address, soup_ in (("topics/vrap/", soup), ("topics/vrap/2017/", earlier)):
        for link in entries(soup_):
            target, fragment = follow(fixture_site, address, str(link["href"]))
            heading = target.find(id=fragment)
            assert heading is not None and heading.name == "h2"
            # ...and the item links back to this topic.
            topics = heading.find_next("div", class_="item-topics")
            assert topics is not None
            assert links_in(topics)["Violence Reduction Action Plan"] == "../../topics/vrap/"


def test_item_names_the_committee_date_and_item_of_the_previous_and_next_time_its_topic_came_up(
    fixture_site: Path,
) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-board")
    topics = soup.find(id="item-39-20").find_next("div", class_="item-topics")
    text = " ".join(topics.get_text(" ", strip=True).split())
    assert "previously: Example Strategic Group, Thursday 6 July 2017, minute 150: Violence reduction" in text
    assert (
        "next: Example Strategic Group, Thursday 17 June 2021, minute 156a: Same-day meeting of another committee"
        in text
    )
    hrefs = [str(a["href"]) for a in topics.find_all("a")]
    assert hrefs == [
        "../../topics/vrap/",
        "../2017-07-06-strategic-group/#item-150",
        "../2021-06-17-strategic-group/#item-156a",
    ]
    earlier, fragment = follow(fixture_site, "meetings/2021-06-17-board/", hrefs[1])
    back = earlier.find(id=fragment).find_next("div", class_="item-topics")
    assert "../2021-06-17-board/#item-39-20" in [str(a["href"]) for a in back.find_all("a")]
    assert "no earlier mention in the archive" in back.get_text()


def test_an_occurrence_in_the_same_meeting_says_so(real_site: Path) -> None:
    soup = page(real_site, "meetings/2021-06-17-board")
    topics = soup.find(id="item-matters-arising").find_next("div", class_="item-topics")
    text = " ".join(topics.get_text(" ", strip=True).split())
    assert "next: also “Crime Needs Assessment” in this meeting" in text
    assert "next: also minute 22 of this meeting" in text
    assert {str(a["href"]) for a in topics.find_all("a")} >= {"#item-crime-needs-assessment", "#item-22"}


def test_topic_years_are_readable_links_with_words(fixture_site: Path) -> None:
    soup = page(fixture_site, "topics/vrap")
    strip = soup.select_one(".topic-years")
    assert strip.select_one(".topic-years__caption").get_text() == (
        "Violence Reduction Action Plan came up at 3 meetings between 2017 and 2021."
        " Newest year first; each year with meetings links to them."
    )
    cells = [" ".join(li.get_text(" ", strip=True).split()) for li in strip.select("li")]
    assert cells == ["2021 2 meetings", "2020 0 meetings", "2019 0 meetings", "2018 0 meetings", "2017 1 meeting"]
    assert [a["href"] for a in strip.select("a")] == ["2021/", "2017/"]


def test_topics_index_counts_meetings_and_last_discussed(fixture_site: Path) -> None:
    soup = page(fixture_site, "topics")
    rows = [[cell.get_text(strip=True) for cell in tr.find_all("td")] for tr in soup.select("article tbody tr")]
    assert rows == [
        ["Violence Reduction Action Plan", "3", "Thursday 17 June 2021"],
        ["Knife crime", "1", "Thursday 12 March 2020"],
        ["Prevent", "0", "not yet"],
    ]


def test_minutes_approval_links_both_ways(fixture_site: Path) -> None:
    earlier = page(fixture_site, "meetings/2020-03-12-board")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in earlier.find_all("dt")}
    agreed = facts["Minutes"]
    assert " ".join(agreed.get_text().split()) == (
        "Agreed as a correct record at Example Partnership Board, Thursday 17 June 2021,"
        " minute 37/20: Minutes of the previous meeting"
    )
    approving, fragment = follow(fixture_site, "meetings/2020-03-12-board/", str(agreed.a["href"]))
    assert fragment == "item-37-20"
    statement = approving.find(id=fragment).find_next("p")
    assert statement.get_text() == (
        "Agrees the minutes of the meeting of Example Partnership Board, Thursday 12 March 2020 as a correct record."
    )
    assert statement.a["href"] == "../2020-03-12-board/"
    arising = facts["Matters arising"]
    assert arising.a["href"] == "../2021-06-17-board/#item-38-20"


def test_a_meeting_outside_the_archive_is_plain_text(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-strategic-group")
    statement = soup.find(id="item-157").find_next("p")
    assert statement.get_text() == (
        "Agrees the minutes of the meeting of the Example Partnership Board on Thursday 10 January 2019"
        " (not in the archive) as a correct record."
    )
    assert statement.find("a") is None


def test_acronyms_are_explained_in_place_and_in_the_glossary(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2017-07-06-strategic-group")
    abbrs = {a.get_text(): a["title"] for a in soup.select("article abbr")}
    assert abbrs == {"VRAP": "Violence Reduction Action Plan", "ASB": "anti-social behaviour"}
    glossary = page(fixture_site, "glossary")
    asb = glossary.find(id="term-asb")
    used = asb.find_next("p").find_next("p")
    assert links_in(used) == {
        "Thursday 12 March 2020": "../meetings/2020-03-12-board/",
        "Thursday 6 July 2017": "../meetings/2017-07-06-strategic-group/",
    }
    assert (
        "Not used in the minutes held here." in glossary.find(id="term-marac").find_next("p").find_next("p").get_text()
    )
