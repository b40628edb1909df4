"""Events and members' registrations for them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock
from cms.choices import RegistrationStatus
from cms.english import (
    EnglishVersionMixin,
    english_body_field,
    english_intro_field,
    search_fields_with_english,
)
from cms.events import event_cancel, event_ics, event_register, event_registration_context
from forum.models import Call
from forum.services.errors import ServiceError


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
