"""De-identifying the free text of case notes for an anonymised export (issue 4 item 6; K1, K2).

Pure Python with no Django import, so it can be tested on its own and reused by any export.

No named-entity model is available, so an ``Anonymiser`` combines three sources:

1. **What the system knows** about the people in each case, registered before any text is
   read: the client (full name, each name part alone, ``Mr Surname``, common short forms),
   date of birth, phone, e-mail, address and postcode; the client's recorded contacts; and the
   staff. These names are matched case-insensitively (or only when capitalised, for names that
   are also ordinary words, such as Grace or Will).
2. **Patterns** for structured identifiers: e-mail addresses, web links and handles, client
   references, National Insurance numbers, sort codes, account numbers, NHS numbers, UK phone
   numbers in their usual spellings, dates in many spellings, postcodes and street addresses.
3. **Heuristics** for other people's names: a title (Mr, Mrs, Dr...) followed by a name, a
   given name from ``data/given_names.txt`` followed by a capitalised surname, a name after a
   relationship word ("her son Kacper"), and a listed given name alone.

Detectors run in a fixed order over each text. A detector claims spans of the text, and a
claimed span is masked so that later detectors can neither match inside it nor across it;
phrases that must survive (Jobcentre Plus, Universal Credit, Citizens Advice...) are claimed
and left as they are.

**Consistency.** Every identifier is keyed by a normalised form (a phone number's digits, an
e-mail address in lower case, a postcode without its space, a person's known identity or
surname) and each key gets one placeholder for the whole export, numbered in order of first
appearance: ``[Client]``, ``[Person 2]``, ``[Phone 1]``. Call ``learn`` on every text of the
export before ``anonymise`` so that a name first met as "Dr Sunita Patel" is also replaced
when it appears earlier as plain "Patel" or "Sunita".

**Dates** are shifted, not removed, by one secret offset per export, in whole weeks so that
each date keeps its day of the week (the text's "Monday" and working-day intervals stay
true); a date of birth (a known one, or any date after "DOB", "born", "date of birth") is
replaced by ``[Date of birth]``. A year on its own is kept, except a year of birth.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN_NAMES_FILE = Path(__file__).resolve().parent / "data" / "given_names.txt"

# What each kind of identifier is called in the manifest, and its placeholder stem.
KINDS: dict[str, tuple[str, str]] = {
    "client": ("Client", "client names"),
    "person": ("Person", "other people's names (recorded contacts and names found by pattern)"),
    "staff": ("Staff", "staff names"),
    "phone": ("Phone", "phone numbers"),
    "email": ("Email", "email addresses"),
    "link": ("Link", "web links and social media handles"),
    "postcode": ("Postcode", "postcodes"),
    "address": ("Address", "street addresses"),
    "ni_number": ("NI number", "National Insurance numbers"),
    "nhs_number": ("NHS number", "NHS numbers"),
    "sort_code": ("Sort code", "bank sort codes"),
    "account_number": ("Account number", "bank account numbers"),
    "reference": ("Reference", "client references and other long reference numbers"),
    "date_of_birth": ("Date of birth", "dates of birth"),
    "year_of_birth": ("Year of birth", "years of birth"),
    "vehicle": ("Vehicle", "vehicle registrations"),
}
_UNNUMBERED = {"date_of_birth", "year_of_birth"}

# Words that are given names but also ordinary English words, months or places: as a known
# person's name they are matched only when capitalised, and the heuristics take them only
# with stronger evidence (a title, a surname after them, or "her son ...").
WORD_NAMES = _words(
    """will may june april august hope faith grace joy mark bill rose dawn summer autumn ray
    drew guy frank rich art sue pat jack bob rob don dean amber ruby holly ivy lily jade crystal
    robin penny carol miles chase hunter skye sky storm river brook glen dale clay cliff heath
    hazel iris daisy poppy violet olive ginger sandy rusty angel eve jean gene roman norman kay
    lee max jay kit grant wade tate honey liberty phoenix harmony destiny precious blessing
    mercy christian heather fern willow wren jasmine teddy haf gay happy sonny bonnie danish"""
)
# Given names that are also places: never lower-case words, but "Jordan" may be the country.
PLACE_NAMES = _words(
    """jordan chelsea devon chester florence victoria georgia austin kendall lincoln paris india
    indie cleo otis nell sion joey"""
)
AMBIGUOUS_NAMES = WORD_NAMES | PLACE_NAMES

# Capitalised words that are never taken as part of a person's name by the heuristics.
STOP_WORDS = _words(
    """a an the this that these those some any no all each every both either neither
    i he she they we you it his her their our your my its him them us me mine
    and or but if then so also not yes ok okay please thanks thank
    today tomorrow yesterday morning afternoon evening night week weekend month year
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    met spoke called rang phoned emailed texted discussed agreed advised explained reviewed
    next review client clients practitioner note notes action actions plan goal goals outcome
    follow followup signposted referred referral booked attended missed visited
    jobcentre plus universal credit council housing benefit benefits tax advice citizens bureau
    trust foundation service services team centre center hospital surgery practice clinic
    school college university academy court tribunal police station library church mosque
    temple bank building society association group ltd limited plc company charity
    shelter mind samaritans stepchange tesco asda aldi lidl amazon sainsbury sainsburys morrisons
    greggs primark boots argos iceland poundland wilko mcdonalds kfc subway waitrose
    nhs gp dwp hmrc pip esa jsa dla uc cv cab id ni dbs cscs sia esol nvq gcse gcses btec
    english welsh scottish irish british polish romanian lithuanian somali arabic urdu punjabi
    bengali tigrinya kurdish farsi portuguese spanish french italian ukrainian russian
    muslim hindu sikh jewish christmas easter ramadan eid diwali
    wales england scotland ireland britain uk london cardiff swansea newport bristol bath
    manchester birmingham leeds liverpool sheffield glasgow edinburgh belfast bradford leicester
    nottingham coventry hull plymouth stoke southampton portsmouth reading luton
    sunderland wolverhampton brighton middlesbrough wrexham bangor merthyr pontypridd
    caerphilly bridgend neath llanelli carmarthen aberystwyth northfield
    road street avenue lane close way drive crescent place terrace gardens
    mr mrs ms miss mx dr prof sir dame
    mum mother dad father son daughter brother sister partner husband wife friend landlord
    manager employer coach worker officer nurse doctor teacher solicitor advisor adviser
    interview appointment application form letter email phone call text visit"""
)

# Surnames that are also ordinary words: a known person's surname is matched only capitalised.
WORD_SURNAMES = _words(
    """young white brown green black grey gray long little hall wood king price hill bell field lane
    rice bird baker cook page hunter fisher turner walker parker carter cooper mason butler miller
    taylor shepherd gardener marsh moss stone wells west north south east day light love sharp short
    strong small bush park church lamb fox wolf swan crane drake cross english french best good moon
    star frost winter spring bright noble banks booth bond chance child holmes lord bishop pope knight
    major gold silver house brook rivers waters ward hart wise free fair mills law"""
)

# Organisations, benefits and programmes that must survive even though they look like names.
PROTECTED_PHRASES = (
    "Jobcentre Plus",
    "Job Centre Plus",
    "Job Centre",
    "Universal Credit",
    "Citizens Advice Bureau",
    "Citizens Advice",
    "Department for Work and Pensions",
    "Personal Independence Payment",
    "Employment and Support Allowance",
    "Jobseeker's Allowance",
    "Housing Benefit",
    "Council Tax Reduction",
    "Council Tax Support",
    "Pension Credit",
    "Child Benefit",
    "Carer's Allowance",
    "Attendance Allowance",
    "Access to Work",
    "National Careers Service",
    "Careers Wales",
    "Shelter Cymru",
    "Age UK",
    "Age Cymru",
    "Prince's Trust",
    "King's Trust",
    "Trussell Trust",
    "Salvation Army",
    "St John Ambulance",
    "John Lewis",
    "Marks & Spencer",
    "Marks and Spencer",
    "Royal Mail",
    "MoneyHelper",
    "Money Helper",
    "Pension Wise",
    "Restart Scheme",
    "Work and Health Programme",
    "High Street",
)

# Short forms of common given names, so "Liz" is the same client as "Elizabeth".
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "alexander": ("alex", "xander", "sandy"),
    "alexandra": ("alex", "lexi", "sasha"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "benjamin": ("ben", "benji"),
    "catherine": ("cath", "cathy", "kate", "katie"),
    "katherine": ("kath", "kathy", "kate", "katie", "kat"),
    "charles": ("charlie", "chas"),
    "charlotte": ("charlie", "lottie"),
    "christopher": ("chris", "kit"),
    "christine": ("chris", "chrissie"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "deborah": ("debbie", "deb"),
    "edward": ("ed", "eddie", "ted", "teddy"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "frederick": ("fred", "freddie"),
    "gregory": ("greg",),
    "jacqueline": ("jackie",),
    "james": ("jim", "jimmy", "jamie"),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess",),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "kenneth": ("ken", "kenny"),
    "leonard": ("len", "lenny"),
    "margaret": ("maggie", "meg", "peggy", "margo"),
    "matthew": ("matt",),
    "michael": ("mike", "mick", "mikey"),
    "nicholas": ("nick", "nicky"),
    "nicola": ("nicky", "nic"),
    "patricia": ("pat", "trish"),
    "peter": ("pete",),
    "rebecca": ("becky", "becca"),
    "richard": ("rich", "rick", "ricky", "dick"),
    "robert": ("rob", "robbie", "bob", "bobby", "bert"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "susan": ("sue", "suzy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim",),
    "victoria": ("vicky", "tori"),
    "william": ("will", "bill", "billy", "liam"),
    "zachary": ("zac", "zach", "zak"),
}

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_NAMES = list(_MONTHS)
_MONTH_RE = (
    r"(?P<month>(?i:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?))(?![\w])"
)
_DAY_RE = r"(?P<day>[0-3]?\d)(?P<sfx>(?i:st|nd|rd|th))?"
_YEAR4 = r"(?:19|20)\d{2}"

_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b")
# UK vehicle registrations: the current format (AB12 CDE) and the prefix format (K123 ABC).
_VEHICLE = re.compile(r"\b(?:[A-Z]{2}\d{2}[ \t]?[A-Z]{3}|[A-HJ-NP-Y]\d{1,3}[ \t]?[A-Z]{3})\b")
_CLIENT_REF = re.compile(r"(?i)\bCW-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
_NI = re.compile(
    r"(?<![\w])(?P<p>[A-Za-z]{2}) ?(?P<d1>\d{2}) ?(?P<d2>\d{2}) ?(?P<d3>\d{2})(?: ?(?P<s>[A-Da-d]))?(?![\w])"
)
_NI_NOT_PREFIX = _words("is on at to in of by me we he an or so no up us it my do go be am as if ok")
_SORT_CODE = re.compile(r"(?i)\bsort[\s-]?code\W{0,5}(?P<v>\d{2}[\s-]?\d{2}[\s-]?\d{2})\b")
_ACCOUNT = re.compile(r"(?i)\b(?:account|acc|a/c)(?:\s+(?:number|no\.?|num))?\W{0,5}(?P<v>\d{8})\b")
_NHS_CUE = re.compile(r"(?i)\bNHS(?:\s+(?:number|no\.?|num))?\W{0,5}(?P<v>\d{10}|\d{3}[ -]\d{3}[ -]\d{4})\b")
_NHS = re.compile(r"(?<![\d+])(?P<v>\d{3}[ -]\d{3}[ -]\d{4})(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+ ?44|\(?0)[\d \-()]{8,18}\d")
_POSTCODE_AREAS = _words(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
    E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE
    LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL
    SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"""
)
_POSTCODE = re.compile(r"(?i)\b(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z\d]?) ?(?P<inward>\d[A-Z]{2})\b")
_STREET_SUFFIXES = {
    "road": "road",
    "rd": "road",
    "street": "street",
    "st": "street",
    "avenue": "avenue",
    "ave": "avenue",
    "close": "close",
    "lane": "lane",
    "ln": "lane",
    "way": "way",
    "drive": "drive",
    "court": "court",
    "ct": "court",
    "crescent": "crescent",
    "cres": "crescent",
    "place": "place",
    "pl": "place",
    "terrace": "terrace",
    "gardens": "gardens",
    "gdns": "gardens",
    "grove": "grove",
    "hill": "hill",
    "park": "park",
    "square": "square",
    "sq": "square",
    "mews": "mews",
    "row": "row",
    "view": "view",
    "walk": "walk",
    "rise": "rise",
    "parade": "parade",
    "green": "green",
    "mount": "mount",
    "vale": "vale",
    "wharf": "wharf",
    "quay": "quay",
    "yard": "yard",
    "fields": "fields",
    "heights": "heights",
    "meadows": "meadows",
    "croft": "croft",
    "chase": "chase",
    "boulevard": "boulevard",
}
_SUFFIX_ALT = "|".join(sorted((s.capitalize() for s in _STREET_SUFFIXES), key=len, reverse=True))
_COMMON_SUFFIX_ALT = "road|rd|street|avenue|ave|close|lane|crescent|terrace|gardens|grove|mews|drive"
_FLAT = r"(?P<flat>(?i:flat|apartment|apt|unit|studio)\.?[ \t]*\d+[A-Za-z]?[ \t]*,?[ \t]*)?"
# 12, 12a, 12-14, and Scottish tenement flats: 3/2 is flat 2 on the third floor.
_HOUSE_NUMBER = r"(?P<num>\d{1,4}[A-Za-z]?(?:/\d{1,3}|[ \t]*[-\u2013][ \t]*\d{1,4}[A-Za-z]?)?),?[ \t]+"
_ADDRESS = re.compile(
    r"(?<![\w£$€.,])"
    + _FLAT
    + _HOUSE_NUMBER
    + r"(?P<street>(?:(?:St\.?|[A-Z][A-Za-z'\u2019-]+)[ \t]+){1,3}(?P<suffix>"
    + _SUFFIX_ALT
    + r"))\b"
)
_ADDRESS_LOWER = re.compile(
    r"(?i)(?<![\w£$€.,])"
    + _FLAT
    + _HOUSE_NUMBER
    + r"(?P<street>(?:[a-z'\u2019-]+[ \t]+){1,2}(?P<suffix>"
    + _COMMON_SUFFIX_ALT
    + r"))\b"
)
# Welsh street names put the kind of street first: "14 Ffordd Gwynedd", "22 Maes y Coed".
_ADDRESS_WELSH = re.compile(
    r"(?<![\w£$€.,])"
    + _FLAT
    + _HOUSE_NUMBER
    + r"(?P<street>(?P<suffix>Heol|Ffordd|Stryd|Lôn|Lon|Maes|Rhodfa|Teras|Clos|Cilgant|Llwyn|Parc|Bryn|"
    r"Cae|Coed|Pant|Cwrt|Gerddi|Nant)(?:[ \t]+(?:y|yr|'r|[A-Z][A-Za-z'\u2019ŵŷâêîôû-]+)){1,3})\b"
)
_NOT_STREET_WORDS = _words(
    """minute minutes min mins hour hours hr hrs mile miles day days week weeks month months
    year years km the a an and or of to in on at her his their my our your one way more
    times people jobs job applications points"""
)
_STREET_ONLY = re.compile(
    r"(?<![\w])(?P<street>(?:[A-Z][a-z'\u2019]+[ \t]+){1,2}(?P<suffix>Road|Street|Avenue|Close|Lane|Crescent"
    r"|Terrace|Gardens|Grove|Mews|Drive))\b"
)
_NAME_WORD = r"(?:[OD]['\u2019])?[^\W\d_][^\W\d_]*(?:-[^\W\d_]+)*"
_TITLE = re.compile(
    r"(?<![\w])(?:(?i:mr|mrs|ms)\.?[ \t]+and[ \t]+)?"
    r"(?P<title>(?i:mr|mrs|ms|mx)|Miss|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Cllr|Councillor|Judge|PC|DC|DS|PCSO|Sgt)"
    r"\.?[ \t]+(?P<initial>[A-Z]\.?[ \t]+)?(?P<first>"
    + _NAME_WORD
    + r")(?:[ \t]+(?P<second>"
    + _NAME_WORD
    + r"))?"
)
_RELATION = re.compile(
    r"(?i:\b(?:mum|mother|dad|father|step-?(?:mum|dad|mother|father|son|daughter)|partner|ex-?partner"
    r"|husband|ex-?husband|wife|ex-?wife|fianc[eé]e?|son|daughter|brother|sister|twin|friend|neighbour"
    r"|landlord|landlady|carer|boyfriend|girlfriend|grandson|granddaughter|grandmother|grandfather"
    r"|grandma|grandad|granddad|nan|nanna|gran|uncle|aunt|auntie|cousin|niece|nephew|child|baby"
    r"|social worker|support worker|key ?worker|work coach|case ?worker|solicitor|employer|boss"
    r"|manager|supervisor|teacher|headteacher|health visitor|probation officer|advocate|interpreter"
    r"|gp|doctor|nurse|midwife|counsellor|therapist|tutor|mentor|housing officer|colleague|flatmate"
    r"|housemate|lodger|ex)s?)\b,?[ \t]+(?:(?i:called|named|is|was)[ \t]+)?"
    r"(?P<first>" + _NAME_WORD + r")(?:[ \t]+(?P<second>" + _NAME_WORD + r"))?"
)
_GIVEN_SURNAME = re.compile(
    r"(?<![\w'\u2019])(?P<first>"
    + _NAME_WORD
    + r")(?:[ \t]+(?P<middle>"
    + _NAME_WORD
    + r"))?[ \t]+(?P<second>"
    + _NAME_WORD
    + r")(?![\w'\u2019])"
)
# A saint's name is a place (St Mary's primary, St David's Hospital), not a person.
_SAINT = re.compile(r"(?<![\w])St\.?[ \t]+[A-Z][a-z]+(?:['\u2019]s)?(?![\w])")
_CAPITALISED = re.compile(r"(?<![\w'\u2019-])" + _NAME_WORD + r"(?![\w-])")
_YEAR_OF_BIRTH = re.compile(
    r"(?i)\b(?:born(?:\s+in)?|year of birth:?|yob:?)\s+(?P<v>" + _YEAR4 + r")\b(?![-/.]\d)"
)
_DOB_CUE = re.compile(
    r"(?i)(?:\bd\.?\s?o\.?\s?b\.?|\bdate of birth|\bborn|\bbirthday)(?:\s+(?:is|was|on|of))?[\s:,-]*$"
)
_LONG_NUMBER = re.compile(
    r"(?<![\w£$€.,/-])(?=[A-Za-z]{0,6}[\d/-]*\d{6})[A-Za-z]{0,6}\d[\dA-Za-z/-]*(?![\w-])"
)

