"""Registers: action status derivation, decisions and attendance, as pure functions over fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.archive import Archive
from generator.schema import Action, ActionUpdate, Committee, Item, Meeting, Owner, PersonRecord, action_ids
from tests.fixtures import FIXTURE_ARCHIVE, archive_of


@pytest.fixture(scope="module")
def archive() -> Archive:
    return archive_of(FIXTURE_ARCHIVE)


def test_action_ids_come_from_meeting_item_and_order() -> None:
    meeting = Meeting(
        committee="board",
        date=dt.date(2021, 6, 17),
        status="approved",
        items=[
            Item(title="Apologies"),
            Item(number="39/20", title="Housing", actions=[action("a"), action("b")]),
            Item(title="Any other business", actions=[action("c")]),
        ],
    )
    assert action_ids(meeting) == {
        (1, 0): "2021-06-17-board/39-20/1",
        (1, 1): "2021-06-17-board/39-20/2",
        (2, 0): "2021-06-17-board/any-other-business/1",
    }


def action(what: str, due: dt.date | None = None) -> Action:
    return Action(what=what, who=Owner(role="Clerk"), due=due)


def test_status_is_the_latest_update_across_committees(archive: Archive) -> None:
    tracked = archive.action("2020-03-12-board/2/1")
    assert [(u.at.entry.slug, u.update.status) for u in tracked.updates] == [
        ("2021-06-17-board", "carried-forward"),
        ("2021-06-17-strategic-group", "done"),
    ]
    assert tracked.status == "done"
    assert archive.action("2020-03-12-board/2/2").status == "dropped"
    assert archive.action("2021-06-17-board/39-20/1").status == "open"


def test_overdue_is_judged_by_the_latest_meeting_not_the_clock(archive: Archive) -> None:
    assert archive.data_date == dt.date(2021, 6, 17)
    overdue = {t.id for t in archive.actions() if t.overdue(archive.data_date)}
    # Due 2017, never updated: overdue. Due 2020 but done, or dropped: not overdue.
    # Due 9 September 2021, after the latest meeting: not yet overdue.
    assert overdue == {"2017-07-06-strategic-group/150/1"}


def chain(*statuses: str, due: dt.date = dt.date(2020, 1, 1)) -> Archive:
    """An archive where one action gets an update per status, one meeting after another."""
    first = Meeting(
        committee="board",
        date=dt.date(2019, 12, 1),
        status="approved",
        items=[Item(number="1", title="Plan", actions=[action("write the plan", due)])],
    )
    meetings = [(first, "first.yml")]
    for month, status in enumerate(statuses, start=1):
        update = ActionUpdate(action="2019-12-01-board/1/1", status=status)  # type: ignore[arg-type]
        later = Meeting(
            committee="board",
            date=dt.date(2020, month, 15),
            status="approved",
            items=[Item(title="Matters arising", action_updates=[update])],
        )
        meetings.append((later, f"{month}.yml"))
    return Archive([Committee(id="board", name="Board")], meetings)


@pytest.mark.parametrize(
    ("statuses", "status", "overdue"),
    [
        ((), "open", False),  # the only meeting is the one that agreed it, before it was due
        (("in-progress",), "in-progress", True),
        (("carried-forward",), "carried-forward", True),
        (("carried-forward", "carried-forward", "done"), "done", False),
        (("done", "in-progress"), "in-progress", True),  # reopened by a later update
        (("dropped",), "dropped", False),
    ],
)
def test_update_chains(statuses: tuple[str, ...], status: str, overdue: bool) -> None:
    archive = chain(*statuses)
    tracked = archive.action("2019-12-01-board/1/1")
    assert tracked.status == status
    assert archive.data_date is not None
    assert tracked.overdue(archive.data_date) is overdue
    assert len(tracked.updates) == len(statuses)


def test_actions_at_an_item_in_minute_order(archive: Archive) -> None:
    board_2020 = archive.entries[1]
    from generator.archive import Occurrence

    assert [t.action.what for t in archive.actions_at(Occurrence(board_2020, 1))] == [
        "report the knife crime figures",
        "visit the estate",
    ]
    assert archive.actions_at(Occurrence(board_2020, 0)) == []


def test_decisions_newest_first(archive: Archive) -> None:
    decisions = archive.decisions()
    assert [(d.at.entry.slug, d.at.item.number, d.text) for d in decisions] == [
        ("2021-06-17-board", "37/20", "RESOLVED that the minutes of the meeting held on 12 March 2020 be agreed."),
        ("2020-03-12-board", "2", "RESOLVED that the update be noted."),
    ]


def test_attendance_joins_spellings_and_counts_only_recorded_meetings(archive: Archive) -> None:
    board = archive.committee("board")
    attendance = archive.attendance(board)
    assert [e.slug for e in attendance.meetings] == ["2020-03-12-board", "2021-06-17-board"]
    assert [e.slug for e in attendance.recorded] == ["2021-06-17-board"]
    people = {r.name: r for r in attendance.people}
    assert sorted(people) == ["Ann Example", "Bo Example", "Cy Example", "Di Example"]
    ann = people["Ann Example"]  # "Ann Exemple" in 2020, joined by people.yml
    assert ann.marks == {"2020-03-12-board": "apologies", "2021-06-17-board": "present"}
    assert ann.role == "Councillor"
    assert (ann.attended, ann.count("apologies"), attendance.rate(ann)) == (1, 1, 1.0)
    assert people["Cy Example"].marks == {"2021-06-17-board": "substituted"}
    assert attendance.rate(people["Cy Example"]) == 0.0
    assert people["Di Example"].marks == {"2021-06-17-board": "substitute"}
    assert people["Di Example"].attended == 1


def test_attendance_without_any_present_list_has_no_rate(archive: Archive) -> None:
    group = archive.attendance(archive.committee("strategic-group"))
    assert group.recorded == []
    assert group.people == []


def meeting_on(day: dt.date, present: list[str], apologies: tuple[str, ...] = ()) -> tuple[Meeting, str]:
    record = Meeting.model_validate(
        {
            "committee": "board",
            "date": day.isoformat(),
            "status": "approved",
            "attendance": {"present": ["Clerk", *present], "apologies": list(apologies)},
            "items": [{"title": "Apologies"}],
        }
    )
    return record, f"{day}.yml"


def test_a_rate_counts_only_the_meetings_a_person_could_have_attended() -> None:
    days = [dt.date(2020, month, 1) for month in range(1, 13)]
    # Ann joins in March: eight meetings attended and one apology out of the ten from March to December.
    meetings = [meeting_on(day, [] if n < 2 else (["Ann"] if n not in (4, 9) else [])) for n, day in enumerate(days)]
    meetings[4] = meeting_on(days[4], [], ("Ann",))
    board = Committee(id="board", name="Board")
    attendance = Archive([board], meetings).attendance(board)
    ann = next(r for r in attendance.people if r.name == "Ann")
    assert [e.meeting.date.month for e in attendance.counted(ann)] == list(range(3, 13))
    assert attendance.rate(ann) == pytest.approx(8 / 10)
    # With a membership from people.yml, that period decides.
    member = PersonRecord.model_validate({"name": "Ann", "memberships": [{"committee": "board", "from": "2020-06-01"}]})
    attendance = Archive([board], meetings, people=[member]).attendance(board)
    ann = next(r for r in attendance.people if r.name == "Ann")
    assert [e.meeting.date.month for e in attendance.counted(ann)] == list(range(6, 13))
    assert attendance.rate(ann) == pytest.approx(6 / 7)
    # The grid of one year lists its meetings newest first.
    assert [e.meeting.date.month for e in attendance.in_year(2020)][:2] == [12, 11]
