"""Challenges as pages: the lists per municipality, a challenge and its attachments."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from cms.blocks import BodyBlock, LinkBlock
from cms.english import (
    EnglishVersionMixin,
    english_body_field,
    english_intro_field,
)
from cms.page_context import challenge_detail_context, challenge_list_context
from cms.page_forms import ChallengePageForm
from forum.models import Call, Department, Field, Municipality, Technology
from forum.models.challenges import DesiredStage, closing_day


class ChallengeIndexPage(EnglishVersionMixin, Page):
    """The challenge list. The top one lists every municipality's; each municipality has its own below it.

    A municipality's challenges live under its own index, which is where its staff have
    page permissions; the municipality of a challenge is therefore its place in the tree.
    """

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("市町村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenge_index",
        help_text=_("市町村ごとの掲載場所の場合に設定します。空欄はすべての課題の一覧です。"),
    )
    intro = models.TextField(_("リード文"), blank=True)
    intro_en = english_intro_field()

    english_fields = {"title": "title_en", "intro": "intro_en"}
    heading_in_template = True
    content_panels = [*Page.content_panels, FieldPanel("municipality"), FieldPanel("intro")]

    template = "cms/challenge_index_page.html"
    parent_page_types = ["cms.HomePage", "cms.ChallengeIndexPage"]
    subpage_types = ["cms.ChallengeIndexPage", "cms.ChallengePage"]
    page_description = _("課題の一覧。市町村ごとの掲載場所もこの種類のページです。")

    class Meta:
        verbose_name = _("課題一覧")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if (
            parent is not None
            and isinstance(parent.specific, ChallengeIndexPage)
            and self.municipality_id is None
        ):
            raise ValidationError(
                {"municipality": _("市町村ごとの掲載場所には市町村を設定してください。")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(challenge_list_context(request.GET, municipality=self.municipality))
        return context


class ChallengePage(EnglishVersionMixin, Page):
    """A municipality's challenge (課題). Structured fields feed search, matching and the dashboard."""

    field = models.ForeignKey(
        Field, verbose_name=_("分野"), on_delete=models.PROTECT, related_name="+"
    )
    technologies = ParentalManyToManyField(
        Technology, verbose_name=_("関連する技術"), blank=True, related_name="+"
    )
    summary = models.TextField(
        _("概要"), max_length=1000, help_text=_("一覧に表示される200字程度の要約")
    )
    background = models.TextField(_("背景・現状"), blank=True, max_length=5000)
    wanted = models.TextField(_("求める解決策"), blank=True, max_length=5000)
    data_available = StreamField(
        [("dataset", LinkBlock())],
        verbose_name=_("提供可能なデータ"),
        blank=True,
        help_text=_("大阪府のデータ連携基盤など、提案に使えるデータセットへのリンク"),
    )
    budget_min = models.PositiveIntegerField(_("予算（下限・千円）"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("予算（上限・千円）"), null=True, blank=True)
    desired_stage = models.CharField(
        _("目指す段階"), max_length=20, choices=DesiredStage.choices, default=DesiredStage.POC
    )
    deadline = models.DateField(_("募集締切"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("募集回"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("事務局の募集回か、自らの市町村の募集回を選べます。空欄は通年の募集です。"),
    )
    contact = models.CharField(_("問い合わせ先"), max_length=300, blank=True)
    # The owner is written to the forum's record on publishing, like every structured field.
    department = models.ForeignKey(
        Department,
        verbose_name=_("担当所属"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("この市町村（府）の所属・局から選びます。"),
    )
    responsible_post = models.CharField(
        _("責任者（役職）"),
        max_length=100,
        blank=True,
        help_text=_("例: デジタル統括室 スマートシティ担当課長"),
    )
    is_closed = models.BooleanField(
        _("募集を終了する"), default=False, help_text=_("締切前でも募集を終了します。")
    )
    body = StreamField(BodyBlock(), verbose_name=_("詳細"), blank=True)
    summary_en = models.TextField(_("概要（英語）"), max_length=1000, blank=True)
    background_en = models.TextField(_("背景・現状（英語）"), blank=True, max_length=5000)
    wanted_en = models.TextField(_("求める解決策（英語）"), blank=True, max_length=5000)
    contact_en = models.CharField(_("問い合わせ先（英語）"), max_length=300, blank=True)
    body_en = english_body_field(_("詳細（英語）"))

    english_fields = {
        "title": "title_en",
        "summary": "summary_en",
        "background": "background_en",
        "wanted": "wanted_en",
        "contact": "contact_en",
        "body": "body_en",
    }
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("field"), FieldPanel("technologies"), FieldPanel("desired_stage")],
            heading=_("分類"),
        ),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("wanted"),
        FieldPanel("data_available"),
        FieldRowPanel([FieldPanel("budget_min"), FieldPanel("budget_max")], heading=_("予算")),
        FieldRowPanel([FieldPanel("deadline"), FieldPanel("is_closed")], heading=_("募集")),
        FieldPanel("call"),
        FieldPanel("contact"),
        FieldRowPanel(
            [FieldPanel("department"), FieldPanel("responsible_post")],
            heading=_("担当所属と責任者"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("添付資料"), max_num=10),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("background"),
        index.SearchField("wanted"),
    ]

    base_form_class = ChallengePageForm
    template = "cms/challenge_page.html"
    parent_page_types = ["cms.ChallengeIndexPage"]
    subpage_types = []
    page_description = _("市町村が掲載する地域課題。事務局の承認後に公開されます。")

    class Meta:
        verbose_name = _("課題")

    @property
    def municipality(self) -> Municipality | None:
        """The municipality whose place in the tree holds this challenge."""
        parent = self.get_parent()
        return getattr(parent.specific, "municipality", None) if parent else None

    @property
    def closes_on(self):
        """The last day proposals are taken: the deadline, or its call's intake end if earlier."""
        return closing_day(self.deadline, self.call if self.call_id else None)

    @property
    def status(self) -> str:
        """open or closed: closed by hand, or once the deadline or its call's intake has passed."""
        today = timezone.localdate()
        if self.is_closed or (self.deadline and self.deadline < today):
            return "closed"
        if self.call_id and self.call.intake_closes_on < today:
            return "closed"
        return "open"

    def clean(self):
        super().clean()
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_min > self.budget_max
        ):
            raise ValidationError({"budget_max": _("予算の上限は下限以上にしてください。")})
        self._check_department()

    def _check_department(self) -> None:
        """The owning department belongs to the challenge's own municipality (or prefecture)."""
        if self.department_id is None or not self.path:
            return
        municipality = self.municipality
        if municipality is not None and self.department.organisation.municipality_id != (
            municipality.pk
        ):
            raise ValidationError(
                {
                    "department": _(
                        "担当所属は、この課題の市町村（府）の所属・局から選んでください。"
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(challenge_detail_context(self, request.user))
        return context


class ChallengeAttachment(Orderable):
    """A document attached to a challenge (pdf, docx, xlsx, pptx, png, jpg; 10 MB at most)."""

    page = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("資料"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("説明"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("添付資料")
