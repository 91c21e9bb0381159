"""The archive as a resident uses it at a council's scale: a synthetic archive of a few hundred meetings.

Every assertion reads the DOM or computed styles, at a phone's width and a desktop's,
never a screenshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from tests.fixtures import SYNTHETIC_MEETINGS

# DESIGN.md's page-weight budget: no HTML page over 200 KB, at any size of archive.
PAGE_BUDGET = 200 * 1024
WIDTHS = [375, 1280]
# The folders of generated pages, and the section tab each lights up.
SECTIONS = {
    "meetings": "Committees",
    "committees": "Committees",
    "years": "Years",
    "topics": "Topics",
    "decisions": "Decisions",
    "actions": "Actions",
    "people": "People",
    "coverage": "Committees",
}


def generated_pages(site: Path) -> Iterator[tuple[str, Path]]:
    for folder in SECTIONS:
        for html in sorted((site / folder).rglob("index.html")):
            yield folder, html


def test_the_archive_is_big_enough_to_test_scale(synthetic_site: Path) -> None:
    meetings = list((synthetic_site / "meetings").iterdir())
    assert len(meetings) == SYNTHETIC_MEETINGS
    # Registers and topics run to many years, and a long year to more than one page.
    assert len(list((synthetic_site / "decisions").iterdir())) > 15
    assert list((synthetic_site / "actions").glob("*/2/index.html"))


def test_no_page_is_over_the_budget(synthetic_site: Path) -> None:
    sizes = {
        html.relative_to(synthetic_site).as_posix(): html.stat().st_size for html in synthetic_site.rglob("*.html")
    }
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] <= PAGE_BUDGET, (largest, sizes[largest])
    registers = ("decisions/index.html", "actions/index.html", "topics/vawg/index.html", "people/index.html")
    for register in (*registers, "coverage/index.html"):
        assert sizes[register] <= PAGE_BUDGET, register


def test_a_long_list_of_actions_links_the_register_filtered_to_its_owner(synthetic_site: Path) -> None:
    from urllib.parse import parse_qs, urlsplit

    links = []
    for html in sorted((synthetic_site / "people").rglob("index.html")):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        links += [
            (html, a["href"]) for a in soup.find_all("a") if a.get_text().startswith("actions register, filtered")
        ]
    assert links, "no person or role has more actions than their page lists"
    for html, href in links:
        address = urlsplit(str(href))
        # The link is to the actions register's served address, with the owner filter set.
        assert (html.parent / address.path / "index.html").resolve() == (synthetic_site / "actions" / "index.html")
        assert parse_qs(address.query)["owner"][0].strip()


def test_every_generated_page_has_breadcrumbs_and_lights_its_section_tab(synthetic_site: Path) -> None:
    checked = 0
    for folder, html in generated_pages(synthetic_site):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        crumbs = soup.select("nav.archive-breadcrumbs li")
        where = html.relative_to(synthetic_site).as_posix()
        assert len(crumbs) >= 2 and crumbs[0].get_text(strip=True) == "Home", where
        assert crumbs[-1].select_one("[aria-current=page]") is not None, where
        assert [a.get_text(strip=True) for a in soup.select(".md-tabs__item--active a")] == [SECTIONS[folder]], where
        checked += 1
    assert checked > SYNTHETIC_MEETINGS


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    yield context.new_page()
    context.close()


# Every element that reaches past the right edge of the screen, unless a box that scrolls holds it.
OFF_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => { const s = getComputedStyle(e); return /(auto|scroll)/.test(s.overflowX); };
  const offenders = [];
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    if (e.closest(".md-sidebar, .md-search, .md-skip, .archive-visually-hidden, [hidden]")) continue;
    let held = false;
    for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up) && up.getBoundingClientRect().right <= width + 1) { held = true; break; }
    }
    if (!held) offenders.push(e.tagName + "." + e.className + " right=" + Math.round(box.right));
  }
  return offenders.slice(0, 5);
}"""


