"""`minutes import moderngov` against a fake council on 127.0.0.1: the walk, the faults, the cache, the report."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.importers.moderngov_service import harvest
from generator.importers.service import Service
from generator.load import load_content
from tests.fixtures import ROOT
from tests.moderngov_replay import SLOW_SECONDS, Council

TODAY = dt.date(2026, 12, 3)
COMMITTEES = """\
committees:
  - id: board
    name: Safer Bromley Partnership Board
  - id: strategic-group
    name: Example group
    moderngov_id: "102"
  - id: forum
    name: Community Safety Forum
"""
# Already in the archive: the Board's meeting of 20 March 2025, edited by hand since.
EXISTING = """\
committee: board
date: 2025-03-20
status: approved
items:
  - title: Reviewed by an editor
"""


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """The fake council's server on 127.0.0.1, answering each request in a thread of its own, as a real one
    does: a slow reply does not hold up the next request."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def council(httpserver: HTTPServer) -> Council:
    fake = Council()
    httpserver.expect_request("").respond_with_handler(fake)  # every path: the fake dispatches
    return fake


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "meetings" / "2025").mkdir(parents=True)
    (folder / "committees.yml").write_text(COMMITTEES, encoding="utf-8")
    (folder / "meetings" / "2025" / "2025-03-20-board.yml").write_text(EXISTING, encoding="utf-8")
    shutil.copy(ROOT / "content" / "topics.yml", folder / "topics.yml")
    return folder


def service(server: HTTPServer, cache: Path, **options: object) -> Service:
    return Service(
        server.url_for("/").rstrip("/"),
        cache,
        rate=0,
        attempts=2,
        backoff=lambda attempt: 0,
        timeout=SLOW_SECONDS / 2,
        **options,  # type: ignore[arg-type]
    )


def run(server: HTTPServer, content: Path, cache: Path, **options: object) -> tuple[object, Service]:
    add = bool(options.pop("add_committees", False))
    client = service(server, cache, **options)
    report = harvest(
        client, content, content.parent, [], dt.date(2023, 1, 1), dt.date(2026, 12, 31), add_committees=add, today=TODAY
    )
    client.close()
    return report, client


def test_a_first_import_walks_committees_years_and_meetings(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path
) -> None:
    existing = (content / "meetings" / "2025" / "2025-03-20-board.yml").read_bytes()
    report, client = run(httpserver, content, tmp_path / "cache")
    # Mapped by name (the Board, the Forum, which has expired) and by moderngov_id (the group).
    assert report.committees == ["Safer Bromley Partnership Board", "Example group", "Community Safety Forum"]
    assert report.unmapped == [
        "Licensing Sub-Committee (ModernGov id 103):\n  - id: licensing-sub-committee\n"
        '    name: "Licensing Sub-Committee"\n    moderngov_id: "103"'
    ]
    assert report.found == 10
    assert [Path(p).name for p in report.written] == [
        "2024-03-14-board.yml",
        "2024-12-05-board.yml",  # after a 500 the retry got through
        "2023-11-15-forum.yml",
    ]
    assert report.cancelled == ["Safer Bromley Partnership Board, 2024-06-13 (meeting 5002)"]
    assert report.unpublished == ["Safer Bromley Partnership Board, 2024-09-12 (meeting 5003)"]
    assert report.skipped == ["Safer Bromley Partnership Board, 2025-03-20 (meeting 5005): already in the archive"]
    failures = "\n".join(report.failures)
    assert (
        "Example group, 2024-02-07 (meeting 5011): " in failures
        and "did not answer GetMeeting after 2 tries" in failures
    )
    assert (
        "(meeting 5012): " in failures
        and "refused GetMeeting (403 Forbidden): a bot filter may be blocking" in failures
    )
    assert "(meeting 5013): the reply to GetMeeting is a web page, not the service's XML" in failures
    assert "(meeting 5014): the reply to GetMeeting is not safe, readable XML" in failures
    # No record an editor made is touched, and every request went to this server alone.
    assert (content / "meetings" / "2025" / "2025-03-20-board.yml").read_bytes() == existing
    assert client.requested and all(url.startswith(httpserver.url_for("/")) for url in client.requested)
    # The drafts validate, carry their source, and hold nothing of the restricted item.
    loaded = load_content(content, content.parent)
    assert [str(p) for p in loaded.errors] == []
    draft = next(m.meeting for m in loaded.meetings if m.meeting.date == dt.date(2024, 3, 14))
    assert draft.source is not None and draft.source.meeting_id == "5001"
    assert draft.source.url == httpserver.url_for("/ieListDocuments.aspx") + "?CId=101&MId=5001"
    assert draft.source.retrieved == TODAY
    assert (
        draft.items[0].text.strip()
        == "The Board heard the partners' update on knife crime.\n\nRESOLVED that the update be noted."
    )
    written = (content / "meetings" / "2024" / "2024-03-14-board.yml").read_text(encoding="utf-8")
    assert "SECRET" not in written and "restricted (exempt from publication) and was withheld" in written


