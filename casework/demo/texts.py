"""Wording for the demo organisation: names, places and case-note templates.

Every name, place and employer is made up. Phone numbers come from Ofcom's drama range
(07700 900000 to 07700 900999) and e-mail addresses use example.com and example.org.

Templates are ``str.format`` strings. Every template may use the common fields
``first``, ``last``, ``office``, ``town``, ``practitioner``, ``supervisor``,
``note_date``, ``recent_date``, ``next_date``, ``next_time``, ``opened`` and
``hearing_date``, plus the vocabulary fields of its case type.

Facts are written as facts: the wording the fact/opinion checker flags appears only in
``OPINION_IN_FACTS``, which the builder adds to a few notes on purpose (K4, K5).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NoteTemplate:
    """The sections of one kind of case note; empty sections are left out of the note."""

    facts: str
    client_view: str = ""
    assessment: str = ""
    actions_agreed: str = ""
    decisions: str = ""
    follow_up: str = ""
    # Where the meeting happens: "" any meeting (the note opens with the place), "office" a
    # face-to-face appointment, "home" a home visit, "own" face to face with the place in the facts.
    where: str = ""


@dataclass(frozen=True)
class GoalTemplate:
    description: str
    measure: str
    weeks: int


@dataclass(frozen=True)
class ActionTemplate:
    description: str
    owner_kind: str  # "staff", "client" or "other"
    due_in_days: int
    owner_name: str = ""


@dataclass(frozen=True)
class DeadlineTemplate:
    kind: str  # "statutory", "agreed" or "internal"
    description: str
    due_in_days: int  # after the case was opened


@dataclass(frozen=True)
class CaseTypeTexts:
    vocabulary: dict[str, tuple[str, ...]]
    required_outcomes: tuple[str, ...]
    goals: tuple[GoalTemplate, ...]
    actions: tuple[ActionTemplate, ...]
    deadlines: tuple[DeadlineTemplate, ...]
    first_meetings: tuple[NoteTemplate, ...]
    meetings: tuple[NoteTemplate, ...]
    phone_calls: tuple[NoteTemplate, ...]
    emails: tuple[NoteTemplate, ...]
    agency_contacts: tuple[NoteTemplate, ...]
    outcomes_achieved: tuple[str, ...]
    # An amendment: the outcome of a call that the practitioner left out of the facts.
    left_out: str
    # Chance of each flag on a case of this type.
    flag_chances: dict[str, float] = field(default_factory=dict)


# --- People and places ------------------------------------------------------------------

# fmt: off
# First names by generation, so a 17-year-old is not called Glenys; OTHER_FIRST_NAMES suit any age.
YOUNGER_FIRST_NAMES = (
    "Jordan", "Amira", "Callum", "Leah", "Dylan", "Zainab", "Rhiannon", "Kieran", "Bethan", "Tyler",
    "Cerys", "Connor", "Ffion", "Liam", "Seren", "Mason", "Nia", "Ethan", "Megan", "Lewis",
    "Chloe", "Jake", "Sophie", "Aled", "Hannah", "Rhys", "Jessica", "Gethin", "Lauren", "Owain",
    "Amy", "Ryan", "Carys", "Jamie", "Elin", "Nathan", "Sian", "Kyle", "Lowri", "Bradley",
    "Keeley", "Dafydd", "Shannon", "Morgan", "Yasmin", "Iwan", "Kayleigh", "Hamza", "Tegan", "Osian",
)
OLDER_FIRST_NAMES = (
    "Paula", "Gareth", "Karen", "Wayne", "Julie", "Darren", "Tracey", "Huw", "Donna", "Neil",
    "Angela", "Steven", "Lisa", "Mark", "Helen", "Craig", "Nicola", "Jason", "Emma", "Dean",
    "Margaret", "Alan", "Brenda", "Keith", "Glenys", "Malcolm", "Eirlys", "Terry", "Pauline", "Colin",
)
OTHER_FIRST_NAMES = (
    "Agnieszka", "Tomasz", "Oksana", "Mohammed", "Fatima", "Ahmed", "Priya", "Adebayo", "Grace", "Mihai",
)

CLIENT_LAST_NAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan", "Griffiths",
    "Edwards", "Price", "Powell", "Jenkins", "Rees", "Phillips", "Lloyd", "Owen", "Harris", "James",
    "Pritchard", "Bevan", "Watkins", "Morris", "Richards", "Howells", "Parry", "Ellis", "Prosser", "Rowlands",
    "Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Clarke", "Hall", "Turner", "Ashworth",
    "Hussain", "Begum", "Khan", "Ahmed", "Kowalski", "Nowak", "Popescu", "Adeyemi", "Okafor", "Mensah",
    "McLeod", "Byrne", "O'Brien", "Kelly", "Murphy", "Llewellyn", "Vaughan", "Meredith", "Gwilliam", "Bowen",
)

# (town, postcode district) — the towns are invented; the districts only make addresses look right.
TOWNS = (
    ("Pontyberw", "CF45"),
    ("Aberwennol", "CF46"),
    ("Cwmderi", "CF47"),
    ("Trefelin", "NP22"),
    ("Glynmawr", "NP23"),
    ("Brynhafod", "SA13"),
    ("Nantcoed", "SA14"),
    ("Llanhowell", "CF48"),
    ("Penygarth", "NP24"),
    ("Ashcombe Vale", "HR9"),
)

STREETS = (
    "Heol y Nant", "Stryd Fawr", "High Street", "Brynteg Terrace", "Maes yr Haf", "Coronation Road",
    "Heol Derw", "Station Road", "Glanrhyd Close", "Woodland Terrace", "Bryn Celyn", "Chapel Street",
    "Ffordd y Parc", "Tan y Bryn", "Victoria Street", "Mill Lane", "Heol Gelli", "Oakfield Avenue",
    "Pen y Dre", "Church View", "Bridge Street", "Alma Terrace", "Clos Cilfynydd", "Hillside Crescent",
)

ADDRESS_PREFIXES = ("", "", "", "", "Flat 2, ", "Flat 4, ", "Flat 1a, ", "Ground Floor Flat, ")
# fmt: on


# --- Wording shared by every case type --------------------------------------------------------

# What the facts of each kind of meeting start with.
MEETING_OPENINGS: dict[str, tuple[str, ...]] = {
    "face_to_face": (
        "Appointment at the {office} office, 50 minutes.",
        "Appointment at the {office} office, 45 minutes.",
        "Met at {office} library, in the private interview room, for an hour.",
    ),
    "video": (
        "Video call on Microsoft Teams, 40 minutes; {first} joined from home.",
        "Video call on Microsoft Teams, 35 minutes; {first} joined on a phone.",
    ),
    "home_visit": (
        "Home visit to {first}'s address in {town}, arranged last week. Lone-working check-in made with "
        "the office at the start and the end of the visit.",
        "Home visit in {town} at {first}'s request, 1 hour. Checked in with the duty worker before and "
        "after the visit.",
    ),
}

FOLLOW_UPS = (
    "Next appointment booked for {next_date} at {next_time}.",
    "Phone {first} on {next_date} to check progress on the actions.",
    "Review the actions at the next appointment on {next_date} at {next_time}.",
    "Next appointment {next_date} at {next_time}; reminder text to be sent the day before.",
)

HOME_VISIT_ASSESSMENT = (
    "Professional opinion: the home is settled and {first} is managing day to day; no new concerns "
    "from the visit."
)

NO_NEW_ACTIONS = (
    "No new actions; the existing action plan stands.",
    "Went through the action plan together; nothing new added.",
)

ACTIONS_INTRO = (
    "Agreed with {first}:",
    "Action plan updated with {first}:",
    "Agreed the next steps together:",
)

DID_NOT_ATTEND = (
    NoteTemplate(
        facts="{first} did not attend the appointment booked for {next_time} at the {office} office. "
        "Rang the mobile number on file 15 minutes after the start time: no answer, voicemail left.",
        follow_up="Send an appointment letter for {next_date}. If there is no contact within 14 days, "
        "follow the disengagement procedure.",
    ),
    NoteTemplate(
        facts="{first} did not join the video call booked for today. Sent a text at the start time and "
        "rang twice; the calls went to voicemail.",
        follow_up="Try again on {next_date}; write to the home address if there is still no answer.",
    ),
    NoteTemplate(
        facts="{first} did not attend. {first} rang the office 20 minutes after the start time to say "
        "the bus did not turn up.",
        follow_up="Rebooked for {next_date} at {next_time}; confirmed by text.",
    ),
)

# A case review in supervision or by the practitioner. The counts come from the case itself.
CASE_REVIEWS = (
    NoteTemplate(
        facts="Case review in supervision with {supervisor}. Case open since {opened}; {note_count} "
        "case notes so far, last contact with {first} on {last_contact}. Actions open: {open_actions} "
        "({overdue_actions} overdue); actions done: {done_actions}.",
        assessment="Professional opinion: steady progress towards the required outcomes. {first} is "
        "completing most client actions on time and the level of contact is right for the case.",
        decisions="Continue at the current level of contact (fortnightly). No change to the priority.",
        follow_up="Next case review due by {next_review}.",
    ),
    NoteTemplate(
        facts="Case review with {supervisor}. Opened {opened}; {note_count} case notes; last contact "
        "{last_contact}. Actions open: {open_actions}, of which {overdue_actions} overdue; actions "
        "done: {done_actions}.",
        assessment="Professional opinion: progress has slowed. The overdue actions are the main "
        "obstacle, and {first} needs more frequent contact to keep going.",
        decisions="Increase contact to weekly for the next four weeks. {practitioner} to agree new due "
        "dates for the overdue actions with {first}.",
        follow_up="Review again by {next_review}, or sooner if a deadline is at risk.",
    ),
    NoteTemplate(
        facts="Six-weekly case review by the practitioner. Open since {opened}; {note_count} notes; last "
        "contact {last_contact}. Actions done: {done_actions}; open: {open_actions}; overdue: "
        "{overdue_actions}.",
        assessment="In my professional opinion the case is on track. The remaining work is mostly for "
        "{first} to do, with light-touch support from us.",
        decisions="Keep the case open at the current level of contact. Reduce to monthly contact if the "
        "next two appointments go to plan.",
        follow_up="Next review by {next_review}.",
    ),
)

CLOSING_REVIEW = NoteTemplate(
    facts="Closing review. Case open from {opened}; {note_count} case notes; last contact with {first} "
    "on {last_contact}. All actions completed or closed. {closing_reason}",
    assessment="Professional opinion: the required outcomes have been met as far as this service can "
    "take them, and {first} knows how to come back to us if anything changes.",
    decisions="Close the case. Closure letter with the contact details of the service sent to {first}.",
    follow_up="None: case closed. The record will be kept for the organisation's retention period.",
)

CLOSING_REVIEW_NOT_ACHIEVED = NoteTemplate(
    facts="Closing review. Case open from {opened}; {note_count} case notes; last contact with {first} "
    "on {last_contact}. {closing_reason}",
    assessment="Professional opinion: the required outcomes were not fully met. Closing is right "
    "because we cannot take the case further at present.",
    decisions="Close the case and cancel the open actions. Letter sent explaining how to return to the "
    "service.",
    follow_up="None: case closed.",
)

CLOSED_NOT_ACHIEVED = (
    "{first} has moved out of the area and was signposted to the advice service there.",
    "{first} asked us to close the case and no longer wants support.",
    "No contact for eight weeks despite three letters and four calls; closed under the disengagement "
    "procedure.",
)

ON_HOLD_REASONS = (
    "{first} is in hospital; agreed to pause contact until discharge.",
    "{first} has started a six-week residential course; contact paused until it ends.",
    "{first} asked to pause support while caring for a family member; review in four weeks.",
    "Waiting for a decision from another agency; nothing more we can do until it arrives.",
)

OPINION_IN_FACTS = (
    "{first} seemed anxious and kept checking the time.",
    "{first} was aggressive when told the claim had been closed.",
    "{first} appeared to be upset about the letter.",
    "{first} was uncooperative about the job-search diary.",
    "{first} was obviously tired.",
    "I think {first} has not opened the letters we sent.",
)

AMENDMENT_PHONE = (
    "Client's new phone number added",
    " {first} gave a new mobile number, {new_phone}; the client record has been updated.",
)
AMENDMENT_NEXT_DATE = "Corrected the date of the next appointment"
AMENDMENT_HEARING = "Corrected the date of the tribunal hearing"
AMENDMENT_LEFT_OUT = "Added the outcome of a follow-up call that was left out in error"
AMENDMENT_THIRD_PARTY = (
    "Removed a third party's personal details recorded in error",
    " {first}'s neighbour, {third_party}, was present and gave a mobile number, {third_party_phone}.",
    " A neighbour was present for part of the appointment, at {first}'s request.",
)
THIRD_PARTY_NAMES = ("Mrs Joan Parry", "Mr Dennis Howell", "Ms Tracey Bowen", "Mr Alun Meredith")

HEARING_SENTENCE = " The tribunal hearing is listed for {hearing_date}."

FLAG_DETAILS: dict[str, tuple[str, ...]] = {
    "safeguarding": (
        "{first} told us on {note_date} that a relative is taking money from the bank account. Referred "
        "to the adult safeguarding team the same day.",
        "Disclosed on {note_date} being asked to carry packages for older young people. Discussed with "
        "the designated safeguarding lead and referred to children's services the same day.",
    ),
    "risk_to_self": (
        "Said on {note_date} that there had been thoughts of self-harm. Safety plan agreed; GP and crisis "
        "team numbers given.",
    ),
    "domestic_abuse": (
        "Disclosed domestic abuse by a former partner. Contact by mobile only; do not send post to the "
        "home address. MARAC referral made on {note_date}.",
    ),
    "homelessness": (
        "Sleeping on a friend's sofa since {note_date}; no settled address.",
        "Notice to leave the current tenancy ends within two months.",
    ),
    "mental_health": (
        "Has a diagnosis of depression and anxiety; prefers morning appointments and written reminders.",
        "Under the community mental health team; told us on {note_date} that a new medication has started.",
    ),
    "disability": (
        "Uses a wheelchair; book the ground-floor interview room.",
        "Has a hearing impairment; prefers text messages to phone calls.",
    ),
    "care_leaver": ("Care leaver; has a personal adviser in the council's leaving care team.",),
    "learning_difficulty": (
        "Has dyslexia; prefers information read through in the appointment and sent as short texts.",
    ),
    "financial_hardship": (
        "No money for food until the next Universal Credit payment; foodbank voucher issued on {note_date}.",
        "Priority debts: council tax arrears and an energy debt on a prepayment meter.",
    ),
    "language": (
        "First language is Polish; book a telephone interpreter for appointments.",
        "First language is Arabic; book an interpreter and send letters in plain English.",
    ),
}

# Flags cleared when a case closes with its outcome achieved, and the reason given.
FLAGS_CLEARED_ON_CLOSURE = {
    "homelessness": "settled accommodation secured",
    "financial_hardship": "income restored and the priority debts are on a repayment plan",
}

# --- Case types --------------------------------------------------------------------------

EMPLOYMENT = CaseTypeTexts(
    vocabulary={
        "role": (
            "warehouse operative",
            "care assistant",
            "retail assistant",
            "kitchen porter",
            "delivery driver",
            "office administrator",
            "cleaner",
            "forklift driver",
        ),
        "employer": (
            "Taff Valley Logistics",
            "Hafod Care Homes",
            "Greenway Retail Park",
            "Pen-y-bont Packaging",
            "Morgan and Rees Builders",
            "Llys Meadow Nursing Home",
            "Brynhafod Garden Centre",
            "Valley Fresh Foods",
        ),
        "last_role": (
            "factory operative",
            "shop assistant",
            "bar work",
            "care work",
            "labouring",
            "call centre work",
        ),
        "leaving_reason": (
            "the factory closed",
            "a fixed-term contract ended",
            "a period of ill health",
            "caring for a parent",
            "being made redundant",
        ),
        "course": (
            "CSCS card course",
            "Level 2 Food Hygiene certificate",
            "forklift (counterbalance) training",
            "basic IT skills course",
            "Level 2 Health and Social Care",
        ),
        "work_coach": ("Mrs Lewis", "Mr Pritchard", "Ms Ahmed", "Mr Watkins"),
        "hours": ("16", "20", "24", "30", "37.5"),
    },
    required_outcomes=(
        "{first} moves into paid work of at least {hours} hours a week and stays in work for 13 weeks.",
        "Secure sustainable employment of 16 hours a week or more within six months, with in-work "
        "support for the first 13 weeks.",
        "Complete the {course} and apply for at least ten suitable vacancies.",
        "Improve job-search skills and confidence so that {first} can apply for work online without help.",
    ),
    goals=(
        GoalTemplate(
            "Update the CV to include recent experience and the {course}, ready to send to employers",
            "CV saved on {first}'s phone and reviewed at an appointment",
            3,
        ),
        GoalTemplate(
            "Apply for at least three {role} vacancies each week for the next six weeks",
            "Applications recorded in the job-search diary and checked at each appointment",
            6,
        ),
        GoalTemplate("Complete the {course} by the end of next month", "Certificate of completion seen", 6),
        GoalTemplate(
            "Attend one mock interview and one real interview within eight weeks",
            "Mock interview feedback form completed; interview date confirmed",
            8,
        ),
        GoalTemplate(
            "Set up job alerts on Find a Job and an e-mail address for applications within two weeks",
            "Alerts and e-mail account shown at the next appointment",
            2,
        ),
    ),
    actions=(
        ActionTemplate("Send three suitable {role} vacancies by e-mail", "staff", 3),
        ActionTemplate("Update the CV with the last job and the voluntary work", "client", 7),
        ActionTemplate("Book a place on the {course}", "staff", 10),
        ActionTemplate("Apply for the {role} vacancy at {employer}", "client", 5),
        ActionTemplate("Bring passport and proof of address for the right-to-work check", "client", 7),
        ActionTemplate("Ask the Jobcentre to pay for work clothes and travel to interviews", "staff", 5),
        ActionTemplate("Practise answers to the five common interview questions", "client", 14),
        ActionTemplate("Confirm the start date and first shift pattern with {employer}", "client", 14),
        ActionTemplate("Do a better-off-in-work calculation", "staff", 7),
        ActionTemplate("Send the progress update to the work coach, {work_coach}", "staff", 2),
        ActionTemplate("Confirm funding for the {course}", "other", 10, "Jobcentre work coach"),
    ),
    deadlines=(
        DeadlineTemplate("agreed", "Return the application form to {employer}", 12),
        DeadlineTemplate("agreed", "Bring ID and proof of address for the DBS check", 10),
        DeadlineTemplate("internal", "Update the work coach on progress", 28),
    ),
    first_meetings=(
        NoteTemplate(
            facts="First appointment after referral from the Jobcentre (work coach {work_coach}). {first} "
            "has been out of work since {leaving_reason}; last work was {last_role}. Went through the "
            "initial assessment form. {first} signed consent for us to share progress with the Jobcentre.",
            client_view='{first} said: "I want to get back to work before Christmas, but it has to fit '
            'round the school run."',
            assessment="Professional opinion: {first} has relevant experience and wants to work, but "
            "has no up-to-date CV and limited confidence with online applications. These are the main "
            "barriers for now.",
            actions_agreed="Agreed the first steps of the action plan together:",
        ),
        NoteTemplate(
            facts="Initial assessment. {first} self-referred after seeing our leaflet at the Jobcentre. "
            "Last work was {last_role}, which ended after {leaving_reason}. {first} is looking for "
            "{role} work of about {hours} hours a week and has a full driving licence.",
            client_view="{first} said: \"I've done this kind of work before and I was good at it. I just "
            'need someone to give me a chance."',
            assessment="My assessment: job-ready with some support on applications and interviews. "
            "Travel to early shifts is a possible barrier to check at the next appointment.",
            actions_agreed="Agreed with {first}:",
        ),
    ),
    meetings=(
        NoteTemplate(
            facts="Reviewed the job-search diary: {first} has applied for four {role} vacancies since the "
            "last appointment, including one at {employer}. One rejection letter received; no reply yet "
            "from the others.",
            client_view="{first} said: \"It gets me down when they don't even write back, but I'm "
            'keeping going."',
            assessment="Professional opinion: applications are well targeted. The covering letters "
            "are generic, which may explain the low response rate.",
        ),
        NoteTemplate(
            facts="Worked on the CV together on the office laptop. Added the {course} and the last job. "
            "Saved a copy to {first}'s e-mail and printed two copies.",
            client_view="{first} said: \"That looks much better than my old one. I wouldn't have known "
            'where to start."',
            where="office",
        ),
        NoteTemplate(
            facts="Mock interview for the {role} post at {employer}, using their published person "
            "specification. {first} answered four of the five questions with examples from past work.",
            client_view='{first} said: "I froze on the one about teamwork. I need to think of a better '
            'example."',
            assessment="Professional opinion: ready for the real interview; more practice on "
            "examples (situation, task, action, result) would help.",
        ),
        NoteTemplate(
            facts="{first} has been offered the {role} job at {employer}, {hours} hours a week, starting "
            "on {next_date}. Went through the offer letter and the contract together, and did the "
            "better-off-in-work calculation: £46 a week better off after travel costs.",
            client_view="{first} said: \"I can't believe it. I'm nervous about the first week but I "
            'really want this."',
            assessment="Professional opinion: the job is sustainable if the shift pattern stays as "
            "offered. In-work support for the first 13 weeks is advised.",
        ),
        NoteTemplate(
            facts="In-work support check. {first} has completed the first three weeks at {employer} and "
            "has had the first payslip. Universal Credit has been told about the earnings.",
            client_view="{first} said: \"It's tiring, but the team are good and I've got my own money "
            'again."',
        ),
    ),
    phone_calls=(
        NoteTemplate(
            facts="Rang {first} to check progress. {first} has applied for two {role} jobs since the "
            "last appointment and is waiting to hear from {employer}.",
            follow_up="Appointment on {next_date} at {next_time} as booked.",
        ),
        NoteTemplate(
            facts="{first} rang to say {employer} has offered an interview on {next_date} at 10am.",
            client_view='{first} said: "I\'m nervous but I really want this one."',
            follow_up="Mock interview before the interview; phone the day after to hear how it went.",
        ),
        NoteTemplate(
            facts="Rang {first} about the {course}: start date confirmed as {next_date}, and the "
            "Jobcentre has agreed to pay the fee.",
            follow_up="Check attendance at the next appointment.",
        ),
    ),
    emails=(
        NoteTemplate(facts="E-mailed {first} three {role} vacancies with their closing dates and links."),
        NoteTemplate(
            facts="{first} e-mailed the updated CV. Replied with two suggested changes to the "
            "personal profile.",
            follow_up="Look at the final version at the next appointment.",
        ),
    ),
    agency_contacts=(
        NoteTemplate(
            facts="Rang the work coach, {work_coach}, with {first}'s written consent. Confirmed that "
            "{first} is attending our service and agreed that the appointments count towards the "
            "claimant commitment.",
            follow_up="Update the work coach after the next appointment.",
        ),
        NoteTemplate(
            facts="E-mailed {employer} HR, with {first}'s consent, to ask about adjustments for the "
            "interview. Reply received: the interview can be in a quiet room with a 10-minute break.",
            follow_up="Tell {first} at the next contact.",
        ),
    ),
    outcomes_achieved=(
        "Outcome achieved: {first} started work as a {role} at {employer}, {hours} hours a week.",
        "Outcome achieved: {first} completed the {course} and has been in work for 13 weeks.",
    ),
    left_out=" Afterwards rang the Jobcentre: {work_coach} confirmed travel costs to interviews will be "
    "paid.",
    flag_chances={
        "mental_health": 0.12,
        "disability": 0.08,
        "financial_hardship": 0.08,
        "safeguarding": 0.02,
        "language": 0.04,
        "learning_difficulty": 0.04,
    },
)

CAREERS = CaseTypeTexts(
    vocabulary={
        "college": ("Coleg Glynmawr", "Trefelin College", "Aberwennol Sixth Form Centre"),
        "course": (
            "Level 3 Engineering course",
            "Level 2 Hair and Beauty course",
            "Access to Nursing course",
            "Level 3 Business course",
            "Level 2 Bricklaying course",
            "A level course in Biology, Chemistry and Psychology",
        ),
        "career": (
            "nursing",
            "electrical engineering",
            "social work",
            "accountancy",
            "joinery",
            "paramedic science",
            "software development",
        ),
        "school": ("Trefelin Comprehensive", "Ysgol Bro Glynmawr", "Cwmderi High School"),
        "strength": (
            "working with people",
            "practical work",
            "maths and problem solving",
            "art and design",
        ),
    },
    required_outcomes=(
        "{first} has a realistic career plan for {career} with next steps, and has applied for a "
        "suitable course or apprenticeship.",
        "Make an informed choice between the {course} at {college} and an apprenticeship, with "
        "applications in before the closing date.",
        "A written careers action plan agreed with {first}, and a place secured on the {course}.",
    ),
    goals=(
        GoalTemplate(
            "Research three routes into {career} and compare the entry requirements within four weeks",
            "Comparison sheet completed and discussed at an appointment",
            4,
        ),
        GoalTemplate(
            "Apply for the {course} at {college} before the closing date",
            "Application reference number received",
            5,
        ),
        GoalTemplate(
            "Arrange and attend a taster day or work experience in {career} within six weeks",
            "Date attended and feedback recorded",
            6,
        ),
        GoalTemplate(
            "Write a first draft personal statement of at least 400 words by the end of the month",
            "Draft received by e-mail and reviewed",
            4,
        ),
    ),
    actions=(
        ActionTemplate("Send links to the entry requirements for {career} courses", "staff", 3),
        ActionTemplate("Complete the online interests quiz and bring the results", "client", 7),
        ActionTemplate("Draft a personal statement", "client", 14),
        ActionTemplate("Ask {college} admissions for the interview date", "staff", 5),
        ActionTemplate("Confirm predicted grades", "other", 10, "Head of Year at {school}"),
        ActionTemplate("Book a taster day at {college}", "staff", 7),
        ActionTemplate("Set up apprenticeship vacancy alerts", "client", 7),
        ActionTemplate("Send the finished CV to the adviser to check", "client", 10),
    ),
    deadlines=(
        DeadlineTemplate("agreed", "College application closes", 30),
        DeadlineTemplate("agreed", "Apprenticeship application closes", 21),
        DeadlineTemplate("agreed", "Personal statement draft due", 14),
    ),
    first_meetings=(
        NoteTemplate(
            facts="First careers guidance interview. {first} is {age}, studying at {school} and "
            "considering {career}. Discussed subjects, predicted grades and the routes after school: "
            "sixth form, college and apprenticeships.",
            client_view="{first} said: \"Everyone keeps asking what I want to do and I don't know yet. I "
            'like {strength}."',
            assessment="Professional opinion: {first} has clear strengths in {strength} but little "
            "information about the jobs that use them. Research tasks first, then a decision.",
            actions_agreed="Agreed the first steps:",
        ),
        NoteTemplate(
            facts="Initial guidance interview. {first} is {age}, left {school} in the summer and wants a "
            "route into {career}. Went through qualifications held, part-time work and the entry "
            "requirements for the {course} at {college}.",
            client_view="{first} said: \"I've wanted to do this for years. I need to know if I can "
            'afford it and still help Mum with the rent."',
            assessment="My assessment: a realistic goal. The costs and the timing of applications are "
            "the questions to settle before the closing date.",
            actions_agreed="Agreed with {first}:",
        ),
    ),
    meetings=(
        NoteTemplate(
            facts="Went through {first}'s research on three routes into {career}: a degree, a degree "
            "apprenticeship and the {course} at {college}. Compared entry requirements, costs and "
            "length.",
            client_view="{first} said: \"The apprenticeship sounds best because I'd be earning, but I'm "
            "worried I won't get in.\"",
            assessment="Professional opinion: the apprenticeship is a realistic first choice with the "
            "college course as a back-up. Both applications are advised.",
        ),
        NoteTemplate(
            facts="Worked on the personal statement. {first} brought a 350-word draft; we restructured it "
            "around experience, skills and motivation.",
            client_view='{first} said: "It sounds like me now, just better organised."',
        ),
        NoteTemplate(
            facts="Interview preparation for {college}. Practised questions on motivation and on "
            "{strength}. {first} brought the portfolio to show.",
            client_view='{first} said: "I feel ready. I know what I want to say now."',
            assessment="Professional opinion: well prepared; the portfolio is a strength to lead with.",
            where="office",
        ),
        NoteTemplate(
            facts="{first} has an offer for the {course} at {college}, conditional on a grade 4 in "
            "maths. Discussed the enrolment steps and the Education Maintenance Allowance.",
            client_view='{first} said: "I\'m made up. Mum cried when I showed her the e-mail."',
        ),
    ),
    phone_calls=(
        NoteTemplate(
            facts="Rang {first} to check the application for the {course}. {first} has finished the "
            "personal statement and submitted the application online.",
            follow_up="Check for an interview invitation at the next appointment on {next_date}.",
        ),
        NoteTemplate(
            facts="{first} rang to ask about student finance. Explained tuition fee and maintenance "
            "loans and texted the Student Finance Wales link.",
            follow_up="Go through the finance form together on {next_date}.",
        ),
        NoteTemplate(
            facts="Rang {first}: {college} has offered an interview on {next_date}.",
            follow_up="Interview practice at the next appointment.",
        ),
    ),
    emails=(
        NoteTemplate(facts="E-mailed {first} the entry requirements for {career} courses at three colleges."),
        NoteTemplate(
            facts="{first} e-mailed a draft personal statement of 420 words. Replied with comments on "
            "the structure and the opening paragraph.",
            follow_up="Final version due before the closing date.",
        ),
    ),
    agency_contacts=(
        NoteTemplate(
            facts="E-mailed {college} admissions to ask whether {first} can apply without a grade 4 in "
            "maths. Reply: yes, if {first} studies maths alongside the course.",
            follow_up="Tell {first} at the next appointment.",
        ),
        NoteTemplate(
            facts="Spoke to the Head of Year at {school}, with {first}'s consent, about predicted "
            "grades: maths 4, English 5, science 4-4.",
            follow_up="Use the grades when choosing the course level.",
        ),
    ),
    outcomes_achieved=(
        "Outcome achieved: {first} accepted a place on the {course} at {college}.",
        "Outcome achieved: {first} started an apprenticeship leading to {career}.",
    ),
    left_out=" Afterwards e-mailed {college} admissions: the interview is confirmed for {next_date}.",
    flag_chances={"learning_difficulty": 0.08, "mental_health": 0.08, "disability": 0.04},
)

HOUSING = CaseTypeTexts(
    vocabulary={
        "landlord": (
            "Mr Hopkins (private landlord)",
            "Cwm Homes Housing Association",
            "Ashcombe Lettings",
            "Mrs Rowlands (private landlord)",
        ),
        "council": (
            "Glynmawr County Borough Council",
            "Aberwennol Council",
            "Trefelin County Council",
        ),
        "arrears": ("£640", "£1,180", "£2,350", "£875", "£1,920"),
        "rent": ("£475", "£550", "£625", "£695"),
        "housing_officer": ("Ms Bevan", "Mr Clarke", "Mrs Ellis", "Mr Jenkins"),
        "notice": ("a section 21 notice", "a section 8 notice for rent arrears", "a notice to quit"),
        "court": ("Glynmawr County Court", "Trefelin County Court"),
    },
    required_outcomes=(
        "Prevent homelessness: {first} keeps the current tenancy or moves to suitable settled "
        "accommodation before the notice ends.",
        "Arrears of {arrears} repaid or on an affordable repayment plan agreed with the landlord, and "
        "the possession claim withdrawn or adjourned.",
        "{first} moves out of temporary accommodation into settled accommodation, with the council's "
        "housing duty met.",
        "Disrepair reported in writing and the repairs done by the landlord within the agreed time.",
    ),
    goals=(
        GoalTemplate(
            "Agree an affordable repayment plan for the {arrears} arrears within four weeks",
            "Written plan agreed by the landlord",
            4,
        ),
        GoalTemplate(
            "Make a homelessness application to {council} within one week",
            "Application acknowledged and a housing officer named",
            1,
        ),
        GoalTemplate(
            "Join the common housing register and bid for at least two properties a week",
            "Bids shown on the housing portal at each appointment",
            8,
        ),
        GoalTemplate(
            "Apply for a Discretionary Housing Payment to cover the rent shortfall within two weeks",
            "Decision letter received",
            3,
        ),
    ),
    actions=(
        ActionTemplate("Check the notice is valid and the deposit was protected", "staff", 3),
        ActionTemplate("Send the homelessness application to {council}", "staff", 2),
        ActionTemplate("Bring the tenancy agreement and the notice to the next appointment", "client", 7),
        ActionTemplate("Apply for a Discretionary Housing Payment", "staff", 7),
        ActionTemplate("Ask the landlord for a rent statement", "staff", 5),
        ActionTemplate("Pay £20 a week towards the arrears from the next pay day", "client", 7),
        ActionTemplate("Bid for properties on the housing register every week", "client", 14),
        ActionTemplate("Refer to the duty solicitor for the possession hearing", "staff", 5),
        ActionTemplate(
            "Confirm the temporary accommodation placement", "other", 3, "Council housing officer"
        ),
    ),
    deadlines=(
        DeadlineTemplate("statutory", "Section 21 notice expires", 45),
        DeadlineTemplate("statutory", "Homelessness decision review request (21 days)", 21),
        DeadlineTemplate("statutory", "Possession hearing at the county court", 35),
        DeadlineTemplate("agreed", "Provide the tenancy agreement and rent statement", 10),
    ),
    first_meetings=(
        NoteTemplate(
            facts="First appointment. {first} has received {notice} from {landlord}, dated {recent_date}. "
            "Rent is {rent} a month; arrears are {arrears} according to the landlord's letter. {first} "
            "lives with two children aged 6 and 9.",
            client_view="{first} said: \"I've been in that house eight years. I can't have the kids "
            'moving schools."',
            assessment="Professional opinion: the notice needs checking for validity before anything "
            "else. If it is valid, a homelessness application now gives the most time.",
            actions_agreed="Agreed with {first}:",
        ),
        NoteTemplate(
            facts="Initial assessment. {first} was asked to leave the family home on {recent_date} and "
            "has been staying with a friend in {town}. No income other than Universal Credit; no savings.",
            client_view="{first} said: \"I can stay at my mate's till the end of the month and then I've "
            'got nowhere."',
            assessment="My assessment: threatened with homelessness within 56 days, so the council "
            "owes a prevention duty. An application is needed this week.",
            actions_agreed="Agreed the first steps:",
        ),
    ),
    meetings=(
        NoteTemplate(
            facts="Checked the notice: served on {recent_date} with two months' notice; the deposit is "
            "registered with the Deposit Protection Service. Explained the court process and timescales.",
            client_view='{first} said: "So they can still make me leave, but not straight away?"',
            assessment="Professional opinion: the notice is valid. Priority now is the homelessness "
            "application and a housing register bid plan.",
        ),
        NoteTemplate(
            facts="Went through the rent statement from {landlord}: arrears {arrears}, built up over five "
            "months after a drop in working hours. Drafted a repayment offer of £20 a week with {first}.",
            client_view='{first} said: "I can do twenty a week if the Discretionary Housing Payment comes '
            'through."',
        ),
        NoteTemplate(
            facts="{first} brought the letter from {council} accepting the prevention duty. Housing "
            "officer is {housing_officer}. Helped {first} to place two bids on the housing portal.",
            client_view="{first} said: \"It's a relief that someone's dealing with it now.\"",
            assessment="Professional opinion: progress is good; the risk is a court date before an "
            "offer of accommodation.",
            where="office",
        ),
        NoteTemplate(
            facts="Prepared for the possession hearing at {court} on {next_date}. Went through the "
            "defence form and the repayment record: eight payments of £20 made on time.",
            client_view='{first} said: "I\'m scared of going to court on my own."',
            assessment="Professional opinion: a good record of payments gives a real chance of an "
            "adjournment on terms.",
        ),
        NoteTemplate(
            facts="Checked the conditions in the flat at {first}'s request: black mould on two bedroom "
            "walls and a leaking kitchen window. Photographs taken with consent.",
            client_view="{first} said: \"The kids keep getting chesty coughs and the landlord won't answer "
            'my texts."',
            where="home",
        ),
    ),
    phone_calls=(
        NoteTemplate(
            facts="Rang {first} to confirm the homelessness application was sent to {council} today.",
            follow_up="Chase the council for a decision if nothing arrives within 10 working days.",
        ),
        NoteTemplate(
            facts="{first} rang: {landlord} has issued court papers for a possession hearing. Asked "
            "{first} to bring the papers in tomorrow.",
            follow_up="Appointment on {next_date} at {next_time} to go through the papers.",
        ),
        NoteTemplate(
            facts="Rang {first} to check the first arrears payment. {first} confirmed £20 was paid on "
            "Friday and sent a photo of the receipt.",
            follow_up="Check the next rent statement on {next_date}.",
        ),
    ),
    emails=(
        NoteTemplate(
            facts="E-mailed the homelessness application and supporting documents to {council} housing "
            "options team; copy sent to {first}.",
            follow_up="Expect an acknowledgement within five working days.",
        ),
        NoteTemplate(
            facts="Wrote to {first} confirming the advice given about the notice and the date it ends."
        ),
    ),
    agency_contacts=(
        NoteTemplate(
            facts="Rang {landlord}, with {first}'s consent. The landlord confirmed arrears of {arrears} "
            "and agreed not to start court action for 28 days if a repayment plan is agreed.",
            follow_up="Send the repayment offer in writing by {next_date}.",
        ),
        NoteTemplate(
            facts="Rang {council} housing options: {housing_officer} confirmed the application is being "
            "assessed and a decision is due within 56 days.",
            follow_up="Tell {first} at the next contact.",
        ),
    ),
    outcomes_achieved=(
        "Outcome achieved: the possession claim was adjourned on terms and the repayment plan is holding.",
        "Outcome achieved: {first} moved into a housing association tenancy in {town}.",
    ),
    left_out=" Afterwards rang {council} housing options: the application has been allocated to "
    "{housing_officer}.",
    flag_chances={
        "homelessness": 0.4,
        "financial_hardship": 0.2,
        "mental_health": 0.12,
        "domestic_abuse": 0.05,
        "care_leaver": 0.04,
        "safeguarding": 0.03,
        "disability": 0.05,
    },
)

WELFARE = CaseTypeTexts(
    vocabulary={
        "benefit": (
            "Personal Independence Payment",
            "Universal Credit",
            "Employment and Support Allowance",
            "Carer's Allowance",
        ),
        "condition": (
            "fibromyalgia",
            "COPD",
            "depression and anxiety",
            "a back injury",
            "multiple sclerosis",
            "arthritis in both knees",
        ),
        "points": ("0", "2", "4", "6"),
        "debt": ("£780", "£1,250", "£3,400"),
        "gp_surgery": ("Heol Gelli Surgery", "Pontyberw Health Centre", "Trefelin Medical Practice"),
    },
    required_outcomes=(
        "{first} receives the correct award of {benefit}, with any arrears, and a benefit check "
        "confirms nothing else is being missed.",
        "Challenge the {benefit} decision by mandatory reconsideration and, if needed, appeal to the "
        "tribunal.",
        "Maximise income: full benefit check done, every entitlement claimed, and a plan agreed for the "
        "priority debts.",
    ),
    goals=(
        GoalTemplate(
            "Return the completed PIP2 form with supporting evidence before the deadline",
            "Form posted by recorded delivery; proof of postage kept",
            4,
        ),
        GoalTemplate(
            "Ask for mandatory reconsideration of the {benefit} decision within the one-month limit",
            "Reconsideration request acknowledged by DWP",
            4,
        ),
        GoalTemplate(
            "Get medical evidence from the GP and the specialist within three weeks",
            "Letters received and copied to the file",
            3,
        ),
        GoalTemplate(
            "Complete a full benefit check and claim every entitlement found within six weeks",
            "Benefit check report saved; claims made",
            6,
        ),
    ),
    actions=(
        ActionTemplate("Complete a full benefit check", "staff", 3),
        ActionTemplate("Refer to the foodbank for an emergency parcel", "staff", 1),
        ActionTemplate("Ask DWP for a copy of the assessment report", "staff", 5),
        ActionTemplate("Keep a two-week diary of how {condition} affects daily living", "client", 14),
        ActionTemplate("Ask the GP for a supporting letter about {condition}", "client", 10),
        ActionTemplate("Send the supporting letter", "other", 14, "GP at {gp_surgery}"),
        ActionTemplate("Draft the mandatory reconsideration letter", "staff", 7),
        ActionTemplate("Send bank statements for the last three months", "client", 7),
        ActionTemplate("Apply to the council for Council Tax Reduction", "staff", 7),
        ActionTemplate("Send the appeal form (SSCS1) to HM Courts and Tribunals Service", "staff", 10),
    ),
    deadlines=(
        DeadlineTemplate("statutory", "Mandatory reconsideration deadline", 25),
        DeadlineTemplate("statutory", "PIP form return", 28),
        DeadlineTemplate("statutory", "Tribunal appeal (SSCS1) deadline", 40),
        DeadlineTemplate("agreed", "Send bank statements for the Universal Credit claim", 10),
    ),
    first_meetings=(
        NoteTemplate(
            facts="First appointment. {first} brought a decision letter dated {recent_date}: {benefit} "
            "refused after an assessment scoring {points} points. {first} has {condition} and has not "
            "worked for two years.",
            client_view="{first} said: \"The report says I can walk 200 metres. I can't get to the end of "
            'the street without stopping."',
            assessment="Professional opinion: the report does not match what {first} describes. A "
            "mandatory reconsideration with medical evidence has a reasonable chance of success.",
            actions_agreed="Agreed with {first}:",
            where="office",
        ),
        NoteTemplate(
            facts="Initial benefit check. {first} lives alone in {town}, receives Universal Credit only "
            "and has {debt} of council tax and energy arrears. {first} has {condition}.",
            client_view="{first} said: \"I didn't know I could claim anything else. I just try not to put "
            'the heating on."',
            assessment="My assessment: {first} is likely to be entitled to more than is being paid, "
            "including PIP. The debts are priority debts and need a plan.",
            actions_agreed="Agreed the first steps:",
        ),
    ),
    meetings=(
        NoteTemplate(
            facts="Went through the PIP2 form, daily living section, using {first}'s two-week diary. "
            "Completed questions 1 to 9 together. {first} signed the consent form for us to contact the "
            "GP.",
            client_view="{first} said: \"It's hard writing down everything I can't do, but I know it has "
            'to be in there."',
            assessment="Professional opinion: the evidence supports points for preparing food, "
            "washing and dressing.",
        ),
        NoteTemplate(
            facts="Drafted the mandatory reconsideration letter with {first}, quoting the GP's letter and "
            "the diary. Posted by recorded delivery from the office; receipt kept on file.",
            client_view='{first} said: "At least now they\'ll hear it properly."',
            where="office",
        ),
        NoteTemplate(
            facts="The mandatory reconsideration was refused (letter dated {recent_date}). Completed the "
            "SSCS1 appeal form with {first}, asking for an oral hearing.",
            client_view="{first} said: \"I'll go to the tribunal if you come with me. I don't want to do "
            'it on my own."',
            assessment="Professional opinion: the appeal has good prospects; the GP evidence and the "
            "diary are strong.",
        ),
        NoteTemplate(
            facts="Benefit check done on the calculator: {first} may be entitled to the Council Tax "
            "Reduction and the Warm Home Discount as well as {benefit}. Helped {first} to start both "
            "applications.",
            client_view='{first} said: "That could make a real difference this winter."',
        ),
    ),
    phone_calls=(
        NoteTemplate(
            facts="Rang {first} to go through the form questions on preparing food and managing "
            "medication. Notes taken for the form.",
            follow_up="Finish the form at the appointment on {next_date}.",
        ),
        NoteTemplate(
            facts="{first} rang: a DWP letter dated {recent_date} refuses the mandatory reconsideration. "
            "Asked {first} to bring the letter in.",
            follow_up="Appointment on {next_date} at {next_time} to start the appeal.",
        ),
        NoteTemplate(
            facts="Rang {first}: DWP has confirmed the {benefit} payment will be made on Thursday, "
            "including the arrears.",
            follow_up="Check the payment has arrived on {next_date}.",
        ),
    ),
    emails=(
        NoteTemplate(
            facts="Sent {first} a copy of the mandatory reconsideration letter posted to DWP today, by "
            "e-mail as asked."
        ),
        NoteTemplate(
            facts="{first} e-mailed photos of the GP letter about {condition}. Saved to the file.",
            follow_up="Add the letter to the evidence list.",
        ),
    ),
    agency_contacts=(
        NoteTemplate(
            facts="Rang the DWP enquiry line with {first}'s consent on file. Confirmed the form was "
            "received on {recent_date} and is waiting for an assessment.",
            follow_up="Tell {first}; chase again in four weeks if no assessment date.",
        ),
        NoteTemplate(
            facts="Wrote to {gp_surgery} asking for a supporting letter about {condition}; signed "
            "consent enclosed.",
            follow_up="Chase the surgery on {next_date} if no reply.",
        ),
    ),
    outcomes_achieved=(
        "Outcome achieved: {benefit} awarded on mandatory reconsideration, with the arrears paid.",
        "Outcome achieved: the tribunal allowed the appeal and the award has been put in place.",
    ),
    left_out=" Afterwards rang DWP: the mandatory reconsideration request was logged on {note_date}.",
    flag_chances={
        "disability": 0.3,
        "financial_hardship": 0.3,
        "mental_health": 0.15,
        "safeguarding": 0.03,
        "language": 0.05,
        "risk_to_self": 0.02,
    },
)

YOUTH = CaseTypeTexts(
    vocabulary={
        "college": ("Coleg Glynmawr", "Trefelin College"),
        "course": (
            "Level 1 Motor Vehicle course",
            "Level 1 Catering course",
            "Level 2 Sport course",
            "Level 1 Construction Skills course",
        ),
        "project": (
            "the Friday youth club",
            "the boxing project at the community centre",
            "the music studio sessions at the Hub",
        ),
        "interest": ("football", "music production", "boxing", "cars", "cooking"),
        "school": ("Trefelin Comprehensive", "Ysgol Bro Glynmawr", "Cwmderi High School"),
    },
    required_outcomes=(
        "{first} moves into education, employment or training and stays engaged for at least 12 weeks.",
        "Re-engage with learning: {first} starts the {course} and attends at least 80% of sessions.",
        "ID, a bank account and stable accommodation in place, and a plan for education or training "
        "agreed with {first}.",
    ),
    goals=(
        GoalTemplate("Attend {project} once a week for six weeks", "Attendance register", 6),
        GoalTemplate(
            "Apply for the {course} at {college} by the end of the month",
            "Application confirmation e-mail",
            4,
        ),
        GoalTemplate(
            "Get photo ID (a provisional driving licence) and open a bank account within four weeks",
            "ID and bank card seen",
            4,
        ),
        GoalTemplate(
            "Go to a taster day for the {course} within three weeks",
            "Taster day attended; tutor feedback received",
            3,
        ),
    ),
    actions=(
        ActionTemplate("Apply for a provisional driving licence as photo ID", "client", 14),
        ActionTemplate("Ring {college} to book a taster day", "staff", 5),
        ActionTemplate("Help complete the bus pass application", "staff", 3),
        ActionTemplate("Go to {project} this week", "client", 4),
        ActionTemplate("Share the action plan with the leaving care team", "staff", 5),
        ActionTemplate("Open a basic bank account", "client", 14),
        ActionTemplate("Discuss a reduced timetable", "other", 7, "Wellbeing lead at {school}"),
    ),
    deadlines=(
        DeadlineTemplate("statutory", "Pathway plan review due", 42),
        DeadlineTemplate("agreed", "College application closes", 28),
        DeadlineTemplate("agreed", "Return the bus pass form", 7),
    ),
    first_meetings=(
        NoteTemplate(
            facts="First meeting at the youth centre after referral from {school}. {first} is {age}, left "
            "school in the summer and has not been in education, employment or training since. Talked "
            "about interests: {interest}.",
            client_view="{first} said: \"School wasn't for me. I'd do something with {interest} if it "
            'paid."',
            assessment="Professional opinion: {first} is not ready for a full-time course yet. Regular "
            "contact through {project} would build trust first.",
            actions_agreed="Agreed with {first}:",
            where="own",
        ),
        NoteTemplate(
            facts="Initial meeting. {first} is {age}, a care leaver living in supported accommodation in "
            "{town}. No photo ID and no bank account. Interested in the {course} at {college}.",
            client_view="{first} said: \"I want my own money and my own place. I don't want to be stuck "
            'in the hostel forever."',
            assessment="My assessment: ID and a bank account are the practical barriers to fix first; "
            "{first} is keen on the course.",
            actions_agreed="Agreed the first steps:",
        ),
    ),
    meetings=(
        NoteTemplate(
            facts="Met {first} at {project}. {first} has attended three of the last four sessions and "
            "helped to set up the equipment.",
            client_view='{first} said: "It\'s alright here. Better than sitting in my room."',
            assessment="Professional opinion: attendance is building; a good time to talk about the "
            "{course}.",
            where="own",
        ),
        NoteTemplate(
            facts="Went with {first} to the taster day for the {course} at {college}. {first} stayed for "
            "the whole session and spoke to the tutor about the start date.",
            client_view="{first} said: \"I didn't think I'd like it but the workshop was good.\"",
            where="own",
        ),
        NoteTemplate(
            facts="Helped {first} to fill in the provisional driving licence application and the bus "
            "pass form. Both posted from the office.",
            client_view='{first} said: "Finally. I\'ve been putting that off for ages."',
            where="office",
        ),
        NoteTemplate(
            facts="{first} has started the {course}: attended four of the first five days. The tutor "
            "reports {first} arrived on time each day.",
            client_view='{first} said: "The early starts are hard but I\'m liking it."',
            assessment="Professional opinion: a good start. The next four weeks are the risk period "
            "for dropping out.",
        ),
    ),
    phone_calls=(
        NoteTemplate(
            facts="Rang {first} to remind about {project} tonight. {first} said they would go with a friend.",
            follow_up="See {first} there.",
        ),
        NoteTemplate(
            facts="{first} rang to say the old phone was lost. Rebooked the appointment for {next_date}.",
            follow_up="Appointment {next_date} at {next_time}.",
        ),
        NoteTemplate(
            facts="Rang {first} about the college application. {first} has submitted it and has an "
            "interview on {next_date}.",
            follow_up="Interview practice before {next_date}.",
        ),
    ),
    emails=(
        NoteTemplate(facts="E-mailed {first} the details of the taster day at {college}."),
        NoteTemplate(
            facts="{first} e-mailed a photo of the provisional licence application confirmation.",
            follow_up="Check the licence has arrived at the next meeting.",
        ),
    ),
    agency_contacts=(
        NoteTemplate(
            facts="Rang the leaving care team with {first}'s consent to share the action plan. Agreed a "
            "joint visit next month.",
            follow_up="Joint visit to be booked for the week of {next_date}.",
        ),
        NoteTemplate(
            facts="Spoke to {college} learner support about a travel bursary for {first}. Application form "
            "sent by e-mail.",
            follow_up="Help {first} to complete the form at the next meeting.",
        ),
    ),
    outcomes_achieved=(
        "Outcome achieved: {first} started the {course} and has attended for 12 weeks.",
        "Outcome achieved: {first} has ID, a bank account and a place on the {course}.",
    ),
    left_out=" Afterwards rang the leaving care team: the bus pass has been approved.",
    flag_chances={
        "care_leaver": 0.3,
        "safeguarding": 0.08,
        "mental_health": 0.12,
        "learning_difficulty": 0.08,
        "homelessness": 0.1,
        "risk_to_self": 0.03,
    },
)

CASE_TYPE_TEXTS: dict[str, CaseTypeTexts] = {
    "employment": EMPLOYMENT,
    "careers": CAREERS,
    "housing": HOUSING,
    "welfare": WELFARE,
    "youth": YOUTH,
}
