"""Writes about pages: the site tree, municipalities' places, moderation (events: cms.events)."""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from cms.models import ChallengeIndexPage, ChallengePage, HomePage
from forum.models import Municipality, Organisation
from forum.services.challenges import (
    ChallengeSnapshot,
    challenge_publish_snapshot,
    challenge_withdraw,
    challenges_close_expired,
)
from forum.services.errors import ServiceError
from forum.services.groups import SECRETARIAT_GROUP, groups_ensure, municipality_group
from forum.services.notifications import notification_send

WORKFLOW_NAME = "事務局の承認"
# The forum's proper name: stored as data (not a translated label), the same in every language.
SITE_NAME = "大阪スマートシティパートナーズフォーラム"


@transaction.atomic
def django_site_ensure(*, domain: str, name: str) -> None:
    """Name Django's own site record (used in account emails) after the public address."""
    DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": name}
    )


@transaction.atomic
def site_ensure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page once."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        welcome = (
            root.get_children().exclude(content_type__model="homepage").filter(slug="home").first()
        )
        if welcome is not None:
            welcome.slug = "welcome-replaced"
            welcome.save_revision().publish()
        home = root.add_child(
            instance=HomePage(
                title=_("大阪スマートシティパートナーズフォーラム"),
                slug="home",
                hero_title=_("地域の課題と、解決する力をつなぐ。"),
                hero_text=_(
                    "府内43市町村が地域課題を掲載し、企業・大学・スタートアップが解決策を提案します。"
                    "実証実験から社会実装、そして他のまちへの横展開まで、プロジェクトの歩みを見える化します。"
                ),
            )
        )
        if welcome is not None:
            Site.objects.filter(root_page=welcome).update(root_page=home)
            welcome.delete()
    site_default_ensure(home=home, hostname=hostname, port=port)
    secretariat_page_permissions_ensure(home)
    secretariat_collection_permissions_ensure()
    challenges_root_ensure(home=home)
    return home


def site_default_ensure(*, home: HomePage, hostname: str, port: int) -> Site:
    """The default site serves the home page under the forum's name: the admin shows a site by
    its name, and Wagtail's own first site (made by its migrations) has none, so it read
    "localhost". A name the secretariat gave the site is kept."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    changed = []
    if site.root_page_id != home.pk:
        site.root_page = home
        changed.append("root_page")
    if not site.site_name:
        site.site_name = SITE_NAME
        changed.append("site_name")
    if changed:
        site.save(update_fields=changed)
    return site


SECRETARIAT_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]


def secretariat_page_permissions_ensure(home: Page) -> None:
    """The secretariat curates the whole site: every page permission from the home page down."""
    group = groups_ensure()[SECRETARIAT_GROUP]
    for codename in SECRETARIAT_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


SECRETARIAT_COLLECTION_PERMISSIONS = {
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
}


def secretariat_collection_permissions_ensure() -> None:
    """The secretariat manages every document and image: Wagtail reads these from the root
    collection, not from the group's model permissions."""
    group = groups_ensure()[SECRETARIAT_GROUP]
    root = Collection.get_first_root_node()
    for app_label, codenames in SECRETARIAT_COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


CHALLENGES_TITLE = gettext_noop("地域課題")
CHALLENGES_INTRO = gettext_noop(
    "府内の市町村が、企業・大学・スタートアップとともに解決したい課題です。"
)


def _in_english(text: str) -> str:
    with translation.override("en"):
        return _(text)


def challenges_root_ensure(*, home: HomePage | None = None) -> ChallengeIndexPage:
    """The top challenge list under the home page, moderated by the secretariat's workflow;
    made with its English version."""
    root = ChallengeIndexPage.objects.filter(municipality__isnull=True).first()
    if root is None:
        home = home or HomePage.objects.get()
        root = home.add_child(
            instance=ChallengeIndexPage(
                title=_(CHALLENGES_TITLE),
                slug="challenges",
                intro=_(CHALLENGES_INTRO),
                title_en=_in_english(CHALLENGES_TITLE),
                intro_en=_in_english(CHALLENGES_INTRO),
            )
        )
        root.save_revision().publish()
    moderation_workflow_ensure(root)
    return root


