"""The test suite's factory: archives, content folders and built sites, made one way for every test.

Test modules import what they need from here (as Datasette's tests/fixtures.py
is used); the pytest fixtures that share one built site across a session are in
conftest.py and are made with these functions.
"""

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
from playwright.sync_api import Page

from generator import build as pipeline
from generator.archive import Archive
from generator.load import Content, load_content

ROOT = Path(__file__).resolve().parent.parent
# The fixture archive: the same committee in two years, two committees meeting on one day.
# The fixture archive: the same committee in two years, two committees meeting on one day, and more.
FIXTURE_ARCHIVE = Path(__file__).resolve().parent / "archive"

COMMITTEES = """\
committees:
  - id: board
    name: Safer Bromley Partnership Board
  - id: strategic-group
    name: Safer Bromley Partnership Strategic Group
"""

VALID = """\
committee: board
date: 2021-06-17
status: approved
items:
  - title: Apologies for absence
"""


TOPICS = """\
topics:
  - id: vrap
    title: Violence Reduction Action Plan
    summary: The borough's plan against violence.
    aliases: [VRAP, Violence Reduction Action Plan]
  - id: prevent
    title: Prevent
    summary: The programme against radicalisation.
    aliases: [Prevent]
"""


def write_content(
    tmp_path: Path, meetings: dict[str, str | bytes], committees: str = COMMITTEES, topics: str = TOPICS
) -> Path:
    """A content folder in tmp_path holding the given meeting files."""
    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    (content / "committees.yml").write_text(committees, encoding="utf-8")
    (content / "topics.yml").write_text(topics, encoding="utf-8")
    for name, text in meetings.items():
        path = content / "meetings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return content


def archive_of(content_dir: Path, root: Path | None = None) -> Archive:
    """The archive a content folder holds; the records must have no problem at all."""
    content = load_content(content_dir, root or content_dir.parent)
    assert [str(p) for p in content.problems] == []
    return pipeline.archive_of(content)


def build_site(content: Path, workdir: Path) -> Path:
    """Build the site as `make site` does, from `content`, in a copy of the project.

    Copies mkdocs.yml, overrides/ and the hand-written pages next to the given
    records, so a test can build the real archive or a fixture one the same way.
    """
    result, site = run_build(content, workdir)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def make_project(workdir: Path, content: Path | None = None) -> Path:
    """A copy of the project in workdir: its configuration, theme overrides and hand-written pages,
    with the records in `content` if given."""
    project = workdir / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    # The editor at /admin/ is built from the project's npm packages.
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    if content is not None:
        shutil.copytree(content, project / "content", ignore=shutil.ignore_patterns("pages"))
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    return project


def run_build(
    content: Path, workdir: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run `mkdocs build --strict` on a copy of the project holding `content` (extra `env` if given)."""
    project = make_project(workdir, content)
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


def build_project(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` in a project made by ``make_project`` (and perhaps changed since)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        check=False,
    )


def build_in_process(content: Content, workdir: Path) -> Path:
    """Build the site from records given as objects, past every check the loader makes.

    What this publishes is what the build's own guards (sanitiser, private-item
    redaction) let through on their own, were a record ever to slip past validation.
    """
    project = make_project(workdir)
    site = workdir / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        patch.setattr(pipeline, "load_content", lambda *args, **kwargs: content)
        # In a thread of its own: the search indexer runs an event loop, and the browser
        # tests' Playwright may already run one in this thread.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(build, load_config(str(project / "mkdocs.yml"), site_dir=str(site))).result()
    return site


def page(site: Path, address: str) -> BeautifulSoup:
    """Parse the built page served at `address` (e.g. "meetings/2021-06-17-board/")."""
    return BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")


# A synthetic archive of a few hundred meetings: enough for every register, topic and
# attendance grid to span many years and pages, small enough to build in under a minute.
SYNTHETIC_MEETINGS = 300

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
    "coverage": "coverage/",
    "coverage committee": "coverage/board/",
    "people": "people/",
    "person": "people/ann-example/",
    "role": "people/roles/housing-provider/",
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