# Date spellings, most specific first. Group names: day, sfx, month (name), a/b (numbers), year.
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>" + _YEAR4 + r")(?P<sep>[-/])(?P<b>\d{1,2})(?P=sep)(?P<a>\d{1,2})\b"),
    re.compile(
        r"(?<![\d.])\b(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})\b(?![.\-/]\d)"
    ),
    re.compile(
        r"\b"
        + _DAY_RE
        + r"(?:[ \t]+of)?[ \t]+"
        + _MONTH_RE
        + r"(?:,?[ \t]+(?P<year>"
        + _YEAR4
        + r"|['\u2019]\d{2})\b)?"
    ),
    re.compile(r"\b" + _MONTH_RE + r"[ \t]+" + _DAY_RE + r"\b(?:,?[ \t]+(?P<year>" + _YEAR4 + r")\b)?"),
    re.compile(r"\b" + _MONTH_RE + r",?[ \t]+(?P<year>" + _YEAR4 + r"|['\u2019]\d{2})\b"),
    re.compile(
        r"(?i:\b(?:on|by|from|until|till|to|since|before|after|due|dated|w/c|wc|review|appt|appointment"
        r"|meeting|interview|hearing|deadline)[ \t]+)"
        r"(?P<a>\d{1,2})/(?P<b>\d{1,2})\b(?![/.]\d)"
    ),
    re.compile(
        r"(?i:\b(?:on|by|from|until|till|before|after|since)[ \t]+the[ \t]+)(?P<day>[0-3]?\d)"
        r"(?P<sfx>(?i:st|nd|rd|th))\b"
    ),
)
_CUED_DATE_START = {5: "a", 6: "day"}


