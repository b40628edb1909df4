from tests.forum.proposal_fixtures import cast  # noqa: F401
