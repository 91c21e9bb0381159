"""The data model of the archive: what an editor may write in a YAML record.

Every model forbids unknown fields, so a misspelt key is an error rather than data
that silently disappears. Scalars reach these models as the strings the editor
typed (see ``load.py``), so dates, times and flags are parsed here, strictly.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_MINUTE_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./-]*$")
_IDENTIFIER = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _parse_date(value: object) -> object:
    """Accept only ISO dates (YYYY-MM-DD): other spellings are ambiguous in the UK."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD, e.g. 2021-06-17")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a day in the calendar") from None


def _parse_time(value: object) -> object:
    """Accept 24-hour HH:MM, the one time format with no am/pm ambiguity."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not _TIME.match(value):
        raise ValueError("must be a 24-hour time written HH:MM, e.g. 10:00 or 18:30")
    return dt.time.fromisoformat(value)


def _check_identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise ValueError("must be lower-case letters, digits and single hyphens, e.g. strategic-group")
    return value


def _check_minute_number(value: str) -> str:
    if not _MINUTE_NUMBER.match(value):
        raise ValueError('must be the minute number as printed, e.g. "20", "156a" or "39/20"')
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Checked as shapes, not deliverability: they become a link's address on the page.
_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+\.[^@\s<>()\[\]\\,;:\"]+$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"()\[\]\\]+$")


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("must be an email address, e.g. committee.services@bromley.gov.uk")
    return value


def _check_web_address(value: str) -> str:
    if not _WEB_ADDRESS.match(value):
        raise ValueError("must be a web address starting https:// (or http://), with no spaces")
    return value


def _name_only(value: object) -> object:
    """Let an editor write a bare name where a person is expected."""
    return {"name": value} if isinstance(value, str) else value


# The JSON Schema says what an editor may type, for their editor's checks as they type.
Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2021-06-17"]}),
]
Time = Annotated[
    dt.time,
    BeforeValidator(_parse_time),
    PlainSerializer(lambda time: time.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "examples": ["10:00", "18:30"]}),
]
Identifier = Annotated[
    str,
    AfterValidator(_check_identifier),
    WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}),
]
MinuteNumber = Annotated[
    str,
    AfterValidator(_check_minute_number),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}], "examples": ["20", "156a", "39/20"]}),
]
Text = Annotated[str, AfterValidator(_not_blank)]


class Record(BaseModel):
    """Base for every model: unknown fields are errors, strings are kept as typed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Person(Record):
    """Someone named in the minutes, with the role and organisation given there."""

    name: Text = Field(description="The name as the minutes print it.")
    role: Text | None = Field(None, description="Their role, e.g. Borough Commander.")
    organisation: Text | None = Field(None, description="Their organisation, e.g. MOPAC.")


PersonEntry = Annotated[Person, BeforeValidator(_name_only, json_schema_input_type=str | Person)]


class Chair(Record):
    """Who chaired: a person, or a role when the minutes name only the role ("the Chairman")."""

    name: Text | None = Field(None, description="The name as the minutes print it.")
    role: Text | None = Field(None, description="Their role, e.g. Assistant Director for Public Protection.")
    organisation: Text | None = Field(None, description="Their organisation, e.g. London Borough of Bromley.")

    @model_validator(mode="after")
    def _someone(self) -> Chair:
        if self.name is None and self.role is None:
            raise ValueError("give the chair's name, role, or both")
        return self


ChairEntry = Annotated[Chair, BeforeValidator(_name_only, json_schema_input_type=str | Chair)]


class Substitute(Person):
    """A member who attended in place of another."""

    substituting_for: Text | None = Field(None, description="Whose place they took.")


SubstituteEntry = Annotated[Substitute, BeforeValidator(_name_only, json_schema_input_type=str | Substitute)]


class Attendance(Record):
    """Who came, who sent apologies, who stood in for whom."""

    present: list[PersonEntry] = Field(default_factory=list, description="Those present.")
    apologies: list[PersonEntry] = Field(default_factory=list, description="Those who sent apologies for absence.")
    substitutes: list[SubstituteEntry] = Field(
        default_factory=list, description="Those attending in another member's place."
    )


