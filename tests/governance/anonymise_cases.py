"""Realistic case-note snippets with every identifier marked, for the anonymiser's tests and bench.

Markup: ``{surface|kind}`` marks an identifier that must not survive (a date marked ``date``
must be moved). ``keep`` lists text that identifies nobody and must come through unchanged.
Everything here is invented: phone numbers are from Ofcom's drama ranges, e-mail domains are
example domains, NI and NHS numbers are the documented test values.

Pure Python (no Django), so ``bench/anonymise_recall.py`` can use it too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casework.governance.anonymise import Anonymiser, Redacted

REFERENCE = date(2024, 6, 20)  # a Thursday: the contact date the snippets were written about

_MARK = re.compile(r"\{([^{}|]+)\|([a-z_]+)\}")


@dataclass(frozen=True)
class Expected:
    surface: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Snippet:
    group: str
    text: str
    expected: tuple[Expected, ...]
    keep: tuple[str, ...]


def snippet(group: str, marked: str, keep: tuple[str, ...] = ()) -> Snippet:
    """Strip the markup, remembering where each marked identifier sits in the plain text."""
    expected, plain, last = [], [], 0
    for m in _MARK.finditer(marked):
        plain.append(marked[last : m.start()])
        start = sum(len(p) for p in plain)
        plain.append(m.group(1))
        expected.append(Expected(m.group(1), m.group(2), start, start + len(m.group(1))))
        last = m.end()
    plain.append(marked[last:])
    return Snippet(group, "".join(plain), tuple(expected), keep)


def build_anonymiser(*, shift_weeks: int = 4) -> Anonymiser:
    """Two cases' people as the case records hold them, and three members of staff."""
    anonymiser = Anonymiser(shift_weeks=shift_weeks)
    anonymiser.add_client(
        group="1",
        first_name="Jordan",
        last_name="Pritchard",
        date_of_birth=date(1994, 5, 17),
        phone="07700 900123",
        email="jordan.pritchard@example.com",
        address="Flat 2, 14 Acacia Avenue\nCardiff\nCF10 1AA",
        reference="CW-7K3M-9QXA",
    )
    anonymiser.add_contact(group="1", name="Sarah Pritchard", relationship="mother", phone="07700 900456")
    anonymiser.add_contact(
        group="1", name="Tomasz Nowak", relationship="partner", email="tomasz.nowak@example.org"
    )
    anonymiser.add_client(
        group="2",
        first_name="Amira",
        last_name="Hussain",
        date_of_birth=date(1988, 11, 3),
        phone="029 2018 0456",
        email="amira.h@example.net",
        address="27 Bridge Street, Swansea, SA1 1AA",
    )
    anonymiser.add_contact(group="2", name="Yusuf Hussain", relationship="brother")
    anonymiser.add_staff(user_key="1", first_name="Alex", last_name="Morgan", role="Practitioner")
    anonymiser.add_staff(user_key="2", first_name="Sam", last_name="Evans", role="Supervisor")
    anonymiser.add_staff(user_key="3", first_name="Priya", last_name="Shah", role="Practitioner")
    return anonymiser


