"""Shared set-up for import tests: the alliance the sample files assume, and row counts."""

from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests.factories import create_partner, create_venue

# The samples are copied here so the tests do not depend on the shared folder.
# ruff: noqa: E501  (spreadsheet rows are kept whole, as in the files)
LEARNERS_SAMPLE = """reference,first_name,last_name,date_of_birth,age_band,postcode,email,phone,gender,lawful_basis,consent,registered_on,partner
L-0001,Margaret,Hughes,1948-03-02,,sk4 1aa,,,female,consent,yes,2026-09-01,Stockport Libraries
L-0002,Tariq,Khan,,45-54,SK1 3XE,tariq@example.org,,male,,yes,02/09/2026,Stockport Libraries
L-0003,Elsie,O'Connor,1939-11-20,,,,07700 900123,female,consent,yes,2026-09-03,Age Friendly Stockport
L-0004,Dev,Patel,2009-06-15,,SK2 6PL,,,male,consent,yes,2026-09-03,Stockport Libraries
L-0005,Zofia,Nowak,,35-44,SK5 7BB,,,prefer not to say,public-task,,2026-09-10,Stockport Libraries
L-0006,Ann,Walker,,unknown,,,,,consent,yes,2026-09-12,Age Friendly Stockport
"""
ATTENDANCE_SAMPLE = """session_ref,session_date,start_time,venue,session_type,duration_minutes,learner_reference,skills
S-101,2026-09-04,10:00,Central Library,drop-in,60,L-0001,FND-01;FND-06
S-101,2026-09-04,10:00,Central Library,drop-in,60,L-0002,TRA-02
S-101,2026-09-04,10:00,Central Library,drop-in,60,L-0004,
S-102,2026-09-05,14:00,Reddish Library,one-to-one,90,L-0003,COM-03
S-103,2026-09-11,10:00,Central Library,drop-in,60,L-0001,FND-06;COM-01
S-103,2026-09-11,10:00,Central Library,drop-in,60,L-0005,SAF-01;SAF-03
S-104,2026-10-02,10:00,Central Library,group,120,L-0002,TRA-03;TRA-04
S-104,2026-10-02,10:00,Central Library,group,120,L-0006,FND-02
S-105,2026-10-09,14:00,Reddish Library,one-to-one,30,L-0003,COM-03;COM-02
"""


def create_sample_alliance():
    libraries = create_partner("Stockport Libraries")
    create_partner("Age Friendly Stockport")
    create_venue("Central Library", partner=libraries)
    create_venue("Reddish Library", partner=libraries)
    return libraries


def row_counts() -> dict[str, int]:
    db.session.rollback()  # a fresh look at what the command committed
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Learner, LearningSession, Attendance, SkillAchievement, AuditEvent)
    }


def write(tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def import_file(runner, kind: str, path: str, *extra: str):
    return runner.invoke(args=["import", kind, path, *extra])
