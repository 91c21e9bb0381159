"""Feeds, calendars and open data, read back with independent parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import vobject

from tests.fixtures import page

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default when ARCHIVE_SITE_URL is unset


def local(url: str, site: Path) -> Path:
    """The built file an absolute site address points at."""
    path = url.removeprefix(SITE_URL).split("#")[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_archive_feed_lists_meetings_with_working_links(fixture_site: Path) -> None:
    feed = feedparser.parse((fixture_site / "feeds" / "meetings.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Safer Bromley Partnership minutes archive"
    titles = [e.title for e in feed.entries]
    assert titles == [
        "Example Strategic Group: Thursday 6 July 2017",
        "Example Partnership Board: Thursday 12 March 2020",
        "Example Partnership Board: Thursday 17 June 2021",
        "Example Strategic Group: Thursday 17 June 2021",
    ]
    assert all(local(e.link, fixture_site).is_file() for e in feed.entries)
    assert feed.entries[1].updated_parsed[:3] == (2020, 3, 12)


def test_committee_and_topic_feeds(fixture_site: Path) -> None:
    board = feedparser.parse((fixture_site / "feeds" / "committees" / "board.xml").read_bytes())
    assert [e.title for e in board.entries] == [
        "Example Partnership Board: Thursday 12 March 2020",
        "Example Partnership Board: Thursday 17 June 2021",
    ]
    vrap = feedparser.parse((fixture_site / "feeds" / "topics" / "vrap.xml").read_bytes())
    assert [e.link.removeprefix(SITE_URL) for e in vrap.entries] == [
        "meetings/2017-07-06-strategic-group/#item-150",
        "meetings/2021-06-17-board/#item-39-20",
        "meetings/2021-06-17-strategic-group/#item-156a",
    ]
    assert feedparser.parse((fixture_site / "feeds" / "topics" / "prevent.xml").read_bytes()).entries == []


def test_calendar_holds_scheduled_meetings_in_london_time(fixture_site: Path) -> None:
    calendar = vobject.readOne((fixture_site / "calendar" / "meetings.ics").read_text(encoding="utf-8"))
    events = sorted(calendar.vevent_list, key=lambda e: str(e.dtstart.value))
    starts = [e.dtstart.value for e in events]
    assert starts[0] == dt.datetime(2020, 6, 11, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert starts[0].utcoffset() == dt.timedelta(hours=1)  # British Summer Time
    assert starts[1] == dt.date(2021, 9, 9)  # announced without a time: an all-day event
    assert [e.summary.value for e in events] == ["Example Partnership Board", "Example Partnership Board"]
    assert events[0].location.value == "Committee Room 1"
    # The 11 June 2020 meeting is not in the archive, so the event links to the minutes that announced it.
    assert local(events[0].url.value, fixture_site).is_file()
    group = vobject.readOne((fixture_site / "calendar" / "strategic-group.ics").read_text(encoding="utf-8"))
    assert not hasattr(group, "vevent")


def test_meetings_json_validates_against_its_schema(fixture_site: Path) -> None:
    data = json.loads((fixture_site / "data" / "meetings.json").read_text(encoding="utf-8"))
    schema = json.loads((fixture_site / "data" / "meetings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["version"] == 3
    assert [m["id"] for m in data["meetings"]] == [
        "2017-07-06-strategic-group",
        "2020-03-12-board",
        "2021-06-17-board",
        "2021-06-17-strategic-group",
    ]
    # Where an imported record was read from stays with it in the open data.
    assert data["meetings"][1]["source"] == {
        "url": "https://democracy.example.gov.uk/ieListDocuments.aspx?CId=101&MId=4967",
        "meeting_id": "4967",
        "retrieved": "2026-12-03",
    }
    assert data["meetings"][0]["source"] is None
    broken = {**data, "meetings": [{**data["meetings"][0], "date": "not a date"}]}
    try:
        jsonschema.validate(broken, schema, format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError as error:
        assert error.path == ["meetings", 0, "date"] or list(error.path) == ["meetings", 0, "date"]
    else:
        raise AssertionError("a meeting with a bad date validated")


def csv_text(path: Path) -> str:
    """A CSV file's text with its CRLF line ends kept, as the csv module wants."""
    return path.read_bytes().decode("utf-8")


def test_csv_round_trips(fixture_site: Path) -> None:
    decisions = list(csv.DictReader(io.StringIO(csv_text(fixture_site / "data" / "decisions.csv"))))
    assert decisions == [
        {
            "date": "2021-06-17",
            "committee": "board",
            "committee_name": "Example Partnership Board",
            "minute": "37/20",
            "item_title": "Minutes of the previous meeting",
            "resolution": "RESOLVED that the minutes of the meeting held on 12 March 2020 be agreed.",
            "topics": "",
            "url": SITE_URL + "meetings/2021-06-17-board/#item-37-20",
        },
        {
            "date": "2020-03-12",
            "committee": "board",
            "committee_name": "Example Partnership Board",
            "minute": "2",
            "item_title": "Knife crime update",
            "resolution": "RESOLVED that the update be noted.",
            "topics": "knife-crime",
            "url": SITE_URL + "meetings/2020-03-12-board/#item-2",
        },
    ]
    actions = list(csv.DictReader(io.StringIO(csv_text(fixture_site / "data" / "actions.csv"))))
    by_id = {a["id"]: a for a in actions}
    assert by_id["2020-03-12-board/2/1"]["status"] == "done"
    assert by_id["2020-03-12-board/2/1"]["updates"] == "2021-06-17 carried-forward; 2021-06-17 done"
    assert by_id["2017-07-06-strategic-group/150/1"]["overdue"] == "yes"
    # Written with the csv module's quoting, so commas and quotes in the minutes survive.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(actions[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(actions)
    assert buffer.getvalue() == csv_text(fixture_site / "data" / "actions.csv")


def test_meeting_pages_carry_schema_org_event_markup(fixture_site: Path) -> None:
    soup = page(fixture_site, "meetings/2020-03-12-board")
    markup = json.loads(soup.find("script", type="application/ld+json").string)
    assert markup["@type"] == "Event"
    assert markup["startDate"] == "2020-03-12T10:00:00+00:00"
    assert markup["location"]["name"] == "Committee Room 1"
    assert markup["url"] == SITE_URL + "meetings/2020-03-12-board/"


def test_pages_link_their_feeds_and_calendars(fixture_site: Path) -> None:
    committee = page(fixture_site, "committees/board")
    hrefs = [str(a["href"]) for a in committee.select("article a")]
    assert "../../feeds/committees/board.xml" in hrefs
    assert "../../calendar/board.ics" in hrefs
    topic = page(fixture_site, "topics/vrap")
    assert "../../feeds/topics/vrap.xml" in [str(a["href"]) for a in topic.select("article a")]
