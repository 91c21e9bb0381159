"""`minutes new`: a new meeting record, pre-filled from the committee's last meeting."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from generator.archive import CLOSED, Archive
from generator.labels import long_date, owner_label
from generator.load import Content
from generator.schema import Meeting, slug_of
from generator.schemafiles import modeline
from generator.templating import environment

# How many of the committee's open actions a new record lists, for its matters arising.
OPEN_ACTIONS_LISTED = 30
# Items every meeting opens with, whatever the committee.
PROCEDURAL = ("Apologies for absence", "Declarations of interest")


class ScaffoldError(Exception):
    """Why a new record cannot be made, in words for the editor."""


@dataclass
class _StandingItem:
    title: str
    topics: list[str] = field(default_factory=list)
    approves: dt.date | None = None
    arising: dt.date | None = None


def new_meeting_path(content_dir: Path, committee: str, day: dt.date) -> Path:
    """Where a meeting's record lives: content/meetings/<year>/<date>-<committee>.yml."""
    return content_dir / "meetings" / str(day.year) / f"{slug_of(day, committee)}.yml"


def _standing_items(previous: list[Meeting]) -> list[_StandingItem]:
    """The procedural items, minutes and matters arising of the last meeting, and the
    items that came up at both of the last two meetings (the committee's standing items)."""
    items = [_StandingItem(title) for title in PROCEDURAL]
    if not previous:
        return items
    last = previous[-1]
    items.append(_StandingItem("Minutes of the previous meeting", approves=last.date))
    items.append(_StandingItem("Matters arising", arising=last.date))
    earlier = {i.title for i in previous[-2].items} if len(previous) > 1 else set()
    known = {i.title.lower() for i in items}
    for item in last.items:
        if item.title in earlier and item.title.lower() not in known and not item.approves_minutes_of:
            items.append(_StandingItem(item.title, topics=list(item.topics)))
            known.add(item.title.lower())
    return items


def new_meeting(content: Content, content_dir: Path, root: Path, committee_id: str, day: dt.date) -> Path:
    """Write a new draft record for a committee's meeting; refuse to overwrite one."""
    ids = [c.id for c in content.committees]
    if committee_id not in ids:
        guess = difflib.get_close_matches(committee_id, ids, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known committees: {', '.join(ids)}"
        raise ScaffoldError(f"unknown committee '{committee_id}' (not in content/committees.yml): {hint}")
    committee = next(c for c in content.committees if c.id == committee_id)
    path = new_meeting_path(content_dir, committee_id, day)
    for existing in content.meetings:
        if existing.meeting.committee == committee_id and existing.meeting.date == day:
            raise ScaffoldError(f"{existing.source} already records this meeting: edit it instead")
    if path.exists():
        raise ScaffoldError(f"{path} already exists: edit it instead")
    previous = sorted(
        (m.meeting for m in content.meetings if m.meeting.committee == committee_id and m.meeting.date < day),
        key=lambda m: m.date,
    )
    last = previous[-1] if previous else None
    # The committee's actions still open before this meeting, newest first, for its matters arising.
    earlier = [(m.meeting, m.source) for m in content.meetings if m.meeting.date < day and m.meeting.committee in ids]
    archive = Archive(content.committees, earlier)
    still_open = [
        (tracked.id, " ".join(tracked.action.what.split()), owner_label(tracked.action.who))
        for tracked in reversed(archive.actions())
        if tracked.raised.entry.committee.id == committee_id and tracked.status not in CLOSED
    ][:OPEN_ACTIONS_LISTED]
    announced = last.next_meeting if last and last.next_meeting and last.next_meeting.date == day else None
    start = (announced.time if announced else None) or (last.start_time if last else None)
    text = (
        environment()
        .get_template("new-meeting.yml.j2")
        .render(
            modeline=modeline(path, root),
            committee=committee,
            date=day.isoformat(),
            long_date=long_date(day),
            start_time=start.strftime("%H:%M") if start else None,
            venue=(announced.venue if announced else None) or (last.venue if last else None),
            contact=last.contact if last else None,
            items=_standing_items(previous),
            open_actions=still_open,
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