class Contact(Record):
    """The officer to contact about the meeting."""

    name: Text = Field(description="The contact officer's name.")
    phone: Text | None = Field(None, description="Telephone number as printed.")
    email: Annotated[str, AfterValidator(_check_email)] | None = Field(None, description="Email address.")


class Declaration(Record):
    """A declaration of interest made at the meeting."""

    name: Text = Field(description="Who declared the interest.")
    interest: Text = Field(description="The interest declared, as minuted.")
    item: MinuteNumber | None = Field(None, description="The minute number it concerns.")


class Owner(Record):
    """Who is to carry out an action: a person, a role, or both."""

    name: Text | None = Field(None, description="The person named.")
    role: Text | None = Field(None, description="The role or organisation named.")

    @model_validator(mode="after")
    def _someone(self) -> Owner:
        if self.name is None and self.role is None:
            raise ValueError("give the owner's name, role, or both")
        return self


class Action(Record):
    """Something a member or officer undertook to do."""

    what: Text = Field(description="What is to be done, in the minutes' words.")
    who: Owner = Field(description="Who is to do it.")
    due: Date | None = Field(None, description="When it is due (YYYY-MM-DD), if minuted.")


class Document(Record):
    """A report or paper considered with an item."""

    title: Text = Field(description="The document's title.")
    url: Annotated[str, AfterValidator(_check_web_address)] | None = Field(
        None, description="Where the document is published (https://...), if anywhere."
    )


class MeetingRef(Record):
    """A reference to another meeting: by date, and by committee if not the same one."""

    date: Date = Field(description="The date of the meeting referred to (YYYY-MM-DD).")
    committee: Identifier | None = Field(
        None, description="Its committee's id; omit when it is this meeting's committee."
    )


ActionStatus = Literal["done", "in-progress", "dropped", "carried-forward"]


class ActionUpdate(Record):
    """News, at a later meeting, of an action agreed at an earlier one."""

    action: Text = Field(description="The action's id, as shown on its meeting's page, e.g. 2021-06-17-board/24/1.")
    status: ActionStatus = Field(description="done, in-progress, dropped or carried-forward.")
    note: Text | None = Field(None, description="What the minutes say of it.")


# The exempt-information paragraphs of Part 1 of Schedule 12A to the Local Government
# Act 1972 (England): the only grounds on which an item is considered in private.
SCHEDULE_12A = {
    "1": "information relating to any individual",
    "2": "information which is likely to reveal the identity of an individual",
    "3": "information relating to the financial or business affairs of any particular person"
    " (including the authority holding that information)",
    "4": "information relating to any consultations or negotiations, or contemplated consultations or"
    " negotiations, in connection with any labour relations matter arising between the authority or a"
    " Minister of the Crown and employees of, or office holders under, the authority",
    "5": "information in respect of which a claim to legal professional privilege could be maintained"
    " in legal proceedings",
    "6": "information which reveals that the authority proposes to give under any enactment a notice by virtue"
    " of which requirements are imposed on a person, or to make an order or direction under any enactment",
    "7": "information relating to any action taken or to be taken in connection with the prevention,"
    " investigation or prosecution of crime",
}


def _check_paragraph(value: str) -> str:
    if value not in SCHEDULE_12A:
        raise ValueError(
            f"'{value}' is not an exempt-information paragraph of Schedule 12A to the Local Government Act 1972"
        )
    return value


Paragraph = Annotated[
    str,
    AfterValidator(_check_paragraph),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "enum": list(SCHEDULE_12A)}, {"type": "integer", "minimum": 1, "maximum": 7}]}
    ),
]

# All an item considered in private may publish; nothing else has a field to go in.
PRIVATE_ITEM_FIELDS = ("number", "title", "private_under", "public_summary", "resolutions", "topics")


