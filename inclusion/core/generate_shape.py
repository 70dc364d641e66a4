"""The shape of synthetic alliance data: venue sizes, seasonal calendars and how often people return.

Pure functions of a random.Random, so `flask demo generate --seed` is repeatable. Nothing here
touches the database; inclusion/core/generate.py turns these plans into bulk inserts.
"""

import random
from datetime import date, datetime, time, timedelta

from inclusion.learners.constants import REFERENCE_ALPHABET, REFERENCE_LENGTH
from inclusion.learners.fields import age_band_for, search_key

# More names than the demo seed, so that a search for part of a name finds a realistic few.
FIRST_NAMES = [
    "Margaret",
    "John",
    "Susan",
    "David",
    "Patricia",
    "Peter",
    "Jean",
    "Brian",
    "Elsie",
    "Tariq",
    "Zofia",
    "Ann",
    "Mohammed",
    "Irene",
    "Kevin",
    "Barbara",
    "Sandra",
    "Ahmed",
    "Doreen",
    "Wei",
    "Gareth",
    "Siobhan",
    "Priya",
    "Derek",
    "Maureen",
    "Olu",
    "Agnieszka",
    "Rita",
    "Terence",
    "Joan",
    "Alan",
    "Beryl",
    "Carol",
    "Dennis",
    "Edna",
    "Frank",
    "Gladys",
    "Harold",
    "Iris",
    "Jamal",
    "Kathleen",
    "Leonard",
    "Mavis",
    "Norman",
    "Olive",
    "Pauline",
    "Raymond",
    "Shirley",
    "Trevor",
    "Valerie",
    "Winifred",
    "Yusuf",
    "Amina",
    "Bogdan",
    "Chinedu",
    "Deepa",
    "Fatima",
    "Grzegorz",
]
LAST_NAMES = [
    "Hughes",
    "Khan",
    "O'Connor",
    "Patel",
    "Nowak",
    "Walker",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Ahmed",
    "Murphy",
    "Kowalski",
    "Begum",
    "Clarke",
    "Wood",
    "Hall",
    "Lewis",
    "Singh",
    "Okafor",
    "Chen",
    "Doyle",
    "Green",
    "Baker",
    "Turner",
    "Hill",
    "Ashworth",
    "Bradshaw",
    "Crompton",
    "Dawson",
    "Entwistle",
    "Fletcher",
    "Gorton",
    "Hardman",
    "Ingham",
    "Jackson",
    "Kenyon",
    "Lomax",
    "Mellor",
    "Nuttall",
    "Ogden",
    "Pilkington",
    "Quinn",
    "Rostron",
    "Schofield",
    "Tattersall",
    "Unsworth",
    "Vickers",
    "Whitworth",
    "Yates",
    "Zielinski",
    "Ali",
    "Hussain",
    "Mahmood",
    "Obi",
    "Wiśniewski",
]
# Extra community venues so that a city-region-sized alliance has more than ten places to meet.
EXTRA_VENUES = [
    (f"Community Hub {name}", name)
    for name in (
        "Adswood",
        "Bredbury",
        "Cheadle",
        "Davenport",
        "Gatley",
        "Heald Green",
        "Offerton Park",
        "Romiley",
        "Shaw Heath",
        "Woodley",
        "Cheadle Hulme",
        "Great Moor",
        "Heaviley",
        "Norbury",
        "Portwood",
    )
]
POSTCODE_DISTRICTS = ("SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8", "M19", "M34")
# Most people are helped once or a few times; some keep coming for a course; a few come every week.
VISIT_BANDS = ((0.05, 0, 0), (0.60, 1, 5), (0.22, 6, 20), (0.13, 21, 60))
SKILLS_PER_ATTENDANCE = ((0.55, 0), (0.30, 1), (0.15, 2))
SESSION_TYPES = (("drop-in", 0.6), ("one-to-one", 0.2), ("group", 0.15), ("course", 0.05))
DURATIONS = (60, 60, 60, 90, 90, 120, 30, 45)
AGE_BANDS = (
    ("under-18", 0.02),
    ("18-24", 0.05),
    ("25-34", 0.08),
    ("35-44", 0.10),
    ("45-54", 0.13),
    ("55-64", 0.18),
    ("65-74", 0.22),
    ("75+", 0.17),
    ("unknown", 0.05),
)