SNIPPETS: tuple[Snippet, ...] = (
    # Known client and contacts, possessives, titles.
    snippet(
        "1",
        "Met {Jordan|client} at Jobcentre Plus on Monday {17 June 2024|date}. {Jordan|client} brought a "
        "printed CV and two payslips.",
        ("Jobcentre Plus", "Monday", "printed CV"),
    ),
    snippet(
        "1",
        "{Jordan Pritchard|client} (DOB {17/05/1994|date_of_birth}) attended with his mother, "
        "{Sarah|person}.",
        ("attended with his mother",),
    ),
    snippet(
        "1",
        "Rang {Jordan|client} on {07700 900123|phone}; no answer, left a voicemail. Tried "
        "{07700900123|phone} again at 3pm.",
        ("3pm", "voicemail"),
    ),
    snippet(
        "1",
        "{Jordan|client}'s partner {Tomasz|person} called from {+44 7700 900789|phone} to say the "
        "Universal Credit payment was late.",
        ("Universal Credit", "'s partner"),
    ),
    snippet(
        "1",
        "Email from {jordan.pritchard@example.com|email} asking to move Friday's appointment to "
        "{21st June|date}.",
        ("Friday's appointment",),
    ),
    snippet(
        "1",
        "NI number {QQ 12 34 56 C|ni_number} confirmed against the award letter dated {3 May 2024|date}.",
        ("award letter",),
    ),
    snippet(
        "1",
        "Client gave his NI number as {qq123456c|ni_number}; the DWP letter shows {QQ123456C|ni_number}.",
        ("DWP",),
    ),
    snippet(
        "1",
        "Address confirmed: {Flat 2, 14 Acacia Avenue|address}, Cardiff {CF10 1AA|postcode}.",
        ("Cardiff",),
    ),
    snippet(
        "1",
        "{Mr Pritchard|client} says the landlord at {14 Acacia Avenue|address} served a section 21 notice "
        "on {2024-05-28|date}.",
        ("section 21 notice",),
    ),
    snippet(
        "1",
        "Universal Credit journal message sent {20/06/24|date}. {Jordan|client} to upload the fit note by "
        "the {28th|date}.",
        ("Universal Credit", "fit note"),
    ),
    snippet(
        "1",
        "Spoke to the housing officer, {Mrs Okafor|person}, at the council about arrears of £1,240.",
        ("£1,240", "housing officer"),
    ),
    snippet(
        "1",
        "{Dr Patel|person} at Heath Surgery confirmed the fit note runs until {31/07/2024|date}.",
        ("Heath Surgery",),
    ),
    snippet(
        "1",
        "Letter to {Dr Sunita Patel|person} sent by email to {s.patel@nhs.example|email}.",
        ("Letter to",),
    ),
    snippet(
        "1",
        "{Sunita|person} rang back: the assessment is on Tuesday {25 June|date} at 11am.",
        ("Tuesday", "11am"),
    ),
    snippet(
        "1",
        "Client's son {Kacper|person} starts at St Mary's primary in September.",
        ("St Mary's", "September"),
    ),
    snippet(
        "1",
        "Partner {Tomasz Nowak|person} works nights at the Amazon depot; his number is {07700 900789|phone}.",
        ("Amazon depot",),
    ),
    snippet(
        "1",
        "Work coach {Jenny|person} at Jobcentre Plus agreed to pause the sanction review.",
        ("Jobcentre Plus", "sanction review"),
    ),
    snippet(
        "1",
        "Phoned {0117 496 0123|phone} (Shelter helpline) and {(0117) 4960123|phone} for the advice line.",
        ("Shelter helpline",),
    ),
    snippet(
        "1",
        "Landlord's agent on {020 7946 0123|phone}, office at {3 Market Street|address}, Bristol "
        "{BS1 4DJ|postcode}.",
        ("Bristol", "Landlord's agent"),
    ),
    snippet(
        "1",
        "Old landline {01632 960 123|phone} is disconnected; use the mobile {+44 (0)7700 900123|phone}.",
        ("disconnected",),
    ),
    snippet("1", "NHS number {943 476 5919|nhs_number} given for the PIP form.", ("PIP form",)),
    snippet(
        "1",
        "Hardship grant to be paid to sort code {20-00-00|sort_code}, account {12345678|account_number}.",
        ("Hardship grant",),
    ),
    snippet(
        "1",
        "Postcodes on the forms did not match: {sw1a 1aa|postcode} on the claim, {SW1A1AA|postcode} on "
        "the lease.",
        ("on the claim",),
    ),
    snippet(
        "1",
        "Moved to his sister's flat in Manchester, {M1 1AE|postcode}; new address {9 Hilltop Road|address}.",
        ("Manchester",),
    ),
    snippet(
        "1", "The Birmingham office ({B33 8TH|postcode}) will take the transfer.", ("Birmingham office",)
    ),
    snippet(
        "1",
        "Post returned from {cf101aa|postcode}: client moved without telling us.",
        ("Post returned",),
    ),
    snippet(
        "1",
        "Born {17th May 1994|date_of_birth}, so {Jordan|client} is 30 and past the young person's rate.",
        ("is 30",),
    ),
    snippet("1", "{Jordan|client} was born in {1994|year_of_birth} in Newport.", ("Newport",)),
    snippet(
        "1",
        "Tenancy started {1 Sept 2023|date} and ended {31.03.2024|date}; deposit of £650 held by the DPS.",
        ("£650", "DPS"),
    ),
    snippet(
        "1",
        "{Mrs Sarah Pritchard|person} (mother) rang on {07700 900456|phone}, worried about {Jordan|client}.",
        ("(mother)",),
    ),
    snippet(
        "1",
        "Client showed messages from {@tom_nowak|link} on Instagram; sent the vacancy link "
        "{https://jobs.example.com/warehouse?ref=jp|link} by text.",
        ("Instagram",),
    ),
    snippet(
        "1",
        "Interview with {Mr Hughes|person} at Tesco on {5/7|date} at 2pm, warehouse team leader role.",
        ("Tesco", "2pm"),
    ),
    snippet(
        "1",
        "His daughter {Grace|person} has a hospital appointment on {July 3rd|date}.",
        ("hospital appointment",),
    ),
    snippet(
        "1",
        "Referred {Jordan|client} to the Prince's Trust course starting Monday {8 July|date}.",
        ("Prince's Trust", "Monday"),
    ),
    snippet(
        "1",
        "Benefit check: Housing Benefit stopped on {10/06/2024|date} after Universal Credit started.",
        ("Housing Benefit", "Universal Credit"),
    ),
    snippet(
        "1",
        "His friend {Chloe Davies|person} will come to the next appointment for support.",
        ("next appointment",),
    ),
    snippet(
        "1",
        "Solicitor {Ms Adebayo|person} at Harding Law, {0161 496 0000|phone}, has the possession hearing on "
        "{15/08/2024|date}.",
        ("possession hearing",),
    ),
    snippet("1", "{Dylan|person} from the youth service will meet us at the library.", ("youth service",)),
    snippet("1", "DOB checked on the passport: {1994-05-17|date_of_birth}.", ("passport",)),
    snippet("1", "Passport number {123456789|reference} seen and copied for the file.", ("seen and copied",)),
    snippet(
        "1",
        "Driving licence {MORGA753116SM9IJ|reference} checked for the CSCS card application.",
        ("CSCS card",),
    ),
    snippet(
        "1",
        "Client reference {CW-7K3M-9QXA|reference} quoted on the referral to StepChange.",
        ("StepChange",),
    ),
    snippet(
        "1",
        "UC claim reference {UC123456789|reference}; council tax account {60012345|account_number}.",
        ("council tax",),
    ),
    snippet(
        "1",
        "{Jordan|client} still lives on {Acacia Avenue|address}, near the station.",
        ("near the station",),
    ),
    # The second case: another client, her brother, and the staff.
    snippet(
        "2",
        "{Amira|client} attended with her brother {Yusuf|person}. {Amira|client} prefers to speak Arabic "
        "with an interpreter.",
        ("Arabic", "interpreter"),
    ),
    snippet(
        "2",
        "{Ms Hussain|client} (d.o.b. {3.11.88|date_of_birth}) reports rent arrears since {March 2024|date}.",
        ("rent arrears",),
    ),
    snippet(
        "2",
        "Called {029 2018 0456|phone} at 10:30 and spoke to {Amira|client}; she will bring the tenancy "
        "agreement on Friday {28th June|date}.",
        ("10:30", "Friday"),
    ),
    snippet(
        "2",
        "{Amira Hussain|client} lives at {27 Bridge Street|address}, Swansea {SA1 1AA|postcode}; email "
        "{amira.h@example.net|email}.",
        ("Swansea",),
    ),
    snippet(
        "2",
        "Reviewed with {Sam|staff} in supervision on {June 19, 2024|date}; {Alex Morgan|staff} to chase "
        "the council.",
        ("supervision",),
    ),
    snippet(
        "2",
        "{Alex|staff} and {Priya Shah|staff} covered the drop-in at Citizens Advice.",
        ("Citizens Advice", "drop-in"),
    ),
    snippet(
        "2",
        "Emailed {amira.h@example.net|email}; the reply came from {AMIRA.H@EXAMPLE.NET|email}.",
        ("the reply came from",),
    ),
    # No identifiers at all: words that look like names or dates must survive.
    snippet(
        "1",
        "Will ring next week. May need a food bank voucher. Grace period on the loan ends in August; "
        "Jobcentre Plus and Universal Credit both told on Monday.",
        ("Will ring", "May need", "Grace period", "August", "Jobcentre Plus", "Universal Credit", "Monday"),
    ),
    snippet(
        "2",
        "Applied for 3 jobs this week and completed 16 hours of ESOL. The High Street branch of Citizens "
        "Advice closes at 4pm on Wednesdays.",
        ("3 jobs", "16 hours", "ESOL", "High Street", "Citizens Advice", "4pm", "Wednesdays"),
    ),
)


