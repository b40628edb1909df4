import pytest

from tests.matching.helpers import build_world


@pytest.fixture
def pairing_world(db):
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and who looks at them."""
    return build_world()
