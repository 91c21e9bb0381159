"""A synthetic archive for benchmarks and scale tests: minutes-like records at any size.

Reproducible from a seed: the same size and seed always write the same files. The
records read like the real minutes (the partnership's roles, places, acronyms and
topics, resolutions, actions and their updates at later meetings) so that search,
validation and the build are measured on realistic text, and they pass
``minutes validate`` without a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from generator.schema import slug_of

# A council's archive: about 20 years of meetings across about 40 committees.
YEARS = 20
MEETINGS_PER_COMMITTEE = 125

ROLES = [
    "Assistant Director for Public Protection and Enforcement",
    "Borough Commander",
    "Chief Inspector",
    "Head of Trading Standards and Commercial Regulation",
    "Borough Fire Commander",
    "Community Safety Officer",
    "Head of Service for Early Intervention and Family Support",
    "Tenancy Specialist Manager (Clarion Housing)",
    "Designated Nurse for Safeguarding Children",
    "LAS Stakeholder Engagement Manager",
    "Executive Director of Environmental and Community Services",
    "VAWG Strategic Partnership Manager",
]
FIRST = [
    "Joanna",
    "Craig",
    "Rob",
    "Amanda",
    "Betty",
    "Terry",
    "Sharon",
    "Philip",
    "Anne",
    "David",
    "Sarah",
    "Lucien",
]
LAST = [
    "Stowell",
    "Knight",
    "Vale",
    "Mumford",
    "McDonald",
    "Gooding",
    "Baldwin",
    "Powell",
    "Ball",
    "Dunkley",
    "Newman",
]
PLACES = [
    "Penge",
    "Crystal Palace",
    "Orpington",
    "Mottingham",
    "Cray Valley West",
    "Cray Valley East",
    "West Wickham",
    "Bromley High Street",
    "Beckenham",
    "Chislehurst",
    "Biggin Hill",
    "Hayes",
]
BODIES = ["Board", "Strategic Group", "Sub-Group", "Panel", "Forum", "Committee"]
SUBJECTS = [
    "Community Safety",
    "Licensing",
    "Children's Safeguarding",
    "Adult Social Care",
    "Housing",
    "Environment",
    "Public Health",
    "Youth Justice",
    "Education",
    "Transport",
    "Planning",
    "Health and Wellbeing",
    "Resilience",
    "Regeneration",
    "Audit",
    "Scrutiny",
]
# Topic id, title, the phrase the text uses for it (also its alias), an acronym.
TOPICS = [
    ("vrap", "Violence Reduction Action Plan", "Violence Reduction Action Plan", "VRAP"),
    ("dhr", "Domestic Homicide Reviews", "Domestic Homicide Review", "DHR"),
    ("prevent", "Prevent", "Prevent programme", "WRAP"),
    ("asb", "Anti-social behaviour", "anti-social behaviour", "ASB"),
    ("vawg", "Violence against women and girls", "violence against women and girls", "VAWG"),
    ("hate-crime", "Hate crime", "hate crime", "MOPAC"),
    ("youth-offending", "Youth offending", "Youth Offending Service", "YOS"),
    ("offender-management", "Integrated offender management", "Integrated Offender Management", "IOM"),
    ("knife-crime", "Knife crime", "knife crime", "LFB"),
    ("crime-needs-assessment", "Crime Needs Assessment", "Crime Needs Assessment", "CNA"),
]
# Resolutions that decide something, not only note it.
DECISIONS = [
    "RESOLVED that the {phrase} action plan be endorsed, and that the {role} report progress to the next meeting.",
    "RESOLVED that £{number},000 be allocated from the partnership budget to work on {phrase} in {place}.",
    "RESOLVED that a task and finish group be set up to review {phrase}, led by the {role}.",
    "RESOLVED that the Board write to MOPAC asking that funding for {phrase} continue beyond the current year.",
    "RESOLVED that the revised protocol on {phrase} be adopted by every partner from next month.",
]
ACRONYMS = {
    "ASB": "anti-social behaviour",
    "RSL": "registered social landlord",
    "LFB": "London Fire Brigade",
    "CPN": "Community Protection Notice",
    "VRU": "Violence Reduction Unit",
    "MOPAC": "Mayor's Office for Policing and Crime",
    "CNA": "Crime Needs Assessment",
    "VAWG": "violence against women and girls",
    "MARAC": "Multi-Agency Risk Assessment Conference",
    "IOM": "Integrated Offender Management",
    "YOS": "Youth Offending Service",
    "CRC": "Community Rehabilitation Company",
    "LAS": "London Ambulance Service",
    "SNB": "Safer Neighbourhood Board",
    "WRAP": "Workshop to Raise Awareness of Prevent",
    "CTLP": "Counter Terrorism Local Profile",
    "VRAP": "Violence Reduction Action Plan",
    "DHR": "Domestic Homicide Review",
}
SENTENCES = [
    "The {role} gave an update on {phrase} in {place}, noting that {number} cases had been referred since the last meeting.",
    "It was noted that the {acronym} figures for {place} had risen by {number}% compared with the same quarter last year.",
    "Partners were informed that work on {phrase} was continuing with the support of the {acronym} and local ward panels.",
    "The {role} asked whether funding from MOPAC would continue beyond {year}, and was told that a decision was awaited.",
    "A discussion took place about how partners could share data on {phrase} more quickly, particularly across {place} and {place2}.",
    "The Board welcomed the report and thanked officers for their work, observing that residents in {place} had noticed the difference.",
    "Concern was expressed that attendance from some partners remained poor, and that this affected the work on {phrase}.",
    "The {role} explained that {number} officers had completed training, and that a further session would take place in {month}.",
    "It was agreed that the action plan should be reviewed when the next {acronym} profile was available.",
    "Residents had raised concerns about {phrase} near {place}, and patrols had been increased in response.",
]
TITLES = [
    "{title} update",
    "Report on {title}",
    "{title}: quarterly performance",
    "Partner updates on {title}",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]


def _quote(text: str) -> str:
    # A JSON string is a valid YAML 1.2 double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))


def _registries(out: Path, committees: list[tuple[str, str]]) -> None:
    lines = ["committees:"]
    for committee_id, name in committees:
        lines += [f"  - id: {committee_id}", f"    name: {_quote(name)}"]
    (out / "committees.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["topics:"]
    for topic_id, title, phrase, _acronym in TOPICS:
        lines += [
            f"  - id: {topic_id}",
            f"    title: {_quote(title)}",
            f"    summary: {_quote('Work on ' + title.lower() + ' across the partnership.')}",
            f"    aliases: [{_quote(phrase)}]",
        ]
    (out / "topics.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["terms:"]
    for term, expansion in ACRONYMS.items():
        lines += [f"  - term: {term}", f"    expansion: {_quote(expansion)}"]
    (out / "glossary.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _paragraph(rng: random.Random, phrase: str, acronym: str, year: int) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        place, place2 = rng.sample(PLACES, 2)
        sentences.append(
            rng.choice(SENTENCES).format(
                role=rng.choice(ROLES),
                phrase=phrase,
                place=place,
                place2=place2,
                acronym=acronym,
                number=rng.randint(2, 90),
                year=year + 1,
                month=rng.choice(MONTHS),
            )
        )
    return " ".join(sentences)


def _meeting(
    rng: random.Random,
    committee_id: str,
    day: dt.date,
    next_day: dt.date,
    first_number: int,
    open_actions: list[str],
) -> tuple[str, list[str]]:
    """One meeting's YAML, and the ids of the actions it agrees."""
    lines = [
        f"committee: {committee_id}",
        f"date: {day.isoformat()}",
        'start_time: "10:00"',
        f"venue: {_quote('Committee Room ' + str(rng.randint(1, 4)) + ' - Bromley Civic Centre')}",
        "contact:",
        f"  name: {_quote(rng.choice(FIRST) + ' ' + rng.choice(LAST))}",
        '  phone: "020 8313 4316"',
        "status: approved",
        "attendance:",
        "  present:",
        *(f"    - {_quote(f + ' ' + s)}" for f, s in {(rng.choice(FIRST), rng.choice(LAST)) for _ in range(8)}),
        "  apologies:",
        *(f"    - {_quote(f + ' ' + s)}" for f, s in {(rng.choice(FIRST), rng.choice(LAST)) for _ in range(3)}),
        "items:",
        f'  - number: "{first_number}"',
        "    title: Apologies for absence",
        "    text: Apologies were received as listed.",
        f'  - number: "{first_number + 1}"',
        "    title: Minutes of the previous meeting",
        "    text: RESOLVED that the minutes of the previous meeting be agreed as a correct record.",
        "    resolutions:",
        '      - "RESOLVED that the minutes of the previous meeting be agreed as a correct record."',
    ]
    updates = rng.sample(open_actions, min(len(open_actions), rng.randint(0, 3)))
    if updates:
        lines += [
            f'  - number: "{first_number + 2}"',
            "    title: Matters arising",
            "    text: The Board noted the matters arising report.",
            "    action_updates:",
        ]
        for action_id in updates:
            status = rng.choice(["done", "done", "in-progress", "carried-forward", "dropped"])
            lines += [f"      - action: {action_id}", f"        status: {status}"]
            if status in ("done", "dropped"):
                open_actions.remove(action_id)
    raised = []
    number = first_number + 3
    for _ in range(rng.randint(6, 11)):
        topic_id, title, phrase, acronym = rng.choice(TOPICS)
        paragraphs = [_paragraph(rng, phrase, acronym, day.year) for _ in range(rng.randint(2, 5))]
        resolution = None
        if rng.random() < 0.5:
            # Most resolutions only note a report; some decide something.
            wording = rng.choice(DECISIONS) if rng.random() < 0.3 else "RESOLVED that the update on {phrase} be noted."
            resolution = wording.format(
                phrase=phrase, role=rng.choice(ROLES), place=rng.choice(PLACES), number=rng.randint(5, 90)
            )
            # As in real minutes, the text usually ends with the resolution, which is also lifted out.
            if rng.random() < 0.6:
                paragraphs.append(resolution)
        lines += [
            f'  - number: "{number}"',
            f"    title: {_quote(rng.choice(TITLES).format(title=title))}",
            f"    text: {_block(chr(10).join(p + chr(10) for p in paragraphs).rstrip(), 6)}",
            f"    topics: [{topic_id}]",
        ]
        if resolution:
            lines += ["    resolutions:", f"      - {_quote(resolution)}"]
        actions = rng.randint(0, 2)
        if actions:
            lines.append("    actions:")
        for position in range(actions):
            due = day + dt.timedelta(days=rng.choice([28, 56, 90]))
            lines += [
                f"      - what: {_quote('report back on ' + phrase + ' in ' + rng.choice(PLACES))}",
                "        who:",
                f"          role: {_quote(rng.choice(ROLES))}",
                f"        due: {due.isoformat()}",
            ]
            raised.append(f"{slug_of(day, committee_id)}/{number}/{position + 1}")
        number += 1
    lines += [
        "next_meeting:",
        f"  date: {next_day.isoformat()}",
        '  time: "10:00"',
        "  venue: Bromley Civic Centre",
    ]
    return "\n".join(lines) + "\n", raised