class Item(Record):
    """One agenda item and what the minutes record of it."""

    model_config = ConfigDict(
        json_schema_extra={
            # The same rule as _private_items_hold_no_text, for editors' own checks as they type.
            "if": {"required": ["private_under"], "properties": {"private_under": {"not": {"type": "null"}}}},
            # (Empty values, not absent ones, so that data/meetings.json, which lists every field, passes too.)
            "then": {
                "properties": {
                    "agenda_text": {"type": "null"},
                    "text": {"const": ""},
                    "actions": {"maxItems": 0},
                    "documents": {"maxItems": 0},
                    "truncated": {"const": False},
                    "action_updates": {"maxItems": 0},
                    "approves_minutes_of": {"type": "null"},
                    "matters_arising_from": {"type": "null"},
                }
            },
            "else": {"properties": {"public_summary": {"type": "null"}}},
        }
    )

    number: MinuteNumber | None = Field(
        None, description='Minute number as printed ("20", "156a", "39/20"); omit if unnumbered.'
    )
    title: Text = Field(description="The item's title.")
    agenda_text: Text | None = Field(None, description="What the agenda printed about the item, before the minutes.")
    text: str = Field("", description="The minutes of the item, Markdown, word for word.")
    resolutions: list[Text] = Field(default_factory=list, description='Each resolution, e.g. "RESOLVED that ...".')
    actions: list[Action] = Field(default_factory=list, description="Actions agreed.")
    documents: list[Document] = Field(default_factory=list, description="Papers considered.")
    truncated: StrictBool = Field(False, description="true when the published source text was cut short.")
    topics: list[Identifier] = Field(
        default_factory=list,
        description="Ids from content/topics.yml of the recurring items this item is on.",
    )
    action_updates: list[ActionUpdate] = Field(
        default_factory=list, description="Updates on actions agreed at earlier meetings."
    )
    approves_minutes_of: MeetingRef | None = Field(
        None, description="The earlier meeting whose minutes this item agrees as a correct record."
    )
    matters_arising_from: MeetingRef | None = Field(
        None, description="The earlier meeting whose matters arising this item reports on."
    )
    private_under: Paragraph | None = Field(
        None,
        description="For an item considered in private: the paragraph (1 to 7) of Schedule 12A to the Local"
        " Government Act 1972 under which the press and public were excluded. Such an item holds only its"
        " number, title, public_summary, resolutions and topics.",
    )
    public_summary: Text | None = Field(
        None, description="For an item considered in private: what may be published about it, if anything."
    )

    @model_validator(mode="after")
    def _private_items_hold_no_text(self) -> Item:
        """Fail closed: a private item without its basis, or with text beyond what may be published."""
        if "private_under" in self.model_fields_set and self.private_under is None:
            raise PydanticCustomError(
                "private_basis",
                "an item considered in private needs the paragraph of Schedule 12A it was exempt under",
                {"field": "private_under"},
            )
        if self.private_under is None:
            if self.public_summary is not None:
                raise PydanticCustomError(
                    "public_summary_without_basis",
                    "public_summary is only for an item considered in private, which needs private_under",
                    {"field": "public_summary"},
                )
            return self
        held = [name for name in type(self).model_fields if name in self.model_fields_set - set(PRIVATE_ITEM_FIELDS)]
        if held:
            raise PydanticCustomError(
                "private_text",
                "an item considered in private may not hold {fields}: the records are public",
                {"field": held[0], "fields": ", ".join(held)},
            )
        return self

    @property
    def private(self) -> bool:
        """Whether the item was considered in private (its basis is then ``private_under``)."""
        return self.private_under is not None


class NextMeeting(Record):
    """When and where the committee next meets, as the minutes announce it."""

    date: Date = Field(description="Date of the next meeting (YYYY-MM-DD).")
    time: Time | None = Field(None, description="Start time, 24-hour HH:MM.")
    venue: Text | None = Field(None, description="Where it will be held.")


class Source(Record):
    """Where a record came from: the council's page of the meeting, and when it was read there."""

    url: Annotated[str, AfterValidator(_check_web_address)] = Field(
        description="The meeting's page on the council's committee system (https://...)."
    )
    meeting_id: Text | None = Field(None, description="The committee system's id of the meeting, e.g. 4967.")
    retrieved: Date | None = Field(None, description="The day the minutes were read from there (YYYY-MM-DD).")


