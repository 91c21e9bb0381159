"""The `minutes` command as an editor runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.test_load import VALID, write_content


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_passes_on_good_records(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_content(tmp_path, {"m.yml": VALID})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert result.output == "1 meeting(s) checked: 0 error(s), 0 warning(s)\n"


def test_validate_lists_every_problem_and_fails(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_content(tmp_path, {"a.yml": VALID.replace("board", "bord"), "b.yml": VALID + "date: 2021-06-18\n"})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.splitlines() == [
        "content/meetings/a.yml:1:12: committee: unknown committee 'bord' (not in content/committees.yml)"
        " (hint: did you mean 'board'?)",
        "content/meetings/b.yml:6:1: date: duplicate field 'date' (first given on line 2)"
        " (hint: keep one of the two; the second would silently replace the first)",
        "0 meeting(s) checked: 2 error(s), 0 warning(s)",
    ]


def test_validate_takes_another_content_folder(tmp_path: Path, runner: CliRunner) -> None:
    content = write_content(tmp_path, {"m.yml": VALID})
    result = runner.invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 0


def test_validate_refuses_a_folder_that_is_not_content(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--content", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no committees.yml or meetings/" in result.output
    assert "Traceback" not in result.output


def test_synthesize_writes_a_valid_archive_and_never_overwrites(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "synthetic"
    result = runner.invoke(main, ["synthesize", "--meetings", "12", "--seed", "3", str(out)])
    assert result.exit_code == 0
    assert result.output == f"wrote 12 synthetic meeting(s) to {out}\n"
    assert runner.invoke(main, ["validate", "--content", str(out)]).output.endswith(
        "12 meeting(s) checked: 0 error(s), 0 warning(s)\n"
    )
    again = runner.invoke(main, ["synthesize", "--meetings", "12", str(out)])
    assert again.exit_code == 2
    assert "is not empty: choose a new folder" in again.output
