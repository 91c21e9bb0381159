"""Finding a term (a topic's alias, a glossary acronym) in minutes text.

One rule everywhere, so what the validator warns about, what the glossary lists
and what the pages mark up agree: a term matches as a whole word, exactly as
written (case included, so the topic "Prevent" is not the verb "prevent"), with
an optional plural "s" ("DHRs" mentions "DHR").
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(term)}s?(?![\w])")


def find(term: str, text: str) -> int | None:
    """The offset of the first mention of term in text, or None."""
    match = _pattern(term).search(text)
    return match.start() if match else None


def mentions(term: str, text: str) -> bool:
    """Whether text mentions term."""
    return find(term, text) is not None
