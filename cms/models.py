from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from cms.blocks import BodyBlock, LinkBlock
from cms.choices import RegistrationStatus
from cms.english import (
    EnglishVersionMixin,
    english_body_field,
    english_intro_field,
    search_fields_with_english,
)
from cms.events import event_cancel, event_ics, event_register, event_registration_context
from cms.page_context import challenge_detail_context, challenge_list_context, home_page_context
from cms.page_forms import ChallengePageForm
from forum.models import Call, Department, Field, Municipality, Technology
from forum.models.challenges import DesiredStage
from forum.services.errors import ServiceError


class HomePage(EnglishVersionMixin, Page):
    """The site's front page: hero, featured open challenges, news, events and key figures."""

    hero_title = models.CharField(_("見出し"), max_length=200, blank=True)
    hero_text = models.TextField(_("リード文"), blank=True)
    intro = RichTextField(_("紹介文"), blank=True)
    hero_title_en = models.CharField(_("見出し（英語）"), max_length=200, blank=True)
    hero_text_en = models.TextField(_("リード文（英語）"), blank=True)
    intro_en = RichTextField(_("紹介文（英語）"), blank=True)

    english_fields = {
        "title": "title_en",
        "hero_title": "hero_title_en",
        "hero_text": "hero_text_en",
        "intro": "intro_en",
    }

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("intro"),
    ]

    template = "cms/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.ChallengeIndexPage",
    ]
    max_count = 1
    page_description = _("サイトのトップページ。フォーラムの紹介と最新情報を表示します。")

    class Meta:
        verbose_name = _("トップページ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            home_page_context(news=NewsPage.objects.live(), events=EventPage.objects.live())
        )
        return context


class StandardPage(EnglishVersionMixin, Page):
    """A plain page: about the forum, how to take part, policies."""

    intro = models.TextField(_("リード文"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("本文"), blank=True)
    intro_en = english_intro_field()
    body_en = english_body_field()

    english_fields = {"title": "title_en", "intro": "intro_en", "body": "body_en"}
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *search_fields_with_english("intro", "body")]

    template = "cms/standard_page.html"
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    page_description = _("フォーラムの紹介や参加方法など、一般的な内容のページ。")

    class Meta:
        verbose_name = _("標準ページ")


class NewsIndexPage(EnglishVersionMixin, Page):
    """The list of news items, newest first."""

    intro = models.TextField(_("リード文"), blank=True)
    intro_en = english_intro_field()

    english_fields = {"title": "title_en", "intro": "intro_en"}
    heading_in_template = True
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    template = "cms/news_index_page.html"
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1
    page_description = _("お知らせの一覧ページ。")

    class Meta:
        verbose_name = _("お知らせ一覧")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")
        context["page_obj"] = Paginator(news, 12).get_page(request.GET.get("page"))
        return context


class NewsPage(EnglishVersionMixin, Page):
    """One news item."""

    date = models.DateField(_("日付"), default=date.today)
    intro = models.TextField(_("リード文"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("本文"), blank=True)
    intro_en = english_intro_field()
    body_en = english_body_field()

    english_fields = {"title": "title_en", "intro": "intro_en", "body": "body_en"}
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *search_fields_with_english("intro", "body")]

    template = "cms/news_page.html"
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    page_description = _("フォーラムからのお知らせ。")

    class Meta:
        verbose_name = pgettext_lazy("news", "お知らせ")


class EventIndexPage(EnglishVersionMixin, Page):
    """Upcoming and past seminars and meet-ups."""

    intro = models.TextField(_("リード文"), blank=True)
    intro_en = english_intro_field()

    english_fields = {"title": "title_en", "intro": "intro_en"}
    heading_in_template = True
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    template = "cms/event_index_page.html"
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count = 1
    page_description = _("セミナーや交流会の一覧ページ。")

    class Meta:
        verbose_name = _("イベント一覧")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().descendant_of(self)
        now = timezone.now()
        context["upcoming"] = events.filter(end_at__gte=now).order_by("start_at")
        context["past"] = events.filter(end_at__lt=now).order_by("-start_at")[:12]
        return context


class EventPage(EnglishVersionMixin, RoutablePageMixin, Page):
    """A seminar or meet-up; members register, and beyond capacity join a waiting list."""

    start_at = models.DateTimeField(_("開始日時"))
    end_at = models.DateTimeField(_("終了日時"))
    venue = models.CharField(_("会場"), max_length=300, blank=True)
    online_url = models.URLField(_("オンライン参加URL"), blank=True)
    capacity = models.PositiveIntegerField(
        _("定員"), null=True, blank=True, help_text=_("空欄は定員なし")
    )
    registration_open = models.BooleanField(_("参加申込を受け付ける"), default=True)
    call = models.ForeignKey(
        Call,
        verbose_name=_("説明会の募集回"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefings",
        help_text=_("募集回の説明会の場合に選びます。募集回のページに表示されます。"),
    )
    intro = models.TextField(_("リード文"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("本文"), blank=True)
    venue_en = models.CharField(_("会場（英語）"), max_length=300, blank=True)
    intro_en = english_intro_field()
    body_en = english_body_field()

    english_fields = {
        "title": "title_en",
        "venue": "venue_en",
        "intro": "intro_en",
        "body": "body_en",
    }
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")], heading=_("日時")),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("online_url")], heading=_("場所")),
        FieldRowPanel(
            [FieldPanel("capacity"), FieldPanel("registration_open")], heading=_("参加申込")
        ),
        FieldPanel("call"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *search_fields_with_english("intro", "body")]

    template = "cms/event_page.html"
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []
    page_description = _("セミナー・交流会などのイベント。会員は参加を申し込めます。")

    class Meta:
        verbose_name = _("イベント")

    def clean(self):
        super().clean()
        if self.start_at and self.end_at and self.end_at < self.start_at:
            raise ValidationError({"end_at": _("終了日時は開始日時より後にしてください。")})
        if not self.venue and not self.online_url:
            raise ValidationError(
                {"venue": _("会場またはオンライン参加URLのどちらかを入力してください。")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(event_registration_context(self, request.user))
        return context

    @path("")
    def detail(self, request):
        """The event page itself."""
        return self.render(request)

    @path("register/")
    def register(self, request):
        """Register, or cancel with action=cancel (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            messages.info(request, gettext("参加申込にはログインしてください。"))
            return redirect(f"/accounts/login/?next={self.url}")
        try:
            if request.POST.get("action") == "cancel":
                if event_cancel(user=request.user, event=self):
                    messages.success(request, gettext("参加申込をキャンセルしました。"))
            else:
                self._registered(request, event_register(user=request.user, event=self))
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(self.url)

    @staticmethod
    def _registered(request, registration) -> None:
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.info(
                request, gettext("定員に達しているため、キャンセル待ちとして登録しました。")
            )
        else:
            messages.success(request, gettext("参加申込を受け付けました。"))

    @path("ics/")
    def ics(self, request):
        """The event as an iCalendar (.ics) file for calendar apps."""
        text = event_ics(self, host=request.get_host(), url=request.build_absolute_uri(self.url))
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{self.pk}.ics"'
        return response


class EventRegistration(models.Model):
    """A member's place at an event, or on its waiting list."""

    Status = RegistrationStatus

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("イベント"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参加者"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("イベント参加申込")
        verbose_name_plural = _("イベント参加申込")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="eventregistration_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


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
