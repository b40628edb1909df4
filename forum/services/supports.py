"""Support (私も困っています): a verified resident backs a published challenge or need, once."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forum.models import Challenge, Need, Support
from forum.selectors.residents import resident_municipality, user_is_verified_resident
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError


def _target_filter(*, need: Need | None, challenge: Challenge | None) -> dict:
    if (need is None) == (challenge is None):
        raise ServiceError(_("応援する対象を1つ選んでください。"))
    if need is not None:
        if need.status != Need.Status.PUBLISHED:
            raise ServiceError(_("公開中の困りごとだけを応援できます。"))
        return {"need": need}
    if not challenge.is_published:
        raise ServiceError(_("公開中の課題だけを応援できます。"))
    return {"challenge": challenge}


@transaction.atomic
def support_toggle(*, actor, need: Need | None = None, challenge: Challenge | None = None) -> bool:
    """Support the challenge or need, or take the support back; True when now supporting."""
    if not user_is_verified_resident(actor):
        raise PermissionDenied(_("応援できるのは、メールアドレスを確認済みの住民の方です。"))
    target = _target_filter(need=need, challenge=challenge)
    existing = Support.objects.filter(user=actor, **target).first()
    subject = need or challenge
    if existing is not None:
        existing.delete()
        audit_record(actor=actor, verb="support.removed", target=subject)
        return False
    try:
        with transaction.atomic():
            Support.objects.create(user=actor, municipality=resident_municipality(actor), **target)
    except IntegrityError:
        # A second click that raced the first: the support is there once, as wanted.
        return True
    audit_record(actor=actor, verb="support.added", target=subject)
    return True
