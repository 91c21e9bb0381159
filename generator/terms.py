"""Finding terms (topic aliases, glossary acronyms) in minutes text.

One rule everywhere, so what the validator warns about, what the glossary lists
and what the pages mark up agree: a term matches as a whole word, exactly as
written (case included, so the topic "Prevent" is not the verb "prevent"), with
an optional plural "s" ("DHRs" mentions "DHR").
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class Matcher:
    """Finds any of a set of terms in a text in one pass, however many terms there are."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = tuple(dict.fromkeys(terms))
        # Longest first, so "Violence Reduction Action Plan" wins over a shorter term inside it.
        alternatives = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)({alternatives})s?(?!\w)") if self.terms else None

    def found(self, text: str) -> dict[str, int]:
        """Each term the text mentions, with the offset of its first mention."""
        first: dict[str, int] = {}
        if self._pattern is not None:
            for match in self._pattern.finditer(text):
                first.setdefault(match.group(1), match.start())
        return first
