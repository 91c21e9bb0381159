"""Accessibility: axe-core on every page template, the keyboard alone, and the structure of every page.

axe-core (npm, pinned in package.json) runs in Chromium at a phone's and a desktop's
width against WCAG 2.0, 2.1 and 2.2 A and AA, and must find nothing at all. The
keyboard tests use no mouse and no script to move focus: only key presses.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from tests.fixtures import PAGE_TEMPLATES, ROOT, open_template

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = [320, 1280]
RESULT = ".archive-search-page__results .archive-result"


def axe_violations(tab: Page) -> list[dict[str, object]]:
    """Every violation axe-core finds on the page as it is now, whatever its impact."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run `npm ci`")
    tab.add_script_tag(path=AXE)
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "where": [node["target"] for node in violation["nodes"]],
            "why": violation["nodes"][0]["failureSummary"],
        }
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_any_page_template(browser: Browser, fixture_site_url: str, width: int) -> None:
    # The policy would block axe's own script, which Playwright adds inline; the
    # policy has tests of its own (test_clean_site.py).
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    found = {}
    for name in PAGE_TEMPLATES:
        open_template(tab, fixture_site_url, name)
        violations = axe_violations(tab)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}


def test_axe_does_find_violations(tab: Page) -> None:
    tab.set_content('<html><body><img src="data:,"><a href="#"></a></body></html>')
    assert {v["rule"] for v in axe_violations(tab)} >= {"image-alt", "link-name", "html-has-lang"}


# --- The keyboard alone ---------------------------------------------------------


def press_tab_until(tab: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus; fail after `limit` presses."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{limit} presses of Tab never reached {selector}")


@pytest.mark.parametrize("name", ["home", "meeting", "search", "not found", "accessibility statement"])
def test_the_first_tab_reaches_the_skip_link_to_the_main_content(tab: Page, fixture_site_url: str, name: str) -> None:
    tab.goto(fixture_site_url + PAGE_TEMPLATES[name])
    tab.keyboard.press("Tab")
    focused = tab.evaluate(
        "() => { const a = document.activeElement; const target = document.getElementById("
        "decodeURIComponent(new URL(a.href).hash.slice(1)));"
        " return {text: a.textContent.trim(), inMain: !!(target && target.closest('main article'))}; }"
    )
    assert focused == {"text": "Skip to content", "inMain": True}
    tab.keyboard.press("Enter")
    target = tab.evaluate("() => document.getElementById(decodeURIComponent(location.hash.slice(1))).tagName")
    assert target == "H1"


def test_the_header_search_works_from_the_keyboard(tab: Page, real_site_url: str) -> None:
    # Tab reaches the box; "/" jumps to it from anywhere.
    tab.goto(real_site_url + "about/")
    press_tab_until(tab, "#archive-search-input")
    tab.goto(real_site_url + "years/")
    tab.keyboard.press("/")
    expect(tab.locator("#archive-search-input")).to_be_focused()
    # The arrow keys move through the results; Enter opens one at its item.
    tab.keyboard.type("Domestic Homicide")
    # The results are those of the whole query, every one filled in (a slow machine may show
    # a shorter query's first, between two keys), before the arrows move through them.
    expect(tab.locator(".archive-search__all")).to_have_attribute("href", re.compile(r"q=Domestic%20Homicide$"))
    expect(tab.locator(".archive-search__list")).not_to_have_attribute("aria-busy", "true")
    expect(tab.locator(".archive-search__results .archive-result").first).to_be_visible()
    wanted = "23. Domestic Homicide Reviews and Prevent update"
    seen = []
    while wanted not in seen and len(seen) < 6:
        tab.keyboard.press("ArrowDown")
        seen.append(tab.evaluate("document.activeElement.textContent"))
    assert seen[-1] == wanted, seen
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/meetings/2021-06-17-board/#item-23$"))
    # Enter in the box itself opens the full search page, whose results Tab reaches.
    tab.keyboard.press("/")
    tab.keyboard.type("Prevent")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q=Prevent$"))
    expect(tab.locator(RESULT).first).to_be_visible()
    press_tab_until(tab, f"{RESULT} a[href*='#item-']")
    target = tab.evaluate("document.activeElement.href")
    tab.keyboard.press("Enter")
    tab.wait_for_url(target)
    assert urlsplit(target).fragment.startswith("item-")


# Whether the search page shows results other than `before`, each of whose facts names `only`.
SHOWN_ONLY = """([before, only]) => {
  const results = Array.from(document.querySelectorAll(".archive-search-page__results .archive-result"));
  const titles = results.map(r => r.querySelector(".archive-result__title").textContent);
  return results.length > 0 && titles.join("\\n") !== before.join("\\n")
    && results.every(r => r.querySelector(".archive-result__facts").textContent.includes(only));
}"""


