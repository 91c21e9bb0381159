"""How the archive names things for people: dates and times, owners, items, actions, statuses.

Every page, feed, calendar and search record says these the same way, so they are
said here once. Ids (``2021-06-17-board/22/1``) are for anchors and open data;
people read the labels made here ("Action 1 of minute 22").
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from generator.schema import SCHEDULE_12A, Item, Owner

# The archive's meetings happen in London: its times are London's, summer and winter.
LONDON = ZoneInfo("Europe/London")

STATUS_LABELS = {
    "overdue": "Overdue",
    "open": "Open",
    "in-progress": "In progress",
    "carried-forward": "Carried forward",
    "done": "Done",
    "dropped": "Dropped",
}


@cache
def long_date(day: dt.date) -> str:
    """A date as people in the UK write it: Thursday 17 June 2021."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """A compact date for table headings: 17 Jun 2021."""
    return f"{day.day} {day:%b %Y}"


def clock_time(time: dt.time) -> str:
    """A time as council minutes print it: 10.00 am, 6.30 pm."""
    hour = time.hour % 12 or 12
    return f"{hour}.{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


def owner_label(owner: Owner) -> str:
    """An action's owner as the minutes name them: "Bo Example (Head of Service)", a name or a role."""
    if owner.name and owner.role:
        return f"{owner.name} ({owner.role})"
    return owner.name or owner.role or ""


def owner_keys(owner: Owner) -> tuple[str, ...]:
    """The owners an action can be found by: the person named and the role named, each on its own."""
    return tuple(dict.fromkeys(key for key in (owner.name, owner.role) if key))


def item_label(item: Item) -> str:
    """An item as people name it: "minute 20: Priority One", or its title alone when unnumbered."""
    return f"minute {item.number}: {item.title}" if item.number else item.title


def action_label(item: Item, number: int) -> str:
    """An action as people name it: "Action 1 of minute 22", or of an unnumbered item's title."""
    where = f"minute {item.number}" if item.number else f"“{item.title}”"
    return f"Action {number} of {where}"


def private_notice(item: Item) -> str:
    """What a page says of an item considered in private."""
    return (
        f"Considered in private under paragraph {item.private_under} of Part 1 of Schedule 12A to the Local"
        f" Government Act 1972 ({SCHEDULE_12A.get(item.private_under or '', 'exempt information')})."
    )
