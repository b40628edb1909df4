"""Setting up the page tree."""

from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from cms.models import HomePage


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
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=_("大阪スマートシティパートナーズフォーラム"),
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home
