from tests.forum.project_fixtures import crew  # noqa: F401
from tests.forum.proposal_fixtures import cast  # noqa: F401
