"""The editor at /admin/: Decap CMS's configuration, made from the record model.

The form is the JSON Schema of a meeting record (``schemafiles``) turned into Decap
CMS widgets, so it cannot drift from what ``minutes validate`` accepts: each field's
label, hint (its description in ``schema.py``) and whether it is required come from
the model; dates and times are stored as ``YYYY-MM-DD`` and ``HH:MM``; committees
and topics are offered from their registries, read live from the repository, and
so are people's names (any other name may be typed: the people registry is optional).
``minutes cms-config`` commits the configuration as ``admin/config.yml`` for review,
and the site's build publishes the same text, so the two cannot differ either.

What the form writes becomes a record again in ``overrides/admin/minutes-cms.js``
(Decap's custom format): it keeps the record's first line and header comments,
writes a person named by name alone as a bare name, and leaves out empty values.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from generator.schema import (
    PRIVATE_ITEM_FIELDS,
    SCHEDULE_12A,
    CommitteeRegistry,
    Meeting,
    PeopleRegistry,
    TopicRegistry,
)

CONFIG = Path("admin") / "config.yml"
# The custom format that overrides/admin/minutes-cms.js registers with Decap CMS.
FORMAT = "minutes-yaml"
# The key that tells an item considered in private from a public one in the form; never written to a record.
ITEM_KIND = "kind"
# The hidden field that carries a record's header comments through the form, back to the file.
HEADER = "header_comments"
# The widget overrides/admin/minutes-cms.js registers for a person's name: any name may be typed,
# and the names in content/people.yml are offered as the clerk types.
PERSON_NAME = "minutes-person-name"
# The media library overrides/admin/minutes-cms.js registers: none, as records hold no files.
NO_MEDIA = "minutes-no-media"
# Marks a part that an optional part needs once it is filled in: Decap CMS would require it even
# when the optional part is left out, so minutes-cms.js checks it as the clerk saves.
NEEDED = "needed_with_part"

# Fields whose text runs to paragraphs: a text box, not a line. (The minutes' own text is
# Markdown, but a rich editor would rewrite it; the box keeps it word for word.)
LONG_TEXT = {"text", "agenda_text", "public_summary", "interest", "what", "note", "description", "summary"}
# Labels the field names do not make plainly by themselves.
LABELS = {
    "private_under": "Exempt under paragraph (Schedule 12A)",
    "public_summary": "What may be published",
    "agenda_text": "Agenda text",
    "text": "Minutes",
    "approves_minutes_of": "Approves the minutes of",
    "matters_arising_from": "Matters arising from",
    "action_updates": "Updates on earlier actions",
    "who": "Who",
    "what": "What",
    "due": "Due",
    "url": "Web address",
    "meeting_id": "Meeting id in the committee system",
    "substituting_for": "Substituting for",
}


def _label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def _relation(file: str, multiple: bool = False) -> dict[str, Any]:
    """A choice from a registry (content/<file>.yml), read from the repository as the clerk opens the form."""
    shown = f"{file}.*.{'name' if file == 'committees' else 'title'}"
    relation: dict[str, Any] = {
        "widget": "relation",
        "collection": "registries",
        "file": file,
        "value_field": f"{file}.*.id",
        "search_fields": [f"{file}.*.id", shown],
        "display_fields": [shown],
    }
    if multiple:
        relation["multiple"] = True
    return relation


def _optional_parts(fields: list[dict[str, Any]]) -> None:
    for field in fields:
        if field.get("required", True):
            field["required"] = False
            field[NEEDED] = True
            field["hint"] = (field.get("hint", "") + " Needed when this part is filled in.").strip()
        if field["widget"] == "object":
            _optional_parts(field["fields"])


class _Form:
    """Turns one JSON Schema (with its ``$defs``) into Decap CMS fields."""

    def __init__(self, schema: dict[str, Any], names_people: bool = False) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        # In a meeting record every `name` is a person's (a chair, an attendee, an owner, an officer).
        self.names_people = names_people

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            found: dict[str, Any] = self.defs[node["$ref"].rsplit("/", 1)[-1]]
            return found
        return node

    def _choices(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """The alternatives a value may take, null left out: ``X | None`` is X, not required."""
        alternatives = node.get("anyOf", [node])
        return [a for a in alternatives if a.get("type") != "null"]

    def fields(self, model: dict[str, Any], only: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        required = set(model.get("required", []))
        return [
            self.field(name, node, name in required)
            for name, node in model["properties"].items()
            if only is None or name in only
        ]

    def field(self, name: str, node: dict[str, Any], required: bool) -> dict[str, Any]:
        widget = self.widget(name, node)
        field: dict[str, Any] = {"name": name, "label": _label(name), **widget}
        if node.get("description"):
            field["hint"] = node["description"]
        if not required:
            field["required"] = False
            if widget["widget"] == "object":
                # Decap CMS checks an object's required parts even when the object is left out
                # entirely; `minutes validate` (and the pull request's check) still requires them.
                _optional_parts(widget["fields"])
        elif widget["widget"] == "object":
            del field["collapsed"]  # a part every record has is open from the start
        elif widget["widget"] == "list" and "min" not in widget:
            field["required"] = False
        return field

    def widget(self, name: str, node: dict[str, Any]) -> dict[str, Any]:
        choices = self._choices(node)
        # A person may be written as a bare name or with a role: the form always asks for the fields.
        objects = [c for c in choices if "$ref" in c]
        value = self._resolve(objects[0] if objects else choices[0])
        # Ids of a committee or topic, never the registries' own lists of them.
        if name == "committee" and value.get("type") == "string":
            return _relation("committees")
        if name == "topics" and value.get("items", {}).get("type") == "string":
            return _relation("topics", multiple=True)
        if name == "name" and self.names_people and value.get("type") == "string":
            return {"widget": PERSON_NAME}
        if name == "private_under":
            options = [{"label": f"{number}: {what}", "value": number} for number, what in SCHEDULE_12A.items()]
            return {"widget": "select", "options": options}
        if "enum" in value:
            widget: dict[str, Any] = {"widget": "select", "options": list(value["enum"])}
            if "default" in node:
                widget["default"] = node["default"]
            return widget
        if value.get("format") == "date":
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "YYYY-MM-DD",
                "time_format": False,
                "picker_utc": True,
            }
        if value.get("pattern", "").startswith("^([01]"):
            return {"widget": "datetime", "format": "HH:mm", "date_format": False, "time_format": "HH:mm"}
        if value.get("type") == "boolean":
            return {"widget": "boolean", "default": bool(node.get("default", False))}
        if value.get("type") == "array":
            return self._list(name, node, value)
        if "properties" in value:
            return {"widget": "object", "collapsed": True, "fields": self.fields(value)}
        return {"widget": "text" if name in LONG_TEXT else "string"}

    def _list(self, name: str, node: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        entry = self._choices(value["items"])
        objects = [self._resolve(c) for c in entry if "$ref" in c]
        widget: dict[str, Any] = {"widget": "list"}
        if value.get("minItems"):
            widget["min"] = value["minItems"]
        if name == "items":
            return {**widget, **self._items(objects[0])}
        if objects:
            model = objects[0]
            fields = self.fields(model)
            widget["fields"] = fields
            widget["summary"] = (
                "{{fields."
                + fields[0]["name"]
                + "}}"
                + (" — {{fields." + fields[1]["name"] + "}}" if len(fields) > 1 else "")
            )
            return widget
        # A list of text, one box an entry (resolutions).
        return {**widget, "field": {"name": name.rstrip("s"), "label": _label(name.rstrip("s")), "widget": "text"}}

    def _items(self, item: dict[str, Any]) -> dict[str, Any]:
        """The agenda: each item public or considered in private, the private ones with only their public fields."""
        public = tuple(n for n in item["properties"] if n not in ("private_under", "public_summary"))
        return {
            "label_singular": "item",
            "typeKey": ITEM_KIND,
            "summary": "{{fields.number}} {{fields.title}}",
            "types": [
                {"name": "public", "label": "Item", "widget": "object", "fields": self.fields(item, public)},
                {
                    "name": "private",
                    "label": "Item considered in private",
                    "widget": "object",
                    "fields": self.fields(
                        {**item, "required": [*item.get("required", []), "private_under"]}, PRIVATE_ITEM_FIELDS
                    ),
                },
            ],
        }


def _registry(name: str, label: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "label": label, "file": f"content/{name}.yml", "fields": _Form(schema).fields(schema)}


def config() -> dict[str, Any]:
    """Decap CMS's configuration: the meetings as a folder of records, the registries they choose from."""
    meeting = Meeting.model_json_schema()
    fields = [{"name": HEADER, "label": "Header comments", "widget": "hidden", "required": False}]
    fields += _Form(meeting, names_people=True).fields(meeting)
    return {
        # The repository is the site's own: the admin page names it (repo_url), see generator/site/admin.py.
        "backend": {"name": "github", "branch": "main"},
        # Used only where the page is on this computer and `decap-server` answers (the README's "Editing locally").
        "local_backend": True,
        # Each new or changed meeting is a pull request that the check workflow validates first.
        "publish_mode": "editorial_workflow",
        # Decap CMS requires a media folder; no field of a record uploads a file, so the media
        # library is one that offers nothing (minutes-cms.js), and the editor shows no Media tab.
        "media_folder": "content/media",
        "media_library": {"name": NO_MEDIA},
        "locale": "en",
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": "meetings",
                "label": "Meetings",
                "label_singular": "meeting",
                "description": "One record a meeting: the minutes as the committee agreed them, item by item.",
                "folder": "content/meetings",
                "extension": "yml",
                "format": FORMAT,
                "create": True,
                "delete": False,
                # Where `minutes new` writes it: meetings/<year>/<date>-<committee>.yml.
                "path": "{{year}}/{{slug}}",  # {{year}}: the year of the record's own date field
                "slug": "{{fields.date}}-{{fields.committee}}",
                "identifier_field": "date",
                "summary": "{{fields.date}} {{fields.committee}} ({{fields.status}})",
                # Newest first, as a clerk looks for the last meeting.
                "sortable_fields": [{"field": "date", "label": "Date", "default_sort": "desc"}, "committee"],
                "editor": {"preview": False},
                "fields": fields,
            },
            {
                "name": "registries",
                "label": "Registries",
                # Offered in the meeting form's choices; edited in their files, whose comments explain them.
                "hide": True,
                "create": False,
                "delete": False,
                "editor": {"preview": False},
                "files": [
                    _registry("committees", "Committees", CommitteeRegistry.model_json_schema()),
                    _registry("topics", "Topics", TopicRegistry.model_json_schema()),
                    _registry("people", "People", PeopleRegistry.model_json_schema()),
                ],
            },
        ],
    }


@functools.cache
def rendered() -> str:
    """The configuration's text, as committed in admin/config.yml and published at /admin/config.yml.

    Made once a process: it follows the record model alone, and the preview asks for it on every rebuild.
    """
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    out = io.StringIO()
    out.write(
        "# Decap CMS's configuration for the editor at /admin/, made from the record model by\n"
        "# `minutes cms-config`: do not edit it by hand (`minutes cms-config --check` fails when it is stale).\n"
    )
    yaml.dump(config(), out)
    return out.getvalue()
