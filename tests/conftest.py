"""The pytest fixtures that share work across a session: built sites, their servers, the browser.

Everything they are made with is in tests/fixtures.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.fixtures import CHROMIUM, CHROMIUM_ARGS, FIXTURE_ARCHIVE, ROOT, SYNTHETIC_MEETINGS, build_site, serve


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real archive, built once for the whole session."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small archive of fixture meetings (same committee in two years, same-day meetings)."""
    return build_site(FIXTURE_ARCHIVE, tmp_path_factory.mktemp("fixture"))


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


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    """A fresh page (tab) at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# --- Markers: what a test needs, so that `make test-fast` can leave the slow ones out ---

# Fixtures that build a whole site, and those that drive Chromium.
SITE_FIXTURES = {
    "real_site",
    "fixture_site",
    "synthetic_site",
    "real_site_url",
    "fixture_site_url",
    "synthetic_site_url",
}
BROWSER_FIXTURES = {"browser", "tab", "sized_tab"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test `site` or `browser` by the fixtures it uses (a test may also be marked by hand)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & SITE_FIXTURES or any(name.endswith("_site") for name in names):
            item.add_marker(pytest.mark.site)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failed one: it would otherwise pass unseen."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") == "true" and skipped:
        if reporter:
            reporter.write_line(f"{skipped} test(s) skipped: in CI every test must run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
