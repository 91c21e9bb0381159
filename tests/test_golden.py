"""Golden copies of what is published, so that a reviewer sees every change to it as a diff.

The seed meetings' pages, and the fixture archive's index pages, a topic page, the
register year pages, a feed and the open data files, each compared whole with its
copy in tests/golden/. After a deliberate change, `make golden` rewrites them;
review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import Site, site_from
from generator.load import load_content
from tests.fixtures import FIXTURE_ARCHIVE, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
# The absolute address the feeds and data files are written for.
SITE_URL = "https://minutes.example.org/"


def built(content_dir: Path, site_name: str) -> Site:
    content = load_content(content_dir, content_dir.parent)
    assert [str(p) for p in content.problems] == []
    return site_from(content, site_name, SITE_URL)


@pytest.fixture(scope="module")
def real() -> Site:
    return built(ROOT / "content", "Safer Bromley Partnership minutes archive")


@pytest.fixture(scope="module")
def fixture() -> Site:
    return built(FIXTURE_ARCHIVE, "Test archive")


def matches_golden(name: str, made: str | bytes) -> None:
    golden = GOLDEN / name
    data = made.encode("utf-8") if isinstance(made, str) else made
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert golden.is_file(), f"no golden copy of {name}: run `make golden`"
    # Compared as written, line endings and all (calendars and CSV end their lines with CRLF).
    assert data.decode("utf-8") == golden.read_bytes().decode("utf-8"), f"{name} changed: review it, then `make golden`"


@pytest.mark.parametrize("page", ["meetings/2021-06-17-board.md", "meetings/2017-07-06-strategic-group.md"])
def test_golden_seed_meeting_pages(real: Site, page: str) -> None:
    matches_golden(f"real/{page}", real.pages[page])


@pytest.mark.parametrize(
    "page",
    [
        "index.md",
        "years/index.md",
        "years/2021.md",
        "committees/index.md",
        "committees/board.md",
        "committees/board/attendance.md",
        "coverage/index.md",
        "coverage/board.md",
        "coverage/strategic-group.md",
        "topics/index.md",
        "topics/vrap.md",
        "topics/vrap/2017.md",
        "decisions.md",
        "decisions/2020.md",
        "actions.md",
        "actions/2020.md",
        "glossary.md",
    ],
)
def test_golden_fixture_pages(fixture: Site, page: str) -> None:
    matches_golden(f"fixture/{page}", fixture.pages[page])


@pytest.mark.parametrize(
    "path",
    [
        "feeds/meetings.xml",
        "feeds/topics/vrap.xml",
        "calendar/meetings.ics",
        "data/meetings.json",
        "data/decisions.csv",
        "data/actions.csv",
    ],
)
def test_golden_fixture_data_files(fixture: Site, path: str) -> None:
    matches_golden(f"fixture/{path}", fixture.data_files[path])