# Messier notes, written after the engine and before running it on them: lower-case names,
# nicknames, names in no list, unusual spellings. Their recall is reported separately, as the
# fairer estimate; some misses here are known limitations, stated in the export's manifest.
HARDER_SNIPPETS: tuple[Snippet, ...] = (
    snippet("1", "spoke to {jordan|client} on the phone, he said his mum will come in", ("on the phone",)),
    snippet("1", "Txt from {Jordans|client} partner re payslips", ("re payslips",)),
    snippet("1", "Met with {Oluwadamilare|person} and his caseworker at the hub.", ("at the hub",)),
    snippet("1", "Mum ({Bernadette|person}) attended and took notes.", ("took notes",)),
    snippet("1", "Client's ex, {Dean|person}, has been turning up at the flat.", ("turning up",)),
    snippet("1", "Tel: {07700-900-123|phone}, mob {07700 900 124|phone}.", ("Tel:",)),
    snippet("1", "Address: {5 Orchard Way|address}, Pontypridd {CF37 1AA|postcode}.", ("Pontypridd",)),
    snippet("1", "Lives at {22b Mill Lane|address} with her nan.", ("with her nan",)),
    snippet(
        "1",
        "Referral from Cardiff Council housing options ({Kerry Jenkins|person}) re {14 acacia ave|address}.",
        ("Cardiff Council", "housing options"),
    ),
    snippet("2", "Email: {AMIRA.H@example.net|email}", ("Email:",)),
    snippet("1", "NINO {JX 12 34 56 A|ni_number} on the UC statement.", ("UC statement",)),
    snippet("1", "d.o.b {17-05-94|date_of_birth}, checked with passport.", ("checked with passport",)),
    snippet("1", "Appointment Wed {3rd July|date} @ 2pm at the hub.", ("Wed", "2pm")),
    snippet("1", "Next review {01/08|date}.", ("Next review",)),
    snippet("1", "Met Mr. and {Mrs. Kowalski|person} at home.", ("at home",)),
    snippet(
        "1",
        "GP: {Dr. O'Connor|person}, Riverside Health Centre, {029 2087 1234|phone}.",
        ("Riverside Health Centre",),
    ),
    snippet("1", "Her caseworker at Shelter, {Ffion|person}, emailed the landlord.", ("Shelter",)),
    snippet("1", "Client's landlord {Mr Abubakar Sadiq-Bello|person} refused repairs.", ("refused repairs",)),
    snippet(
        "1", "Spoke with {Zbigniew|person} (partner) about the council tax letter.", ("council tax letter",)
    ),
    snippet("1", "Client now at {3/2 Hillview Court|address}, Glasgow.", ("Glasgow",)),
    snippet("1", "Daughter {Lily-Mae|person} (4) attends nursery three mornings a week.", ("nursery",)),
    snippet("1", "Client says {Gaz|person} from the hostel owes him £20.", ("£20", "hostel")),
    snippet("2", "Phone {+44 29 2018 0456|phone} after 5.", ("after 5",)),
    snippet("2", "Born {3rd Nov 1988|date_of_birth} in Aleppo.", ("Aleppo",)),
    snippet("2", "Seen at home, {41 St Helens Rd|address}, Swansea {SA1 4AB|postcode}.", ("Swansea",)),
    snippet("1", "New email {jp1994@gmail.com|email}.", ("New email",)),
    snippet("1", "Met {JORDAN PRITCHARD|client} and {SARAH|person} at the office.", ("at the office",)),
    snippet("2", "Appt with {Ms K. Wiśniewska|person} (interpreter).", ("(interpreter)",)),
    snippet("1", "{Kacper|person}'s school (Ysgol Y Wern) phoned about attendance.", ("Ysgol Y Wern",)),
    snippet("1", "{Tom|person} (partner) and {Jordan|client} both on the joint claim.", ("joint claim",)),
)


