"""No page shows a resident's personal data to someone who should not see it.

Every page each actor may open (discovered from the URL map) is fetched, and none may contain
the world's learner's name, date of birth, postcode or contact details.
"""

import io
import zipfile

import pytest

from tests.security.support import readable_pages

# anonymous and funders never see a learner; a champion sees only their own partner's learners
OUTSIDERS = ("anonymous", "funder", "other_champion")


def _traces(world) -> list[str]:
    learner = world.learner
    return [
        learner.last_name,
        learner.postcode,
        learner.email,
        learner.phone,
        "2 March 1950",
        "1950-03-02",
        "02/03/1950",
    ]


@pytest.mark.parametrize("actor", OUTSIDERS)
def test_no_page_shows_a_learners_personal_data_to_an_outsider(app, world, client_as, actor):
    client = client_as(actor)
    pages = readable_pages(app, world, actor)
    assert pages
    leaks = []
    for url in pages:
        body = _readable(client.get(url))
        leaks += [f"GET {url} shows {trace!r}" for trace in _traces(world) if trace in body]
    assert not leaks, "\n".join(leaks)


def _readable(response) -> str:
    """The text a person would read: an XLSX export's sheets unzipped, anything else as text."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        with zipfile.ZipFile(io.BytesIO(response.get_data())) as workbook:
            return "".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))
    return response.get_data().decode("utf-8", "replace")
