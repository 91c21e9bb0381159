"""Shared helpers: the repository root, and building a site into a temporary folder."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page, sync_playwright

from generator import plugin
from generator.archive import Archive
from generator.load import Content, load_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def archive_of(content_dir: Path, root: Path | None = None) -> Archive:
    """The archive a content folder holds; the records must have no problem at all."""
    content = load_content(content_dir, root or content_dir.parent)
    assert [str(p) for p in content.problems] == []
    return Archive(
        content.committees,
        [(m.meeting, m.source) for m in content.meetings],
        content.topics,
        content.glossary,
        content.people,
    )


def build_site(content: Path, workdir: Path) -> Path:
    """Build the site as `make site` does, from `content`, in a copy of the project.

    Copies mkdocs.yml, overrides/ and the hand-written pages next to the given
    records, so a test can build the real archive or a fixture one the same way.
    """
    result, site = run_build(content, workdir)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def _project(workdir: Path, content: Path | None = None) -> Path:
    """A copy of the project in workdir: its configuration, theme overrides and hand-written pages,
    with the records in `content` if given."""
    project = workdir / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    if content is not None:
        shutil.copytree(content, project / "content", ignore=shutil.ignore_patterns("pages"))
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    return project


def run_build(
    content: Path, workdir: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run `mkdocs build --strict` on a copy of the project holding `content` (extra `env` if given)."""
    project = _project(workdir, content)
    site = workdir / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, site


def build_in_process(content: Content, workdir: Path) -> Path:
    """Build the site from records given as objects, past every check the loader makes.

    What this publishes is what the build's own guards (sanitiser, private-item
    redaction) let through on their own, were a record ever to slip past validation.
    """
    project = _project(workdir)
    site = workdir / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        patch.setattr(plugin, "load_content", lambda *args, **kwargs: content)
        # In a thread of its own: the search indexer runs an event loop, and the browser
        # tests' Playwright may already run one in this thread.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(build, load_config(str(project / "mkdocs.yml"), site_dir=str(site))).result()
    return site


def page(site: Path, address: str) -> BeautifulSoup:
    """Parse the built page served at `address` (e.g. "meetings/2021-06-17-board/")."""
    return BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real archive, built once for the whole session."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small archive of fixture meetings (same committee in two years, same-day meetings)."""
    return build_site(FIXTURES / "archive", tmp_path_factory.mktemp("fixture"))


# A synthetic archive of a few hundred meetings: enough for every register, topic and
# attendance grid to span many years and pages, small enough to build in under a minute.
SYNTHETIC_MEETINGS = 300


@pytest.fixture(scope="session")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic archive (`minutes synthesize`), built once for the whole session."""
    from generator.synthetic import synthesize

    workdir = tmp_path_factory.mktemp("synthetic")
    synthesize(workdir / "records", SYNTHETIC_MEETINGS, seed=3)
    return build_site(workdir / "records", workdir)


@pytest.fixture(scope="session")
def synthetic_site_url(synthetic_site: Path) -> Iterator[str]:
    """The synthetic archive, served on loopback for the browser tests."""
    with serve(synthetic_site) as url:
        yield url


# Debian's Chromium, as DESIGN.md prescribes; the flags keep it off the network.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output for test results."""


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port; yield its root address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    """The real archive, served on loopback for the browser tests."""
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def fixture_site_url(fixture_site: Path) -> Iterator[str]:
    """The fixture archive, served on loopback for the browser tests."""
    with serve(fixture_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright; a missing browser fails, never skips."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# One page of the fixture site made from each page template, by the template's name.
PAGE_TEMPLATES = {
    "home": "",
    "meeting": "meetings/2021-06-17-board/",
    "year": "years/2021/",
    "committee": "committees/board/",
    "attendance": "committees/board/attendance/",
    "topic": "topics/vrap/",
    "topics": "topics/",
    "decisions": "decisions/",
    "decisions year": "decisions/2020/",
    "actions": "actions/",
    "actions year": "actions/2020/",
    "actions filtered": "actions/?status=done",
    "topic year": "topics/vrap/2017/",
    "attendance year": "committees/board/attendance/2021/",
    "search": "search/",
    "glossary": "glossary/",
    "not found": "404.html",
    "hand-written": "about/",
    "accessibility statement": "accessibility/",
}
# A query with results in the fixture archive, for the search page with results showing.
SEARCH_QUERY = "housing"


def open_template(tab: Page, site_url: str, name: str) -> None:
    """Open the fixture page of a template; the search page with a query typed and its results shown."""
    tab.goto(site_url + PAGE_TEMPLATES[name])
    if name == "actions filtered":
        tab.locator(".register-list--results > li").first.wait_for()
    if name == "search":
        tab.locator("#search-query").press_sequentially(SEARCH_QUERY)
        tab.locator(".archive-search-page__results .archive-result").first.wait_for()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    """A fresh page (tab) at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
