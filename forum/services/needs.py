"""Residents' needs (地域の困りごと): sent by a resident, moderated and published by the
municipality's staff, merged, declined with a reason, or linked to the challenge made of it.
The resident is told of every decision."""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Field, Need
from forum.selectors.needs import need_staff_recipients, user_can_moderate_need
from forum.selectors.residents import resident_municipality, user_is_verified_resident
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send
from forum.services.photos import photo_clean
from forum.services.text import clean_text
from forum.signals import need_changed

_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def checked_text(value: str, *, label: str, limit: int, required: bool = True) -> str:
    """Text residents send or read: trimmed, within its limit, without HTML tags."""
    value = clean_text(value, label=label, limit=limit, required=required)
    if _HTML_TAG.search(value):
        raise ServiceError(
            _("%(label)sにHTMLのタグは使えません。文章だけで書いてください。") % {"label": label}
        )
    return value


def _may_moderate(actor, need: Need) -> None:
    if not user_can_moderate_need(actor, need):
        raise PermissionDenied(_("この困りごとを扱えるのは、その市町村の職員と事務局です。"))


def _changed(need: Need) -> None:
    """The index follows what the public may see of the need (withdrawn unless published)."""
    need_changed.send(sender=Need, instance_id=need.pk)


def _tell_author(need: Need, *, verb: str, title, body=lambda: "") -> None:
    if need.author is not None:
        notification_send(
            recipients=[need.author],
            verb=verb,
            title=title,
            body=body,
            url=reverse("residents:need_detail", args=[need.pk]),
        )


@transaction.atomic
def need_submit(
    *,
    actor,
    title: str,
    description: str,
    field: Field,
    place_name: str = "",
    photo=None,
) -> Need:
    """A verified resident sends a need to their municipality; private until published."""
    if not user_is_verified_resident(actor):
        raise PermissionDenied(_("困りごとを送れるのは、メールアドレスを確認済みの住民の方です。"))
    need = Need(
        municipality=resident_municipality(actor),
        author=actor,
        title=checked_text(title, label=_("タイトル"), limit=100),
        description=checked_text(description, label=_("内容"), limit=2000),
        field=field,
        place_name=checked_text(place_name, label=_("場所"), limit=100, required=False),
    )
    if photo:
        need.photo.save("photo.jpg", photo_clean(photo), save=False)
    need.save()
    audit_record(actor=actor, verb="need.submitted", target=need)
    notification_send(
        recipients=need_staff_recipients(need),
        verb="need.submitted",
        title=lambda: _("住民から新しい困りごとが届きました: %(title)s") % {"title": need.title},
        url=reverse("forum:need_moderate", args=[need.pk]),
    )
    return need


@transaction.atomic
def need_update(
    *,
    actor,
    need: Need,
    title: str,
    description: str,
    field: Field,
    place_name: str = "",
    remove_photo: bool = False,
) -> Need:
    """Staff edit a need before publishing it (for privacy: names, addresses, faces)."""
    _may_moderate(actor, need)
    need.title = checked_text(title, label=_("タイトル"), limit=100)
    need.description = checked_text(description, label=_("内容"), limit=2000)
    need.field = field
    need.place_name = checked_text(place_name, label=_("場所"), limit=100, required=False)
    if remove_photo and need.photo:
        need.photo.delete(save=False)
    need.save()
    _changed(need)
    audit_record(actor=actor, verb="need.edited", target=need, photo_removed=remove_photo)
    return need


@transaction.atomic
def need_publish(*, actor, need: Need) -> Need:
    """Publish a waiting need; the resident is told."""
    _may_moderate(actor, need)
    if need.status != Need.Status.SUBMITTED:
        raise ServiceError(_("確認待ちの困りごとだけを公開できます。"))
    need.status = Need.Status.PUBLISHED
    need.published_at = timezone.now()
    need.save(update_fields=["status", "published_at", "updated_at"])
    _changed(need)
    audit_record(actor=actor, verb="need.published", target=need)
    _tell_author(
        need,
        verb="need.published",
        title=lambda: _("あなたの困りごとが公開されました: %(title)s") % {"title": need.title},
    )
    return need


@transaction.atomic
def need_decline(*, actor, need: Need, reason: str) -> Need:
    """Decline a waiting need with a reason the resident reads."""
    _may_moderate(actor, need)
    if need.status != Need.Status.SUBMITTED:
        raise ServiceError(_("確認待ちの困りごとだけを見送りにできます。"))
    need.decline_reason = checked_text(reason, label=_("見送りの理由"), limit=1000)
    need.status = Need.Status.DECLINED
    need.save(update_fields=["status", "decline_reason", "updated_at"])
    _changed(need)
    audit_record(actor=actor, verb="need.declined", target=need, reason=need.decline_reason)
    _tell_author(
        need,
        verb="need.declined",
        title=lambda: _("あなたの困りごとは公開を見送りました: %(title)s") % {"title": need.title},
        body=lambda: need.decline_reason,
    )
    return need


@transaction.atomic
def need_merge(*, actor, need: Need, into: Need) -> Need:
    """Merge a duplicate into a need of the same municipality; its supports move along."""
    _may_moderate(actor, need)
    if into.pk == need.pk or into.municipality_id != need.municipality_id:
        raise ServiceError(_("同じ市町村の別の困りごとを統合先に選んでください。"))
    if into.status in (Need.Status.MERGED, Need.Status.DECLINED):
        raise ServiceError(_("統合先には、確認待ちか公開中の困りごとを選んでください。"))
    if need.status in (Need.Status.MERGED, Need.Status.DECLINED) or need.challenge_page_id:
        raise ServiceError(_("この困りごとは統合できません。"))
    supporters = set(into.supports.values_list("user_id", flat=True))
    need.supports.exclude(user_id__in=supporters).update(need=into)
    need.supports.all().delete()
    need.status = Need.Status.MERGED
    need.merged_into = into
    need.save(update_fields=["status", "merged_into", "updated_at"])
    _changed(need)
    audit_record(actor=actor, verb="need.merged", target=need, into=into.pk)
    _tell_author(
        need,
        verb="need.merged",
        title=lambda: (
            _("あなたの困りごとを、同じ内容の困りごと「%(into)s」にまとめました。")
            % {"into": into.title}
        ),
    )
    return need


@transaction.atomic
def need_link_challenge(*, actor, need: Need, page_id: int) -> Need:
    """Record the draft challenge page made of a published need; the resident is told."""
    _may_moderate(actor, need)
    if need.status != Need.Status.PUBLISHED:
        raise ServiceError(_("公開中の困りごとだけを課題にできます。"))
    if need.challenge_page_id:
        raise ServiceError(_("この困りごとはすでに課題になっています。"))
    need.challenge_page_id = page_id
    need.save(update_fields=["challenge_page_id", "updated_at"])
    audit_record(actor=actor, verb="need.challenge_drafted", target=need, page_id=page_id)
    _tell_author(
        need,
        verb="need.challenge_drafted",
        title=lambda: (
            _("あなたの困りごと「%(title)s」をもとに、市町村が課題の作成を始めました。")
            % {"title": need.title}
        ),
        body=lambda: _("課題として公開されると、企業や大学から解決策の提案を募ります。"),
    )
    return need