# Where a word stands tells that it is a person's name (issue 10). Verbs a person does, after a
# name at the start of a sentence; "weak" ones (is, has...) follow any noun, so they count only
# after a listed given name.
_PERSON_VERBS = (
    r"said|says|rang|rings|called|calls|texted|texts|emailed|emails|phoned|phones|asked|asks|wants|"
    r"wanted|came|comes|arrived|attended|missed|left|lives|lived|works|worked|starts|started|paid|"
    r"pays|brought|brings|needs|needed|moved|sent|sends|told|tells|went|goes|turned|posted|lost|sold|"
    r"drives|drove|stays|stayed|uses|used|thinks|feels|hit|took|owes|gave|signed|failed|passed|"
    r"applied|agreed|refused|cancelled|explained|reported|described|wrote|completed|spoke|speaks|"
    r"admitted|denied|claimed|complained|struggles|struggled|cannot|can't|won't|didn't|doesn't|"
    r"got|gets|has|had|is|was|and|will|would|can|could|should|did|does|isn't|wasn't|hasn't|"
    r"hadn't|must|may|might|turned up|came in|rang in|got the|wants to|starts at"
)
_WEAK_VERBS = _words(
    "got gets has had is was and will would can could should did does "
    "isn't wasn't hasn't hadn't must may might "
    # Things happen to tenancies and letters too: "Tenancy started", "Payment came".
    "started starts came comes arrived left went goes moved paid pays sent sends passed failed "
    "signed turned lost sold used uses stays stayed missed attended needs needed completed"
)
_NAME_TOKEN = r"[^\W\d_][\w'\u2019-]*"  # noqa: S105  # nosec B105: a pattern, not a password
_CONNECTOR = r"(?i:bin|bint|ibn|ap|ab|ferch|ní|nic|ó|mac|al|el|van|von|de|da|di)"
# One to four words of a name: capitalised words, or any words joined by a connector ("ap rhys").
_NAME_RUN = (
    _NAME_TOKEN + r"(?:[ \t]+(?:[A-Z][\w'\u2019-]*|" + _CONNECTOR + r"[ \t]+" + _NAME_TOKEN + r")){0,3}"
)
_CONTEXT_SUBJECT = re.compile(
    r"(?:^|(?<=[.;!?:\n(])[ \t]*|(?<=[.;!?:][ \t])|\b(?i:said|says|that|whether|because|but|when|"
    r"so|if|think|thinks|thought)[ \t]+)(?P<name>"
    + _NAME_RUN
    # The verb is looked ahead to, not taken: "Rhys said Carwyn owes" finds both names.
    + r")(?=[ \t]+(?P<verb>"
    + _PERSON_VERBS
    + r")\b)",
    re.MULTILINE,
)
_CONTEXT_OBJECT = re.compile(
    r"(?i:\b(?:rang|ring|called|call|texted|text|emailed|email|phoned|phone|met|meet|visited|saw|see|"
    r"spoke to|speak to|told|asked|reminded|helped|messaged|contacted|chased|wrote to|home visit to)"
    r")[ \t]+(?P<name>" + _NAME_TOKEN + r"(?:[ \t]+[A-Z][\w'\u2019-]*){0,2})"
)
_CONTEXT_POSSESSIVE = re.compile(
    r"(?P<name>(?:[A-Z][\w'\u2019-]*[ \t]+){0,2}"
    + _NAME_TOKEN
    + r")['\u2019]s[ \t]+(?i:mum|dad|mother|father|partner|sister|brother|son|"
    r"daughter|girlfriend|boyfriend|husband|wife|nan|nana|grandad|grandma|uncle|aunt|auntie|cousin|"
    r"foster|carer|probation|social worker|worker|teacher|school|baby|children|kids|ex|friend|family|"
    r"ni|nhs|dob|email|phone|number|van|car|care|pa|place|house|flat|home|case|appointment|claim)\b"
)
_CONTEXT_PAIR = re.compile(r"\b(?P<a>" + _NAME_TOKEN + r")[ \t]+(?:and|&)[ \t]+(?P<b>" + _NAME_TOKEN + r")\b")
# Words that stand where a name might but are not one.
CONTEXT_NOT_NAMES = _words(
    """back again outside inside later earlier twice round over about up down in out home there here
    early late briefly online remotely together everyone someone nobody anyone everybody somebody
    staff reception security neighbours neighbour family parents children kids baby twins tenant
    tenants agency caseworker officer social support care client's him them her his their its
    rent payment payments arrears debt debts money bills bill letter letters form forms claim claims
    decision appeal hearing case cases call calls text texts email emails message messages police
    ambulance bailiffs bailiff creditors creditor lender council landlord's employer's work job jobs
    visit session sessions group groups course courses class classes meeting meetings interview
    nothing everything something anything who what when where why how which whose whom
    this that these those one two three four five six seven eight nine ten first second third
    last next new old same other another each both few many most more less least much very
    said says told asked rang called texted emailed phoned went came left got has had is was
    mr mrs ms miss dr pc dc
    from to at on for with by after before if whether that because while as than of off into onto
    upon about against between through during without within along across behind beyond under
    near since until till unless although though so but or nor yet just only even also too
    again still already always never often sometimes usually maybe perhaps however therefore"""
)


