"""The cast of the project tests: a project in Sakai with a participant in each role, and outsiders."""

from dataclasses import dataclass

from django.utils import timezone

import pytest

from forum.models import Organisation, Project
from forum.services.projects.lifecycle import project_create, project_publication_update
from forum.services.projects.participants import project_participant_add
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_milestone_add,
    project_milestone_set_done,
    project_report_submit,
)
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


CASE_STUDY = "堺市のため池を見守った事例です。"
LESSONS = "住民説明会を早めに開くと協力が得られた"
INSIDE_ONLY = ("内部メモ", "内部向けの報告本文", "評価の打ち合わせメモ")


def tell_public_story(crew: Crew) -> Project:
    """Take the crew's project through PoC and evaluation to implementation (adopted, with the
    lessons), with notes, a report and milestones (weights 3 done, 1 open: 75%), link a
    withdrawn challenge too, then make it public with its case study."""
    actor, project = crew.coordinator, crew.project
    today = timezone.localdate()
    done = project_milestone_add(
        actor=actor, project=project, title="水位計の設置", due_on=today, weight=3
    )
    project_milestone_set_done(actor=actor, project=project, milestone_id=done.pk, done=True)
    project_milestone_add(actor=actor, project=project, title="報告書", due_on=today, weight=1)
    project_report_submit(actor=actor, project=project, reported_on=today, body=INSIDE_ONLY[1])
    project_move_stage(actor=actor, project=project, to_stage="poc_planning", note=INSIDE_ONLY[0])
    project_move_stage(actor=actor, project=project, to_stage="poc")
    project_move_stage(actor=actor, project=project, to_stage="evaluation")
    project_move_stage(
        actor=actor,
        project=project,
        to_stage="implementation",
        outcome="adopted",
        lessons=LESSONS,
        note=INSIDE_ONLY[2],
    )
    project.challenges.add(
        published_challenge(SAKAI, title="取り下げた課題", is_published=False, url="")
    )
    project_publication_update(
        actor=crew.secretariat, project=project, is_public=True, case_study=CASE_STUDY
    )
    project.refresh_from_db()
    return project
