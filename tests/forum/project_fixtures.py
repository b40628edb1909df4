"""The cast of the project tests: a project in Sakai with a participant in each role, and outsiders."""

from dataclasses import dataclass

import pytest

from forum.models import Organisation, Project
from forum.services.projects import project_create, project_participant_add
from tests.factories import OrganisationFactory, UserFactory
from tests.forum.helpers import member_of, secretariat_user
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

SAKAI = "271403"
SUITA = "272051"

# The users of a crew by the name the tests use for their role.
ROLES = [
    "coordinator",
    "company",
    "university",
    "municipality",
    "secretariat",
    "outsider",
    "other_municipality",
    "visitor",
]


@dataclass
class Crew:
    project: Project
    challenge: object
    coordinator_org: Organisation
    company_org: Organisation
    university_org: Organisation
    municipality_org: Organisation
    coordinator: object
    company: object
    university: object
    municipality: object
    secretariat: object
    outsider: object
    other_municipality: object
    visitor: object

    def user(self, role: str):
        return getattr(self, role)

    def at_stage(self, stage: str) -> Project:
        """Put the project in a stage directly, as test set-up (no history row)."""
        Project.objects.filter(pk=self.project.pk).update(stage=stage)
        self.project.refresh_from_db()
        return self.project


def make_crew(*, title: str = "ため池の見守りプロジェクト", challenge=None) -> Crew:
    """A Sakai project opened by the secretariat, with a coordinator, a company and a university."""
    challenge = challenge or published_challenge(SAKAI)
    municipality = municipality_staff_for(SAKAI)
    municipality_org = Organisation.objects.get(municipality__code=SAKAI)
    coordinator_org = OrganisationFactory(name=f"株式会社まとめ役{title[:4]}")
    company_org = OrganisationFactory(name=f"株式会社センサー{title[:4]}")
    university_org = OrganisationFactory(
        name=f"なにわ大学{title[:4]}", kind=Organisation.Kind.UNIVERSITY
    )
    secretariat = secretariat_user()
    project = project_create(
        actor=secretariat, title=title, challenges=[challenge], coordinator=coordinator_org
    )
    project_participant_add(
        actor=secretariat, project=project, organisation=company_org, role="company"
    )
    project_participant_add(
        actor=secretariat, project=project, organisation=university_org, role="university"
    )
    outsider_org = OrganisationFactory(name=f"株式会社よそもの{title[:4]}")
    return Crew(
        project=project,
        challenge=challenge,
        coordinator_org=coordinator_org,
        company_org=company_org,
        university_org=university_org,
        municipality_org=municipality_org,
        coordinator=member_of(coordinator_org),
        company=member_of(company_org),
        university=member_of(university_org),
        municipality=municipality,
        secretariat=secretariat,
        outsider=member_of(outsider_org),
        other_municipality=municipality_staff_for(SUITA),
        visitor=UserFactory(),
    )


@pytest.fixture
def crew(db) -> Crew:
    return make_crew()