def first_of(site: Path, folder: str, pattern: str = "*/index.html") -> str:
    return sorted((site / folder).glob(pattern))[0].parent.relative_to(site).as_posix() + "/"


@pytest.fixture(scope="module")
def addresses(synthetic_site: Path) -> dict[str, str]:
    committee = first_of(synthetic_site, "committees", "c*/index.html")
    return {
        "home": "",
        "meeting": first_of(synthetic_site, "meetings"),
        "year": "years/2015/",
        "committee": committee,
        "attendance": committee + "attendance/",
        "attendance year": committee + "attendance/2015/",
        "topic": "topics/vawg/",
        "topic year": "topics/vawg/2015/",
        "topics": "topics/",
        "decisions": "decisions/",
        "decisions year": "decisions/2015/",
        "actions": "actions/",
        "actions year": "actions/2015/",
        "actions filtered": "actions/?status=overdue",
        "search": "search/?q=knife+crime&topic=knife-crime",
        "glossary": "glossary/",
        "people": "people/",
        "person": first_of(synthetic_site, "people", "[a-q]*/index.html"),
        "role": first_of(synthetic_site, "people/roles"),
        "coverage": "coverage/",
        "coverage committee": first_of(synthetic_site, "coverage"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "meeting",
        "year",
        "committee",
        "attendance",
        "attendance year",
        "topic",
        "topic year",
        "topics",
        "decisions",
        "decisions year",
        "actions",
        "actions year",
        "actions filtered",
        "search",
        "glossary",
        "people",
        "person",
        "role",
        "coverage",
        "coverage committee",
    ],
)
def test_nothing_but_a_table_box_runs_off_the_screen(
    sized_tab: Page, synthetic_site_url: str, addresses: dict[str, str], name: str
) -> None:
    sized_tab.goto(synthetic_site_url + addresses[name])
    sized_tab.wait_for_load_state("load")
    if name in ("actions", "actions filtered"):
        # The owner list, loaded from the index, is the widest control on the site.
        expect(sized_tab.locator("select[name=owner] option").nth(5)).to_be_attached()
    if name == "actions filtered" or name == "search":
        sized_tab.locator(".register-list--results > li, .archive-result").first.wait_for()
    assert sized_tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert sized_tab.evaluate(OFF_THE_SCREEN) == []


def dates_shown(tab: Page) -> list[str]:
    return tab.locator(".register-list--results > li .register-row__where").all_inner_texts()


def test_filters_on_a_year_page_reach_every_year(tab: Page, synthetic_site_url: str) -> None:
    tab.goto(synthetic_site_url + "decisions/2015/")
    expect(tab.locator("select[name=year]")).to_have_value("2015")
    committee = tab.locator("select[name=committee] option").nth(2).get_attribute("value")
    assert committee
    tab.select_option("select[name=committee]", committee)
    expect(tab.locator(".register-list--results > li").first).to_be_visible()
    assert all("2015" in where for where in dates_shown(tab))
    tab.select_option("select[name=year]", "")
    expect(tab.locator(".register-filters__status")).to_contain_text("every year")
    years = {int(y) for where in dates_shown(tab) for y in re.findall(r"\b(20\d\d)\b", where)}
    assert years and years != {2015} and max(years) > 2015
    assert f"committee={committee}" in tab.url and "year=all" in tab.url
    # Paged fifty at a time, from the keyboard, the page kept in the address.
    expect(tab.locator(".register-list--results > li")).to_have_count(50)
    tab.locator("[data-page=next]").focus()
    tab.keyboard.press("Enter")
    expect(tab.locator(".register-filters__status")).to_contain_text("Showing 51 to")
    assert tab.evaluate("document.activeElement.closest('.register-list--results') !== null")
    assert "page=2" in tab.url


