from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import AuditEvent, Challenge, Notification, Proposal, ProposalEvent
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.proposals import (
    TRANSITIONS,
    proposal_attachment_add,
    proposal_create,
    proposal_transition,
    proposal_update,
)
from forum.signals import proposal_accepted
from tests.forum.proposal_fixtures import pdf_upload

pytestmark = pytest.mark.django_db


def test_submit_after_deadline_is_refused_with_date(cast):
    """A draft cannot be submitted once the deadline has passed; the message names the date."""
    proposal = cast.proposal("draft")
    Challenge.objects.filter(pk=cast.challenge.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="募集締切"):
        proposal_transition(actor=cast.proposer, proposal=proposal, action="submit")
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_closed_challenge_refuses_new_proposals(cast, client):
    """A closed challenge refuses proposals in the service and the form explains it."""
    Challenge.objects.filter(pk=cast.challenge.pk).update(status=Challenge.Status.CLOSED)
    cast.challenge.refresh_from_db()
    with pytest.raises(ServiceError, match="募集は終了"):
        proposal_create(
            actor=cast.proposer,
            challenge=cast.challenge,
            organisation=cast.proposer_org,
            title="t",
            summary="s",
        )
    client.force_login(cast.proposer)
    response = client.get(reverse("forum:proposal_create", args=[cast.challenge.pk]), follow=True)
    assert "募集は終了しています" in response.content.decode()
    assert not Proposal.objects.exists()


def test_one_live_proposal_per_organisation(cast):
    """A second live proposal is refused; after withdrawing, a new one is allowed."""
    first = cast.proposal("submitted")
    with pytest.raises(ServiceError, match="すでにこの団体の提案があります"):
        proposal_create(
            actor=cast.proposer,
            challenge=cast.challenge,
            organisation=cast.proposer_org,
            title="二つ目",
            summary="s",
        )
    proposal_transition(actor=cast.proposer, proposal=first, action="withdraw")
    second = proposal_create(
        actor=cast.proposer,
        challenge=cast.challenge,
        organisation=cast.proposer_org,
        title="出し直し",
        summary="s",
    )
    assert second.status == "draft"


def test_propose_page_points_to_the_live_proposal_instead_of_a_form(cast, client):
    """With a live proposal to the challenge, the propose page links to it and offers no form
    whose saving would be refused; after withdrawing, the form is back."""
    first = cast.proposal("submitted")
    client.force_login(cast.proposer)
    url = reverse("forum:proposal_create", args=[cast.challenge.pk])
    html = client.get(url).content.decode()
    assert reverse("forum:proposal_detail", args=[first.pk]) in html
    assert "すでに提案しています" in html
    assert 'name="title"' not in html

    proposal_transition(actor=cast.proposer, proposal=first, action="withdraw")
    html = client.get(url).content.decode()
    assert 'name="title"' in html
    assert "すでに提案しています" not in html


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_only_legal_transitions(cast, action):
    """From an accepted proposal nothing moves on: every action is refused or a no-op."""
    proposal = cast.proposal("accepted")
    actor = cast.proposer if TRANSITIONS[action].side == "proposer" else cast.reviewer
    if TRANSITIONS[action].target == "accepted":
        assert proposal_transition(actor=actor, proposal=proposal, action=action) is False
    else:
        with pytest.raises(ServiceError):
            proposal_transition(actor=actor, proposal=proposal, action=action, note="理由")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_double_submit_is_idempotent(cast):
    """Submitting twice returns False the second time and records one event."""
    proposal = cast.proposal("draft")
    assert proposal_transition(actor=cast.proposer, proposal=proposal, action="submit") is True
    assert proposal_transition(actor=cast.proposer, proposal=proposal, action="submit") is False
    assert ProposalEvent.objects.filter(proposal=proposal, to_status="submitted").count() == 1


def test_every_change_is_recorded_with_who_and_when(cast):
    """The history lists each status with its actor and time, and the audit log agrees."""
    proposal = cast.proposal("accepted")
    events = list(proposal.events.values_list("from_status", "to_status", "actor_id"))
    assert events == [
        ("", "draft", cast.proposer.pk),
        ("draft", "submitted", cast.proposer.pk),
        ("submitted", "accepted", cast.reviewer.pk),
    ]
    assert all(e.created_at for e in proposal.events.all())
    assert AuditEvent.objects.filter(
        target_id=proposal.pk, verb="proposal.accept", actor=cast.reviewer
    ).exists()


