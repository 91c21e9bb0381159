"""A fake council's ModernGov web service, for `minutes import moderngov` against 127.0.0.1.

The replies have the shape of real ones (GetCommittees, GetMeetings, GetMeeting as
real installs send them: dd/mm/yyyy dates, "10.00 am" times, escaped Word HTML,
text entity-encoded twice, restricted items), in words of our own. Some meetings
answer with the faults real installs show: a 500 that a retry gets past, a reply
slower than the client waits, a 403 from a bot filter, a web page instead of XML,
and an entity bomb.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from werkzeug import Request, Response

# (ModernGov id, title, expired, deleted)
COMMITTEES = [
    ("101", "Safer Bromley Partnership Board", False, False),
    ("102", "Safer Bromley Partnership Strategic Group", False, False),
    ("103", "Licensing Sub-Committee", False, False),
    ("104", "Community Safety Forum", True, False),
    ("105", "Old Deleted Panel", False, True),
]


@dataclass
class Meeting:
    """One meeting the service lists, and how it answers GetMeeting."""

    meeting_id: str
    committee: str
    day: str  # dd/mm/yyyy
    status: str = "Confirmed"
    minutes: bool = True
    # "ok", "500-once", "slow", "403", "not-xml", "bomb"
    fault: str = "ok"


MEETINGS = [
    Meeting("5001", "101", "14/03/2024"),
    Meeting("5002", "101", "13/06/2024", status="Cancelled", minutes=False),
    Meeting("5003", "101", "12/09/2024", minutes=False),
    Meeting("5004", "101", "05/12/2024", fault="500-once"),
    Meeting("5005", "101", "20/03/2025"),
    Meeting("5011", "102", "07/02/2024", fault="slow"),
    Meeting("5012", "102", "08/05/2024", fault="403"),
    Meeting("5013", "102", "10/07/2024", fault="not-xml"),
    Meeting("5014", "102", "09/10/2024", fault="bomb"),
    Meeting("5021", "104", "15/11/2023"),
]

# Longer than the client is told to wait, in the tests.
SLOW_SECONDS = 2.5


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def committees_xml() -> str:
    rows = "".join(
        f"<committee><committeeid>{cid}</committeeid><committeetitle>{_x(title)}</committeetitle>"
        f"<committeedeleted>{deleted}</committeedeleted><committeeexpired>{expired}</committeeexpired>"
        "<committeecategory>Community safety</committeecategory></committee>"
        for cid, title, expired, deleted in COMMITTEES
    )
    return f'<?xml version="1.0" encoding="utf-8"?><committees><committeescount> {len(COMMITTEES)}</committeescount>{rows}</committees>'


def meetings_xml(committee: str, start: str, end: str, meetings: list[Meeting]) -> str:
    def ordinal(day: str) -> tuple[str, str, str]:
        d, m, y = day.split("/")
        return y, m, d

    chosen = [m for m in meetings if m.committee == committee and ordinal(start) <= ordinal(m.day) <= ordinal(end)]
    title = next(t for cid, t, _, _ in COMMITTEES if cid == committee)
    rows = "".join(
        f"<meeting><meetingid>{m.meeting_id}</meetingid><meetingdate>{m.day}</meetingdate>"
        f"<meetingstatus>{m.status}</meetingstatus><meetingtime>10.00 am</meetingtime><iswebcast>False</iswebcast></meeting>"
        for m in chosen
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><getmeetings>'
        f"<meetingscount> {len(chosen)}</meetingscount><committeescount> 1</committeescount>"
        f"<committee><committeeid>{committee}</committeeid><committeetitle>{_x(title)}</committeetitle>"
        f"<committeemeetingcount> {len(chosen)}</committeemeetingcount><committeemeetings>{rows}</committeemeetings>"
        "</committee></getmeetings>"
    )


def meeting_xml(meeting: Meeting) -> str:
    # Word's HTML, escaped into the XML; one apostrophe entity-encoded twice, as real installs send.
    minutes = _x(
        '<div class="WordSection1"><p class="MsoNormal">The Board heard the partners&amp;#39; update on'
        " knife crime.</p><p>RESOLVED that the update be noted.</p></div>"
    )
    agenda = _x('<p class="MsoNormal">To receive an update from the partners.</p>')
    items = (
        "<agendaitem><agendaitemid>1</agendaitemid><agendaitemtitle>Partner updates</agendaitemtitle>"
        f"<agendatext>{agenda}</agendatext><minutesnonemptyhtmlbody>{minutes}</minutesnonemptyhtmlbody>"
        "<minutesitemnumber>3</minutesitemnumber><minutesitemsubnumber></minutesitemsubnumber>"
        "<isrestricted>False</isrestricted><linkeddocuments><linkeddoc><attachmentid>9</attachmentid>"
        "<title>Partner report</title><url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=9</url>"
        "<isrestricted>False</isrestricted></linkeddoc></linkeddocuments></agendaitem>"
        "<agendaitem><agendaitemid>2</agendaitemid><agendaitemtitle>Contract for the CCTV service</agendaitemtitle>"
        f"<minutesnonemptyhtmlbody>{_x('<p>SECRET tender prices</p>')}</minutesnonemptyhtmlbody>"
        "<minutesitemnumber>4</minutesitemnumber><isrestricted>True</isrestricted></agendaitem>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><meeting>'
        f"<meetingid>{meeting.meeting_id}</meetingid><meetingdate>{meeting.day}</meetingdate>"
        f"<meetingstatus>{meeting.status}</meetingstatus><meetingtime>10.00 am</meetingtime>"
        "<meetinglocation>Committee Room 1, Civic Centre</meetinglocation>"
        "<agendapublished>True</agendapublished><decisionpublished>False</decisionpublished>"
        f"<minutepublished>{meeting.minutes}</minutepublished><agendaitems>{items}</agendaitems>"
        '<attendees><attendee name="Ann Example" roledescription="Chair" attendance="Present" />'
        '<attendee name="Bo Example" attendance="Apologies" /></attendees></meeting>'
    )


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><meeting>&c;</meeting>'
)


@dataclass
class Council:
    """The fake service: answers by operation and parameters, and counts what it was asked."""

    meetings: list[Meeting] = field(default_factory=lambda: [Meeting(**m.__dict__) for m in MEETINGS])
    asked: list[str] = field(default_factory=list)
    _failed_once: set[str] = field(default_factory=set)

    def __call__(self, request: Request) -> Response:
        operation = request.path.rsplit("/", 1)[-1]
        query = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        self.asked.append(f"{operation} {query}")
        if operation == "GetCommittees":
            return Response(committees_xml(), content_type="text/xml")
        if operation == "GetMeetings":
            return Response(
                meetings_xml(query["lCommitteeId"], query["sFromDate"], query["sToDate"], self.meetings),
                content_type="text/xml",
            )
        if operation == "GetMeeting":
            meeting = next(m for m in self.meetings if m.meeting_id == query["lMeetingId"])
            if meeting.fault == "500-once" and meeting.meeting_id not in self._failed_once:
                self._failed_once.add(meeting.meeting_id)
                return Response("Server Error", status=500)
            if meeting.fault == "slow":
                time.sleep(SLOW_SECONDS)
            if meeting.fault == "403":
                return Response("Forbidden", status=403)
            if meeting.fault == "not-xml":
                return Response("<!DOCTYPE html><html><body>Site maintenance</body></html>", content_type="text/html")
            if meeting.fault == "bomb":
                return Response(BOMB, content_type="text/xml")
            return Response(meeting_xml(meeting), content_type="text/xml")
        return Response("Not Found", status=404)
