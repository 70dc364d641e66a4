"""A partner with a venue, a champion and a learner there; another partner with its own venue and device."""

from dataclasses import dataclass

import pytest

from inclusion.auth.models import User
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from tests import factories


@dataclass
class Library:
    partner: Partner
    venue: Venue
    champion: User
    coordinator: User
    learner: Learner
    other_venue: Venue  # another partner's


@pytest.fixture
def library(db) -> Library:
    partner = factories.create_partner("Stockport Libraries")
    venue = factories.create_venue("Central Library", partner)
    other_venue = factories.create_venue("Marple Hub", factories.create_partner("Marple Partnership"))
    return Library(
        partner,
        venue,
        factories.create_user("champion", partner=partner),
        factories.create_user("coordinator"),
        factories.create_learner("Margaret", "Hughes", partner=partner),
        other_venue,
    )
