"""Evaluation in the member area: criteria, panel, comparison and decision for the challenge's
managers; declaring and scoring for panel members; feedback for proposers."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.evaluation import (
    CriteriaForm,
    DecisionForm,
    DeclarationForm,
    PanelInviteForm,
    PanelMemberForm,
    PanelRemoveForm,
    PublishForm,
    ReviewForm,
)
from forum.models import Challenge, PanelMember, Proposal, ProposalDecision
from forum.rules.evaluation import BAND_LABELS, criteria_are_editable
from forum.selectors.evaluation import (
    EVALUATED_STATUSES,
    criterion_list_for_challenge,
    decision_get_for_proposer,
    declaration_get,
    evaluation_comparison,
    panel_member_get_for_user,
    panel_member_list_for_challenge,
    panel_member_list_for_user,
    panel_member_removed_list_for_challenge,
    proposal_get_for_panel_member,
    proposal_list_for_panel_member,
    review_get,
    selection_for,
    user_can_decide_selection,
    user_can_manage_evaluation,
)
from forum.selectors.proposals import proposal_get_for_user
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.evaluation import (
    conflict_declare,
    criteria_set,
    panel_invitation_accept,
    panel_member_add,
    panel_member_invite,
    panel_member_remove,
    review_save,
    selection_decide,
    selection_publish,
)
from forum.spreadsheets import BOM, spreadsheet_row


def _managed(user, challenge_id: int) -> Challenge:
    challenge = get_object_or_404(Challenge, pk=challenge_id)
    if not user_can_manage_evaluation(user, challenge):
        raise Http404
    return challenge


def _undecided(challenge: Challenge):
    return Proposal.objects.filter(
        challenge=challenge,
        status__in=[
            Proposal.Status.SUBMITTED,
            Proposal.Status.UNDER_REVIEW,
            Proposal.Status.SHORTLISTED,
        ],
    ).order_by("submitted_at", "pk")


def _manage_context(request, challenge: Challenge, **forms) -> dict:
    selection = selection_for(challenge)
    criteria = list(criterion_list_for_challenge(challenge))
    evaluated = Proposal.objects.filter(challenge=challenge, status__in=EVALUATED_STATUSES)
    context = {
        "challenge": challenge,
        "selection": selection,
        "criteria": criteria,
        "criteria_editable": criteria_are_editable(challenge, decided=selection.is_decided),
        "panel": panel_member_list_for_challenge(challenge),
        "removed_panel": panel_member_removed_list_for_challenge(challenge),
        "remove_form": PanelRemoveForm(),
        "comparison": evaluation_comparison(challenge),
        "can_decide": user_can_decide_selection(request.user, challenge)
        and not selection.is_decided,
        "criteria_form": CriteriaForm(
            initial={"scale_min": selection.scale_min, "scale_max": selection.scale_max},
            criteria=criteria,
        ),
        "member_form": PanelMemberForm(),
        "invite_form": PanelInviteForm(proposals=evaluated),
        "decision_form": DecisionForm(proposals=_undecided(challenge)),
        "publish_form": PublishForm(initial={"public_reasons": selection.public_reasons}),
    }
    context.update(forms)
    return context


@login_required
def evaluation_manage(request, challenge_id: int):
    """The challenge's evaluation: criteria, panel, comparison table, decision, publication."""
    challenge = _managed(request.user, challenge_id)
    return render(request, "forum/evaluation_manage.html", _manage_context(request, challenge))


def _refused(request, error) -> HttpResponse:
    return render(request, "403.html", {"message": error.args[0] if error.args else ""}, status=403)


@login_required
@require_POST
def evaluation_criteria_view(request, challenge_id: int):
    """Save the criteria and the scale."""
    challenge = _managed(request.user, challenge_id)
    form = CriteriaForm(request.POST)
    if form.is_valid():
        try:
            criteria_set(
                actor=request.user,
                challenge=challenge,
                criteria=form.criteria(),
                scale_min=form.cleaned_data["scale_min"],
                scale_max=form.cleaned_data["scale_max"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("評価基準を保存しました。"))
            return redirect("forum:evaluation_manage", challenge_id=challenge.pk)
    context = _manage_context(request, challenge, criteria_form=form)
    return render(request, "forum/evaluation_manage.html", context, status=400)


@login_required
@require_POST
def evaluation_panel_view(request, challenge_id: int):
    """Seat an internal member, or invite an external evaluator."""
    challenge = _managed(request.user, challenge_id)
    evaluated = Proposal.objects.filter(challenge=challenge, status__in=EVALUATED_STATUSES)
    if request.POST.get("kind") == "external":
        form = PanelInviteForm(request.POST, proposals=evaluated)
        forms_key = "invite_form"
    else:
        form = PanelMemberForm(request.POST)
        forms_key = "member_form"
    if form.is_valid():
        try:
            _panel_write(request.user, challenge, form)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("審査員を登録しました。"))
            return redirect("forum:evaluation_manage", challenge_id=challenge.pk)
    context = _manage_context(request, challenge, **{forms_key: form})
    return render(request, "forum/evaluation_manage.html", context, status=400)


