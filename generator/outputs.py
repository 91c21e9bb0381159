"""The archive as data: Atom feeds, iCalendar files, JSON and CSV open data.

Everything here is made from the records alone (dates come from the meetings, never
from the clock), so the same records always give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Iterable
from typing import Any

import orjson
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, Timezone

from generator import urls
from generator.archive import Archive, Entry, Occurrence
from generator.labels import LONDON, long_date, private_notice
from generator.people import People
from generator.sanitise import plain_text
from generator.schema import Committee, Meeting, MeetingRef, RoleHeld, slug_of

# A feed carries the most recent entries, as feed readers expect; the archive has the rest.
FEED_ENTRIES = 50
# Scheduled meetings have a start but rarely a minuted end: assume two hours.
MEETING_LENGTH = dt.timedelta(hours=2)
DATA_VERSION = 3


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)


def _feed(site_url: str, path: str, title: str, subtitle: str, page: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(site_url + path)
    # A title made only of markup has no words left; the feed's address still names it.
    feed.title(plain_text(title) or path)
    feed.subtitle(plain_text(subtitle))
    feed.link(href=site_url + urls.address(page), rel="alternate")
    feed.link(href=site_url + path, rel="self")
    feed.language("en-GB")
    return feed


def _meeting_entries(feed: FeedGenerator, site_url: str, entries: Iterable[Entry]) -> None:
    chosen = sorted(entries, key=lambda e: (e.meeting.date, e.committee.id))[-FEED_ENTRIES:]
    for entry in chosen:
        url = site_url + urls.address(urls.meeting_page(entry.meeting))
        item = feed.add_entry(order="append")
        item.id(url)
        item.title(plain_text(f"{entry.committee.name}: {long_date(entry.meeting.date)}"))
        item.link(href=url)
        item.updated(_midnight(entry.meeting.date))
        item.summary(plain_text("Items: " + "; ".join(i.title for i in entry.meeting.items)))
    feed.updated(_midnight(chosen[-1].meeting.date) if chosen else _midnight(dt.date(1970, 1, 1)))


def _topic_entries(feed: FeedGenerator, site_url: str, found: list[Occurrence]) -> None:
    chosen = found[-FEED_ENTRIES:]
    for occurrence in chosen:
        meeting = occurrence.entry.meeting
        url = site_url + urls.address(urls.item_link(meeting, occurrence.index))
        item = feed.add_entry(order="append")
        item.id(url)
        number = f"minute {occurrence.item.number}: " if occurrence.item.number else ""
        title = f"{long_date(meeting.date)}, {occurrence.entry.committee.name}, {number}{occurrence.item.title}"
        item.title(plain_text(title))
        item.link(href=url)
        item.updated(_midnight(meeting.date))
        said = private_notice(occurrence.item) if occurrence.item.private else occurrence.item.text
        item.summary(plain_text(" ".join(said.split()[:60]) or occurrence.item.title))
    feed.updated(_midnight(chosen[-1].entry.meeting.date) if chosen else _midnight(dt.date(1970, 1, 1)))


def feeds(archive: Archive, site_url: str, site_name: str) -> dict[str, bytes]:
    """Atom feeds of newly published meetings: the archive's, each committee's, each topic's."""
    out: dict[str, bytes] = {}
    path = urls.feed_path("archive")
    feed = _feed(site_url, path, site_name, "Newly published meetings", urls.HOME)
    _meeting_entries(feed, site_url, archive.entries)
    out[path] = feed.atom_str(pretty=True)
    for committee in archive.committees:
        path = urls.feed_path("committees", committee.id)
        feed = _feed(
            site_url, path, committee.name, f"Meetings of the {committee.name}", urls.committee_page(committee)
        )
        _meeting_entries(feed, site_url, archive.of_committee(committee))
        out[path] = feed.atom_str(pretty=True)
    for topic in archive.topics:
        path = urls.feed_path("topics", topic.id)
        feed = _feed(site_url, path, f"{topic.title}: {site_name}", topic.summary, urls.topic_page(topic))
        _topic_entries(feed, site_url, archive.occurrences(topic))
        out[path] = feed.atom_str(pretty=True)
    return out


def _one_line(text: str) -> str:
    """Text for a one-line calendar property: no markup, and line breaks as spaces."""
    return " ".join(plain_text(text).split())


