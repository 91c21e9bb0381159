"""JSON Schemas of the record format, for editors' tools to check files as they are typed.

Generated from the model in ``schema.py`` and committed under ``schema/``; a test
fails when they fall out of date (``minutes schema`` rewrites them). Each meeting
file names its schema on its first line, which VS Code's YAML extension and other
yaml-language-server editors read to offer completion and checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.schema import CommitteeRegistry, Glossary, Meeting, PeopleRegistry, TopicRegistry

SCHEMA_DIR = "schema"
MEETING_SCHEMA = "meeting.schema.json"

# Each schema file and the model it describes; the registries keep their file names.
SCHEMAS: dict[str, type[BaseModel]] = {
    MEETING_SCHEMA: Meeting,
    "committees.schema.json": CommitteeRegistry,
    "topics.schema.json": TopicRegistry,
    "glossary.schema.json": Glossary,
    "people.schema.json": PeopleRegistry,
}


def schema_of(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one model."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": name,
        **model.model_json_schema(),
    }


def rendered() -> dict[str, str]:
    """Every schema file's text, as it should be committed."""
    return {
        name: json.dumps(schema_of(model, name), indent=2, ensure_ascii=False) + "\n" for name, model in SCHEMAS.items()
    }


def write(root: Path) -> list[Path]:
    """Write the schema files under ``root/schema``; return the files that changed."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    changed = []
    for name, text in rendered().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def modeline(meeting_file: Path, root: Path) -> str:
    """The first line of a meeting file: where its editor finds the schema."""
    depth = len(meeting_file.resolve().relative_to(root.resolve()).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{MEETING_SCHEMA}"
