"""The learner page's sessions and skills, kept here for older callers; they moved to their owner, sessions/."""

# The import runs on call, not when this module loads, so learners/ does not depend on sessions/;
# the learner page itself asks the registered owners for their panels (learner_data.py).


def learner_profile(learner):
    """The sessions package's profile of the learner (inclusion.sessions.learner_page.learner_profile)."""
    from inclusion.sessions.learner_page import learner_profile as sessions_profile

    return sessions_profile(learner)