# How an iCalendar file ends: the events are put in before it.
_CALENDAR_END = b"END:VCALENDAR\r\n"


def _announced(archive: Archive, committee: Committee) -> dict[str, Entry]:
    """The meetings a committee's minutes announce, by calendar id, each from its latest announcement."""
    announced: dict[str, Entry] = {}
    for entry in archive.of_committee(committee):
        if entry.meeting.next_meeting:
            # A later announcement of the same meeting replaces an earlier one.
            announced[slug_of(entry.meeting.next_meeting.date, committee.id)] = entry
    return announced


def _event(archive: Archive, site_url: str, uid: str, committee: Committee, entry: Entry) -> tuple[bytes, bool]:
    """A meeting's event as a calendar holds it, and whether it has a time of day."""
    next_meeting = entry.meeting.next_meeting
    assert next_meeting is not None
    held = archive.referenced(entry, MeetingRef(date=next_meeting.date, committee=committee.id))
    page = urls.meeting_page(held.meeting) if held else urls.meeting_page(entry.meeting)
    ical = _event_ical(
        f"{uid}@minutes-archive",
        _one_line(committee.name),
        entry.meeting.date,
        next_meeting.date,
        next_meeting.time,
        _one_line(next_meeting.venue) if next_meeting.venue else None,
        site_url + urls.address(page),
        f"Announced in the minutes of {long_date(entry.meeting.date)}."
        + (" The minutes are published." if held else ""),
    )
    return ical, bool(next_meeting.time)


# An event's text by everything in it: the preview builds the same events again and again.
@functools.lru_cache(maxsize=65_536)
def _event_ical(
    uid: str,
    summary: str,
    minuted: dt.date,
    day: dt.date,
    time: dt.time | None,
    venue: str | None,
    url: str,
    description: str,
) -> bytes:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    # The stamp is the date the announcement was minuted, so rebuilding changes nothing.
    event.add("dtstamp", dt.datetime.combine(minuted, dt.time(0, 0), tzinfo=dt.UTC))
    if time:
        start = dt.datetime.combine(day, time, tzinfo=LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + MEETING_LENGTH)
    else:
        event.add("dtstart", day)
    if venue:
        event.add("location", venue)
    event.add("url", url)
    event.add("description", description)
    ical: bytes = event.to_ical()
    return ical


