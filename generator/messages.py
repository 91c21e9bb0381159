"""Turning pydantic's validation errors into editors' messages: field, plain words and a hint.

One format everywhere: ``minutes validate`` places each message at file:line:column,
and an importer's draft lists the same messages for what an editor must fill in.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.source import Loc, Positions, Problem, field_name

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_model(
    model: type[ModelT], data: Any, positions: Positions, display: str
) -> tuple[ModelT | None, list[Problem]]:
    """Validate data against a model; each pydantic error becomes a placed Problem."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [
            _problem(model, e, positions, display)
            for e in error.errors(include_url=False)
            if not any(tuple(e["loc"][: len(loc)]) == loc for loc in positions.unreadable)
        ]
        return None, sorted(set(problems))


def _problem(model: type[BaseModel], error: ErrorDetails, positions: Positions, display: str) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        line, column = positions.of_key(loc)
        allowed = _field_names(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.75)
        hint = f"did you mean '{guess[0]}'?" if guess else f"allowed fields here: {', '.join(allowed)}"
        return Problem(display, line, column, field_name(loc), f"unknown field '{loc[-1]}'", hint)
    if kind == "missing":
        line, column = positions.of_value(loc[:-1])
        return Problem(
            display,
            line,
            column,
            field_name(loc),
            "is required but missing",
            f"add `{loc[-1]}:` with its value",
        )
    if kind in _WHOLE_ITEM_RULES:
        # The rule concerns the item as a whole; point at the field that breaks it.
        loc = (*loc, error.get("ctx", {})["field"])
        line, column = positions.of_key(loc)
        return Problem(display, line, column, field_name(loc), error["msg"], _WHOLE_ITEM_RULES[kind])
    # An empty value has no text of its own to point at: point at its field name.
    line, column = positions.of_key(loc) if value is None else positions.of_value(loc)
    message, hint = _explain(kind, error, value)
    return Problem(display, line, column, field_name(loc), message, hint)


# Rules about an item as a whole (schema.Item), and how to mend a breach of each.
_WHOLE_ITEM_RULES = {
    "private_text": "remove those fields: these files are published as they are, so private text never goes in them;"
    " what may be published goes in public_summary",
    "private_basis": "write the paragraph number (1 to 7) that the minutes give for excluding the press and public",
    "public_summary_without_basis": "add `private_under:` with the Schedule 12A paragraph number if the item"
    " was considered in private; otherwise write the minutes in `text`",
    "period_order": "check both dates: `from` is the first day of the period and `to` the last",
}


def _explain(kind: str, error: ErrorDetails, value: Any) -> tuple[str, str]:
    """Plain-English message and hint for one pydantic error."""
    if value is None and kind in {"string_type", "model_type", "list_type", "date_type", "value_error"}:
        return "is empty", "give it a value, or remove the line if the field is optional"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), _value_hint(str(error["msg"]))
    if kind == "string_type":
        return "must be text", "put the value in quotes"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list", "put each entry on its own line starting with '- '"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be a group of fields", "indent the fields under this one, each as `name: value`"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, not {value!r}", "write true or false without quotes"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")
        return f"'{value}' is not allowed", f"use one of: {expected}"
    if kind == "too_short":
        return "must have at least one entry", "add an entry, each on its own line starting with '- '"
    return str(error["msg"]), ""


def _value_hint(message: str) -> str:
    if "Schedule 12A" in message:
        return "use the paragraph number the minutes give, 1 to 7"
    if "email address" in message:
        return "write the address alone, without a name or <>"
    if "web address" in message:
        return "copy the document's address from the browser's address bar"
    if "calendar" in message:
        return "check the day and the month"
    if "date" in message or "time" in message:
        return 'write it in quotes if in doubt, e.g. "10:00"'
    return ""


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The fields allowed at loc inside model, for did-you-mean hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else current
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional down to the type an editor fills in."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        elif origin is list:
            first = typing.get_args(annotation)[0]
            if isinstance(_unwrap(first), type) and issubclass(_unwrap(first), BaseModel):
                return list[_unwrap(first)]  # type: ignore[misc]
            return annotation
        else:
            return annotation
