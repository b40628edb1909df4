"""The web server builds the snapshot and the matcher before its workers start."""

from django.db import connection

import pytest

from matching.backends import embedded
from search.services import index_rebuild
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db(transaction=True)


def test_warming_builds_the_matcher_and_leaves_no_connection_open():
    """After warming, the first suggestion needs no build; no connection crosses into a fork."""
    challenge = published_challenge(title="ため池の水位を見守りたい")
    index_rebuild()
    embedded._cache.clear()
    assert embedded.site_matcher_warm() is True
    assert f"challenge:{challenge.pk}" in embedded._cache["matcher"].profiles
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not in_memory:  # Django never closes SQLite's in-memory test database
        assert connection.connection is None


def test_a_failing_warm_up_leaves_the_work_to_the_first_request(monkeypatch):
    """No database yet: the server still starts."""

    def failing():
        raise RuntimeError("database is starting")

    monkeypatch.setattr(embedded, "site_matcher", failing)
    assert embedded.site_matcher_warm() is False


def test_the_web_server_warms_up_then_freezes_what_it_built(monkeypatch):
    """config/gunicorn.py: built before the fork, then left out of the workers' collections."""
    import gc

    from config import gunicorn as server_config

    warmed = []
    monkeypatch.setattr(embedded, "site_matcher_warm", lambda: warmed.append(True) or True)

    class Server:
        class log:  # noqa: N801 (gunicorn's server.log)
            @staticmethod
            def info(message, *args):
                pass

    gc.unfreeze()
    try:
        server_config.when_ready(Server())
        assert warmed == [True] and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_web_server_compiles_the_project_templates_before_the_fork():
    """The project's templates (and what they extend) are in the engine's cache."""
    from django.template import engines

    from config import gunicorn as server_config

    engine = engines["django"].engine
    engine.template_loaders[0].reset()
    compiled = server_config.templates_compile()
    cache = engine.template_loaders[0].get_template_cache
    assert compiled > 100 and "base.html" in cache and "matching/member_suggestions.html" in cache
