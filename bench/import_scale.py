"""How long `minutes import moderngov` takes for a council's history, and how many requests it makes.

Serves the test suite's fake council (tests/moderngov_replay.py) on 127.0.0.1 with
IMPORT_MEETINGS meetings (default 240: two committees, six meetings a year for 20
years), imports them into a fresh content folder under bench/work/import, then
imports again, and prints for each run the drafts written, the meetings skipped,
the requests sent to the service, the replies replayed from the cache and the time.
IMPORT_RATE (default 0) is the seconds between requests; the command's own default is 1.

    .venv/bin/python bench/import_scale.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fake council lives with the tests

from generator.importers.moderngov_service import harvest  # noqa: E402
from generator.importers.service import Service  # noqa: E402
from tests.moderngov_replay import Council, Meeting  # noqa: E402

WORK = ROOT / "bench" / "work" / "import"
MEETINGS = int(os.environ.get("IMPORT_MEETINGS", "240"))
RATE = float(os.environ.get("IMPORT_RATE", "0"))
COMMITTEES = """\
# yaml-language-server: $schema=../schema/committees.schema.json
committees:
  - id: board
    name: Safer Bromley Partnership Board
    moderngov_id: "101"
  - id: strategic-group
    name: Safer Bromley Partnership Strategic Group
    moderngov_id: "102"
"""


def council(count: int) -> list[Meeting]:
    """``count`` meetings from 2006, alternating the two committees, six a year for each."""
    meetings = []
    for number in range(count):
        committee = ("101", "102")[number % 2]
        year, month = 2006 + number // 12, (1, 3, 5, 7, 9, 11)[number // 2 % 6]
        day = 10 if committee == "101" else 17
        meetings.append(Meeting(str(6001 + number), committee, f"{day:02d}/{month:02d}/{year}"))
    return meetings


def main() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    content = WORK / "content"
    (content / "meetings").mkdir(parents=True)
    (content / "committees.yml").write_text(COMMITTEES, encoding="utf-8")
    shutil.copy(ROOT / "content" / "topics.yml", content / "topics.yml")
    meetings = council(MEETINGS)
    last_year = 2006 + (MEETINGS - 1) // 12
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    server.expect_request("").respond_with_handler(Council(meetings=meetings))
    try:
        for label in ("first run", "second run"):
            client = Service(server.url_for("/").rstrip("/"), WORK / "cache", rate=RATE)
            start = time.perf_counter()
            report = harvest(
                client, content, WORK, [], dt.date(2006, 1, 1), dt.date(last_year, 12, 31), today=dt.date(2026, 12, 1)
            )
            seconds = time.perf_counter() - start
            client.close()
            print(
                f"{label}: {report.found} meetings listed, {len(report.written)} drafts written,"
                f" {len(report.skipped)} skipped, {len(report.failures)} failures,"
                f" {client.counts.fetched} requests to the service, {client.counts.replayed} from the cache,"
                f" {seconds:.1f} s"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
