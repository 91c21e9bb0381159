"""Two pieces of work at once (generator.apart): the results are those of doing them one after the other.

A process forks only when no other thread runs, and the test session has threads of
its own once a browser or a server has started, so what forks runs in a fresh
interpreter, as a build does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from typing import Any

from generator import apart


def in_a_fresh_process(code: str) -> Any:
    """What ``code`` (which may use ``apart`` and ``os``) prints as JSON, run in a new interpreter."""
    script = "import json, os\nfrom generator import apart\n" + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(result.stdout)


def test_the_first_is_done_in_another_process_and_both_results_come_back_in_order() -> None:
    found = in_a_fresh_process(
        """
        there, here = apart.both(lambda: ["first", os.getpid()], lambda: ["second", os.getpid()])
        print(json.dumps({"process": os.getpid(), "there": there, "here": here}))
        """
    )
    assert found["there"][0] == "first" and found["there"][1] != found["process"]
    assert found["here"] == ["second", found["process"]]


def test_the_forked_process_sees_what_was_there_when_it_was_forked() -> None:
    found = in_a_fresh_process(
        """
        archive = {"meetings": list(range(1000))}
        there, _ = apart.both(lambda: [sum(archive["meetings"]), os.getpid()], lambda: None)
        print(json.dumps({"process": os.getpid(), "there": there}))
        """
    )
    assert found["there"][0] == sum(range(1000)) and found["there"][1] != found["process"]


def test_an_error_in_the_forked_process_is_raised_here() -> None:
    found = in_a_fresh_process(
        """
        def fails():
            raise ValueError(f"meeting.md.j2: 'entry' is undefined (in process {os.getpid()})")

        try:
            apart.both(fails, lambda: None)
        except ValueError as error:
            print(json.dumps({"process": os.getpid(), "error": str(error)}))
        """
    )
    assert "'entry' is undefined" in found["error"]
    assert f"(in process {found['process']})" not in found["error"]  # raised in the other, said here


def test_a_forked_process_that_dies_without_an_answer_is_done_here_instead() -> None:
    found = in_a_fresh_process(
        """
        here = os.getpid()

        def dies_elsewhere():
            if os.getpid() != here:
                os._exit(1)  # as if killed for memory
            return "made here"

        print(json.dumps(apart.both(dies_elsewhere, lambda: "second")))
        """
    )
    assert found == ["made here", "second"]


def test_with_another_thread_running_nothing_is_forked() -> None:
    here = os.getpid()
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as mkdocs serve's server
    server.start()
    try:
        assert apart.both(os.getpid, os.getpid) == (here, here)
    finally:
        stop.set()
        server.join()