@dataclass(frozen=True)
class Outcome:
    snippet: Snippet
    redacted: Redacted

    def covered(self, expected: Expected) -> bool:
        """Was every character of the identifier replaced (or, for a date, moved)?"""
        spans = [(r.start, r.end) for r in self.redacted.replacements if r.text != r.original]
        return all(any(s <= i < e for s, e in spans) for i in range(expected.start, expected.end))

    def false_positives(self) -> list[str]:
        """Replacements that touch no marked identifier."""
        return [
            r.original
            for r in self.redacted.replacements
            if not any(r.start < x.end and x.start < r.end for x in self.snippet.expected)
        ]


def run_all(anonymiser: Anonymiser | None = None, snippets: tuple[Snippet, ...] = SNIPPETS) -> list[Outcome]:
    """Both passes over a whole set, as an export does them."""
    anonymiser = anonymiser or build_anonymiser()
    for item in snippets:
        anonymiser.learn(item.text, group=item.group, reference=REFERENCE)
    return [
        Outcome(item, anonymiser.anonymise(item.text, group=item.group, reference=REFERENCE))
        for item in snippets
    ]


@dataclass(frozen=True)
class Score:
    found: Counter[str]
    present: Counter[str]
    missed: list[tuple[str, str]]
    false_positives: list[str]

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / sum(self.present.values())

    def describe(self) -> str:
        return f"{self.recall:.3f} ({sum(self.found.values())}/{sum(self.present.values())})"

    def recall_of(self, kind: str) -> float:
        return self.found[kind] / self.present[kind]


