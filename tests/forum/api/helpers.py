"""People, tokens and objects for the API tests."""

from forum.models import Field, SolutionProfile
from forum.services.api_tokens import api_token_create
from forum.services.solutions import solution_create, solution_set_published
from tests.forum.helpers import company_member


def bearer(raw: str) -> dict:
    """The header that authenticates a test client request with a token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def token_for(user, *, name: str = "連携テスト", expires_in_days: int | None = None) -> str:
    """A new personal token of the user (created through the service), as its secret."""
    _token, raw = api_token_create(actor=user, name=name, expires_in_days=expires_in_days)
    return raw


def member_with_token(**kwargs):
    """An admin of a new approved company, with a token: (user, organisation, raw token)."""
    user, organisation = company_member(**kwargs)
    return user, organisation, token_for(user)


def solution_of(user, organisation, *, title: str, published: bool) -> SolutionProfile:
    """A solution in the safety field, published or left as a draft."""
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title=title,
        summary=f"{title}の概要",
        fields=[Field.objects.get(slug="safety")],
    )
    if published:
        solution_set_published(actor=user, solution=solution, published=True)
    solution.refresh_from_db()
    return solution