class Meeting(Record):
    """One meeting of one committee: the unit an editor commits."""

    committee: Identifier = Field(description="The committee's id from content/committees.yml.")
    date: Date = Field(description="The date of the meeting (YYYY-MM-DD).")
    start_time: Time | None = Field(None, description="Start time, 24-hour HH:MM.")
    venue: Text | None = Field(None, description="Where the meeting was held.")
    contact: Contact | None = Field(None, description="The contact officer.")
    status: Literal["draft", "approved"] = Field(
        description="draft until the committee agrees the minutes, then approved."
    )
    chairs: list[ChairEntry] = Field(
        default_factory=list, description="Who chaired: a name, a role, or both (name: ..., role: ...)."
    )
    attendance: Attendance = Field(default_factory=Attendance, description="Attendance.")
    declarations: list[Declaration] = Field(
        default_factory=list, description="Declarations of interest; empty when none."
    )
    items: list[Item] = Field(min_length=1, description="The items, in agenda order.")
    next_meeting: NextMeeting | None = Field(None, description="The next meeting announced.")
    source: Source | None = Field(
        None, description="Where the minutes were read from, for a record imported from the council's system."
    )

    # Worked out once (a cached property, kept out of the record's fields and comparisons):
    # every link to the meeting, an item or an action of it needs them, thousands of times a build.
    @functools.cached_property
    def slug(self) -> str:
        """The meeting's identity (see ``slug_of``), e.g. 2021-06-17-board."""
        return slug_of(self.date, self.committee)

    @functools.cached_property
    def keys_of_items(self) -> list[str]:
        """Each item's key within the meeting (see the module's ``item_keys``)."""
        return item_keys(self.items)

    def item_keys(self) -> list[str]:
        """Each item's key within the meeting (see the module's ``item_keys``)."""
        return self.keys_of_items


def without_article(text: str) -> str:
    """The text without a leading "the ": minutes write "the Borough Commander" and "Borough Commander"."""
    return text[4:] if text[:4].casefold() == "the " else text


@functools.lru_cache(maxsize=4096)
def role_key(role: str) -> str:
    """A role as compared: "The  Borough Commander" and "borough commander" are one role."""
    return without_article(" ".join(role.casefold().split()))


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens: "39/20" -> "39-20", "Any business" -> "any-business"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def item_keys(items: Sequence[Item]) -> list[str]:
    """Each item's key within its meeting: its minute number, else its title, made unique.

    The key is the item's identity in addresses (``#item-20``) and in action ids
    (``2021-06-17-board/20/1``); a repeated key gets ``-2``, ``-3``.
    """
    keys: list[str] = []
    for item in items:
        base = slugify(item.number) if item.number else slugify(item.title) or "untitled"
        key, count = base, 1
        while key in keys:
            count += 1
            key = f"{base}-{count}"
        keys.append(key)
    return keys


def slug_of(day: dt.date, committee: str) -> str:
    """A meeting's identity from its date and committee id, e.g. 2021-06-17-board: in addresses,
    action ids, file names and calendar events alike."""
    return f"{day.isoformat()}-{committee}"


def meeting_slug(meeting: Meeting) -> str:
    """A meeting's identity: its date and committee, e.g. 2021-06-17-board."""
    return meeting.slug


def action_ids(meeting: Meeting) -> dict[tuple[int, int], str]:
    """The stable id of each action, keyed by (item index, action index).

    ``<meeting>/<item key>/<n>``, e.g. ``2021-06-17-board/24/1``: derived from the
    record, so it never needs writing down, and usable in later meetings' updates.
    """
    keys = meeting.item_keys()
    return {
        (i, a): f"{meeting_slug(meeting)}/{keys[i]}/{a + 1}"
        for i, item in enumerate(meeting.items)
        for a in range(len(item.actions))
    }


class Committee(Record):
    """A body whose meetings the archive holds."""

    id: Identifier = Field(description="Short id used in meeting files and addresses.")
    name: Text = Field(description="The full name, e.g. Safer Bromley Partnership Board.")
    short_name: Text | None = Field(None, description="A short name for tight spaces.")
    description: Text | None = Field(None, description="What the body is for.")
    moderngov_id: Text | None = Field(
        None, description="Its id in the council's ModernGov system, for `minutes import moderngov`, e.g. 144."
    )


