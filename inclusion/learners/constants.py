"""Fixed vocabularies for learner records (DESIGN.md)."""

AGE_BANDS = ("under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "unknown")
ADULT_AGE_BANDS = tuple(band for band in AGE_BANDS if band != "under-18")
LAWFUL_BASES = ("consent", "public-task", "legitimate-interests")
LAWFUL_BASIS_LABELS = {
    "consent": "Consent: the learner agrees to us keeping their details",
    "public-task": "Public task: a council service delivering its public duties",
    "legitimate-interests": "Legitimate interests",
}
CONSENT_METHODS = ("verbal", "paper-form", "online-form", "import")
PREFER_NOT_TO_SAY = "prefer not to say"
GENDERS = ("female", "male", "non-binary", "other", PREFER_NOT_TO_SAY)
ETHNICITIES = (
    "asian or asian british",
    "black, black british, caribbean or african",
    "mixed or multiple",
    "white",
    "other ethnic group",
    PREFER_NOT_TO_SAY,
)
DISABILITY_ANSWERS = ("yes", "no", PREFER_NOT_TO_SAY)
# How the learner heard about the alliance (DESIGN.md, "Referrals and signposting"): the referrals in.
HEARD_ABOUT = (
    "gp-or-social-prescriber",
    "jobcentre",
    "housing-provider",
    "library-staff",
    "council",
    "friend-or-family",
    "another-partner",
    "other",
    "unknown",
)
HEARD_ABOUT_LABELS = {
    "gp-or-social-prescriber": "A GP or social prescriber",
    "jobcentre": "Jobcentre",
    "housing-provider": "Their housing provider",
    "library-staff": "Library staff",
    "council": "The council",
    "friend-or-family": "A friend or family member",
    "another-partner": "Another partner of the alliance",
    "other": "Somewhere else",
    "unknown": "They do not remember",
}
# No 0/O, 1/I/L: a reference is read aloud and written on a card.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 5
