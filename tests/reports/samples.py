"""The sample files of /work/shared/samples, built with the factories (worked figures in their README)."""

from datetime import date

from tests import factories


def build_samples() -> dict:
    libraries = factories.create_partner("Stockport Libraries")
    age_friendly = factories.create_partner("Age Friendly Stockport")
    central = factories.create_venue("Central Library", libraries)
    reddish = factories.create_venue("Reddish Library", libraries)
    learners = {
        "L-0001": factories.create_learner(
            "Margaret",
            "Hughes",
            reference="L-0001",
            partner=libraries,
            date_of_birth=date(1948, 3, 2),
            registered_on=date(2026, 9, 1),
        ),
        "L-0002": factories.create_learner(
            "Tariq", "Khan", reference="L-0002", partner=libraries, age_band="45-54", registered_on=date(2026, 9, 2)
        ),
        "L-0003": factories.create_learner(
            "Elsie",
            "O'Connor",
            reference="L-0003",
            partner=age_friendly,
            date_of_birth=date(1939, 11, 20),
            registered_on=date(2026, 9, 3),
        ),
        "L-0004": factories.create_learner(
            "Dev",
            "Patel",
            reference="L-0004",
            partner=libraries,
            date_of_birth=date(2009, 6, 15),
            registered_on=date(2026, 9, 3),
        ),
        "L-0005": factories.create_learner(
            "Zofia", "Nowak", reference="L-0005", partner=libraries, age_band="35-44", registered_on=date(2026, 9, 10)
        ),
        "L-0006": factories.create_learner(
            "Ann",
            "Walker",
            reference="L-0006",
            partner=age_friendly,
            age_band="unknown",
            registered_on=date(2026, 9, 12),
        ),
    }
    one, two, three, four, five, six = (learners[f"L-000{n}"] for n in range(1, 7))
    factories.create_session(
        central, date(2026, 9, 4), attendees=[one, two, four], skills={one: ["FND-01", "FND-06"], two: ["TRA-02"]}
    )
    factories.create_session(
        reddish,
        date(2026, 9, 5),
        attendees=[three],
        skills={three: ["COM-03"]},
        session_type="one-to-one",
        duration_minutes=90,
        start_time=None,
    )
    factories.create_session(
        central,
        date(2026, 9, 11),
        attendees=[one, five],
        skills={one: ["FND-06", "COM-01"], five: ["SAF-01", "SAF-03"]},
    )
    factories.create_session(
        central,
        date(2026, 10, 2),
        attendees=[two, six],
        skills={two: ["TRA-03", "TRA-04"], six: ["FND-02"]},
        session_type="group",
        duration_minutes=120,
    )
    factories.create_session(
        reddish,
        date(2026, 10, 9),
        attendees=[three],
        skills={three: ["COM-03", "COM-02"]},
        session_type="one-to-one",
        duration_minutes=30,
        start_time=None,
    )
    return {
        "learners": learners,
        "central": central,
        "reddish": reddish,
        "libraries": libraries,
        "age_friendly": age_friendly,
    }