def synthesize(out: Path, meetings: int, seed: int = 1) -> None:
    """Write a content folder of ``meetings`` synthetic meetings into ``out``."""
    rng = random.Random(seed)
    count = max(1, -(-meetings // MEETINGS_PER_COMMITTEE))
    committees = []
    for index in range(count):
        name = f"{SUBJECTS[index % len(SUBJECTS)]} {BODIES[index // len(SUBJECTS) % len(BODIES)]}"
        committees.append((f"c{index + 1:02d}-" + name.lower().replace("'", "").replace(" ", "-"), name))
    out.mkdir(parents=True, exist_ok=True)
    _registries(out, committees)
    first_day = dt.date(2026 - YEARS, 1, 1)
    for index, (committee_id, _name) in enumerate(committees):
        share = meetings // count + (1 if index < meetings % count else 0)
        # Spread the committee's meetings evenly over the years, on Thursdays.
        gap = (YEARS * 365) // max(share, 1)
        days = []
        for n in range(share + 1):
            day = first_day + dt.timedelta(days=n * gap + index)
            days.append(day + dt.timedelta(days=(3 - day.weekday()) % 7))
        open_actions: list[str] = []
        number = 1
        for n in range(share):
            text, raised = _meeting(rng, committee_id, days[n], days[n + 1], number, open_actions)
            open_actions += raised
            number += 20
            folder = out / "meetings" / str(days[n].year)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{slug_of(days[n], committee_id)}.yml").write_text(text, encoding="utf-8")
