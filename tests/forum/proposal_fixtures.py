"""The cast of the proposal tests: one challenge, both sides, outsiders and the secretariat."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from forum.models import Challenge, Field, Municipality, Organisation, Proposal
from forum.services.proposals import proposal_attachment_add, proposal_create, proposal_transition
from tests.factories import OrganisationFactory, UserFactory
from tests.forum.helpers import member_of, secretariat_user, with_totp

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "提案書.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def published_challenge(code: str = "271403", **overrides) -> Challenge:
    """A published, open challenge row of the municipality."""
    values = {
        "title": "ため池の見守り",
        "summary": "ため池の水位を把握したい。",
        "municipality": Municipality.objects.get(code=code),
        "field": Field.objects.get(slug="safety"),
        "deadline": timezone.localdate() + timedelta(days=30),
        "is_published": True,
        "published_at": timezone.now(),
        "url": "/challenges/271403/tameike/",
    }
    values.update(overrides)
    return Challenge.objects.create(**values)


def municipality_staff_for(code: str):
    municipality = Municipality.objects.get(code=code)
    organisation = Organisation.objects.filter(
        municipality=municipality
    ).first() or Organisation.objects.create(
        name=municipality.name, kind="municipality", municipality=municipality, status="approved"
    )
    return with_totp(member_of(organisation))


@dataclass
class Cast:
    challenge: Challenge
    proposer: object
    proposer_org: Organisation
    other_member: object
    reviewer: object
    other_reviewer: object
    secretariat: object
    visitor: object

    def proposal(self, status: str = Proposal.Status.SUBMITTED) -> Proposal:
        """A proposal of the proposing organisation moved to the given status, with one attachment."""
        proposal = proposal_create(
            actor=self.proposer,
            challenge=self.challenge,
            organisation=self.proposer_org,
            title="センサーで水位監視",
            summary="低コストのセンサーを設置します。",
        )
        proposal_attachment_add(actor=self.proposer, proposal=proposal, upload=pdf_upload())
        path = {
            "draft": [],
            "submitted": ["submit"],
            "under_review": ["submit", "review"],
            "shortlisted": ["submit", "shortlist"],
            "accepted": ["submit", "accept"],
            "declined": ["submit", "decline"],
            "withdrawn": ["submit", "withdraw"],
        }[status]
        for action in path:
            actor = self.proposer if action in ("submit", "withdraw") else self.reviewer
            proposal_transition(
                actor=actor,
                proposal=proposal,
                action=action,
                note="理由" if action == "decline" else "",
            )
        proposal.refresh_from_db()
        return proposal


@pytest.fixture
def cast(db) -> Cast:
    proposer_org = OrganisationFactory(name="株式会社みずもり")
    other_org = OrganisationFactory(name="株式会社よそ")
    return Cast(
        challenge=published_challenge(),
        proposer=member_of(proposer_org, role="admin"),
        proposer_org=proposer_org,
        other_member=member_of(other_org),
        reviewer=municipality_staff_for("271403"),
        other_reviewer=municipality_staff_for("272051"),
        secretariat=secretariat_user(),
        visitor=UserFactory(),
    )