def _calendar(name: str, events: dict[str, tuple[bytes, bool]]) -> bytes:
    """A calendar of these events (by id: the event, and whether it has a time of day), in id order."""
    calendar = Calendar()
    calendar.add("prodid", "-//minutes-archive//Scheduled meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _one_line(name))
    calendar.add("x-wr-timezone", "Europe/London")
    if any(timed for _, timed in events.values()):
        calendar.add_component(_london())
    # Each event is written once and put into every calendar it is in: icalendar takes a
    # millisecond an event, and an archive announces thousands of meetings.
    head: bytes = calendar.to_ical()
    assert head.endswith(_CALENDAR_END)
    body = b"".join(events[uid][0] for uid in sorted(events))
    return head[: -len(_CALENDAR_END)] + body + _CALENDAR_END


@functools.cache
def _london() -> Timezone:
    """London's time zone as a calendar describes it: the same in every calendar, worked out once."""
    return Timezone.from_tzid("Europe/London")


def calendars(archive: Archive, site_url: str, site_name: str) -> dict[str, bytes]:
    """iCalendar files of scheduled meetings: the archive's and each committee's."""
    of_committee: dict[str, dict[str, tuple[bytes, bool]]] = {}
    for committee in archive.committees:
        of_committee[committee.id] = {
            uid: _event(archive, site_url, uid, committee, entry)
            for uid, entry in _announced(archive, committee).items()
        }
    every = {uid: event for events in of_committee.values() for uid, event in events.items()}
    out = {urls.calendar_path(): _calendar(site_name, every)}
    for committee in archive.committees:
        out[urls.calendar_path(committee)] = _calendar(committee.name, of_committee[committee.id])
    return out


def _meeting_record(entry: Entry, site_url: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": entry.slug,
        "url": site_url + urls.address(urls.meeting_page(entry.meeting)),
        "committee_name": entry.committee.name,
    }
    record.update(entry.meeting.model_dump(mode="json", exclude_defaults=False))
    return record


def meetings_schema() -> dict[str, Any]:
    """The documented JSON Schema of data/meetings.json."""
    meeting = Meeting.model_json_schema()
    defs = meeting.pop("$defs")
    record = {
        **meeting,
        "properties": {
            "id": {"type": "string", "description": "The meeting's id: its date and committee id."},
            "url": {"type": "string", "format": "uri", "description": "The meeting's page."},
            "committee_name": {"type": "string", "description": "The committee's full name."},
            **meeting["properties"],
        },
        "required": ["id", "url", "committee_name", *meeting.get("required", [])],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "meetings.schema.json",
        "title": "Meetings",
        "description": "Every public meeting record of the archive, oldest first.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "meetings"],
        "properties": {
            "version": {"const": DATA_VERSION, "description": "The format's version; it changes when fields change."},
            "meetings": {"type": "array", "items": {"$ref": "#/$defs/MeetingRecord"}, "description": "The meetings."},
        },
        "$defs": {**defs, "MeetingRecord": record},
    }


PEOPLE_VERSION = 1


def people_data(archive: Archive, site_url: str) -> dict[str, Any]:
    """data/people.json: everyone the minutes name, and every role with who held it when."""
    people = People.of(archive)

    def period(held: RoleHeld) -> dict[str, Any]:
        return {
            "role": held.role,
            "organisation": held.organisation,
            "from": held.start.isoformat(),
            "to": held.end.isoformat() if held.end else None,
        }

    return {
        "version": PEOPLE_VERSION,
        "people": [
            {
                "id": profile.id,
                "name": profile.name,
                "url": site_url + urls.address(urls.person_page(profile.id)),
                "variants": list(profile.record.variants) if profile.record else [],
                "role": profile.role,
                "organisation": profile.organisation,
                "roles_held": [period(held) for held in profile.roles_held],
                "committees": [c.id for c in profile.committees],
                "attended": sum(r.total.present + r.total.substitute for r in profile.attendance),
                "apologies": sum(r.total.apologies for r in profile.attendance),
                "actions": [t.id for t in profile.actions],
                "chaired": [e.slug for e in profile.chaired],
                "last_meeting": profile.last.slug if profile.last else None,
            }
            for profile in people.everyone
        ],
        "roles": [
            {
                "id": role.id,
                "role": role.name,
                "url": site_url + urls.address(urls.role_page(role.id)),
                "holders": [{"person": profile.id, **period(held)} for held, profile in role.holders],
                "actions": [t.id for t in role.actions],
            }
            for role in people.roles
        ],
    }


def people_schema() -> dict[str, Any]:
    """The documented JSON Schema of data/people.json."""
    text = {"type": "string"}
    maybe = {"type": ["string", "null"]}
    ids = {"type": "array", "items": text}
    period: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["role", "organisation", "from", "to"],
        "properties": {
            "role": {**text, "description": "The role as the minutes name it."},
            "organisation": {**maybe, "description": "The organisation the role is in, if known."},
            "from": {"type": "string", "format": "date", "description": "The first day they are known to hold it."},
            "to": {"type": ["string", "null"], "format": "date", "description": "The last day, or null if still held."},
        },
    }
    person = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "name",
            "url",
            "variants",
            "role",
            "organisation",
            "roles_held",
            "committees",
            "attended",
            "apologies",
            "actions",
            "chaired",
            "last_meeting",
        ],
        "properties": {
            "id": {**text, "description": "The person's id: their page is /people/<id>/."},
            "name": {**text, "description": "The name shown; the minutes may spell it as in variants too."},
            "url": {"type": "string", "format": "uri", "description": "The person's page."},
            "variants": {**ids, "description": "Other spellings the minutes use (content/people.yml)."},
            "role": {**maybe, "description": "Their role: content/people.yml's, else the latest the minutes give."},
            "organisation": {**maybe, "description": "Their organisation, likewise."},
            "roles_held": {"type": "array", "items": {"$ref": "#/$defs/Period"}, "description": "Roles and when."},
            "committees": {**ids, "description": "The ids of the committees whose attendance lists name them."},
            "attended": {"type": "integer", "description": "Meetings attended, in person or as a substitute."},
            "apologies": {"type": "integer", "description": "Meetings they sent apologies to."},
            "actions": {**ids, "description": "The ids of the actions that are theirs, by name or by role held."},
            "chaired": {**ids, "description": "The ids of the meetings they chaired."},
            "last_meeting": {**maybe, "description": "The id of the latest meeting that names them."},
        },
    }
    role = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "role", "url", "holders", "actions"],
        "properties": {
            "id": {**text, "description": "The role's id: its page is /people/roles/<id>/."},
            "role": {**text, "description": "The role as the minutes name it."},
            "url": {"type": "string", "format": "uri", "description": "The role's page."},
            "holders": {
                "type": "array",
                "description": "Who held it when, earliest first (content/people.yml).",
                "items": {
                    **period,
                    "required": ["person", *period["required"]],
                    "properties": {
                        "person": {**text, "description": "The holder's person id."},
                        **period["properties"],
                    },
                },
            },
            "actions": {**ids, "description": "The ids of the actions given to the role."},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "people.schema.json",
        "title": "People",
        "description": "Everyone the archive's minutes name, and every role with who held it when.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "people", "roles"],
        "properties": {
            "version": {"const": PEOPLE_VERSION, "description": "The format's version; it changes when fields change."},
            "people": {"type": "array", "items": {"$ref": "#/$defs/Person"}, "description": "Everyone, by name."},
            "roles": {"type": "array", "items": {"$ref": "#/$defs/Role"}, "description": "Every role, by name."},
        },
        "$defs": {"Period": period, "Person": person, "Role": role},
    }


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def open_data(archive: Archive, site_url: str) -> dict[str, bytes]:
    """data/meetings.json with its schema, data/decisions.csv and data/actions.csv."""
    meetings = {"version": DATA_VERSION, "meetings": [_meeting_record(e, site_url) for e in archive.entries]}
    decisions = [["date", "committee", "committee_name", "minute", "item_title", "resolution", "topics", "url"]]
    for decision in archive.decisions():
        at = decision.at
        decisions.append(
            [
                at.entry.meeting.date.isoformat(),
                at.entry.committee.id,
                at.entry.committee.name,
                at.item.number or "",
                at.item.title,
                decision.text,
                " ".join(at.item.topics),
                site_url + urls.address(urls.item_link(at.entry.meeting, at.index)),
            ]
        )
    as_of = archive.data_date
    actions = [
        [
            "id",
            "what",
            "owner_name",
            "owner_role",
            "owner_attributed",
            "owner_url",
            "due",
            "status",
            "overdue",
            "agreed",
            "committee",
            "url",
            "updates",
        ]
    ]
    people = People.of(archive)
    for tracked in archive.actions():
        meeting = tracked.raised.entry.meeting
        # The person the action is theirs by name, or by holding the role named on the day.
        holder = people.owner_of(tracked)
        actions.append(
            [
                tracked.id,
                tracked.action.what,
                tracked.action.who.name or "",
                tracked.action.who.role or "",
                holder.name if holder else "",
                site_url + urls.address(urls.person_page(holder.id)) if holder else "",
                tracked.action.due.isoformat() if tracked.action.due else "",
                tracked.status,
                "yes" if as_of and tracked.overdue(as_of) else "no",
                meeting.date.isoformat(),
                meeting.committee,
                site_url + urls.address(urls.action_link(tracked.id, meeting)),
                "; ".join(f"{u.at.entry.meeting.date.isoformat()} {u.update.status}" for u in tracked.updates),
            ]
        )
    return {
        # orjson writes exactly what json.dumps(indent=2, ensure_ascii=False) would, ten times faster.
        f"{urls.DATA}/meetings.json": orjson.dumps(meetings, option=orjson.OPT_INDENT_2) + b"\n",
        f"{urls.DATA}/meetings.schema.json": (json.dumps(meetings_schema(), indent=2) + "\n").encode("utf-8"),
        f"{urls.DATA}/people.json": orjson.dumps(people_data(archive, site_url), option=orjson.OPT_INDENT_2) + b"\n",
        f"{urls.DATA}/people.schema.json": (json.dumps(people_schema(), indent=2) + "\n").encode("utf-8"),
        f"{urls.DATA}/decisions.csv": _csv(decisions),
        f"{urls.DATA}/actions.csv": _csv(actions),
    }


def every_output(archive: Archive, site_url: str, site_name: str) -> dict[str, bytes]:
    """Every data file of the site, keyed by its path in the site."""
    return {
        **feeds(archive, site_url, site_name),
        **calendars(archive, site_url, site_name),
        **open_data(archive, site_url),
    }