def test_decline_needs_a_reason(cast):
    """Declining without a reason is refused; with one, the reason is kept and sent."""
    proposal = cast.proposal("submitted")
    with pytest.raises(ServiceError, match="不採択の理由"):
        proposal_transition(actor=cast.reviewer, proposal=proposal, action="decline", note=" ")
    proposal_transition(
        actor=cast.reviewer, proposal=proposal, action="decline", note="予算を超えるため"
    )
    proposal.refresh_from_db()
    assert proposal.decline_reason == "予算を超えるため"
    note = Notification.objects.get(recipient=cast.proposer, verb="proposal.status_changed")
    assert "予算を超えるため" in note.body


def test_accept_sends_signal_for_projects(cast):
    """Accepting announces the proposal so that a project can be opened."""
    received = []

    def on_accepted(sender, proposal_id, actor_id, **kwargs):
        received.append((proposal_id, actor_id))

    proposal_accepted.connect(on_accepted)
    try:
        proposal = cast.proposal("accepted")
    finally:
        proposal_accepted.disconnect(on_accepted)
    assert received == [(proposal.pk, cast.reviewer.pk)]


def test_submitted_proposal_cannot_be_edited(cast):
    """Once submitted, the text is fixed."""
    proposal = cast.proposal("submitted")
    with pytest.raises(ServiceError, match="提出済み"):
        proposal_update(actor=cast.proposer, proposal=proposal, title="変更")


def test_member_of_unapproved_organisation_cannot_propose(cast):
    """A pending organisation's member may not propose."""
    cast.proposer_org.status = "pending"
    cast.proposer_org.save()
    with pytest.raises(PermissionDenied):
        proposal_create(
            actor=cast.proposer,
            challenge=cast.challenge,
            organisation=cast.proposer_org,
            title="t",
            summary="s",
        )


def test_submission_notifies_municipality_staff(cast):
    """Staff of the receiving municipality are told a proposal arrived; other municipalities are not."""
    cast.proposal("submitted")
    assert Notification.objects.filter(recipient=cast.reviewer, verb="proposal.received").exists()
    assert not Notification.objects.filter(recipient=cast.other_reviewer).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "この形式のファイルは添付できません"),
        ("fake.pdf", b"not really a pdf", "一致しません"),
        ("fake.docx", b"PK\x03\x04not a zip", "一致しません"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "大きすぎます"),
    ],
)
def test_forbidden_files_are_refused(cast, name, content, message):
    """Wrong types, disguised files and files over 10 MB are refused with a reason."""
    proposal = cast.proposal("draft")
    with pytest.raises(ServiceError, match=message):
        proposal_attachment_add(
            actor=cast.proposer, proposal=proposal, upload=SimpleUploadedFile(name, content)
        )
    assert proposal.attachments.count() == 1


def test_real_docx_is_accepted(cast):
    """An Office file with its real structure passes the content check."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    proposal = cast.proposal("draft")
    proposal_attachment_add(
        actor=cast.proposer,
        proposal=proposal,
        upload=SimpleUploadedFile("計画.docx", buffer.getvalue()),
    )
    assert proposal.attachments.count() == 2


def test_upload_error_is_shown_and_nothing_saved(client, cast):
    """Through the web, a bad file gives a Japanese message and no attachment."""
    proposal = cast.proposal("draft")
    client.force_login(cast.proposer)
    response = client.post(
        reverse("forum:proposal_attachment_upload", args=[proposal.pk]),
        {"file": SimpleUploadedFile("a.exe", b"MZ")},
        follow=True,
    )
    assert "この形式のファイルは添付できません" in response.content.decode()
    assert proposal.attachments.count() == 1


def test_empty_and_huge_texts_are_refused_by_the_form(client, cast):
    """Empty required fields and texts over the limit give messages and create nothing."""
    client.force_login(cast.proposer)
    url = reverse("forum:proposal_create", args=[cast.challenge.pk])
    response = client.post(url, {"title": "", "summary": ""})
    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    response = client.post(url, {"title": "長文", "summary": "あ" * 2001})
    assert response.status_code == 200
    assert "2000" in response.content.decode() or "2,000" in response.content.decode()
    assert not Proposal.objects.exists()


def test_tampered_solution_id_is_refused(client, cast):
    """Linking another organisation's solution is refused as an invalid choice."""
    from forum.models import SolutionProfile

    foreign = SolutionProfile.objects.create(
        organisation=cast.other_member.memberships.get().organisation, title="他社", summary="x"
    )
    client.force_login(cast.proposer)
    response = client.post(
        reverse("forum:proposal_create", args=[cast.challenge.pk]),
        {"title": "t", "summary": "s", "solution": foreign.pk},
    )
    assert response.status_code == 200
    assert "選択したソリューションが見つかりません" in response.content.decode()
    assert not Proposal.objects.exists()


def test_repeated_click_on_accept_says_already(client, cast):
    """A second accept click reports the current status and changes nothing."""
    proposal = cast.proposal("shortlisted")
    client.force_login(cast.reviewer)
    url = reverse("forum:proposal_action", args=[proposal.pk, "accept"])
    client.post(url)
    response = client.post(url, follow=True)
    assert "すでに「採択」です" in response.content.decode()
    assert proposal.events.filter(to_status="accepted").count() == 1


