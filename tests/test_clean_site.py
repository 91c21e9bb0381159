"""A clean site: valid HTML, no request to any other host, and a Content-Security-Policy nothing breaks.

The HTML checker is the Nu HTML Checker (npm `vnu-jar`, pinned in package.json),
run on Java over every page of the fixture and the real site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page, expect

from generator.site import admin
from generator.site.csp import policy, with_policy
from tests.fixtures import PAGE_TEMPLATES, ROOT, SEARCH_QUERY, open_template

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RESULT = ".archive-result"


def html_errors(*paths: Path) -> list[dict[str, object]]:
    """Every error the Nu HTML Checker finds in the HTML files under `paths` (warnings are allowed)."""
    if not VNU.is_file():
        pytest.fail(f"the Nu HTML Checker is not installed at {VNU}: run `npm ci`")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu writes its JSON report to standard error, and exits 1 when it found errors.
    messages: list[dict[str, object]] = json.loads(result.stderr)["messages"]
    return [{"file": m.get("url"), "line": m.get("lastLine"), "message": m["message"]} for m in messages]


def test_every_page_is_valid_html(fixture_site: Path, real_site: Path, tmp_path: Path) -> None:
    # A page with a known error, checked in the same run, shows the checker does find errors.
    control = tmp_path / "control" / "broken.html"
    control.parent.mkdir()
    control.write_text('<!doctype html><html lang="en"><title>x</title><p><div></span></html>')
    errors = html_errors(fixture_site, real_site, control.parent)
    assert {str(e["file"]).rsplit("/", 1)[-1] for e in errors if "/control/" in str(e["file"])} == {"broken.html"}
    assert [e for e in errors if "/control/" not in str(e["file"])] == []


# --- No other host --------------------------------------------------------------


def browse_every_template(tab: Page, site_url: str) -> None:
    """Open every page template, search from the header and the search page, and use the registers' filters."""
    for name in PAGE_TEMPLATES:
        open_template(tab, site_url, name)
    tab.locator("#archive-search-input").press_sequentially(SEARCH_QUERY)
    expect(tab.locator(f".archive-search__results {RESULT}").first).to_be_visible()
    tab.goto(site_url + "actions/")
    tab.select_option("select[name=status]", "done")
    expect(tab.locator(".register-list--results > li")).to_have_count(1)
    tab.goto(site_url + "topics/vrap/")
    tab.select_option("select[name=committee]", "strategic-group")
    expect(tab.locator(".register-list--results > li")).to_have_count(2)


def test_no_page_asks_any_other_host_for_anything(tab: Page, fixture_site_url: str) -> None:
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    browse_every_template(tab, fixture_site_url)
    here = urlsplit(fixture_site_url).netloc
    assert len(requested) > 50
    assert [url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != here] == []


def test_the_repository_link_is_a_plain_link(fixture_site: Path) -> None:
    # With data-md-component="source", the theme's script asks the GitHub API for the repository's facts.
    soup = BeautifulSoup((fixture_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    source = soup.select("a.md-source")
    assert source and all(a.get("data-md-component") is None for a in source)


# --- Content-Security-Policy ------------------------------------------------------

# Reports every violation of the policy, from the moment each page starts loading.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => {
  window.reportViolation(`${location.href}: ${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def recording_violations(browser: Browser, violations: list[str]) -> BrowserContext:
    """A browser context whose pages report each violation of the policy into `violations`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.expose_function("reportViolation", lambda violation: violations.append(violation))
    context.add_init_script(REPORT_VIOLATIONS)
    return context


def test_nothing_breaks_the_policy_and_search_and_filters_work_under_it(
    browser: Browser, fixture_site_url: str
) -> None:
    violations: list[str] = []
    context = recording_violations(browser, violations)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda message: console.append(message.text))
    browse_every_template(tab, fixture_site_url)
    context.close()
    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_the_policy_does_block_what_it_should(browser: Browser, fixture_site_url: str) -> None:
    violations: list[str] = []
    context = recording_violations(browser, violations)
    tab = context.new_page()
    tab.goto(fixture_site_url + "about/")
    tab.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.head.append(s); }"
    )
    assert tab.evaluate("window.ran") is None
    context.close()
    assert len([v for v in violations if "script-src" in v and "blocked inline" in v]) == 1


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_carries_its_policy_before_any_script(fixture_site: Path, real_site: Path) -> None:
    for site in (fixture_site, real_site):
        for html in sorted(site.rglob("*.html")):
            if html.parent == site / admin.FOLDER:
                continue  # the clerks' editor: its own policy, below
            soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
            metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
            assert len(metas) == 1, html
            meta = metas[0]
            assert meta.parent is soup.head, html
            assert all(
                meta.sourceline < script.sourceline
                or (meta.sourceline == script.sourceline and meta.sourcepos < script.sourcepos)
                for script in soup.find_all("script")
            ), html
            directives = dict(d.strip().split(" ", 1) for d in str(meta["content"]).split(";"))
            assert "'unsafe-eval'" not in directives["script-src"] and "'unsafe-inline'" not in directives["script-src"]
            inline = [s.string or "" for s in soup.find_all("script") if not s.get("src") and not s.get("type")]
            assert inline, html
            assert {sha256(text) for text in inline} <= set(directives["script-src"].split())


def test_the_editors_page_alone_has_the_policy_decap_cms_needs(real_site: Path) -> None:
    editor = BeautifulSoup((real_site / admin.FOLDER / "index.html").read_text(encoding="utf-8"), "html.parser")
    meta = editor.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None and meta.parent is editor.head and meta["content"] == admin.POLICY
    assert [s for s in editor.find_all("script") if not s.get("src")] == []  # nothing inline to allow
    assert [str(s["src"]) for s in editor.find_all("script")] == [
        "setup.js",
        "vendor/decap-cms/decap-cms.js",
        "minutes-cms.js",
    ]
    assert all((real_site / admin.FOLDER / str(s["src"])).is_file() for s in editor.find_all("script"))


def test_the_policy_hashes_inline_scripts_but_not_data_blocks() -> None:
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><title>t</title><script>run()</script>'
        '<script type="application/ld+json">{"a": 1}</script><script type="module">go()</script>'
        '<script src="x.js"></script></head><body><script>\nlater()\n</script></body></html>'
    )
    secured = with_policy(page)
    assert secured.startswith(
        '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="'
    )
    assert secured.count("Content-Security-Policy") == 1
    script_src = policy(["run()", "go()", "\nlater()\n"]).split("; ")[1]
    assert script_src == "script-src 'self' 'wasm-unsafe-eval' " + " ".join(
        sorted([sha256("run()"), sha256("go()"), sha256("\nlater()\n")])
    )
    assert script_src in secured
    assert sha256('{"a": 1}') not in secured


def test_a_script_in_the_page_content_is_never_allowed() -> None:
    # Were the sanitiser ever to miss one, a script inside the page's own content gets no hash.
    content = "<p>Minutes</p><script>stolen()</script>"
    page = f'<html><head><meta charset="utf-8"><script>theme()</script></head><body>{content}</body></html>'
    secured = with_policy(page, content)
    assert sha256("theme()") in secured
    assert sha256("stolen()") not in secured
