import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_name(value: str) -> str:
    """Fold width, case and spacing so that 株式会社ＡＢＣ and 株式会社 abc collide."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(folded.split())


class Organisation(models.Model):
    """A member organisation (会員団体). Acts on the platform only once approved."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("企業")
        STARTUP = "startup", _("スタートアップ")
        UNIVERSITY = "university", _("大学・研究機関")
        CIVIC_TECH = "civic_tech", _("シビックテック")
        ASSOCIATION = "association", _("団体・協会")
        MUNICIPALITY = "municipality", _("市町村")
        SECRETARIAT = "secretariat", _("事務局")

    class Status(models.TextChoices):
        PENDING = "pending", _("審査中")
        APPROVED = "approved", _("承認済み")
        REJECTED = "rejected", _("却下")

    class Size(models.TextChoices):
        UNKNOWN = "", _("未回答")
        MICRO = "1-9", _("1〜9人")
        SMALL = "10-49", _("10〜49人")
        MEDIUM = "50-299", _("50〜299人")
        LARGE = "300-999", _("300〜999人")
        ENTERPRISE = "1000+", _("1,000人以上")

    name = models.CharField(_("団体名"), max_length=200)
    name_normalised = models.CharField(max_length=200, unique=True, editable=False)
    name_kana = models.CharField(_("団体名（よみがな）"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("審査状況"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    website = models.URLField(_("ウェブサイト"), blank=True)
    description = models.TextField(_("団体の紹介"), blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    size = models.CharField(_("従業員規模"), max_length=10, choices=Size.choices, blank=True)
    municipality = models.ForeignKey(
        "forum.Municipality",
        verbose_name=_("市町村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("種別が「市町村」の団体のみ設定します。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("審査者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("審査日時"), null=True, blank=True)
    rejection_reason = models.TextField(_("却下の理由"), blank=True)

    class Meta:
        ordering = ["name_kana", "name"]
        verbose_name = _("会員団体")
        verbose_name_plural = _("会員団体")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(municipality__isnull=False),
                name="organisation_one_per_municipality",
                violation_error_message=_(
                    "この市町村の団体はすでに登録されています。参加申請をしてください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="municipality", municipality__isnull=False)
                | (~Q(kind="municipality") & Q(municipality__isnull=True)),
                name="organisation_municipality_matches_kind",
                violation_error_message=_("市町村は種別が「市町村」の団体にだけ設定できます。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_normalised = normalise_name(self.name)
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        """Whether the organisation may act on the platform."""
        return self.status == self.Status.APPROVED


class Membership(models.Model):
    """A person's place in an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("管理者")
        MEMBER = "member", _("メンバー")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("団体"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("参加日時"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class JoinRequest(models.Model):
    """A person's request to join an existing organisation, decided by its admins."""

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        ACCEPTED = "accepted", _("承認")
        DECLINED = "declined", _("見送り")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("団体"), on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("メッセージ"), blank=True, max_length=2000)
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("参加申請")
        verbose_name_plural = _("参加申請")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending_per_user_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An organisation admin's invitation for an email address to join."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("団体"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("メールアドレス"))
    role = models.CharField(
        _("役割"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the inviter reached the site: the invitation's link leads there.
    site_url = models.CharField(_("サイトのアドレス"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("受諾日時"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("招待")
        verbose_name_plural = _("招待")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        """Open, not revoked and not past its expiry."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
