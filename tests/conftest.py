"""Shared helpers: the repository root, and building a site into a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def build_site(content: Path, workdir: Path) -> Path:
    """Build the site as `make site` does, from `content`, in a copy of the project.

    Copies mkdocs.yml, overrides/ and the hand-written pages next to the given
    records, so a test can build the real archive or a fixture one the same way.
    """
    result, site = run_build(content, workdir)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def run_build(content: Path, workdir: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run `mkdocs build --strict` on a copy of the project holding `content`."""
    project = workdir / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(content, project / "content", ignore=shutil.ignore_patterns("pages"))
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    site = workdir / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result, site


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
