"""Possible duplicates at registration: same birthday and a similar name, or same name and postcode."""

from datetime import date

from sqlalchemy import or_, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.access import visible_learners
from inclusion.learners.fields import normalise_postcode, search_key
from inclusion.learners.models import Learner

# token_sort_ratio of accent-free lower-case names: 'jon smith' v 'john smith' scores 95,
# 'smith john' v 'john smith' 100, 'john smith' v 'jane smyth' 70.
SIMILAR_NAME_SCORE = 80
SAME_NAME_SCORE = 92
_CANDIDATE_LIMIT = 200


def name_similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz  # imported where names are compared: app start-up stays light

    return fuzz.token_sort_ratio(search_key(a), search_key(b))


def possible_duplicates(
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    postcode: str | None,
    *,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Learner]:
    """Learners the user may see who could be this person, best match first.

    Candidates come from the indexed date-of-birth column (and the postcode); the fuzzy
    name comparison then runs over that small set in Python. Never blocks anyone: the
    caller shows the matches and lets the champion choose.
    """
    try:
        postcode = normalise_postcode(postcode)
    except ValueError:
        postcode = None
    name_only = date_of_birth is None and postcode is None
    # With neither a birthday nor a postcode, the name is the only evidence: flag the very same name.
    alternatives = [Learner.search_name == search_key(first_name, last_name)] if name_only else []
    if date_of_birth is not None:
        alternatives.append(Learner.date_of_birth == date_of_birth)
    if postcode is not None:
        alternatives.append(Learner.postcode == postcode)
    statement = (
        select(Learner)
        .where(
            or_(*alternatives),
            Learner.merged_into_id.is_(None),
            Learner.anonymised_at.is_(None),
            visible_learners(user),
        )
        .limit(_CANDIDATE_LIMIT)
    )
    if exclude_id is not None:
        statement = statement.where(Learner.id != exclude_id)
    name = f"{first_name} {last_name}"
    scored = []
    for candidate in db.session.scalars(statement):
        score = name_similarity(name, candidate.full_name)
        same_birthday = date_of_birth is not None and candidate.date_of_birth == date_of_birth
        # Two known, different birthdays are two people (a father and son at one address).
        birthdays_differ = None not in (date_of_birth, candidate.date_of_birth) and not same_birthday
        same_postcode = postcode is not None and candidate.postcode == postcode and not birthdays_differ
        if (
            (same_birthday and score >= SIMILAR_NAME_SCORE)
            or (same_postcode and score >= SAME_NAME_SCORE)
            or (name_only and score == 100)
        ):
            scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [candidate for _score, candidate in scored[:limit]]
