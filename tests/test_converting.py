"""Pages converted in a second process: the site, and the build's warnings, are what MkDocs alone makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import FIXTURE_ARCHIVE, build_project, make_project
from tests.test_cache import same_folders


def without_cache(project: Path, convert_apart: bool) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("      cache_dir: .cache/minutes\n", "")
    if not convert_apart:
        text = text.replace("      content_dir: content\n", "      content_dir: content\n      convert_apart: false\n")
    config.write_text(text, encoding="utf-8")


@pytest.mark.site
def test_pages_converted_apart_are_the_pages_mkdocs_makes(tmp_path: Path) -> None:
    apart = make_project(tmp_path / "apart", FIXTURE_ARCHIVE)
    alone = make_project(tmp_path / "alone", FIXTURE_ARCHIVE)
    without_cache(apart, convert_apart=True)
    without_cache(alone, convert_apart=False)
    built = {}
    for name, project in (("apart", apart), ("alone", alone)):
        result = build_project(project, tmp_path / f"{name}-site")
        assert result.returncode == 0, result.stderr
        built[name] = result.stderr
    assert "generated pages were converted in a second process" in built["apart"]
    assert "second process" not in built["alone"]
    assert same_folders(tmp_path / "apart-site", tmp_path / "alone-site") == []


@pytest.mark.site
def test_a_warning_in_a_page_converted_apart_is_said_and_fails_the_strict_build(tmp_path: Path) -> None:
    said = {}
    for name, convert_apart in (("apart", True), ("alone", False)):
        project = make_project(tmp_path / name, FIXTURE_ARCHIVE)
        without_cache(project, convert_apart)
        # A resolution links to a page that is not there: MkDocs warns on the meeting's page, converted
        # first, and on the decisions register's, converted last (by the second process), and --strict fails.
        meeting = project / "content" / "meetings" / "2020-03-12-board.yml"
        text = meeting.read_text(encoding="utf-8")
        meeting.write_text(text.replace("the update be noted", "the [update](../nowhere.md) be noted"), "utf-8")
        result = build_project(project, tmp_path / f"{name}-site")
        assert result.returncode != 0
        said[name] = sorted(line for line in result.stderr.splitlines() if "nowhere.md" in line)
    assert len(said["apart"]) == 2 and said["apart"] == said["alone"]
    assert "decisions/2020.md" in said["apart"][0]
