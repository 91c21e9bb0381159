"""Two pieces of work at once (generator.apart): the results are those of doing them one after the other."""

from __future__ import annotations

import os
import threading

import pytest

from generator import apart


def test_the_first_is_done_in_another_process_and_both_results_come_back_in_order() -> None:
    here = os.getpid()
    there, also_here = apart.both(lambda: ("first", os.getpid()), lambda: ("second", os.getpid()))
    assert there[0] == "first" and there[1] != here
    assert also_here == ("second", here)


def test_the_forked_process_sees_what_was_there_when_it_was_forked() -> None:
    archive = {"meetings": list(range(1000))}
    there, _ = apart.both(lambda: sum(archive["meetings"]), lambda: None)
    assert there == sum(range(1000))


def test_an_error_in_the_forked_process_is_raised_here() -> None:
    def fails() -> None:
        raise ValueError("meeting.md.j2: 'entry' is undefined")

    with pytest.raises(ValueError, match="'entry' is undefined"):
        apart.both(fails, lambda: None)


def test_a_forked_process_that_dies_without_an_answer_is_done_here_instead() -> None:
    here = os.getpid()

    def dies_elsewhere() -> str:
        if os.getpid() != here:
            os._exit(1)  # as if killed for memory
        return "made here"

    assert apart.both(dies_elsewhere, lambda: "second") == ("made here", "second")


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
