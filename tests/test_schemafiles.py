"""The committed JSON Schemas: up to date, every field described, every record pointing at them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator import schemafiles

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_match_the_model() -> None:
    for name, text in schemafiles.rendered().items():
        committed = ROOT / schemafiles.SCHEMA_DIR / name
        assert committed.read_text(encoding="utf-8") == text, f"{name} is out of date: run `minutes schema`"


def properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [(f"{schema.get('title')}.{name}", spec) for name, spec in schema.get("properties", {}).items()]
    for definition in schema.get("$defs", {}).values():
        found += properties(definition)
    return found


def test_every_field_is_described() -> None:
    for name in schemafiles.SCHEMAS:
        schema = json.loads((ROOT / schemafiles.SCHEMA_DIR / name).read_text(encoding="utf-8"))
        undescribed = [field for field, spec in properties(schema) if not spec.get("description")]
        assert undescribed == [], name


def test_every_record_names_its_schema_on_its_first_line() -> None:
    files = sorted((ROOT / "content").rglob("*.yml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = "meeting.schema.json" if "meetings" in path.parts else f"{path.stem}.schema.json"
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (ROOT / "schema" / schema).resolve(), path


def test_the_editors_guide_describes_every_field_of_a_meeting() -> None:
    guide = (ROOT / "content" / "pages" / "how-to-edit.md").read_text(encoding="utf-8")
    meeting = json.loads((ROOT / "schema" / schemafiles.MEETING_SCHEMA).read_text(encoding="utf-8"))
    fields = {name for _, spec in [("Meeting", meeting)] for name in spec["properties"]}
    fields |= set(meeting["$defs"]["Item"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in guide)
    assert missing == []
