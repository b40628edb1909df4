import pytest

from forum.models import Field, Technology
from forum.services.solutions import solution_create, solution_set_published
from search.services import index_rebuild
from tests.forum.helpers import company_member, secretariat_user
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge


@pytest.fixture
def pairing_world(db):
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and who looks at them."""
    challenge = published_challenge(
        title="ため池の水位を見守りたい", summary="大雨のときにため池の水位を知りたい"
    )
    challenge.technologies.set([Technology.objects.get(slug="sensor")])
    member, organisation = company_member()
    fitting = solution_create(
        actor=member,
        organisation=organisation,
        title="水位センサーで見守り",
        summary="ため池や河川の水位を見守る",
        fields=[Field.objects.get(slug="safety")],
        technologies=[Technology.objects.get(slug="sensor")],
    )
    solution_set_published(actor=member, solution=fitting, published=True)
    other_member, other_org = company_member()
    unrelated = solution_create(
        actor=other_member,
        organisation=other_org,
        title="観光案内アプリ",
        summary="観光客向けの案内で水位情報も表示",
        fields=[Field.objects.get(slug="industry")],
    )
    solution_set_published(actor=other_member, solution=unrelated, published=True)
    index_rebuild()
    return {
        "challenge": challenge,
        "member": member,
        "organisation": organisation,
        "fitting": fitting,
        "other_member": other_member,
        "unrelated": unrelated,
        "sakai": municipality_staff_for("271403"),
        "suita": municipality_staff_for("272051"),
        "secretariat": secretariat_user(),
    }
