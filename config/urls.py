import re

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cms import api as cms_api
from cms import views as cms_views
from forum.api import urls as forum_api
from forum.api.errors import api_not_found
from forum.views.sign_in import sign_in_redirect

# One API, two apps: the forum's objects and the CMS's events, under one version prefix.
api_v1 = ([*forum_api.urlpatterns, *cms_api.urlpatterns], "api")


def favicon(request):
    """Browsers ask for /favicon.ico on their own: send them to the site's icon (an SVG)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    # Only allauth's sign-in asks staff for their second factor: the admins' own login
    # pages, and Wagtail's for private pages, lead there.
    path("django-admin/login/", sign_in_redirect, {"area": "django_admin"}),
    path("admin/login/", sign_in_redirect, {"area": "wagtail_admin"}),
    path("_util/login/", sign_in_redirect, {"area": "private_page"}),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document download with the forum's caching headers; the rest of its routes follow.
    re_path(r"^documents/(\d+)/(.*)$", cms_views.document_serve_view, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    # Uploaded images are served through a check of who may see them, in every environment.
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<name>.+)$",
        cms_views.media_file_view,
        name="media_file",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("member/needs/<int:pk>/challenge/", cms_views.need_challenge_view, name="need_challenge"),
    path("member/", include("forum.urls")),
    path("residents/", include("forum.resident_urls")),
    path("feeds/challenges/", include("cms.urls")),
    path("calls/", include("cms.call_urls")),
    path("directory/", include("forum.public_urls")),
    path("projects/", include("forum.project_urls")),
    path("dashboard/", include("forum.dashboard_urls")),
    path("departments/", include("forum.department_urls")),
    path("search/", include("search.urls")),
    path("member/suggestions/", include("matching.urls")),
    path("member/interests/", include("matching.interest_urls")),
    path("opendata/", include("forum.opendata_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(
            url_name="api_schema", title="大阪スマートシティパートナーズフォーラム API"
        ),
        name="api_docs",
    ),
    re_path(r"^api/", api_not_found),
]

urlpatterns += [path("", include(wagtail_urls))]

# A database outage answers 503 (and the API its JSON) even when it strikes before a view.
handler500 = "forum.views.errors.server_error"