class CommitteeRegistry(Record):
    """content/committees.yml: every committee the archive knows."""

    committees: list[Committee] = Field(min_length=1, description="The committees.")


class Topic(Record):
    """A recurring item that residents follow across meetings and years."""

    id: Identifier = Field(description="Short id used in meeting files and addresses, e.g. vrap.")
    title: Text = Field(description="The topic's name, e.g. Violence Reduction Action Plan.")
    summary: Text = Field(description="What it is, in a sentence or two of plain English.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names the minutes use for it (e.g. VRAP); used to spot untagged items.",
    )


class TopicRegistry(Record):
    """content/topics.yml: the recurring items."""

    topics: list[Topic] = Field(description="The topics.")


class GlossaryTerm(Record):
    """An acronym or term the minutes use, with what it stands for."""

    term: Text = Field(description="The term as printed, e.g. ASB.")
    expansion: Text = Field(description="What it stands for, e.g. anti-social behaviour.")
    description: Text | None = Field(None, description="A sentence of explanation, if useful.")


class Glossary(Record):
    """content/glossary.yml: the acronyms and terms the minutes use."""

    terms: list[GlossaryTerm] = Field(description="The terms.")


class Membership(Record):
    """A period in which someone was a member of a committee, for their attendance rate."""

    committee: Identifier = Field(description="The committee's id from content/committees.yml.")
    start: Date | None = Field(None, alias="from", description="The day they joined (YYYY-MM-DD), if known.")
    end: Date | None = Field(None, alias="to", description="The day they left (YYYY-MM-DD); omit while they remain.")

    @model_validator(mode="after")
    def _in_order(self) -> Membership:
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError(
                "period_order", "the membership ends ({end}) before it starts", {"field": "to", "end": str(self.end)}
            )
        return self


class RoleHeld(Record):
    """A period in which someone held a role, so actions and chairs named by the role alone are theirs."""

    role: Text = Field(description="The role as the minutes name it, e.g. Assistant Director for Public Protection.")
    organisation: Text | None = Field(
        None, description="The organisation the role is in, e.g. London Borough of Bromley."
    )
    start: Date = Field(alias="from", description="The first day they are known to have held it (YYYY-MM-DD).")
    end: Date | None = Field(
        None, alias="to", description="The last day they are known to have held it (YYYY-MM-DD); omit if still held."
    )

    @model_validator(mode="after")
    def _in_order(self) -> RoleHeld:
        if self.end and self.end < self.start:
            raise PydanticCustomError(
                "period_order", "the role is held until {end}, before it starts", {"field": "to", "end": str(self.end)}
            )
        return self

    def held_on(self, day: dt.date) -> bool:
        """Whether the period covers ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


class PersonRecord(Record):
    """One person as the registry knows them, joining the spellings the minutes use."""

    name: Text = Field(description="The name to show, e.g. Betty McDonald.")
    id: Identifier | None = Field(
        None, description="The address of their page, /people/<id>/; made from the name if not given."
    )
    variants: list[Text] = Field(
        default_factory=list, description="Other spellings the minutes use, e.g. Betty Macdonald."
    )
    role: Text | None = Field(None, description="Their role, e.g. Head of Youth Offending Service.")
    organisation: Text | None = Field(None, description="Their organisation, e.g. London Borough of Bromley.")
    memberships: list[Membership] = Field(
        default_factory=list,
        description="When they were a member of each committee; their attendance rate counts only those meetings.",
    )
    roles: list[RoleHeld] = Field(
        default_factory=list,
        description="The roles they held and when; an action or chair named by the role alone on a day inside a"
        " period is theirs.",
    )


class PeopleRegistry(Record):
    """content/people.yml: optional; joins variant spellings of one person."""

    people: list[PersonRecord] = Field(description="The people.")


class Redirect(Record):
    """An address that moved, and where it went."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    old: str = Field(alias="from", description="The old address, e.g. meetings/2021-06-16-board/.")
    new: str = Field(alias="to", description="The address it moved to, e.g. meetings/2021-06-17-board/.")


class RedirectRegistry(Record):
    """content/redirects.yml: every address that moved, so old links keep working."""

    redirects: list[Redirect] = Field(default_factory=list, description="The moves, one hop each.")
