"""Session types and the skills framework areas (DESIGN.md)."""

SESSION_TYPES = ("drop-in", "one-to-one", "group", "course")
# The one wording of each type, everywhere it is shown (the `session_type` template filter):
# nouns that read both alone ("Type: Group") and before "session" ("Group session").
SESSION_TYPE_LABELS = {
    "drop-in": "Drop-in",
    "one-to-one": "One-to-one",
    "group": "Group",
    "course": "Course",
}
MIN_DURATION_MINUTES = 1
MAX_DURATION_MINUTES = 600
SKILL_AREAS = {
    "FND": "Foundation skills",
    "COM": "Communicating",
    "HIC": "Handling information and content",
    "TRA": "Transacting",
    "PRB": "Problem solving",
    "SAF": "Being safe and legal online",
}
FRAMEWORK_NAME = "Essential Digital Skills"
FRAMEWORK_VERSION = "2018"
LOCAL_FRAMEWORK_NAME = "local"
# The skills levels (DESIGN.md, "Outcomes"): every framework foundation skill (local ones not needed),
# and at least one skill (local ones count) in each of the five life-skills areas.
FOUNDATION_AREA = "FND"
LIFE_SKILLS_AREAS = ("COM", "HIC", "TRA", "PRB", "SAF")