@login_required
@require_POST
def evaluation_panel_remove_view(request, challenge_id: int, member_id: int):
    """Take a member off the panel, or withdraw an invitation, with the reason."""
    challenge = _managed(request.user, challenge_id)
    member = get_object_or_404(PanelMember, pk=member_id, challenge=challenge)
    form = PanelRemoveForm(request.POST)
    if form.is_valid():
        try:
            panel_member_remove(
                actor=request.user, member=member, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as error:
            return _refused(request, error)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s を審査員から外しました。") % {"name": member})
            return redirect("forum:evaluation_manage", challenge_id=challenge.pk)
    context = _manage_context(request, challenge, remove_form=form, removing=member.pk)
    return render(request, "forum/evaluation_manage.html", context, status=400)


def _panel_write(actor, challenge, form) -> None:
    if isinstance(form, PanelInviteForm):
        panel_member_invite(
            actor=actor,
            challenge=challenge,
            email=form.cleaned_data["email"],
            proposals=form.cleaned_data["proposals"],
        )
        return
    user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if user is None:
        raise ServiceError(_("このメールアドレスの会員は見つかりません。"))
    panel_member_add(actor=actor, challenge=challenge, user=user)


@login_required
@require_POST
def evaluation_decide_view(request, challenge_id: int):
    """Record the final decision on every proposal."""
    challenge = _managed(request.user, challenge_id)
    form = DecisionForm(request.POST, proposals=_undecided(challenge))
    if form.is_valid():
        try:
            selection_decide(actor=request.user, challenge=challenge, decisions=form.decisions())
        except PermissionDenied as error:
            return _refused(request, error)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("選定結果を決定しました。選ばれなかった提案者に結果を通知しました。")
            )
            return redirect("forum:evaluation_manage", challenge_id=challenge.pk)
    context = _manage_context(request, challenge, decision_form=form)
    return render(request, "forum/evaluation_manage.html", context, status=400)