def moderation_workflow_ensure(root: Page) -> Workflow:
    """A one-step workflow: the secretariat approves every challenge before it is public."""
    groups = groups_ensure()
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=_("事務局による確認")).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=_("事務局による確認"))
            task.groups.set([groups[SECRETARIAT_GROUP]])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def municipality_space_ensure(*, organisation_id: int) -> ChallengeIndexPage | None:
    """Give an approved municipality its place for challenges, its group and its permissions."""
    organisation = Organisation.objects.select_related("municipality").get(pk=organisation_id)
    if organisation.kind != Organisation.Kind.MUNICIPALITY or not organisation.is_approved:
        return None
    municipality: Municipality = organisation.municipality
    root = challenges_root_ensure()
    index = ChallengeIndexPage.objects.filter(municipality=municipality).first()
    if index is None:
        index = root.add_child(
            instance=ChallengeIndexPage(
                title=_("%(name)sの地域課題") % {"name": municipality.name},
                slug=municipality.code,
                municipality=municipality,
            )
        )
        index.save_revision().publish()
    group = municipality_group(municipality)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = _municipality_collection(municipality)
    for codename in ("add_document", "change_document", "choose_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            ),
        )
    for codename in ("choose_image", "add_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    return index


def _municipality_collection(municipality: Municipality) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=municipality.name).first()
    return existing or root.add_child(name=municipality.name)


def challenge_snapshot_from_page(page: ChallengePage) -> ChallengeSnapshot:
    """What the forum keeps of a live challenge page."""
    municipality = page.municipality
    if municipality is None:
        raise ServiceError(_("課題は市町村ごとの掲載場所の下に作成してください。"))
    body_text = " ".join(strip_tags(str(block.render())) for block in page.body)
    data_text = "\n".join(f"{b.value['title']} {b.value['url']}" for b in page.data_available)
    return ChallengeSnapshot(
        page_id=page.pk,
        url=page.url or "",
        title=page.title,
        summary=page.summary,
        title_en=page.title_en.strip(),
        summary_en=page.summary_en.strip(),
        municipality_id=municipality.pk,
        field_id=page.field_id,
        technology_ids=list(page.technologies.values_list("pk", flat=True)),
        background=page.background,
        wanted=page.wanted,
        data_available=data_text,
        body_text=" ".join(body_text.split()),
        desired_stage=page.desired_stage,
        deadline=page.deadline,
        budget_min=page.budget_min,
        budget_max=page.budget_max,
        contact=page.contact,
        is_closed=page.is_closed,
        first_published_at=page.first_published_at,
        call_id=page.call_id,
        department_id=page.department_id,
        responsible_post=page.responsible_post.strip(),
    )


def challenge_page_published(*, page_id: int) -> None:
    """Write the published snapshot of a live challenge page."""
    page = ChallengePage.objects.live().filter(pk=page_id).first()
    if page is not None:
        challenge_publish_snapshot(snapshot=challenge_snapshot_from_page(page))


def challenge_page_unpublished(*, page_id: int) -> None:
    """Withdraw the public record of a challenge page."""
    challenge_withdraw(page_id=page_id)


@transaction.atomic
def challenge_pages_close_expired() -> int:
    """Close challenge pages (and their records) whose deadline has passed."""
    page_ids = challenges_close_expired()
    pages = ChallengePage.objects.filter(pk__in=page_ids, is_closed=False)
    count = 0
    for page in pages:
        page.is_closed = True
        # The live record changes without a new revision: closing is bookkeeping, not an edit.
        ChallengePage.objects.filter(pk=page.pk).update(is_closed=True)
        count += 1
    return count


def moderation_notify(*, workflow_state_id: int, approved: bool, actor) -> None:
    """Tell the person who submitted a challenge that it was approved or needs changes."""
    state = (
        WorkflowState.objects.select_related("requested_by").filter(pk=workflow_state_id).first()
    )
    if state is None or state.requested_by is None:
        return
    page = state.content_object
    if not isinstance(getattr(page, "specific", None), ChallengePage):
        return
    page = page.specific
    comment = ""
    if approved:
        url = page.url or ""
    else:
        task_state = state.current_task_state
        if task_state is not None and task_state.comment:
            comment = task_state.comment
        url = f"/admin/pages/{page.pk}/edit/"

    def title() -> str:
        if approved:
            return _("課題「%(title)s」が承認され、公開されました") % {"title": page.title}
        return _("課題「%(title)s」に修正の依頼があります") % {"title": page.title}

    def body() -> str:
        if approved:
            return _("事務局の確認が完了しました。")
        if comment:
            return _("事務局からのコメント: %(comment)s") % {"comment": comment}
        return _("管理画面で内容を確認してください。")

    notification_send(
        recipients=[state.requested_by], verb="challenge.moderated", title=title, body=body, url=url
    )
