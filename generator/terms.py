"""Finding terms (topic aliases, glossary acronyms) in minutes text.

One rule everywhere, so what the validator warns about, what the glossary lists
and what the pages mark up agree: a term matches as a whole word, exactly as
written (case included, so the topic "Prevent" is not the verb "prevent"), with
an optional plural "s" ("DHRs" mentions "DHR").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

# What each pattern found in each text, by the text's digest: a preview builds again and again
# from the same minutes, and finding a glossary's terms in them is a tenth of its work. Emptied
# when full, so it never holds more than a few archives' worth.
_FOUND: dict[tuple[str, bytes], dict[str, int]] = {}
_FOUND_MOST = 50_000
_WORD = re.compile(r"\w")


def whole_word_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""Each place ``pattern`` matches in ``text``, one after another, that does not start inside a word.

    The same matches as ``pattern`` preceded by ``(?<!\w)``, found sooner: a pattern that
    starts with its words, not with that look-behind, lets the regex engine skip ahead to
    the letters they can start with, and the letter before is checked here.
    """
    at = 0
    while (match := pattern.search(text, at)) is not None:
        start = match.start()
        if start and _WORD.match(text, start - 1):
            # Inside a longer word: nothing matches here as a whole word, so try the next letter.
            at = start + 1
            continue
        yield match
        at = match.end()


class Matcher:
    """Finds any of a set of terms in a text in one pass, however many terms there are."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = tuple(dict.fromkeys(terms))
        # Longest first, so "Violence Reduction Action Plan" wins over a shorter term inside it.
        alternatives = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        # Starting with the terms themselves, and not with "(?<!\w)", lets the regex engine skip
        # ahead to the letters a term can start with (see whole_word_matches).
        self._pattern = re.compile(rf"({alternatives})s?(?!\w)") if self.terms else None

    def found(self, text: str) -> dict[str, int]:
        """Each term the text mentions, with the offset of its first mention."""
        if self._pattern is None:
            return {}
        key = (self._pattern.pattern, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
        known = _FOUND.get(key)
        if known is not None:
            return dict(known)
        first: dict[str, int] = {}
        for match in whole_word_matches(self._pattern, text):
            first.setdefault(match.group(1), match.start())
        if len(_FOUND) >= _FOUND_MOST:
            _FOUND.clear()
        _FOUND[key] = first
        return dict(first)