@login_required
@require_POST
def evaluation_publish_view(request, challenge_id: int):
    """Publish the result with its reasons."""
    challenge = _managed(request.user, challenge_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            selection_publish(
                actor=request.user,
                challenge=challenge,
                public_reasons=form.cleaned_data["public_reasons"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("選定結果を公表しました。"))
            return redirect("forum:evaluation_manage", challenge_id=challenge.pk)
    context = _manage_context(request, challenge, publish_form=form)
    return render(request, "forum/evaluation_manage.html", context, status=400)


def _cell_state(cell):
    if not cell.assigned:
        return _("担当外")
    if cell.conflict:
        return _("利益相反")
    return _("未採点") if cell.total is None else cell.total


def _comparison_table(comparison) -> tuple[list[str], list[list]]:
    """Header and rows of the comparison: one row per proposal and member."""
    headers = [_("提案名"), _("提案団体"), _("合計（100点満点）"), _("最小〜最大"), _("標準偏差")]
    headers += [_("審査員"), _("審査員の合計")]
    headers += [
        _("%(criterion)s（%(weight)s）") % {"criterion": c.name, "weight": c.weight}
        for c in comparison.criteria
    ] + [_("所見（非公開）")]
    rows = []
    for row in comparison.rows:
        low, high, deviation = row.spread or ("", "", "")
        summary = [
            row.proposal.title,
            row.proposal.organisation.name,
            "" if row.average is None else row.average,
            f"{low}〜{high}" if row.spread else "",
            deviation,
        ]
        for cell in row.cells:
            rows.append(
                summary
                + [str(cell.member), _cell_state(cell)]
                + [cell.values.get(c.pk, "") for c in comparison.criteria]
                + [cell.note]
            )
    return headers, rows


@login_required
def evaluation_csv(request, challenge_id: int):
    """The comparison table as CSV (UTF-8 with BOM) for the municipality's internal approval."""
    challenge = _managed(request.user, challenge_id)
    headers, rows = _comparison_table(evaluation_comparison(challenge))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"evaluation-{challenge.pk}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(headers)
    writer.writerows(spreadsheet_row(r) for r in rows)
    return response


@login_required
def evaluation_pdf(request, challenge_id: int):
    """The comparison table as a PDF (Noto CJK) for the municipality's internal approval."""
    from weasyprint import HTML

    challenge = _managed(request.user, challenge_id)
    html = render_to_string(
        "forum/evaluation_pdf.html",
        {
            "challenge": challenge,
            "comparison": evaluation_comparison(challenge),
            "today": timezone.localdate(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"evaluation-{challenge.pk}-{timezone.localdate():%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def panel_home(request):
    """The panels the user sits on and the proposals each asks them to evaluate."""
    seats = [
        (member, list(proposal_list_for_panel_member(member)))
        for member in panel_member_list_for_user(request.user)
    ]
    return render(request, "forum/panel_home.html", {"seats": seats})


def _seat_and_proposal(user, challenge_id: int, proposal_id: int):
    member = panel_member_get_for_user(user, challenge_id)
    proposal = proposal_get_for_panel_member(member, proposal_id) if member else None
    if proposal is None:
        raise Http404
    return member, proposal


@login_required
def panel_proposal(request, challenge_id: int, proposal_id: int):
    """One proposal for a panel member: its content, the declaration, then the scores."""
    member, proposal = _seat_and_proposal(request.user, challenge_id, proposal_id)
    selection = selection_for(proposal.challenge)
    declaration = declaration_get(member, proposal)
    review = review_get(member, proposal)
    review_form = ReviewForm(
        request.POST or None,
        criteria=criterion_list_for_challenge(proposal.challenge),
        scale_min=selection.scale_min,
        scale_max=selection.scale_max,
        review=review,
    )
    declaration_form = DeclarationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        saved = _panel_post(request, proposal, review_form, declaration_form)
        if saved:
            return redirect(
                "forum:panel_proposal", challenge_id=challenge_id, proposal_id=proposal.pk
            )
        status = 400
    return render(
        request,
        "forum/panel_proposal.html",
        {
            "member": member,
            "proposal": proposal,
            "selection": selection,
            "declaration": declaration,
            "review": review,
            "review_form": review_form,
            "declaration_form": declaration_form,
        },
        status=status,
    )


def _panel_post(request, proposal, review_form, declaration_form) -> bool:
    """Declare or score, as the form sent says; True when saved."""
    declaring = request.POST.get("step") == "declare"
    form = declaration_form if declaring else review_form
    if not form.is_valid():
        return False
    try:
        if declaring:
            conflict_declare(
                actor=request.user,
                proposal=proposal,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        else:
            review_save(
                actor=request.user,
                proposal=proposal,
                values=form.values(),
                note=form.cleaned_data["note"],
            )
    except (ServiceError, PermissionDenied) as error:
        form.add_error(None, getattr(error, "message", None) or str(error))
        return False
    messages.success(request, _("申告を記録しました。") if declaring else _("採点を保存しました。"))
    return True


def panel_invitation_accept_view(request, token: str):
    """Open an evaluator's invitation link: sign in (or sign up) first, then accept."""
    member = PanelMember.objects.select_related("challenge").filter(token=token).first()
    if member is None or member.kind != PanelMember.Kind.EXTERNAL:
        raise Http404
    if not request.user.is_authenticated:
        return render(request, "forum/panel_invitation.html", {"member": member, "signin": True})
    if request.method == "POST":
        try:
            panel_invitation_accept(user=request.user, token=token)
        except ServiceError as error:
            messages.error(request, error.message)
            return render(request, "forum/panel_invitation.html", {"member": member})
        messages.success(request, _("審査の依頼を受けました。"))
        return redirect("forum:panel_home")
    return render(request, "forum/panel_invitation.html", {"member": member})


@login_required
def proposal_feedback(request, pk: int):
    """The proposer's own result: outcome, per-criterion band and the municipality's note."""
    found = proposal_get_for_user(request.user, pk)
    decision = decision_get_for_proposer(request.user, found[0]) if found else None
    if decision is None or decision.outcome == ProposalDecision.Outcome.SELECTED:
        raise Http404
    bands = [
        {**item, "label": BAND_LABELS.get(item["band"], item["band"])} for item in decision.bands
    ]
    return render(
        request,
        "forum/proposal_feedback.html",
        {"proposal": found[0], "decision": decision, "bands": bands},
    )
