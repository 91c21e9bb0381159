"""Reading what the minutes resolved: routine resolutions, and finding lifted-out words in the text.

Resolutions and actions are copied out of an item's minutes into fields of their
own, while the minutes keep every word. A page prints each text once: where the
copied words are found in the minutes they are marked there, and only what the
minutes do not hold is set apart.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from generator.terms import whole_word_matches

# A resolution is routine when all it does is note or receive something, or agree
# minutes as a correct record: "RESOLVED that the update on knife crime be noted",
# "RESOLVED that the minutes of the meeting held on 25 March 2021 be agreed as a
# correct record". Anything more ("... be noted, and that officers report back")
# is not routine. The words decide, never the item's title.
_OPENING = r"^\s*(?:\(?\d+\)?\s*)?(?:(?:it\s+was\s+)?(?:resolved|agreed)\s*[:,]?\s*)?(?:that\s+)?"
_NOTED = re.compile(
    _OPENING
    + r"(?P<subject>.+?)\s+(?:be|was|were|is|are)\s+(?:duly\s+)?(?:noted|received)(?:\s+and\s+(?:noted|received))?"
    r"\s*[.;]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CORRECT_RECORD = re.compile(
    _OPENING + r"(?P<subject>.+?)\s+(?:be|was|were)\s+(?:agreed|approved|confirmed|accepted|signed|adopted)"
    r"(?:\s+and\s+(?:agreed|approved|confirmed|accepted|signed|adopted))*"
    r"\s+as\s+an?\s+(?:correct|true|accurate)\s+record(?:\s+and\s+signed\s+by\s+the\s+chair(?:man|woman|person)?)?"
    r"\s*[.;]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# Minutes agreed, with or without the words "as a correct record".
_MINUTES_AGREED = re.compile(
    _OPENING + r"(?P<subject>the\s+minutes\b.*?)\s+(?:be|was|were)\s+(?:agreed|approved|confirmed|accepted|signed)"
    r"(?:\s+and\s+(?:agreed|approved|confirmed|accepted|signed))*"
    r"(?:\s+as\s+an?\s+(?:correct|true|accurate)\s+record)?(?:\s+and\s+signed\s+by\s+the\s+chair(?:man|woman|person)?)?"
    r"\s*[.;]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# A subject that carries a decision of its own is not routine, whatever the last verb:
# "and that ...", a clause of its own ("£50,000 be approved for the project and the
# report be noted"), a numbered list of resolutions, or a second line.
_SECOND_CLAUSE = re.compile(
    r"\band\s+that\b|;|\n|\(\d+\)|(?:^|\s)\d+[.)]\s|\b(?:be|is|are|was|were)\s+\w+(?:ed|en)\b", re.IGNORECASE
)


def is_routine(resolution: str) -> bool:
    """Whether a resolution only notes, receives, or agrees minutes as a correct record."""
    for pattern in (_NOTED, _CORRECT_RECORD, _MINUTES_AGREED):
        found = pattern.match(resolution.strip())
        if found and not _SECOND_CLAUSE.search(found.group("subject")):
            return True
    return False


@dataclass(frozen=True)
class Place:
    """Where some copied-out words stand in the minutes text: ``text[start:end]``."""

    start: int
    end: int
    # Whether the words are one or more whole paragraphs (else part of one).
    whole_paragraphs: bool


@lru_cache(maxsize=16384)
def _pattern(words: str) -> re.Pattern[str] | None:
    tokens = words.split()
    if not tokens:
        return None
    # Whole words only: a mark must never split a word of the minutes (the word before is
    # checked by whole_word_matches).
    return re.compile(r"\s+".join(re.escape(token) for token in tokens) + r"(?!\w)")


def find(words: str, text: str) -> Place | None:
    """Where ``words`` stand in ``text``, as whole words, matching any run of white space for any other.

    The copy in a field is often on one line while the minutes wrap it, or have a
    double space where the copy has one. Where the words stand more than once, the
    last is taken: minutes discuss a matter first and resolve it at the end.
    """
    pattern = _pattern(words)
    if pattern is None:
        return None
    last = deque(whole_word_matches(pattern, text), maxlen=1)
    if not last:
        return None
    found = last[0]
    before, after = text[: found.start()], text[found.end() :]
    starts_paragraph = not before.strip() or bool(re.search(r"\n[ \t]*\n[ \t]*$", before))
    ends_paragraph = not after.strip() or bool(re.match(r"[ \t]*\n[ \t]*\n", after))
    return Place(found.start(), found.end(), starts_paragraph and ends_paragraph)
