"""The Jinja environment of every template in ``templates/``: the pages, and new records.

One environment with one set of filters, so that a page and a record made by
``minutes new`` say a date, a time, a person or a status the same way.
"""

from __future__ import annotations

import html
import json
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.labels import (
    STATUS_LABELS,
    action_label,
    clock_time,
    item_label,
    long_date,
    owner_label,
    private_notice,
    short_date,
)
from generator.sanitise import plain_text
from generator.schema import Person


def _person(person: Person) -> str:
    """ "Janet Bailey (Interim Director of Children's Social Care, MOPAC)"."""
    details = ", ".join(part for part in (getattr(person, "role", None), person.organisation) if part)
    return f"{person.name} ({details})" if details else person.name


def _front_matter_text(value: str) -> str:
    """A page's title or description for its front matter.

    The theme writes these into <title>, <meta content="..."> and the header as
    HTML, unescaped: so they are made plain text and escaped here. A JSON string is
    a valid YAML double-quoted scalar, whatever the text holds.
    """
    return json.dumps(html.escape(plain_text(value)), ensure_ascii=False)


def count(number: int, noun: tuple[str, str] | str) -> str:
    """ "1 decision", "1,285 decisions"."""
    singular, plural = (noun, noun + "s") if isinstance(noun, str) else noun
    return f"{number:,} {singular if number == 1 else plural}"


def _capital(text: str) -> str:
    """The text with its first letter in capitals, the rest as it is."""
    return text[:1].upper() + text[1:]


@cache
def environment() -> Environment:
    """The Jinja environment for every template in ``templates/`` (pages and new records)."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is Markdown or YAML, escaped where it is written
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    env.filters.update(
        status=lambda status: STATUS_LABELS[status],
        short_date=short_date,
        long_date=long_date,
        clock_time=clock_time,
        person=_person,
        owner=owner_label,
        quoted=_front_matter_text,
        private_notice=private_notice,
        count=count,
        capital=_capital,
        # Applied to an item's occurrence at a meeting, and to a tracked action.
        minute_label=lambda occurrence: item_label(occurrence.item),
        action_label=lambda tracked: action_label(tracked.raised.item, tracked.number),
    )
    return env