def test_an_owner_that_is_a_role_finds_its_actions_in_every_year(tab: Page, synthetic_site_url: str) -> None:
    tab.goto(synthetic_site_url + "actions/")
    tab.select_option("select[name=owner]", "Chief Inspector")
    expect(tab.locator(".register-list--results > li").first).to_be_visible()
    rows = tab.locator(".register-list--results > li").all_inner_texts()
    assert all("Owner: Chief Inspector" in row for row in rows)
    status = tab.locator(".register-filters__status").inner_text()
    total = int(re.search(r"of ([\d,]+) actions", status).group(1).replace(",", ""))  # type: ignore[union-attr]
    on_screen = tab.locator("[data-register-static] .register-list > ul > li").count()
    assert total > on_screen


def test_the_attendance_name_column_stays_in_view(
    browser: Browser, synthetic_site_url: str, addresses: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    tab = context.new_page()
    tab.goto(synthetic_site_url + addresses["attendance year"])
    tab.wait_for_load_state("load")
    box = tab.locator(".attendance-grid .md-typeset__scrollwrap")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    box.evaluate("b => { b.scrollLeft = 250; }")
    name = tab.locator(".attendance-grid tbody tr:first-child > :first-child")
    left = box.evaluate("b => b.getBoundingClientRect().left")
    assert abs(name.evaluate("c => c.getBoundingClientRect().left") - left) < 2
    second = tab.locator(".attendance-grid tbody tr:first-child > :nth-child(2)")
    assert second.evaluate("c => c.getBoundingClientRect().left") < left
    context.close()


def test_on_a_phone_the_meetings_items_are_one_tap_away(
    browser: Browser, synthetic_site_url: str, addresses: dict[str, str]
) -> None:
    for width, visible in ((375, True), (1280, False)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto(synthetic_site_url + addresses["meeting"])
        contents = tab.locator("details.meeting-contents")
        if not visible:
            expect(contents).to_be_hidden()
            expect(tab.locator(".md-sidebar--secondary [data-md-component=toc]")).to_be_visible()
            context.close()
            continue
        top = contents.evaluate("d => d.getBoundingClientRect().top")
        assert top < 900  # on the first screen
        contents.locator("summary").focus()
        tab.keyboard.press("Enter")
        links = contents.locator("a")
        expect(links.first).to_be_visible()
        last = links.last
        target = str(last.get_attribute("href"))
        last.focus()
        tab.keyboard.press("Enter")
        tab.wait_for_function("(target) => location.hash === target", arg=target)
        heading = tab.locator(target)
        assert 0 <= heading.evaluate("h => h.getBoundingClientRect().top") < 900
        context.close()


def test_a_topics_years_stay_readable_at_twenty_years(sized_tab: Page, synthetic_site_url: str) -> None:
    sized_tab.goto(synthetic_site_url + "topics/vawg/")
    years = sized_tab.locator(".topic-years__list li")
    assert years.count() == 20
    body = float(sized_tab.locator("article p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))
    for cell in years.all():
        label = cell.locator("a, :scope").first
        assert float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= body
        assert cell.evaluate("e => e.getBoundingClientRect().right") <= sized_tab.viewport_size["width"]  # type: ignore[index]


def test_the_off_the_screen_check_finds_what_a_phone_would_cut_off(browser: Browser, synthetic_site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    tab = context.new_page()
    tab.goto(synthetic_site_url + "actions/")
    expect(tab.locator("form.register-filters")).to_be_visible()
    assert tab.evaluate(OFF_THE_SCREEN) == []
    # A table inside its scrolling box may be wider than the screen; a bare control may not.
    tab.evaluate(
        "document.querySelector('article table') && (document.querySelector('article table').style.width = '900px')"
    )
    assert tab.evaluate(OFF_THE_SCREEN) == []
    tab.evaluate("document.querySelector('select[name=owner]').style.minWidth = '448px'")
    assert tab.evaluate(OFF_THE_SCREEN) == ["SELECT. right=464"]
    context.close()