def pick_weighted(rng: random.Random, choices) -> object:
    """One value from ((weight, value) or (value, weight)) pairs; weights need not sum to one."""
    pairs = [(c[1], c[0]) if isinstance(c[1], float) else (c[0], c[1]) for c in choices]
    roll = rng.random() * sum(weight for weight, _ in pairs)
    for weight, value in pairs:
        roll -= weight
        if roll <= 0:
            return value
    return pairs[-1][1]


def venue_weights(count: int) -> list[float]:
    """A central library is busy, a community centre quiet: Zipf-like relative sizes."""
    return [1.0 / (rank + 1) ** 0.8 for rank in range(count)]


def day_weight(day: date) -> float:
    """How busy a day is: weekdays, a dip in August and none between Christmas and New Year."""
    if day.weekday() == 6:
        return 0.0
    weight = 0.4 if day.weekday() == 5 else 1.0
    if day.month == 8:
        weight *= 0.45
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        weight *= 0.05 if day.day in (25, 26, 1) else 0.25
    return weight


def session_dates(rng: random.Random, count: int, first: date, last: date) -> list[date]:
    """`count` session dates between first and last, following the seasonal day weights."""
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return sorted(rng.choices(days, weights=[day_weight(day) for day in days], k=count))


def visit_count(rng: random.Random) -> int:
    low, high = pick_weighted(rng, [(weight, (low, high)) for weight, low, high in VISIT_BANDS])
    return rng.randint(low, high)


def reference_maker(rng: random.Random, taken: set[str]):
    """Unique references like L-7K3QF drawn from `rng` (repeatable), avoiding those in `taken`."""

    def make() -> str:
        while True:
            reference = "L-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
            if reference not in taken:
                taken.add(reference)
                return reference

    return make


def date_of_birth_for(rng: random.Random, band: str, on: date) -> date | None:
    """A birth date consistent with `band` on the registration date (None for 'unknown' or sometimes)."""
    if band == "unknown" or rng.random() < 0.15:
        return None
    low, high = {"under-18": (14, 17), "75+": (75, 92)}.get(band) or tuple(int(x) for x in band.split("-"))
    age = rng.randint(low, high)
    born = on - timedelta(days=age * 365 + rng.randint(40, 320))
    return born.replace(day=min(born.day, 28))


def skill_order(rng: random.Random, foundation: list[int], others: list[int]) -> list[int]:
    """The order a learner gains skills in: foundation first (roughly), then the rest shuffled."""
    first, rest = foundation[:], others[:]
    rng.shuffle(first)
    rng.shuffle(rest)
    return first + rest


def learner_row(rng, learner_id, reference, registered_on, partner_id, now) -> dict:
    """The insert row of one synthetic learner registered on `registered_on` with `partner_id`."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    band = pick_weighted(rng, AGE_BANDS)
    dob = date_of_birth_for(rng, band, registered_on)
    postcode = None
    if rng.random() < 0.7:
        postcode = (
            f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUWXYZ')}"
        )
    return {
        "id": learner_id,
        "reference": reference,
        "first_name": first,
        "last_name": last,
        "search_name": search_key(first, last),
        "date_of_birth": dob,
        "age_band": age_band_for(dob, registered_on) if dob else band,
        "postcode": postcode,
        "email": None,
        "phone": None,
        "gender": rng.choice(("female", "female", "male", "prefer not to say")),
        "ethnicity": None,
        "disability": None,
        "lawful_basis": "consent",
        "consent_recorded_by_id": None,
        "consent_recorded_at": datetime.combine(registered_on, time(10)),
        "consent_method": "paper-form",
        "privacy_notice_version": "2026-09",
        "registered_on": registered_on,
        "registered_partner_id": partner_id,
        "registered_by_id": None,
        "merged_into_id": None,
        "anonymised_at": None,
        "created_at": now,
        "updated_at": now,
    }
