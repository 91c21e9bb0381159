"""Recurring items on the built site: topic pages, two-way links, approvals, the glossary."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from tests.conftest import page


def follow(site: Path, from_address: str, href: str) -> tuple[BeautifulSoup, str]:
    """Open the page a link leads to; return it and the link's fragment."""
    target = urlsplit(urljoin("/" + from_address, href))
    return page(site, target.path.strip("/")), target.fragment


def links_in(element: Tag) -> dict[str, str]:
    return {a.get_text(" ", strip=True): str(a["href"]) for a in element.find_all("a", href=True)}


def test_topic_page_timeline_newest_first_linking_to_items(fixture_site: Path) -> None:
    soup = page(fixture_site, "topics/vrap")
    assert soup.find("h1").get_text(strip=True).rstrip("¶") == "Violence Reduction Action Plan"
    years = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert years == ["2021", "2017"]
    entries = soup.select("article h3 a:not(.headerlink)")
    assert [a.get_text() for a in entries] == [
        "Thursday 17 June 2021, minute 156a: Same-day meeting of another committee",
        "Thursday 17 June 2021, minute 39/20: Housing update",
        "Thursday 6 July 2017, minute 150: Violence reduction",
    ]
    for link in entries:
        target, fragment = follow(fixture_site, "topics/vrap/", str(link["href"]))
        heading = target.find(id=fragment)
        assert heading is not None and heading.name == "h2"
        # ...and the item links back to this topic.
        topics = heading.find_next("div", class_="item-topics")
        assert topics is not None
        assert links_in(topics)["Violence Reduction Action Plan"] == "../../topics/vrap/"


def test_item_shows_the_previous_and_next_time_its_topic_came_up(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-board")
    topics = soup.find(id="item-39-20").find_next("div", class_="item-topics")
    text = topics.get_text(" ", strip=True)
    assert "previously Thursday 6 July 2017" in text
    assert "next Thursday 17 June 2021" in text
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


def test_topic_strip_is_a_picture_with_words(fixture_site: Path) -> None:
    soup = page(fixture_site, "topics/vrap")
    svg = soup.select_one("figure.topic-strip svg")
    assert svg is not None and svg["role"] == "img"
    described = "Violence Reduction Action Plan came up at 3 meetings between 2017 and 2021 (2017: 1 meeting, 2021: 2 meetings)."
    assert svg.find("desc").get_text() == described
    assert soup.select_one("figure.topic-strip figcaption").get_text() == described
    assert len(svg.find_all("circle")) == 3
    assert [t.get_text() for t in svg.find_all("text")] == ["2017", "2018", "2019", "2020", "2021"]


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
    assert agreed.get_text(strip=True) == "Agreed as a correct record at the meeting ofThursday 17 June 2021"
    approving, fragment = follow(fixture_site, "meetings/2020-03-12-board/", str(agreed.a["href"]))
    assert fragment == "item-37-20"
    statement = approving.find(id=fragment).find_next("p")
    assert statement.get_text() == "Agrees the minutes of the meeting of Thursday 12 March 2020 as a correct record."
    assert statement.a["href"] == "../2020-03-12-board/"
    arising = facts["Matters arising"]
    assert arising.a["href"] == "../2021-06-17-board/#item-38-20"


def test_a_meeting_outside_the_archive_is_plain_text(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2021-06-17-strategic-group")
    statement = soup.find(id="item-157").find_next("p")
    assert statement.get_text() == (
        "Agrees the minutes of the Example Partnership Board meeting of Thursday 10 January 2019"
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


def test_nav_lists_topics_and_glossary(fixture_site: Path) -> None:
    tabs = [a.get_text(strip=True) for a in page(fixture_site, "").select("nav.md-tabs a")]
    assert tabs == [
        "Home",
        "Years",
        "Committees",
        "Topics",
        "Decisions",
        "Actions",
        "Glossary",
        "Data",
        "About",
        "Editing",
    ]
