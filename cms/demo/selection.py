"""A finished selection for the demo: published criteria, two proposals, a panel of two (the
municipality and the secretariat, who declares a conflict with one proposal), scores, the
decision that opens the project, feedback to the other proposer and the published result.

Everything goes through the evaluation services, in the order a municipality would work.
"""

import secrets

from forum.models import Challenge, Membership, Organisation, Proposal
from forum.services.accounts import account_ensure
from forum.services.evaluation import (
    CriterionInput,
    DecisionInput,
    conflict_declare,
    criteria_set,
    panel_member_add,
    review_save,
    selection_decide,
    selection_publish,
)
from forum.services.memberships import membership_create
from forum.services.organisations import organisation_register
from forum.services.proposals import proposal_create, proposal_transition

CRITERIA = [
    CriterionInput("課題への適合性", 30, "課題の背景と求める解決策に合っているか"),
    CriterionInput("実現性", 25, "体制・スケジュール・技術に無理がないか"),
    CriterionInput("費用", 20, "予算の範囲で効果が見込めるか"),
    CriterionInput("横展開の可能性", 15, "他の市町村でも使えるか"),
    CriterionInput("実績", 10, "同種の導入や実証の経験"),
]
RIVAL = {
    "name": "かわち子育てテック株式会社",
    "kind": Organisation.Kind.COMPANY,
    "name_kana": "かわちこそだててっく",
    "description": "子育て世帯向けのアプリを開発しています（デモ用の架空の団体です）。",
    "size": Organisation.Size.SMALL,
}
RIVAL_EMAIL = "kosodate@kawachi.example.jp"
# Scores per criterion (in CRITERIA's order) of the municipality and the secretariat.
SCORES = {"winner": ([5, 4, 4, 5, 3], [4, 4, 4, 4, 3]), "rival": ([3, 3, 4, 2, 4], None)}


def _rival_proposal(challenge: Challenge, secretariat) -> Proposal:
    organisation = Organisation.objects.filter(name=RIVAL["name"]).first()
    if organisation is None:
        organisation = organisation_register(actor=None, approved=True, **RIVAL)
    user, _created = account_ensure(
        email=RIVAL_EMAIL,
        display_name="かわち子育てテック 担当",
        password=secrets.token_urlsafe(16),
    )
    if not organisation.memberships.filter(user=user).exists():
        membership_create(
            actor=secretariat, user=user, organisation=organisation, role=Membership.Role.ADMIN
        )
    proposal = proposal_create(
        actor=user,
        challenge=challenge,
        organisation=organisation,
        title="子育て情報のLINE配信",
        summary="LINE公式アカウントで、子どもの年齢に合わせたお知らせを配信します。",
        cost_estimate=4500,
    )
    proposal_transition(actor=user, proposal=proposal, action="submit")
    return proposal


def _score(user, proposal: Proposal, criteria, values) -> None:
    review_save(
        actor=user,
        proposal=proposal,
        values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        note="デモの所見（非公開）",
    )


def demo_selection_run(*, challenge: Challenge, proposal: Proposal, staff, secretariat) -> None:
    """Evaluate ``proposal`` against a rival, select it (which opens its project) and publish."""
    criteria = criteria_set(actor=staff, challenge=challenge, criteria=CRITERIA)
    rival = _rival_proposal(challenge, secretariat)
    for user in (staff, secretariat):
        panel_member_add(actor=staff, challenge=challenge, user=user)
        conflict_declare(actor=user, proposal=proposal, has_conflict=False)
    conflict_declare(actor=staff, proposal=rival, has_conflict=False)
    conflict_declare(
        actor=secretariat,
        proposal=rival,
        has_conflict=True,
        note="提案団体の顧問を務めているため、採点しません。",
    )
    _score(staff, proposal, criteria, SCORES["winner"][0])
    _score(secretariat, proposal, criteria, SCORES["winner"][1])
    _score(staff, rival, criteria, SCORES["rival"][0])
    selection_decide(
        actor=staff,
        challenge=challenge,
        decisions={
            proposal.pk: DecisionInput("selected", "合計点が最も高く、本格導入までの道筋が明確。"),
            rival.pk: DecisionInput(
                "not_selected",
                "実現性と横展開の評価が相対的に低い。",
                "費用の見積もりと実績は高く評価しました。次の募集にもぜひご提案ください。",
            ),
        },
    )
    selection_publish(
        actor=staff,
        challenge=challenge,
        public_reasons="月齢に合わせた通知とオンライン申請への案内を一つにまとめ、"
        "本格導入までの計画が具体的であった点を評価しました。",
    )