def test_unknown_action_is_404(client, cast):
    """A made-up action name in the URL is a 404."""
    proposal = cast.proposal("submitted")
    client.force_login(cast.reviewer)
    assert (
        client.post(reverse("forum:proposal_action", args=[proposal.pk, "delete"])).status_code
        == 404
    )


def test_mail_failure_keeps_status_change(cast, settings, django_capture_on_commit_callbacks):
    """If the mail server is down, the status change still commits and the notice waits for a retry."""
    settings.EMAIL_BACKEND = "tests.forum.test_tasks.BrokenBackend"
    proposal = cast.proposal("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(actor=cast.reviewer, proposal=proposal, action="shortlist")
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"
    note = Notification.objects.get(recipient=cast.proposer, verb="proposal.status_changed")
    assert note.emailed_at is None
    assert mail.outbox == []


def test_daily_digest_collects_notices_into_one_email(cast, django_capture_on_commit_callbacks):
    """A daily-digest member gets no immediate email and one digest with every notice."""
    from forum.models import NotificationPreference
    from forum.tasks import notification_digest_send

    NotificationPreference.objects.create(user=cast.reviewer, email_mode="daily")
    with django_capture_on_commit_callbacks(execute=True):
        cast.proposal("submitted")
    assert not [m for m in mail.outbox if cast.reviewer.email in m.to]
    assert notification_digest_send.apply().get() == 1
    digests = [m for m in mail.outbox if cast.reviewer.email in m.to]
    assert len(digests) == 1 and "提案が届きました" in digests[0].body
    assert not Notification.objects.filter(
        recipient=cast.reviewer, emailed_at__isnull=True
    ).exists()


def test_compare_view_lists_chosen_proposals_side_by_side(client, cast):
    """The municipality ticks proposals and sees them in one table."""
    from tests.factories import OrganisationFactory
    from tests.forum.helpers import member_of

    first = cast.proposal("submitted")
    rival_org = OrganisationFactory(name="株式会社ライバル")
    rival = member_of(rival_org)
    second = proposal_create(
        actor=rival,
        challenge=cast.challenge,
        organisation=rival_org,
        title="カメラ監視",
        summary="カメラで",
    )
    proposal_transition(actor=rival, proposal=second, action="submit")
    client.force_login(cast.reviewer)
    response = client.get(
        reverse("forum:review_challenge", args=[cast.challenge.pk])
        + f"?compare={first.pk}&compare={second.pk}"
    )
    assert [p.pk for p in response.context["compared"]] == sorted(
        [first.pk, second.pk], key=lambda pk: pk == first.pk
    )


def test_proposal_pdf_roundtrip(client, cast):
    """The downloaded file is the uploaded one."""
    proposal = cast.proposal("submitted")
    client.force_login(cast.reviewer)
    response = client.get(
        reverse("forum:proposal_attachment", args=[proposal.pk, proposal.attachments.get().pk])
    )
    assert b"".join(response.streaming_content) == pdf_upload().read()
    assert response["Cache-Control"] == "private, no-store"


def test_first_form_takes_attachments_and_says_what_is_accepted(client, cast):
    """The new-proposal form accepts files at once and names the accepted types and the limit."""
    client.force_login(cast.proposer)
    url = reverse("forum:proposal_create", args=[cast.challenge.pk])
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachments"' in html and "multiple" in html
    assert 'accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"' in html
    assert "PDF・Word（.docx）・Excel（.xlsx）・PowerPoint（.pptx）・PNG・JPEG" in html
    assert "1ファイル10MBまで。10件まで添付できます。" in html

    response = client.post(
        url,
        {
            "title": "水位センサー",
            "summary": "センサーで見守ります。",
            "attachments": [pdf_upload("提案書.pdf"), pdf_upload("体制図.pdf")],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert sorted(proposal.attachments.values_list("original_name", flat=True)) == [
        "体制図.pdf",
        "提案書.pdf",
    ]


def test_first_form_with_a_refused_file_names_it_and_keeps_the_text(client, cast):
    """A wrong file in the first form is named in the message; the text stays and nothing is saved."""
    client.force_login(cast.proposer)
    response = client.post(
        reverse("forum:proposal_create", args=[cast.challenge.pk]),
        {
            "title": "水位センサー",
            "summary": "センサーで見守ります。",
            "attachments": [pdf_upload("提案書.pdf"), SimpleUploadedFile("tool.exe", b"MZ")],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "「tool.exe」" in html and "この形式のファイルは添付できません" in html
    assert 'value="水位センサー"' in html
    assert not Proposal.objects.exists()