def score(outcomes: list[Outcome]) -> Score:
    found: Counter[str] = Counter()
    present: Counter[str] = Counter()
    missed = []
    false_positives = []
    for outcome in outcomes:
        for expected in outcome.snippet.expected:
            present[expected.kind] += 1
            if outcome.covered(expected):
                found[expected.kind] += 1
            else:
                missed.append((expected.kind, expected.surface))
        false_positives += outcome.false_positives()
    return Score(found, present, missed, false_positives)


# The issue 10 corpus: 200 marked lines, split once into development and held-out parts.

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "anonymise_notes.txt"
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def corpus_notes(split: str) -> tuple[Snippet, ...]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        part, marked = line.split("|", 1)
        if part == split:
            rows.append(snippet("0", marked))
    return tuple(rows)


def over_redaction(outcomes: list[Outcome]) -> tuple[int, int, Counter[str]]:
    replaced, total, words = 0, 0, Counter()
    for outcome in outcomes:
        text = outcome.snippet.text
        marked = [(e.start, e.end) for e in outcome.snippet.expected]
        spans = [(r.start, r.end) for r in outcome.redacted.replacements if r.text != r.original]
        for match in WORD.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in marked):
                continue
            total += 1
            if any(s < end and start < e for s, e in spans):
                replaced += 1
                words[match.group(0)] += 1
    return replaced, total, words
