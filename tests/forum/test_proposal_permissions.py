"""Every role × every proposal view and action: allowed exactly where the rules say."""

from django.urls import reverse

import pytest

from forum.models import Proposal

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "proposer", "other_member", "reviewer", "other_reviewer", "secretariat"]

# Which roles may see each page of a submitted proposal.
VIEW_RULES = {
    "detail": {"proposer", "reviewer", "secretariat"},
    "attachment": {"proposer", "reviewer", "secretariat"},
    "review_challenge": {"reviewer", "secretariat"},
}

# Which role may perform each action, and from which status.
ACTION_RULES = {
    "submit": ("draft", {"proposer"}),
    "withdraw": ("submitted", {"proposer"}),
    "review": ("submitted", {"reviewer"}),
    "shortlist": ("submitted", {"reviewer"}),
    "accept": ("shortlisted", {"reviewer"}),
    "decline": ("submitted", {"reviewer"}),
}


def _login(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))


def _denied(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEW_RULES))
def test_view_permissions(client, cast, role, view):
    """Detail, attachment download and the review list open only for those allowed."""
    proposal = cast.proposal("submitted")
    urls = {
        "detail": reverse("forum:proposal_detail", args=[proposal.pk]),
        "attachment": reverse(
            "forum:proposal_attachment", args=[proposal.pk, proposal.attachments.get().pk]
        ),
        "review_challenge": reverse("forum:review_challenge", args=[cast.challenge.pk]),
    }
    _login(client, cast, role)
    response = client.get(urls[view])
    if role in VIEW_RULES[view]:
        assert response.status_code == 200
        if view == "attachment":
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert _denied(response), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_permitted_proposals(client, cast, role):
    """The member's list and the review list never show a proposal to outsiders."""
    proposal = cast.proposal("submitted")
    _login(client, cast, role)
    seen = proposal.title in client.get(reverse("forum:proposal_list")).content.decode()
    assert seen == (role == "proposer")
    review = client.get(reverse("forum:review_challenge", args=[cast.challenge.pk]))
    assert (review.status_code == 200 and proposal.title in review.content.decode()) == (
        role in {"reviewer", "secretariat"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_hidden_from_the_municipality(client, cast, role):
    """A draft is visible to its own organisation (and the secretariat) only."""
    proposal = cast.proposal("draft")
    _login(client, cast, role)
    response = client.get(reverse("forum:proposal_detail", args=[proposal.pk]))
    if role in {"proposer", "secretariat"}:
        assert response.status_code == 200
    else:
        assert _denied(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTION_RULES))
def test_status_change_permissions(client, cast, role, action):
    """Each status change succeeds for its role only; everyone else changes nothing."""
    start, allowed = ACTION_RULES[action]
    proposal = cast.proposal(start)
    _login(client, cast, role)
    response = client.post(
        reverse("forum:proposal_action", args=[proposal.pk, action]), {"note": "理由を記入"}
    )
    proposal.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert proposal.status != start
    else:
        assert _denied(response), response.status_code
        assert proposal.status == start


@pytest.mark.parametrize("role", ROLES)
def test_message_permissions(client, cast, role):
    """Both sides write to the thread; the secretariat reads only; others get nothing."""
    proposal = cast.proposal("submitted")
    _login(client, cast, role)
    client.post(
        reverse("forum:proposal_message", args=[proposal.pk]), {"body": f"{role}からの質問"}
    )
    posted = proposal.messages.filter(body=f"{role}からの質問").exists()
    assert posted == (role in {"proposer", "reviewer"})


def test_secretariat_reads_thread(client, cast):
    """The secretariat sees the messages between the two sides."""
    from forum.services.proposals import proposal_message_post

    proposal = cast.proposal("submitted")
    proposal_message_post(actor=cast.reviewer, proposal=proposal, body="費用の内訳を教えてください")
    client.force_login(cast.secretariat)
    assert (
        "費用の内訳を教えてください"
        in client.get(reverse("forum:proposal_detail", args=[proposal.pk])).content.decode()
    )


def test_attachment_is_not_under_public_media(cast, settings):
    """Stored files live under the private root, never MEDIA_ROOT, and have no public URL."""
    proposal = cast.proposal("submitted")
    attachment = proposal.attachments.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_tampered_attachment_id_is_404(client, cast):
    """An attachment id from another proposal is not served."""
    proposal = cast.proposal("submitted")
    client.force_login(cast.proposer)
    response = client.get(reverse("forum:proposal_attachment", args=[proposal.pk, 999999]))
    assert response.status_code == 404
    assert Proposal.objects.count() == 1
