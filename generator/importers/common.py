"""What the importers share: the error for input they cannot read, and council minutes' 12-hour times."""

from __future__ import annotations

import re

# "10.00 am", "6:30pm", found anywhere in a line.
_TWELVE_HOUR = re.compile(r"\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*(?P<half>am|pm)\b", re.IGNORECASE)


class UnreadableSource(Exception):
    """The input is not something the importer can read: its message says why, for the editor."""


def twelve_hour(text: str) -> str | None:
    """The first 12-hour time in a text, "10.00 am" -> "10:00", "6.30 pm" -> "18:30"; None if there is none."""
    match = _TWELVE_HOUR.search(text)
    if not match:
        return None
    hour = int(match.group("hour")) % 12 + (12 if match.group("half").lower() == "pm" else 0)
    return f"{hour:02d}:{match.group('minute')}"
