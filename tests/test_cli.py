"""The `minutes` command as an editor runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.fixtures import VALID, write_content


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_passes_on_good_records(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_validate_annotates_problems_in_github_actions(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_content(tmp_path, {"a.yml": VALID.replace("board", "bord")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert (
        "::error file=content/meetings/a.yml,line=1,col=12,title=minutes validate::committee: unknown committee"
        " 'bord' (not in content/committees.yml) (hint: did you mean 'board'?)"
    ) in result.output.splitlines()


def test_a_warning_becomes_a_warning_annotation(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_content(tmp_path, {"a.yml": VALID + "    text: The VRAP was discussed.\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("::")] == [
        "::warning file=content/meetings/a.yml,line=6,col=15,title=minutes validate::items[0].text: mentions"
        " 'VRAP' but the item is not tagged with the topic 'vrap' (hint: add vrap to this item's topics if it is"
        " about Violence Reduction Action Plan)"
    ]


def test_annotation_escapes_newlines_and_commas() -> None:
    from generator.cli import annotation
    from generator.source import Problem

    problem = Problem("a,b.yml", 2, 3, "title", "line one\nline two 100%")
    assert (
        annotation(problem)
        == "::error file=a%2Cb.yml,line=2,col=3,title=minutes validate::title: line one%0Aline two 100%25"
    )


def test_new_writes_a_prefilled_record_that_validates(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = VALID.replace("2021-06-17", "2021-03-25") + (
        "  - title: Crime performance\n    topics: [vrap]\n"
        'start_time: "18:30"\nvenue: Room 2\ncontact:\n  name: Sam Clerk\n'
        'next_meeting:\n  date: 2021-06-17\n  time: "10:00"\n  venue: Civic Centre\n'
    )
    last = VALID + "  - title: Crime performance\n    topics: [vrap]\n  - title: Any other business\n"
    last += 'start_time: "18:30"\nvenue: Room 2\ncontact:\n  name: Sam Clerk\n'
    last += 'next_meeting:\n  date: 2021-09-09\n  time: "10:00"\n  venue: Civic Centre\n'
    write_content(tmp_path, {"a.yml": earlier, "b.yml": last})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "--committee", "board", "--date", "2021-09-09"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "content" / "meetings" / "2021" / "2021-09-09-board.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/meeting.schema.json\n")
    assert 'start_time: "10:00"\n' in text  # as the last minutes announced it
    assert 'venue: "Civic Centre"\n' in text
    assert 'contact:\n  name: "Sam Clerk"' in text
    from generator.load import load_content

    content = load_content(tmp_path / "content", tmp_path)
    assert [str(p) for p in content.problems] == []
    made = next(m.meeting for m in content.meetings if m.meeting.date.isoformat() == "2021-09-09")
    assert [i.title for i in made.items] == [
        "Apologies for absence",
        "Declarations of interest",
        "Minutes of the previous meeting",
        "Matters arising",
        "Crime performance",  # at both of the last two meetings: a standing item
    ]
    assert made.items[2].approves_minutes_of is not None
    assert made.items[2].approves_minutes_of.date.isoformat() == "2021-06-17"
    assert made.items[4].topics == ["vrap"]
    assert made.status == "draft"
    again = runner.invoke(main, ["new", "--committee", "board", "--date", "2021-09-09"])
    assert again.exit_code == 1
    assert "already records this meeting: edit it instead" in again.output
    assert path.read_text(encoding="utf-8") == text


def test_new_refuses_an_unknown_committee(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    write_content(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "--committee", "bord", "--date", "2021-09-09"])
    assert result.exit_code == 1
    assert "unknown committee 'bord' (not in content/committees.yml): did you mean 'board'?" in result.output
    bad_date = runner.invoke(main, ["new", "--committee", "board", "--date", "9/9/2021"])
    assert bad_date.exit_code == 2


def test_new_lists_the_committees_open_actions_with_their_ids(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = VALID.replace("2021-06-17", "2021-03-25") + (
        "  - number: '7'\n    title: Knife crime\n    actions:\n"
        "      - what: report the figures\n        who:\n          role: Chief Inspector\n"
        "      - what: visit the estate\n        who:\n          name: Ann Example\n"
    )
    later = VALID + (
        "  - title: Matters arising\n    action_updates:\n      - action: 2021-03-25-board/7/2\n        status: done\n"
    )
    write_content(tmp_path, {"a.yml": earlier, "b.yml": later})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "--committee", "board", "--date", "2021-09-09"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "content" / "meetings" / "2021" / "2021-09-09-board.yml").read_text(encoding="utf-8")
    # The open one, ready to copy; the done one not.
    assert "#   2021-03-25-board/7/1: report the figures (Chief Inspector)\n" in text
    assert "2021-03-25-board/7/2" not in text