def test_the_search_pages_filters_work_from_the_keyboard(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/")
    press_tab_until(tab, "#search-query")
    tab.keyboard.type("update")
    tab.keyboard.press("Enter")
    titles = tab.locator(f"{RESULT} .archive-result__title")
    expect(titles.first).to_be_visible()
    everything = titles.all_inner_texts()
    facts = " ".join(tab.locator(f"{RESULT} .archive-result__facts").all_inner_texts())
    assert "2017" in facts and "2021" in facts
    for name in ["year", "committee", "topic", "sort"]:
        press_tab_until(tab, f"select[name={name}]")
        tab.keyboard.press("ArrowDown")
        chosen = tab.locator(f"select[name={name}]")
        value, label = chosen.input_value(), chosen.evaluate("s => s.selectedOptions[0].textContent")
        assert value, name
        expect(tab).to_have_url(f"{real_site_url}search/?q=update&{name}={value}")
        # Results other than before, and for a year or committee only its own (fails on timeout).
        only = label if name in {"year", "committee"} else ""
        tab.wait_for_function(SHOWN_ONLY, arg=[everything, only])
        tab.keyboard.press("ArrowUp")
        expect(tab).to_have_url(f"{real_site_url}search/?q=update")
        expect(titles).to_have_text(everything)
    # The results are reached from the filters by Tab alone.
    press_tab_until(tab, f"{RESULT} a")


@pytest.mark.parametrize("register", ["decisions", "actions"])
def test_every_register_filter_works_from_the_keyboard(tab: Page, real_site_url: str, register: str) -> None:
    tab.goto(real_site_url + register + "/")
    selects = tab.locator("form.register-filters select")
    names = [s.get_attribute("name") for s in selects.all()]
    assert names == (
        ["year", "committee", "topic"] if register == "decisions" else ["status", "year", "committee", "topic", "owner"]
    )
    status = tab.locator(".register-filters__status")
    results = tab.locator(".register-list--results > li")
    for name in names:
        press_tab_until(tab, f"select[name={name}]")
        tab.keyboard.press("ArrowDown")
        chosen = tab.locator(f"select[name={name}]")
        label = chosen.evaluate("s => s.selectedOptions[0].textContent")
        assert chosen.input_value(), name
        expect(status).to_contain_text(f"{name} {label}")
        assert results.count() > 0, name
        tab.keyboard.press("ArrowUp")
        expect(status).to_have_text("Choose a filter to search every year.")
        expect(tab.locator("[data-register-static]")).to_be_visible()
    if register == "decisions":
        press_tab_until(tab, "input[name=routine]")
        tab.keyboard.press("Space")
        expect(status).to_contain_text("routine resolutions hidden")
        # The clear button is the next stop, and clears from the keyboard too.
        press_tab_until(tab, ".register-filters__clear")
        tab.keyboard.press("Enter")
        expect(status).to_have_text("Choose a filter to search every year.")
        expect(tab.locator("input[name=routine]")).not_to_be_checked()


# The style of the element that has focus, and of each focused element after focus has left.
FOCUS_STYLE = "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(' | '); }"


@pytest.mark.parametrize("name", ["home", "meeting", "decisions", "search", "not found"])
def test_focus_is_always_visible(tab: Page, fixture_site_url: str, name: str) -> None:
    open_template(tab, fixture_site_url, name)
    # From the top of the page (its skip link), whatever the template focused.
    tab.locator("a.md-skip").focus()
    tab.evaluate("() => { window.focusSeen = []; }")
    focused = []
    for _ in range(200):
        tab.keyboard.press("Tab")
        step = tab.evaluate(
            f"() => {{ const e = document.activeElement; if (e === document.body || window.focusSeen.includes(e)) return null;"
            f" window.focusSeen.push(e); return ({FOCUS_STYLE})(e); }}"
        )
        if step is None:
            break  # back to an element already seen: every element has been reached
        focused.append(step)
    tab.evaluate("() => document.activeElement.blur()")
    unfocused = tab.evaluate(f"() => window.focusSeen.map({FOCUS_STYLE})")
    described = tab.evaluate("() => window.focusSeen.map(e => e.outerHTML.slice(0, 100))")
    assert len(focused) > 10, described
    same = [what for what, on, off in zip(described, focused, unfocused, strict=True) if on == off]
    assert same == []


# --- Every page's structure ---------------------------------------------------------


def built_pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    """Every page residents read: not the clerks' editor, /admin/, whose page Decap CMS draws
    (its views have tests of their own, tests/test_cms_browser.py)."""
    return [
        ("/" + html.relative_to(site).as_posix(), BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser"))
        for html in sorted(site.rglob("*.html"))
        if not html.relative_to(site).as_posix().startswith("admin/")
    ]


def test_every_page_is_british_english_with_one_main_heading(fixture_site: Path, real_site: Path) -> None:
    for site in (fixture_site, real_site):
        pages = built_pages(site)
        assert len(pages) > 20
        assert [address for address, soup in pages if soup.html is None or soup.html.get("lang") != "en-GB"] == []
        assert [(address, len(soup.find_all("h1"))) for address, soup in pages if len(soup.find_all("h1")) != 1] == []


def test_every_table_has_a_caption_and_scoped_headers(fixture_site: Path, real_site: Path) -> None:
    tables = 0
    for site in (fixture_site, real_site):
        for address, soup in built_pages(site):
            for table in soup.find_all("table"):
                tables += 1
                caption = table.find("caption")
                assert caption is not None and caption.get_text(strip=True), address
                assert caption is table.find(True), (address, "the caption must be the table's first child")
                assert [th.get_text() for th in table.find_all("th") if th.get("scope") not in {"col", "row"}] == [], (
                    address
                )
    assert tables > 20


def test_every_page_links_to_the_accessibility_statement_from_its_footer(fixture_site: Path, real_site: Path) -> None:
    for site in (fixture_site, real_site):
        assert (site / "accessibility" / "index.html").is_file()
        for address, soup in built_pages(site):
            footer = soup.find("footer")
            assert footer is not None, address
            links = [urljoin(address, str(a["href"])) for a in footer.find_all("a", href=True)]
            assert "/accessibility/" in links, address


def test_the_accessibility_statement_follows_the_model_statement(real_site: Path) -> None:
    soup = BeautifulSoup((real_site / "accessibility" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert article is not None
    headings = [h.get_text(strip=True).rstrip("¶") for h in article.find_all(["h2", "h3"])]
    for section in [
        "Using this website",
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we're doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]:
        assert section in headings
    text = article.get_text(" ", strip=True)
    for fact in ["Equality and Human Rights Commission", "EASS", "WCAG 2.2", "axe-core", "Nu HTML Checker", "keyboard"]:
        assert fact in text
