"""Sensible starting configuration for a new organisation; every item can be changed later."""

CASE_TYPES: list[tuple[str, str]] = [
    ("employment", "Employment support"),
    ("careers", "Careers guidance"),
    ("housing", "Housing advice"),
    ("welfare", "Welfare benefits advice"),
    ("youth", "Youth support"),
]

# (code, name, required sections, counts as contact with the client)
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
    ("case_review", "Case review", ["facts", "assessment", "decisions", "follow_up"], False),
]