@cache
def census_given_names() -> frozenset[str]:
    """Given names of the 1990 US Census (public domain; 5,494 names), from the ``names`` package
    (MIT). Used only where the context already says a person (issue 10): a wide list from open
    data, not from leaked personal data, to tell "Darnell was excluded" from "Rent was paid"."""
    folder = resources.files("names")
    found: set[str] = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in folder.joinpath(name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return frozenset(found - WORD_NAMES - STOP_WORDS - CONTEXT_NOT_NAMES)


@cache
def load_given_names() -> frozenset[str]:
    """The given-names list, lower-cased."""
    lines = GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def random_shift_weeks() -> int:
    """A secret whole number of weeks, 6 to 60, earlier or later."""
    weeks = 6 + secrets.randbelow(55)
    return weeks if secrets.randbelow(2) else -weeks


@dataclass
class _Entity:
    key: str
    kind: str
    stem: str
    description: str = ""
    label: str | None = None


@dataclass(frozen=True)
class Replacement:
    """One span of the original text and what replaced it."""

    start: int
    end: int
    kind: str
    original: str
    text: str


@dataclass(frozen=True)
class Redacted:
    text: str
    replacements: tuple[Replacement, ...]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    kind: str  # a KINDS key, "date", or "keep" (claimed but left as it is)
    key: str | None = None
    text: str | None = None  # the replacement for a date


@dataclass
class _Scan:
    text: str
    masked: str
    hits: list[_Hit] = field(default_factory=list)

    def claim(self, hit: _Hit) -> bool:
        if hit.start >= hit.end or "\x00" in self.masked[hit.start : hit.end]:
            return False
        self.masked = self.masked[: hit.start] + "\x00" * (hit.end - hit.start) + self.masked[hit.end :]
        self.hits.append(hit)
        return True


@dataclass(frozen=True)
class _Surface:
    priority: int
    key: str
    capital_only: bool


def _norm_space(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_parts(name: str) -> list[str]:
    parts = []
    for word in re.split(r"[\s,]+", name):
        word = word.strip(".'\u2019")
        if len(word) >= 2:
            parts.append(word)
            if "-" in word:
                parts.extend(p for p in word.split("-") if len(p) >= 2)
    return parts


def phone_digits(value: str) -> str | None:
    """A UK phone number's digits in national form (``07700900123``), or None if it is not one."""
    digits = re.sub(r"\D", "", value)
    if value.lstrip().startswith("+"):
        if not digits.startswith("44"):
            return None
        digits = digits[2:]
        if value.count("(0)") or digits.startswith("0"):
            digits = digits.removeprefix("0")
        digits = "0" + digits
    if len(digits) in (10, 11) and digits.startswith("0") and digits[1] != "0":
        return digits
    return None


def _address_key(num: str, street: str) -> str:
    words = _norm_space(street).lower().replace(".", "").split(" ")
    words[-1] = _STREET_SUFFIXES.get(words[-1], words[-1])
    street_key = " ".join(words)
    number = re.sub(r"[ \t]", "", num.lower())
    return f"{number} {street_key}" if num else street_key


class Anonymiser:
    """Replaces identifiers in the texts of one export, consistently, and counts what it did.

    Register every person first (``add_client``, ``add_contact``, ``add_staff``), then
    ``learn`` every text, then ``anonymise`` each. ``group`` names the case a text belongs to:
    its client's and contacts' names take precedence there.
    """

    def __init__(
        self,
        *,
        shift_weeks: int | None = None,
        time_zone: tzinfo = UTC,
        given_names: frozenset[str] | None = None,
    ) -> None:
        self.shift = timedelta(weeks=random_shift_weeks() if shift_weeks is None else shift_weeks)
        self.time_zone = time_zone
        self.given_names = load_given_names() if given_names is None else given_names
        self.counts: Counter[str] = Counter()
        self._entities: dict[str, _Entity] = {}
        self._numbers: Counter[str] = Counter()
        self._known: dict[str | None, dict[str, _Surface]] = {}
        self._full_names: dict[str, _Surface] = {}
        self._dobs: dict[str | None, set[date]] = {}
        self._learned: dict[str, _Surface] = {}
        self._given_alias: dict[str, str] = {}
        self._street_alias: dict[str, str] = {}
        self._matchers: dict[str | None, tuple[re.Pattern[str] | None, dict[str, _Surface]]] = {}
        self._learned_matcher: re.Pattern[str] | None = None
        self._learned_dirty = True
        self._frozen = False
        self._client_order: list[str] = []
        self._protected = re.compile(
            r"(?i)(?<![\w])(?:" + "|".join(re.escape(p) for p in PROTECTED_PHRASES) + r")(?![\w])"
        )

    # Registering what the system knows ---------------------------------------------------

    def add_client(
        self,
        *,
        group: str,
        first_name: str,
        last_name: str,
        date_of_birth: date | None = None,
        phone: str = "",
        email: str = "",
        address: str = "",
        reference: str = "",
        description: str = "the client of the case",
    ) -> str:
        """Register a case's client; returns the entity key (its label is fixed on first use)."""
        key = f"client:{group}"
        self._entity(key, "client", "Client", description)
        self._client_order.append(key)
        self._add_person_names(key, group, first_name, last_name, priority=0)
        if date_of_birth:
            self._dobs.setdefault(group, set()).add(date_of_birth)
        self._add_identifiers(group, phone=phone, email=email, address=address)
        if reference:
            self._add_surface(group, reference, f"reference:{reference.upper()}", 0, kind="reference")
        return key

    def add_contact(
        self, *, group: str, name: str, relationship: str = "", phone: str = "", email: str = ""
    ) -> str:
        """Register one of the client's recorded contacts (a relative, carer, another worker)."""
        key = f"contact:{group}:{len(self._entities)}"
        who = "a recorded contact of the client"
        if re.fullmatch(r"[a-z][a-z '\-]{0,38}", relationship.strip().lower()):
            who = f"a recorded contact of the client ({relationship.strip().lower()})"
        self._entity(key, "person", "Person", who)
        parts = name.split()
        first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (name, "")
        self._add_person_names(key, group, first, last, priority=1)
        self._add_identifiers(group, phone=phone, email=email, address="")
        return key

    def add_staff(self, *, user_key: str, first_name: str, last_name: str, role: str = "Practitioner") -> str:
        """Register a member of staff; they become ``[Practitioner 1]``, ``[Supervisor 1]``..."""
        key = f"staff:{user_key}"
        self._entity(key, "staff", role.capitalize(), f"a member of staff ({role.lower()})")
        self._add_person_names(key, None, first_name, last_name, priority=2)
        return key

    def _entity(self, key: str, kind: str, stem: str, description: str = "") -> _Entity:
        if self._frozen and kind in ("client",):
            raise RuntimeError("Register every client before anonymising any text.")
        entity = self._entities.get(key)
        if entity is None:
            entity = self._entities[key] = _Entity(key, kind, stem, description)
        return entity

    def _add_surface(
        self, group: str | None, surface: str, key: str, priority: int, *, kind: str | None = None
    ) -> None:
        surface = _norm_space(surface)
        if len(surface) < 2:
            return
        if kind is not None:
            self._entity(key, kind, KINDS[kind][0])
        lower = surface.lower()
        capital_only = lower in WORD_NAMES or lower in STOP_WORDS or lower in WORD_SURNAMES or len(lower) <= 2
        table = self._known.setdefault(group, {})
        current = table.get(lower)
        if current is None or priority < current.priority:
            table[lower] = _Surface(priority, key, capital_only)
        self._matchers.clear()

    def _add_person_names(self, key: str, group: str | None, first: str, last: str, *, priority: int) -> None:
        first, last = _norm_space(first), _norm_space(last)
        firsts, lasts = _name_parts(first), _name_parts(last)
        surfaces: set[str] = set()
        full_forms: set[str] = set()
        if first and last:
            full_forms |= {f"{first} {last}", f"{last}, {first}", f"{firsts[0]} {last}" if firsts else ""}
            for title in TITLES:
                full_forms |= {f"{title} {last}", f"{title}. {last}", f"{title} {first} {last}"}
                if firsts:
                    full_forms |= {f"{title} {firsts[0][0]} {last}", f"{title} {firsts[0][0]}. {last}"}
            if firsts:
                full_forms |= {f"{firsts[0][0]} {last}", f"{firsts[0][0]}. {last}"}
        full_forms.discard("")
        surfaces |= full_forms | set(firsts) | set(lasts)
        if first and not last:
            surfaces.add(first)
        for name in firsts[:1]:
            surfaces |= {short.capitalize() for short in SHORT_FORMS.get(name.lower(), ())}
        for surface in surfaces:
            self._add_surface(group, surface, key, priority)
        for surface in full_forms:
            lower = _norm_space(surface).lower()
            if lower not in self._full_names or priority < self._full_names[lower].priority:
                self._full_names[lower] = _Surface(priority + 3, key, False)

    def _add_identifiers(self, group: str, *, phone: str, email: str, address: str) -> None:
        # Patterns find these anyway; registering them catches odd spellings and house names.
        if email:
            self._add_surface(group, email, f"email:{email.lower()}", 0, kind="email")
        digits = phone_digits(phone) if phone else None
        if phone and digits:
            self._add_surface(group, phone, f"phone:{digits}", 0, kind="phone")
        if not address:
            return
        segments = [s.strip() for s in re.split(r"[\n,]+", address) if s.strip()]
        kept = []
        for segment in segments:
            postcode = _POSTCODE.search(segment)
            if postcode and postcode.group("area").upper() in _POSTCODE_AREAS:
                key = "postcode:" + re.sub(r"\s", "", postcode.group(0)).upper()
                self._add_surface(group, postcode.group(0), key, 0, kind="postcode")
                segment = segment.replace(postcode.group(0), "").strip()
            if segment:
                kept.append(segment)
        # The last remaining segment is taken to be the town, which is kept.
        lines = kept[:-1] if len(kept) > 1 else kept
        address_key = None
        for line in lines:
            match = re.fullmatch(r"(?P<num>\d{1,4}[A-Za-z]?)\s+(?P<street>.+)", line)
            if match:
                address_key = "address:" + _address_key(match.group("num"), match.group("street"))
                self._street_alias.setdefault(
                    "address:" + _address_key("", match.group("street")), address_key
                )
        address_key = address_key or "address:" + _norm_space(lines[0]).lower() if lines else None
        for line in lines:
            if address_key and not re.fullmatch(r"(?i)(?:flat|apartment|unit)?\s*\d+[a-z]?", line):
                self._add_surface(group, line, address_key, 0, kind="address")

    # Reading texts -------------------------------------------------------------------------

    def learn(self, text: str, *, group: str | None = None, reference: date | None = None) -> None:
        """First pass: meet the names the heuristics find, so every mention gets one placeholder."""
        self._freeze()
        self._scan(text, group, reference)

    def anonymise(self, text: str, *, group: str | None = None, reference: date | None = None) -> Redacted:
        """Second pass: the text with identifiers replaced and dates shifted.

        ``reference`` is the date the text was written about (the contact's date): a date
        written without its year is taken to be the one nearest to it.
        """
        self._freeze()
        scan = self._scan(text, group, reference)
        replacements = []
        for hit in sorted(scan.hits, key=lambda h: h.start):
            if hit.kind == "keep":
                continue
            if hit.kind == "date":
                assert hit.text is not None
                new = hit.text
            else:
                assert hit.key is not None
                new = f"[{self._label(hit.key)}]"
            self.counts[hit.kind] += 1
            replacements.append(Replacement(hit.start, hit.end, hit.kind, text[hit.start : hit.end], new))
        out, last = [], 0
        for rep in replacements:
            out.append(text[last : rep.start])
            out.append(rep.text)
            last = rep.end
        out.append(text[last:])
        return Redacted("".join(out), tuple(replacements))

    def placeholder(self, key: str) -> str:
        """The placeholder of a registered person (a case's client, a member of staff)."""
        self._freeze()
        return f"[{self._label(key)}]"

    def shift_datetime(self, value: datetime) -> datetime:
        """An aware datetime moved by the export's offset, in local wall-clock time."""
        local = value.astimezone(self.time_zone)
        return (local.replace(tzinfo=None) + self.shift).replace(tzinfo=self.time_zone)

    def shift_date(self, value: date) -> date:
        return value + self.shift

    def _freeze(self) -> None:
        if self._frozen:
            return
        self._frozen = True
        clients = self._client_order
        for index, key in enumerate(clients, start=1):
            self._entities[key].label = "Client" if len(clients) == 1 else f"Client {index}"

    def _label(self, key: str) -> str:
        entity = self._entities[key]
        if entity.label is None:
            if entity.kind in _UNNUMBERED:
                entity.label = entity.stem
            else:
                self._numbers[entity.stem] += 1
                entity.label = f"{entity.stem} {self._numbers[entity.stem]}"
        return entity.label

    def _scan(self, text: str, group: str | None, reference: date | None) -> _Scan:
        scan = _Scan(text, text)
        ref = reference or datetime.now(UTC).date()
        for detector in (
            self._find_emails_links,
            self._find_numbers,
            lambda s: self._find_dates(s, group, ref),
            self._find_phones,
            self._find_postcodes,
            self._find_addresses,
            lambda s: self._find_known(s, group),
            self._find_protected,
            self._find_titled,
            self._find_related,
            self._find_in_context,
            self._find_full_names,
            self._find_learned,
            self._find_given_alone,
            self._find_long_numbers,
        ):
            for hit in detector(scan):
                scan.claim(hit)
        return scan

    # Structured identifiers ----------------------------------------------------------------

    def _keyed(self, kind: str, key: str, start: int, end: int) -> _Hit:
        full = f"{kind}:{key}"
        self._entity(full, kind, KINDS[kind][0])
        return _Hit(start, end, kind, full)

    def _find_emails_links(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _EMAIL.finditer(scan.masked):
            yield self._keyed("email", m.group(0).lower(), *m.span())
        for m in _URL.finditer(scan.masked):
            url = m.group(0).rstrip(".,;:)!?'\"")
            yield self._keyed("link", url.lower(), m.start(), m.start() + len(url))
        for m in _HANDLE.finditer(scan.masked):
            yield self._keyed("link", m.group(0).lower(), *m.span())

    def _find_numbers(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _CLIENT_REF.finditer(scan.masked):
            yield self._keyed("reference", m.group(0).upper(), *m.span())
        for m in _NI.finditer(scan.masked):
            prefix = m.group("p")
            if prefix.lower() in _NI_NOT_PREFIX or not (prefix.isupper() or prefix.islower()):
                continue
            key = (prefix + m.group("d1") + m.group("d2") + m.group("d3")).upper()
            yield self._keyed("ni_number", key, *m.span())
        for m in _VEHICLE.finditer(scan.masked):
            yield self._keyed("vehicle", re.sub(r"\s", "", m.group(0)), *m.span())
        for pattern, kind in (
            (_SORT_CODE, "sort_code"),
            (_ACCOUNT, "account_number"),
            (_NHS_CUE, "nhs_number"),
        ):
            for m in pattern.finditer(scan.masked):
                yield self._keyed(kind, re.sub(r"\D", "", m.group("v")), *m.span("v"))

    def _find_phones(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _PHONE.finditer(scan.masked):
            candidate = m.group(0)
            while True:
                digits = phone_digits(candidate)
                if digits:
                    yield self._keyed("phone", digits, m.start(), m.start() + len(candidate))
                    break
                cut = max(candidate.rfind(" "), candidate.rfind("-"))
                if cut <= 0:
                    break
                candidate = candidate[:cut].rstrip(" -(")
        for m in _NHS.finditer(scan.masked):
            yield self._keyed("nhs_number", re.sub(r"\D", "", m.group("v")), *m.span())

    def _find_postcodes(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _POSTCODE.finditer(scan.masked):
            if m.group("area").upper() not in _POSTCODE_AREAS:
                continue
            if not (m.group(0).isupper() or m.group(0).islower() or " " in m.group(0)):
                continue  # "Cf10 1aA" is not how anyone writes a postcode; "on 2nd" is not one either
            yield self._keyed("postcode", re.sub(r"\s", "", m.group(0)).upper(), *m.span())

    def _find_addresses(self, scan: _Scan) -> Iterator[_Hit]:
        for pattern in (_ADDRESS, _ADDRESS_LOWER, _ADDRESS_WELSH):
            for m in pattern.finditer(scan.masked):
                words = m.group("street").lower().split()
                if pattern is _ADDRESS_LOWER and any(w in _NOT_STREET_WORDS for w in words[:-1]):
                    continue
                key = "address:" + _address_key(m.group("num"), m.group("street"))
                self._street_alias.setdefault("address:" + _address_key("", m.group("street")), key)
                self._entity(key, "address", "Address")
                yield _Hit(m.start(), m.end(), "address", key)
        for m in _STREET_ONLY.finditer(scan.masked):
            first = m.group("street").split()[0].lower()
            if first in STOP_WORDS or first in {"high", "main", "new", "old"}:
                continue
            key = "address:" + _address_key("", m.group("street"))
            key = self._street_alias.get(key, key)
            self._entity(key, "address", "Address")
            yield _Hit(m.start(), m.end(), "address", key)

    def _find_long_numbers(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _LONG_NUMBER.finditer(scan.masked):
            yield self._keyed("reference", m.group(0).upper(), *m.span())

    # Dates ---------------------------------------------------------------------------------

    def _find_dates(self, scan: _Scan, group: str | None, ref: date) -> Iterator[_Hit]:
        dobs = self._dobs.get(group, set())
        for m in _YEAR_OF_BIRTH.finditer(scan.masked):
            yield _Hit(*m.span("v"), "year_of_birth", self._yob_key())
        for index, pattern in enumerate(_DATE_PATTERNS):
            for m in pattern.finditer(scan.masked):
                parsed = _parse_date(m, ref)
                if parsed is None:
                    continue
                value, precision = parsed
                # The cued spellings ("on 17/5", "by the 17th") replace the date, not the cue.
                start = m.start(_CUED_DATE_START[index]) if index in _CUED_DATE_START else m.start()
                cue = _DOB_CUE.search(scan.text[max(0, start - 30) : start])
                if cue or (precision == "day" and value in dobs):
                    key = "date_of_birth:"
                    self._entity(key, "date_of_birth", KINDS["date_of_birth"][0])
                    # "born 1 Feb." keeps its full stop: an abbreviation's dot may end the sentence.
                    end = m.end() - m.group(0).endswith(".")
                    yield _Hit(start, end, "date_of_birth", key)
                    continue
                yield _Hit(start, m.end(), "date", None, _format_shifted(m, value + self.shift, start))

    def _yob_key(self) -> str:
        self._entity("year_of_birth:", "year_of_birth", KINDS["year_of_birth"][0])
        return "year_of_birth:"

    # People --------------------------------------------------------------------------------

    def _matcher(self, group: str | None) -> tuple[re.Pattern[str] | None, dict[str, _Surface]]:
        if group not in self._matchers:
            table = self._group_table(group)
            self._matchers[group] = (_alternation(table), table)
        return self._matchers[group]

    def _group_table(self, group: str | None) -> dict[str, _Surface]:
        table: dict[str, _Surface] = {}
        sources: list[dict[str, _Surface]] = [
            self._known.get(group, {}) if group is not None else {},
            self._known.get(None, {}),
            {s: v for s, v in self._full_names.items() if not v.key.endswith(f":{group}")},
        ]
        for source in sources:
            for surface, entry in source.items():
                if surface not in table or entry.priority < table[surface].priority:
                    table[surface] = entry
        return table

    def _find_known(self, scan: _Scan, group: str | None) -> Iterator[_Hit]:
        pattern, table = self._matcher(group)
        if pattern is None:
            return
        for m in pattern.finditer(scan.masked):
            found = _norm_space(m.group(0)).lower()
            entry = table.get(found)
            if entry is None:
                # "Jordans partner": a possessive without its apostrophe, for the case's own people.
                entry = table[found[:-1]]
                if entry.priority > 1 or len(found) < 5 or found in self.given_names:
                    continue
            if entry.capital_only and not _is_capitalised(m.group(0)):
                continue
            kind = self._entities[entry.key].kind
            yield _Hit(m.start(), m.end(), kind, entry.key)

    def _find_protected(self, scan: _Scan) -> Iterator[_Hit]:
        for pattern in (self._protected, _SAINT):
            for m in pattern.finditer(scan.masked):
                yield _Hit(m.start(), m.end(), "keep")

    def _is_name(self, word: str | None, *, strict: bool = False) -> bool:
        """Could ``word`` be part of a person's name? ``strict`` refuses ambiguous words too."""
        if not word or len(word) < 2 or not _is_capitalised(word) or "\x00" in word:
            return False
        lower = word.lower()
        if lower in STOP_WORDS or (word.isupper() and len(word) <= 4):
            return False
        return not (strict and lower in AMBIGUOUS_NAMES)

    def _person(self, given: str | None, surname: str | None) -> str:
        """The entity key for a person found by a heuristic, learning their names."""
        if surname:
            key = "person:" + surname.lower()
            self._entity(key, "person", "Person", "a person named in the notes (found by pattern)")
            if given:
                alias = self._given_alias.get(given.lower())
                if alias is None or (
                    alias.startswith("person:given:") and self._entities[alias].label is None
                ):
                    self._given_alias[given.lower()] = key
                    self._learn_surface(given, key)
            self._learn_surface(surname, key)
            return key
        assert given is not None
        key = self._given_alias.get(given.lower(), "person:given:" + given.lower())
        self._entity(key, "person", "Person", "a person named in the notes (found by pattern)")
        self._learn_surface(given, key)
        return key

    def _learn_surface(self, surface: str, key: str) -> None:
        lower = surface.lower()
        if lower in AMBIGUOUS_NAMES or lower in STOP_WORDS or len(lower) < 3:
            return
        current = self._learned.get(lower)
        if current is None or current.key.startswith("person:given:"):
            self._learned[lower] = _Surface(4, key, True)
            self._learned_dirty = True

    def _find_titled(self, scan: _Scan) -> Iterator[_Hit]:
        pos = 0
        while m := _TITLE.search(scan.masked, pos):
            # A refused match resumes after its title, so "Mr. and Mrs. Kowalski" finds the second.
            pos = m.end("title")
            first, second = m.group("first"), m.group("second")
            honorific = m.group("title").lower() in {"mr", "mrs", "ms", "mx"}
            if self._is_name(first):
                pass
            elif honorific and first.islower() and first not in STOP_WORDS and len(first) > 1:
                second = None  # "mr smith": one lower-case word after an honorific is a surname
            else:
                continue
            pos = m.end()
            end = m.end("second") if second and self._is_name(second) else m.end("first")
            surname = second if second and self._is_name(second) else first
            given = first if surname is second else None
            pos = end
            yield _Hit(m.start(), end, "person", self._person(given, surname))

    def _find_related(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _RELATION.finditer(scan.masked):
            first, second = m.group("first"), m.group("second")
            if not self._is_name(first) or first.lower() in ("will", "may"):
                continue
            if self._is_name(second, strict=True):
                yield _Hit(m.start("first"), m.end("second"), "person", self._person(first, second))
            else:
                yield _Hit(m.start("first"), m.end("first"), "person", self._person(first, None))

    def _name_like(self, word: str) -> bool:
        """A word that may be a name where the context says a person: any case, not a common word."""
        lower = word.lower()
        if " " in word.strip():
            return all(self._name_like(part) or re.fullmatch(_CONNECTOR, part) for part in word.split())
        return (
            len(word) >= 2
            and lower not in STOP_WORDS
            and lower not in CONTEXT_NOT_NAMES
            and lower not in WORD_NAMES
            and "\x00" not in word
            and not (word.isupper() and len(word) <= 4)
        )

    def _find_in_context(self, scan: _Scan) -> Iterator[_Hit]:
        """Names that no list holds, found by where they stand (issue 10): the subject of a verb
        of speaking, contact or doing at the start of a sentence ("jaz posted...", "Hui Min has");
        the object of a verb of contact ("met nathan", "texted Jordan"); a possessive before a
        relation ("kayden's mum"); and the other half of "X and Y" when one half is a name."""
        text = scan.masked
        found: list[tuple[int, int]] = []
        for m in _CONTEXT_SUBJECT.finditer(text):
            words = [w for w in re.finditer(r"[^\W\d_][\w'\u2019-]*", m.group("name"))]
            if not words or not all(self._name_like(w.group(0)) for w in words):
                continue
            first = words[0].group(0)
            # A capitalised word at the start of a sentence may be any noun ("Rent was paid"):
            # it counts only before a verb a person does, or when it is a listed given name.
            listed = any(
                part in self.given_names or part in census_given_names() for part in first.lower().split("-")
            )
            several = sum(w.group(0)[0].isupper() for w in words) >= 2
            # After "said", "whether", "that"... a capitalised word is not a sentence's first word.
            mid_sentence = m.start("name") > m.start() and first[0].isupper()
            weak = m.group("verb").lower() in _WEAK_VERBS
            if not listed and not several and not mid_sentence and weak:
                continue
            if len(words) == 1 and not listed and first.islower() and m.group("verb").lower() in _WEAK_VERBS:
                continue
            found.append((m.start("name"), m.end("name")))
        for pattern in (_CONTEXT_OBJECT, _CONTEXT_POSSESSIVE):
            for m in pattern.finditer(text):
                if self._name_like(m.group("name")):
                    found.append(m.span("name"))
        for m in _CONTEXT_PAIR.finditer(text):
            a, b = m.group("a"), m.group("b")
            if not (self._name_like(a) and self._name_like(b)):
                continue
            pair = {a.lower(), b.lower()}
            if (
                pair & self.given_names
                or pair & census_given_names()
                or any(s <= m.start("a") < e or s <= m.start("b") < e for s, e in found)
            ):
                found.extend([m.span("a"), m.span("b")])
        for start, end in sorted(set(found)):
            surface = text[start:end]
            parts = surface.split()
            given, surname = (parts[0], parts[-1]) if len(parts) > 1 else (parts[0], None)
            yield _Hit(start, end, "person", self._person(given, surname))

    def _find_full_names(self, scan: _Scan) -> Iterator[_Hit]:
        """A listed given name followed by one or two capitalised words: "Sunita Patel"."""
        words = list(_CAPITALISED.finditer(scan.masked))
        i = 0
        while i < len(words):
            first = words[i].group(0)
            run = [words[i]]
            if first.lower() in self.given_names and self._is_name(first):
                while (
                    len(run) < 3
                    and i + len(run) < len(words)
                    and re.fullmatch(r"[ \t]+", scan.masked[run[-1].end() : words[i + len(run)].start()])
                    and self._is_name(words[i + len(run)].group(0), strict=True)
                ):
                    run.append(words[i + len(run)])
            second = run[-1].group(0)
            if len(run) > 1 and not (first.lower() in AMBIGUOUS_NAMES and second.lower() in self.given_names):
                yield _Hit(run[0].start(), run[-1].end(), "person", self._person(first, second))
                i += len(run)
            else:
                i += 1

    def _find_learned(self, scan: _Scan) -> Iterator[_Hit]:
        if self._learned_dirty:
            self._learned_matcher = _alternation(self._learned)
            self._learned_dirty = False
        if self._learned_matcher is None:
            return
        for m in self._learned_matcher.finditer(scan.masked):
            entry = self._learned.get(m.group(0).lower())
            if entry is not None and _is_capitalised(m.group(0)):
                yield _Hit(m.start(), m.end(), "person", entry.key)

    def _find_given_alone(self, scan: _Scan) -> Iterator[_Hit]:
        for m in _CAPITALISED.finditer(scan.masked):
            word = m.group(0)
            if word.lower() in self.given_names and self._is_name(word, strict=True):
                yield _Hit(m.start(), m.end(), "person", self._person(word, None))

    # The manifest ---------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What was replaced, by kind: how many mentions and how many distinct identifiers."""
        replaced = []
        for kind, (_stem, description) in KINDS.items():
            if self.counts[kind]:
                distinct = sum(1 for e in self._entities.values() if e.kind == kind and e.label)
                replaced.append(
                    {"kind": kind, "what": description, "mentions": self.counts[kind], "distinct": distinct}
                )
        return {"replaced": replaced, "dates_shifted": self.counts["date"]}

    def legend(self) -> list[dict[str, str]]:
        """Who each person placeholder stands for, in words that identify nobody."""
        people = [e for e in self._entities.values() if e.kind in ("client", "person", "staff") and e.label]
        return [{"placeholder": f"[{e.label}]", "who": e.description} for e in people]


def _alternation(surfaces: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for many names, longest first so a full name wins."""
    alternatives = sorted(surfaces, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?i)(?<![\w@])(?:" + "|".join(map(re.escape, alternatives)) + r")s?(?![\w@])")


# Dates ---------------------------------------------------------------------------------------


def _month_number(name: str) -> int:
    lower = name.lower().rstrip(".")
    for full, number in _MONTHS.items():
        if full.startswith(lower[:3]):
            return number
    raise ValueError(name)


def _full_year(text: str, ref: date) -> int:
    digits = text.lstrip("'\u2019")
    if len(digits) == 4:
        return int(digits)
    century = 2000 if 2000 + int(digits) <= ref.year + 1 else 1900
    return century + int(digits)


def _nearest(candidates: Iterable[tuple[int, int, int]], ref: date) -> date | None:
    best = None
    for y, mo, d in candidates:
        try:
            value = date(y, mo, d)
        except ValueError:
            continue
        if best is None or abs((value - ref).days) < abs((best - ref).days):
            best = value
    return best


def _parse_date(m: re.Match[str], ref: date) -> tuple[date, str] | None:
    """The date a match spells, and its precision: "day", "month" (month and year) or "dom"."""
    groups = m.groupdict()
    if groups.get("month") and groups["month"].lower() in ("may", "mar") and groups["month"].islower():
        return None  # "you may 2..." is a verb, not a month
    year = _full_year(groups["year"], ref) if groups.get("year") else None
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        day, month = (b, a) if a <= 12 < b else (a, b)
    elif groups.get("month"):
        month = _month_number(groups["month"])
        day = int(groups["day"]) if groups.get("day") else 0
    else:
        day, month = int(groups["day"]), 0
    if (year is not None and not 1900 <= year <= 2100) or day > 31 or month > 12:
        return None
    if groups.get("day") == "0" or (groups.get("a") and not (day and month)):
        return None
    if not day:
        try:
            return date(year or ref.year, month, 15), "month"
        except (ValueError, TypeError):
            return None
    if not month:
        months = [(ref.year + (ref.month + k - 1) // 12, (ref.month + k - 1) % 12 + 1) for k in (-1, 0, 1)]
        found = _nearest(((y, mo, day) for y, mo in months), ref)
        return (found, "dom") if found else None
    if year is None:
        found = _nearest(((ref.year + k, month, day) for k in (-1, 0, 1)), ref)
        return (found, "day") if found else None
    try:
        return date(year, month, day), "day"
    except ValueError:
        return None


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_spelling(original: str, month: int) -> str:
    bare = original.rstrip(".")
    name = _MONTH_NAMES[month - 1]
    if bare.lower() not in _MONTHS:
        name = "sept" if month == 9 and len(bare) == 4 else name[:3]
    if bare.isupper():
        name = name.upper()
    elif bare[:1].isupper():
        name = name.capitalize()
    return name + ("." if original.endswith(".") else "")


def _pad(padded: bool, value: int) -> str:
    return f"{value:02d}" if padded else str(value)


def _format_shifted(m: re.Match[str], new: date, start: int) -> str:
    """The match, re-spelt for the new date in the same style (separators, padding, names)."""
    groups = m.groupdict()
    values: dict[str, str] = {}
    if groups.get("year"):
        old = groups["year"]
        stripped = old.lstrip("'\u2019")
        values["year"] = old[: len(old) - len(stripped)] + (
            str(new.year) if len(stripped) == 4 else f"{new.year % 100:02d}"
        )
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        us_order = a <= 12 < b
        day_group, month_group = ("b", "a") if us_order else ("a", "b")
        # 17/06/2024 and 10/06/2024 are zero-padded; 17.6.24 is not.
        padded = any(groups[g].startswith("0") for g in "ab") or len(groups["a"] + groups["b"]) == 4
        values[day_group] = _pad(padded, new.day)
        values[month_group] = _pad(padded, new.month)
    if groups.get("day"):
        values["day"] = _pad(groups["day"].startswith("0"), new.day)
        if groups.get("sfx"):
            sfx = _ordinal(new.day)
            values["sfx"] = sfx.upper() if groups["sfx"].isupper() else sfx
    if groups.get("month"):
        values["month"] = _month_spelling(groups["month"], new.month)
    text = m.string
    spans = sorted(((m.span(name), value) for name, value in values.items()), reverse=True)
    out = text[start : m.end()]
    for (s, e), value in spans:
        out = out[: s - start] + value + out[e - start :]
    return out
