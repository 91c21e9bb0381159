"""A draft meeting record, as an importer builds it, and writing it out as YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.messages import validate_model
from generator.schema import Meeting
from generator.source import Positions


@dataclass
class Draft:
    """A meeting as far as an importer could read it, and what an editor must review."""

    data: dict[str, Any]
    # Things the importer noticed: withheld items, text it could not place, unknown structures.
    notes: list[str] = field(default_factory=list)

    def to_fill_in(self) -> list[str]:
        """What the editor must still supply for the record to pass validation, as ``minutes validate`` says it."""
        _, problems = validate_model(Meeting, self.data, Positions(), "draft")
        return [problem.unplaced() for problem in problems]


def _literal(value: Any) -> Any:
    """Multi-line text as a | block, so the file reads like the minutes."""
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    return value


def write_draft(draft: Draft, path: Path, modeline: str, source: str) -> None:
    """Write the draft with a header saying where it came from and what to review."""
    header = [modeline, f"# Imported from {source}. A draft: review it against the source before publishing."]
    for note in draft.notes:
        header.append(f"# REVIEW: {note}")
    for missing in draft.to_fill_in():
        header.append(f"# FILL IN: {missing}")
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join(header) + "\n")
        yaml.dump(_literal(draft.data), out)
