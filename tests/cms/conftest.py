import pytest


@pytest.fixture
def site(db):
    """The site's page tree: home page and the top challenge list with its workflow."""
    from cms.services import site_ensure

    return site_ensure()
