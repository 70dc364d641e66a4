"""`flask demo seed` fills the directory and signposts about one learner in ten, to places that exist."""

from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.signposts.models import Signpost, SignpostService
from inclusion.timeutil import today_in_london


def test_the_demo_seed_has_a_directory_and_signposts_from_each_learners_home_partner_to_another(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(SignpostService.id))) == 3
    learners = db.session.scalar(select(func.count(Learner.id)))
    signposts = list(db.session.scalars(select(Signpost)))
    # About one in ten of the small alliance's learners (the story's thousands more are not signposted).
    assert 10 <= len(signposts) < 0.2 * learners
    assert {signpost.target_kind for signpost in signposts} == {"venue", "partner", "service"}
    assert all(signpost.made_on <= today_in_london() for signpost in signposts)
    for signpost in signposts:
        made_at = db.session.get(Venue, signpost.venue_id)
        if signpost.to_venue_id:
            assert db.session.get(Venue, signpost.to_venue_id).partner_id != made_at.partner_id
        if signpost.to_partner_id:
            assert signpost.to_partner_id != made_at.partner_id