def test_a_second_run_writes_nothing_and_asks_only_what_may_have_changed(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path
) -> None:
    run(httpserver, content, tmp_path / "cache")
    first = len(council.asked)
    drafts = sorted(p.read_bytes() for p in (content / "meetings").rglob("*.yml"))
    report, client = run(httpserver, content, tmp_path / "cache")
    assert report.written == []
    assert "nothing new: no draft was written" in report.lines(client.counts.fetched, client.counts.replayed)
    assert sorted(p.read_bytes() for p in (content / "meetings").rglob("*.yml")) == drafts
    # Only the meetings that failed are asked for again (the slow one twice, with its retry).
    assert len(council.asked) - first == client.counts.fetched == 5, client.requested
    assert client.counts.replayed > 0


def test_minutes_published_later_are_picked_up_by_a_later_run(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path
) -> None:
    run(httpserver, content, tmp_path / "cache")
    next(m for m in council.meetings if m.meeting_id == "5003").minutes = True
    # A day later, the listings and the unpublished meeting are asked for again.
    report, _ = run(httpserver, content, tmp_path / "cache", fresh_for=dt.timedelta(0))
    assert [Path(p).name for p in report.written] == ["2024-09-12-board.yml"]
    assert report.unpublished == []


def test_offline_replays_the_cache_and_asks_the_service_nothing(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path
) -> None:
    first_content = tmp_path / "first" / "content"
    shutil.copytree(content, first_content)
    run(httpserver, first_content, tmp_path / "cache")
    asked = len(council.asked)
    report, client = run(httpserver, content, tmp_path / "cache", offline=True)
    assert len(council.asked) == asked and client.counts.fetched == 0
    assert [Path(p).name for p in report.written] == [
        "2024-03-14-board.yml",
        "2024-12-05-board.yml",
        "2023-11-15-forum.yml",
    ]
    assert any("is not in the cache" in failure and "(--offline)" in failure for failure in report.failures)


def test_add_committees_writes_what_to_add_and_imports_them(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path
) -> None:
    report, _ = run(httpserver, content, tmp_path / "cache", add_committees=True)
    assert report.added_committees == ["Licensing Sub-Committee (ModernGov id 103)"]
    committees = {c.id: c for c in load_content(content, content.parent).committees}
    assert committees["licensing-sub-committee"].moderngov_id == "103"
    assert report.unmapped == []


def test_the_command_prints_the_summary_and_fails_only_when_something_failed(
    httpserver: HTTPServer, council: Council, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    arguments = ["import", "moderngov", "--site", httpserver.url_for("/").rstrip("/"), "--rate", "0"]
    arguments += ["--from", "2024-01-01", "--to", "2024-12-31", "--committee", "101", "--cache", str(tmp_path / "mg")]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "committees: 1 imported" in result.output
    assert "drafts written: 2" in result.output
    assert "cancelled: 1" in result.output and "minutes not yet published: 1" in result.output
    assert "failures: 0" in result.output
    assert "Traceback" not in result.output
    # The group's meetings fail: the exit code says so.
    arguments[arguments.index("101")] = "102"
    failed = CliRunner().invoke(main, arguments)
    assert failed.exit_code == 1
    assert "refused GetMeeting (403 Forbidden)" in failed.output and "Traceback" not in failed.output


def test_a_service_that_is_not_there_is_one_clear_line(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/mgWebService.asmx/GetCommittees").respond_with_data("Not Found", status=404)
    (tmp_path / "content" / "meetings").mkdir(parents=True)
    (tmp_path / "content" / "committees.yml").write_text(COMMITTEES, encoding="utf-8")
    arguments = ["import", "moderngov", "--site", httpserver.url_for("/").rstrip("/"), "--rate", "0"]
    result = CliRunner().invoke(
        main, [*arguments, "--content", str(tmp_path / "content"), "--cache", str(tmp_path / "mg")]
    )
    assert result.exit_code == 1
    assert "no web service answered at" in result.output and "(404 Not Found)" in result.output
    assert "Traceback" not in result.output
