"""Possible duplicates: same birthday and a similar name, or the same name and postcode."""

from datetime import date

from inclusion.learners.matching import possible_duplicates
from tests import factories

BORN = date(1950, 3, 12)


def _champion_with_john_smith(**fields):
    champion = factories.create_user("champion")
    john = factories.create_learner("John", "Smith", partner=champion.partner, **fields)
    return champion, john


def test_jon_smith_with_the_same_birthday_matches_john_smith():
    champion, john = _champion_with_john_smith(date_of_birth=BORN)
    assert possible_duplicates(champion, "Jon", "Smith", BORN, None) == [john]


def test_a_different_birthday_is_not_flagged():
    champion, _john = _champion_with_john_smith(date_of_birth=BORN)
    assert possible_duplicates(champion, "Jon", "Smith", date(1950, 3, 13), None) == []


def test_a_different_birthday_is_not_flagged_even_at_the_same_postcode():
    champion, _john = _champion_with_john_smith(date_of_birth=BORN, postcode="SK1 3XE")
    assert possible_duplicates(champion, "John", "Smith", date(1980, 1, 1), "SK1 3XE") == []


def test_the_same_name_and_postcode_matches_when_no_birthday_is_given():
    champion, john = _champion_with_john_smith(postcode="SK1 3XE")
    assert possible_duplicates(champion, "john", "SMITH", None, "sk13xe") == [john]


def test_a_different_name_with_the_same_birthday_is_not_flagged():
    champion, _john = _champion_with_john_smith(date_of_birth=BORN)
    assert possible_duplicates(champion, "Jane", "Smyth", BORN, None) == []


def test_accents_and_word_order_do_not_hide_a_match():
    champion = factories.create_user("champion")
    zoe = factories.create_learner("Zoë", "O’Connor", partner=champion.partner, date_of_birth=BORN)
    assert possible_duplicates(champion, "O'Connor", "Zoe", BORN, None) == [zoe]


def test_learners_the_champion_may_not_see_are_never_shown():
    champion = factories.create_user("champion")
    factories.create_learner("John", "Smith", date_of_birth=BORN)  # another partner's learner
    assert possible_duplicates(champion, "John", "Smith", BORN, None) == []


def test_with_no_birthday_or_postcode_only_the_very_same_name_is_flagged():
    champion, john = _champion_with_john_smith()
    assert possible_duplicates(champion, "John", "Smith", None, None) == [john]
    assert possible_duplicates(champion, "Jon", "Smith", None, None) == []
