"""Hostile YAML: each file is refused with a clear, placed message, quickly and without a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from generator.load import load_content
from tests.fixtures import VALID, write_content

M = "content/meetings/m.yml"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

HOSTILE: list[tuple[str, str | bytes, str]] = [
    ("billion laughs", LAUGHS, f"{M}:2:8: b[0]: anchors and aliases (& and *) are not allowed in records"),
    ("python object tag", "!!python/object/apply:os.system ['echo owned']\n", f"{M}:1:1: (file): the YAML tag"),
    ("python name tag in a field", VALID + "venue: !!python/name:os.system\n", f"{M}:6:8: venue: the YAML tag"),
    ("custom local tag", VALID + "venue: !secret x\n", f"{M}:6:8: venue: the YAML tag '!secret' is not allowed"),
    ("huge file", VALID + "# " + "x" * 2_100_000 + "\n", f"{M}:1:1: (file): is 2,100,"),
    ("binary junk", b"\x00\x01\x02\xff\xfe" * 1000, f"{M}:1:1: (file): is binary, not text"),
    ("latin-1 text", VALID.encode() + "venue: Caf\xe9\n".encode("latin-1"), f"{M}:6:11: (file): is not UTF-8 text"),
    ("UTF-16", VALID.encode("utf-16"), f"{M}:1:1: (file): is binary, not text"),
    ("deep flow nesting", "a: " + "[" * 100_000 + "]" * 100_000 + "\n", f"{M}:1:"),
    ("deep block nesting", "".join(" " * i + f"k{i}:\n" for i in range(60)), f"{M}:41:"),
    ("many documents", VALID + "---\n" + VALID, f"{M}:6:1: (file): holds more than one YAML document"),
    ("a mapping as a key", "? [a, b]\n: c\n", f"{M}:1:3: (file): a field name must be plain text"),
    ("unterminated flow", "items: [a, b\n", f"{M}:2:1: (syntax): not valid YAML"),
    (
        "control characters",
        VALID + "venue: \x07bell\n",
        f"{M}:6:8: (syntax): not valid YAML: the character U+0007 is not allowed",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), HOSTILE, ids=[case for case, _, _ in HOSTILE])
def test_hostile_input_is_refused_quickly_and_clearly(
    tmp_path: Path, case: str, text: str | bytes, expected: str
) -> None:
    content = write_content(tmp_path, {"m.yml": text})
    tracemalloc.start()
    start = time.perf_counter()
    problems = [str(p) for p in load_content(content, tmp_path).problems]
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert any(p.startswith(expected) for p in problems), problems[:3]
    assert "Traceback" not in "".join(problems)
    # Bounded: generous limits that only an expansion or a runaway parse would exceed.
    assert elapsed < 10, elapsed
    assert peak < 200_000_000, peak
