"""Sensible starting configuration for a new organisation; every item can be changed later."""

CASE_TYPES: list[tuple[str, str]] = [
    ("employment", "Employment support"),
    ("careers", "Careers guidance"),
    ("housing", "Housing advice"),
    ("welfare", "Welfare benefits advice"),
    ("youth", "Youth support"),
]

# (code, name, required sections, counts as contact made with the client). Attempts (no answer,
# a letter with no reply yet, did not attend) are recorded but do not restart the contact clock.
CONTACT_TYPES: list[tuple[str, str, list[str], bool]] = [
    (
        "face_to_face",
        "Face-to-face appointment",
        ["facts", "client_view", "actions_agreed", "follow_up"],
        True,
    ),
    ("phone", "Telephone call", ["facts", "follow_up"], True),
    ("video", "Video call", ["facts", "client_view", "actions_agreed", "follow_up"], True),
    ("home_visit", "Home visit", ["facts", "client_view", "assessment", "actions_agreed", "follow_up"], True),
    ("email", "Email or letter", ["facts"], True),
    ("agency", "Contact with another agency", ["facts", "follow_up"], False),
    ("did_not_attend", "Did not attend", ["facts", "follow_up"], False),
    ("no_answer", "Telephone call, no answer", ["facts"], False),
    ("letter_sent", "Letter sent, no reply yet", ["facts"], False),
    ("case_review", "Case review", ["facts", "assessment", "decisions", "follow_up"], False),
]

# Contact types whose notes are case reviews: they set the case's next review date.
REVIEW_CONTACT_TYPES = frozenset({"case_review"})
